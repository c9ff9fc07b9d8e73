package httpapi

import (
	"net/http"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/auth"
	"github.com/braidstream/braid/wire"
)

// watermarkRoutes are the stream's watermark and the time window of a
// position.
func (a *API) watermarkRoutes() []route {
	return []route{{
		Method: "GET", Path: "/v1/streams/{scope}/{stream}/watermark", Tag: "admin",
		Summary:   "The stream's watermark (the least time over the writers that note time) and those writers",
		Params:    streamParams,
		Responses: jsonOK(`{"stream", "watermark" (RFC 3339; absent while no writer noted time), "watermark_unix_ms", "upper", "lag_seconds" (now minus the watermark), "cut" (where it holds), "made", "timeout_ms" (the stream's timestamp aggregation timeout), "writers": [{"writer", "time", "reported_at", "active", "position"}]}`),
		Access:    needs(auth.PermRead),
		Handler:   a.getWatermark,
	}, {
		Method: "GET", Path: "/v1/streams/{scope}/{stream}/window", Tag: "data",
		Summary: "The time window of a position: every event from it on was written at or after lower; the events just before it at or before upper",
		Params: append(append([]param{}, streamParams...),
			param{Name: "position", In: "query", Required: true, Desc: "a stream cut in its text form (a reader's position: the \"cut\" of a read's answer, or a group's position)"}),
		Responses: jsonOK(`{"lower", "upper"}: RFC 3339 times; "lower" is absent near the head (no watermark passed yet), "upper" near the tail`),
		Access:    needs(auth.PermRead),
		Handler:   a.getWindow,
	}}
}

type writerTimeJSON struct {
	Writer     string  `json:"writer"`
	Time       string  `json:"time"`
	ReportedAt string  `json:"reported_at"`
	Active     bool    `json:"active"`
	Position   cutJSON `json:"position"`
}

type watermarkJSON struct {
	Stream          string           `json:"stream"`
	Watermark       string           `json:"watermark,omitempty"`
	WatermarkUnixMs int64            `json:"watermark_unix_ms,omitempty"`
	Upper           string           `json:"upper,omitempty"`
	LagSeconds      *float64         `json:"lag_seconds,omitempty"`
	Cut             *cutJSON         `json:"cut,omitempty"`
	Made            string           `json:"made,omitempty"`
	TimeoutMs       int64            `json:"timeout_ms"`
	Writers         []writerTimeJSON `json:"writers"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (a *API) getWatermark(w http.ResponseWriter, r *http.Request) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	wm, err := a.client.Watermark(r.Context(), name)
	if err != nil {
		return err
	}
	out := watermarkJSON{Stream: name, TimeoutMs: wm.Timeout.Milliseconds(), Writers: []writerTimeJSON{}}
	if !wm.Time.IsZero() {
		lag := time.Since(wm.Time).Seconds()
		cut := cutOf(wm.Cut)
		out.Watermark, out.WatermarkUnixMs, out.Upper = rfc3339(wm.Time), wm.Time.UnixMilli(), rfc3339(wm.Upper)
		out.LagSeconds, out.Cut, out.Made = &lag, &cut, rfc3339(wm.Made)
	}
	for _, wt := range wm.Writers {
		out.Writers = append(out.Writers, writerTimeJSON{Writer: wt.Writer, Time: rfc3339(wt.Time),
			ReportedAt: rfc3339(wt.Reported), Active: wt.Active, Position: cutOf(wt.Position)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// windowJSON is a time window; a bound is absent when the window has none.
type windowJSON struct {
	Lower string `json:"lower,omitempty"`
	Upper string `json:"upper,omitempty"`
}

func windowOf(tw braid.TimeWindow) windowJSON {
	var out windowJSON
	if !tw.NearHead() {
		out.Lower = rfc3339(tw.Lower)
	}
	if !tw.NearTail() {
		out.Upper = rfc3339(tw.Upper)
	}
	return out
}

func (a *API) getWindow(w http.ResponseWriter, r *http.Request) error {
	name, err := streamName(r)
	if err != nil {
		return err
	}
	text := r.URL.Query().Get("position")
	if text == "" {
		return badRequest("position is required: a stream cut in its text form")
	}
	c, err := wire.ParseStreamCut(text)
	if err != nil {
		return badRequest("position: %v", err)
	}
	c.Stream = name // the text form names no stream
	tw, err := a.client.TimeWindowAt(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, windowOf(tw))
	return nil
}
