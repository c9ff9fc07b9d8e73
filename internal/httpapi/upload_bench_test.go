package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/server"
	"github.com/braidstream/braid/internal/server/servertest"
)

// BenchmarkUpload PUTs a 256 MiB file with split=bytes:1048576 (fsync on
// every acknowledgement, the default).
func BenchmarkUpload(b *testing.B) {
	for _, split := range []string{"bytes:1048576", "lines"} {
		b.Run(split, func(b *testing.B) {
			srv := servertest.New(b, server.Config{})
			base := "http://" + srv.HTTPAddr()
			file := make([]byte, 256<<20)
			for i := range file {
				file[i] = byte(i * 7)
				if split == "lines" && i%200 == 199 {
					file[i] = '\n'
				}
			}
			b.SetBytes(int64(len(file)))
			b.ResetTimer()
			for i := range b.N {
				name := fmt.Sprintf("s/up%d", i)
				req, _ := http.NewRequest("PUT", base+"/v1/streams/"+name, strings.NewReader(`{"create_scope": true}`))
				req.Header.Set("Content-Type", "application/json")
				if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
					b.Fatalf("create %s: %v %v", name, resp, err)
				}
				req, _ = http.NewRequest("PUT", base+"/v1/streams/"+name+"/file?split="+split, bytes.NewReader(file))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("%s %s", resp.Status, body)
				}
			}
		})
	}
}
