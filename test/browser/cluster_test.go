package browser

import (
	"strings"
	"testing"
	"time"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// TestClusterPage: two nodes of a cluster (an embedded etcd, an S3 server
// in process) and the first one's Cluster page: both nodes, the leader,
// and every container with its owner and epoch; a single server's page
// says it runs alone.
func TestClusterPage(t *testing.T) {
	findChromium(t)
	n1 := servertest.Cluster(t, "n1", "n2")[0]

	b := newBrowser(t, "http://"+n1.HTTPAddr())
	b.open("", "/cluster")
	b.waitFor("both nodes on the cluster page", `!!document.querySelector('tr[data-node="n1"]') && !!document.querySelector('tr[data-node="n2"]')`, 30*time.Second)
	b.waitFor("every container owned", `[...document.querySelectorAll('tr[data-container]')].length === 4 && [...document.querySelectorAll('tr[data-container]')].every((r) => /^n[12]$/.test(r.children[1].textContent))`, 30*time.Second)
	if got := b.text(`tr[data-node="n1"]`); !strings.Contains(got, "leader") && !strings.Contains(b.text(`tr[data-node="n2"]`), "leader") {
		t.Errorf("no node is shown as the leader: n1 row %q", got)
	}
	if got := b.text(`tr[data-node="n1"]`); !strings.Contains(got, "(this node)") {
		t.Errorf("the page does not mark the node it is served by: %q", got)
	}
	b.screenshot("cluster")

	single := servertest.New(t, server.Config{})
	b2 := newBrowser(t, "http://"+single.HTTPAddr())
	b2.open("", "/cluster")
	b2.waitFor("the single-server notice", `document.body.textContent.includes("This server runs alone")`, 20*time.Second)
}
