package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/clienttest"
	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// writeSensors writes readings of three sensors to stream, each with its
// event time ts (now, RFC 3339), from a goroutine that stops, and is
// waited for, when the test ends. It returns once the first reading is
// stored, so that the stream has events to check a query's fields against.
func writeSensors(t *testing.T, c *braid.Client, stream string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		cancel()
		t.Fatalf("writer: %v", err)
	}
	reading := func(i int) []byte {
		s := i % 3
		temp := 19 + 2*float64(s) + math.Sin(float64(i)/40+float64(s))
		return fmt.Appendf(nil, `{"sensor":"s-%d","temp":%.2f,"ts":%q}`, s+1, temp, time.Now().UTC().Format(time.RFC3339Nano))
	}
	if _, err := w.Write(ctx, "s-1", reading(0)).Wait(ctx); err != nil {
		cancel()
		t.Fatalf("first write: %v", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for i := 1; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			// Acknowledgements are not waited for: Close flushes.
			w.Write(ctx, fmt.Sprintf("s-%d", i%3+1), reading(i))
		}
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		cctx, ccancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer ccancel()
		_ = w.Close(cctx)
	})
}

// typeInto replaces the value of the element sel (an input or textarea)
// with text, typed key by key.
func (b *browser) typeInto(sel, text string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`document.querySelector(%q).value = ""`, sel))
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		b.t.Fatalf("type into %s: %v", sel, err)
	}
}

// click clicks the element sel.
func (b *browser) click(sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
}

// evalString, evalInt and evalStrings evaluate a JavaScript expression of
// that type.
func (b *browser) evalString(expr string) string {
	b.t.Helper()
	var s string
	if err := json.Unmarshal(b.eval(expr), &s); err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return s
}

func (b *browser) evalInt(expr string) int {
	b.t.Helper()
	var n int
	if err := json.Unmarshal(b.eval(expr), &n); err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return n
}

func (b *browser) evalStrings(expr string) []string {
	b.t.Helper()
	var s []string
	if err := json.Unmarshal(b.eval(expr), &s); err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return s
}

// TestQueries drives the Queries pages against a live server with a
// stream of sensor readings: a query with a syntax error shows its
// problem at its line; a good one deploys, and its page charts its
// results live, one line per sensor, and lists them.
func TestQueries(t *testing.T) {
	findChromium(t)
	ts := servertest.New(t, server.Config{})
	c := clienttest.Dial(t, ts.GRPCAddr())
	const stream = "demo/sensors"
	clienttest.CreateStream(t, c, stream, 1)
	writeSensors(t, c, stream)
	b := newBrowser(t, "http://"+ts.HTTPAddr())

	// The list, empty, with the form filled with an example over the
	// stream (from the fields of its last events).
	b.open("", "/queries")
	b.waitFor("the deploy form with its example", `document.body.dataset.page === "queries" && (document.getElementById("query-form") || {dataset: {}}).dataset.ready === "true"`, 20*time.Second)
	b.waitFor("the empty list", `!!document.getElementById("queries-empty")`, 20*time.Second)
	if got := b.evalString(`document.querySelector('[data-nav="queries"]').classList.contains("active") ? "active" : "not active"`); got != "active" {
		t.Errorf("the Queries entry of the navigation is %s", got)
	}
	example := b.evalString(`document.getElementById("query-sql").value`)
	for _, want := range []string{"FROM demo.sensors", "TUMBLE(ts,", "sensor", "avg(temp)"} {
		if !strings.Contains(example, want) {
			t.Errorf("the example query does not have %q:\n%s", want, example)
		}
	}

	// A syntax error on line 3 (no comma between the window and the
	// group): shown under the text box and at its line.
	bad := "SELECT sensor, count(*) AS n\nFROM demo.sensors\nGROUP BY TUMBLE(ts, INTERVAL '1' SECOND) sensor\n"
	b.typeInto("#query-sql", bad)
	b.click("#query-validate")
	b.waitFor("the problem at line 3", `!!document.querySelector('#query-problems li.problem') && !!document.querySelector('#query-sql-marks .sql-callout')`, 20*time.Second)
	if got := b.evalStrings(`[...document.querySelectorAll("#query-sql-gutter .ln.bad")].map((e) => e.dataset.line)`); len(got) != 1 || got[0] != "3" {
		t.Errorf("the gutter marks lines %q, want line 3 alone", got)
	}
	if got := b.evalStrings(`[...document.querySelectorAll("#query-sql-marks .sql-callout")].map((e) => e.dataset.line)`); len(got) != 1 || got[0] != "3" {
		t.Errorf("problem messages are under lines %q, want under line 3", got)
	}
	callout := b.text("#query-sql-marks .sql-callout")
	listed := b.text("#query-problems li.problem")
	if !strings.HasPrefix(callout, "line 3, column ") || !strings.HasPrefix(listed, "line 3, column ") {
		t.Errorf("the problem shows as %q at its line and %q under the text box, want both to start with line 3, column", callout, listed)
	}
	// The message sits just below line 3 (20 px a line, 8 px padding).
	if top := b.evalInt(`parseInt(document.querySelector("#query-sql-marks .sql-callout").style.top)`); top < 8+3*20 || top > 8+3*20+10 {
		t.Errorf("the message is %d px from the top of the text, want just under line 3 (68 to 78)", top)
	}
	t.Logf("the problem: %s", listed)
	b.screenshot("queries-problem")

	// The query of the brief, typed over the bad one: the marks go; it
	// validates with its columns, deploys, and the page goes to it.
	const good = "SELECT sensor, count(*) AS n, avg(temp) AS avg_temp FROM demo.sensors GROUP BY TUMBLE(ts, INTERVAL '1' SECOND), sensor WITH (watermark_delay = '200ms', idle_timeout = '2s')"
	b.typeInto("#query-sql", good)
	if n := b.evalInt(`document.querySelectorAll("#query-sql-gutter .ln.bad, #query-sql-marks .sql-callout").length`); n != 0 {
		t.Errorf("%d problem marks are left after the text changed", n)
	}
	const name = "sensors-per-second"
	b.typeInto("#query-name", name)
	b.click("#query-validate")
	b.waitFor("the query to validate", `!!document.getElementById("query-valid")`, 20*time.Second)
	roles := b.evalStrings(`[...document.querySelectorAll("#query-valid .col-chip")].map((e) => e.textContent)`)
	if want := []string{"window_startwindow start", "window_endwindow end", "sensorgroup", "nvalue", "avg_tempvalue"}; strings.Join(roles, ",") != strings.Join(want, ",") {
		t.Errorf("the valid query's columns show %q, want %q", roles, want)
	}
	b.click("#query-deploy")
	b.waitFor("the query's page", fmt.Sprintf(`location.hash === "#/queries/%s" && !!document.getElementById("query-chart")`, name), 20*time.Second)

	// The live chart: a line per sensor, gaining points as windows close.
	points := `+document.getElementById("query-chart").dataset.points`
	b.waitFor("the chart's lines for the 3 sensors", `+document.getElementById("query-chart").dataset.groups === 3 && `+points+` >= 6`, 60*time.Second)
	n1 := b.evalInt(points)
	b.waitFor("the chart to gain points", fmt.Sprintf("%s > %d", points, n1), 30*time.Second)
	if got := b.evalStrings(`[...document.querySelectorAll("#query-chart .query-chart")].map((e) => e.dataset.column + ":" + e.querySelector("svg").dataset.series)`); strings.Join(got, ",") != "n:3,avg_temp:3" {
		t.Errorf("the charts (column:lines) are %q, want n:3,avg_temp:3", got)
	}
	if got := b.evalStrings(`[...document.querySelectorAll("#query-chart .query-chart:first-child .legend .key")].map((e) => e.firstChild.nextSibling.textContent.trim())`); strings.Join(got, ",") != "s-1,s-2,s-3" {
		t.Errorf("the chart's legend shows %q, want the sensors s-1,s-2,s-3", got)
	}

	// The table of the last results, newest first, with every column.
	b.waitFor("the results table's rows", `document.querySelectorAll("#query-results-table tbody tr").length >= 3`, 20*time.Second)
	if got := b.evalStrings(`[...document.querySelectorAll("#query-results-table th")].map((e) => e.textContent)`); strings.Join(got, ",") != "window_start,window_end,sensor,n,avg_temp" {
		t.Errorf("the results table's columns are %q", got)
	}
	sensors := b.evalStrings(`[...document.querySelectorAll("#query-results-table tbody tr")].map((e) => e.dataset.group)`)
	if len(sensors) > 50 {
		t.Errorf("the results table has %d rows, want at most 50", len(sensors))
	}
	if first := b.evalString(`document.querySelector("#query-results-table tbody tr td:nth-child(3)").textContent`); !strings.HasPrefix(first, "s-") {
		t.Errorf("the first result's sensor shows %q", first)
	}

	// The status cards.
	b.waitFor("the query healthy and running", `document.getElementById("qs-health").textContent === "ok" && document.getElementById("qs-state").textContent === "running"`, 30*time.Second)
	b.waitFor("the input rate", `/^[1-9]/.test(document.getElementById("qs-in").textContent) && /^[1-9]/.test(document.getElementById("qs-results").textContent)`, 30*time.Second)
	if got := b.text("#query-sql-view"); got != good {
		t.Errorf("the page's SQL is %q, want the deployed text", got)
	}
	if got := b.text("#qs-lag"); !strings.HasSuffix(got, " s") && !strings.HasSuffix(got, " ms") {
		t.Errorf("the watermark lag shows %q", got)
	}
	if n := b.evalInt(`document.querySelectorAll("#query-missing, #query-last-error").length`); n != 0 {
		t.Errorf("a healthy query's page shows %d notices of missing fields or errors", n)
	}
	// Some more windows make a better picture.
	b.waitFor("fifteen windows", `+document.getElementById("query-chart").dataset.windows >= 15`, 30*time.Second)
	b.screenshot("query")
	b.eval(`document.getElementById("query-chart-card").scrollIntoView()`)
	b.screenshot("query-chart")

	// Stop and start.
	b.eval(`window.scrollTo(0, 0)`)
	b.click("#query-stop")
	b.waitFor("the query stopped", `document.getElementById("qs-state").textContent === "stopped" && document.getElementById("query-start").disabled === false`, 20*time.Second)
	b.click("#query-start")
	b.waitFor("the query running again", `document.getElementById("qs-state").textContent === "running"`, 20*time.Second)

	// The list: the query with its state, health and rates.
	b.route("/queries")
	row := fmt.Sprintf(`document.querySelector('#queries-table tr[data-query=%q]')`, name)
	b.waitFor("the query in the list", `!!`+row+` && `+row+`.querySelector(".health").textContent === "ok" && /^[1-9]/.test(`+row+`.querySelector(".results").textContent)`, 30*time.Second)
	if got := b.evalString(row + `.querySelector(".state").textContent`); got != "running" {
		t.Errorf("the list shows the query %s", got)
	}
	if got := b.evalString(row + `.querySelector(".watermark").textContent`); !strings.HasPrefix(got, "watermark ") || !strings.HasSuffix(got, " behind") {
		t.Errorf("the list's watermark shows %q, want watermark … behind", got)
	}
	if got := b.evalString(row + `.querySelector("a").getAttribute("href")`); got != "#/queries/"+name {
		t.Errorf("the list links the query to %q", got)
	}
	b.screenshot("queries")

	// Delete (confirmed): back to the empty list.
	b.route("/queries/" + name)
	b.waitFor("the query's page again", `document.getElementById("qs-state") && document.getElementById("qs-state").textContent === "running"`, 20*time.Second)
	b.eval(`window.confirm = () => true`)
	b.click("#query-delete")
	b.waitFor("the list after the delete", `location.hash === "#/queries" && !!document.getElementById("queries-empty")`, 20*time.Second)
}
