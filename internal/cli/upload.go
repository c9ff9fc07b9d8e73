package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

const uploadLong = `Upload a file into a stream as events, through the server's HTTP API
(--http). The file is streamed: it may be larger than memory. The stream
must exist, or give --create.

--split says how the file is cut into events:

  lines             one event per line, with its newline (the default)
  bytes:SIZE        chunks of SIZE bytes (the last may be shorter), e.g.
                    bytes:4MiB or bytes:65536
  length-prefixed   each event is a 4-byte big-endian length, then that
                    many bytes
  whole             the whole file is one event (at most the maximum event
                    size, 8 MiB by default)

All events of an upload get one routing key: --key, or else one the server
derives from the writer id. So they keep the file's order, and "braid
download" gives the file back byte for byte (with --split lines, bytes:SIZE
or whole, and --format raw), as long as nothing else was written to the
range downloaded.

An upload is idempotent: it is sent with a writer id (--writer-id, by
default a new random one) and first event number 1, and the server stores
each of the writer's event numbers once. When the connection fails or the
server is unavailable (HTTP 5xx), the whole file is sent again, up to
--retries times (after 0.25 s, then twice as long each time), and the
server skips what it already has. Sending the same file again with
the same --writer-id stores nothing twice: the summary then says how many
events are new and how many were already stored ("0 new events, 72
already stored (same writer id)"). Do not reuse a writer id for different
data, whose events would be skipped as already stored too.

FILE - reads standard input. It cannot be sent twice, so there are no
retries; the same holds for a FILE that is not a regular file (a pipe).

On success it prints one line: the file, the stream, the events stored
(and, when some were already stored, how many), the bytes sent, the time
and throughput, and the event pointers of the first and last events (none
for an event that was already stored).`

const uploadExample = `  braid upload access.log web/access
  braid upload backup.tar demo/backups --split bytes:4MiB --key backup-2024-06 --create
  braid upload frames.bin demo/frames --split length-prefixed --http 10.0.0.5:7471
  braid upload big.bin demo/blobs --split bytes:1MiB --key big --writer-id big-v1 --retries 10
  zcat events.gz | braid upload - demo/events --key batch-7`

// Retries wait retryDelay, doubled each time up to maxRetryDelay.
const (
	retryDelay    = 250 * time.Millisecond
	maxRetryDelay = 4 * time.Second
)

// uploadOptions are upload's checked command line.
type uploadOptions struct {
	file     string // "-": standard input
	stream   string
	split    string // query form: lines, whole, length-prefixed, bytes:N
	key      string
	writerID string
	retries  int
	create   bool
}

// uploadResult is the server's answer to a file upload.
type uploadResult struct {
	Events     int64  `json:"events"`
	Bytes      int64  `json:"bytes"`
	First      string `json:"first"`
	Last       string `json:"last"`
	Duplicates int64  `json:"duplicates"`
}

func newUploadCmd(e *env) *cobra.Command {
	h := &httpRemote{}
	var o uploadOptions
	cmd := &cobra.Command{
		Use:     "upload FILE SCOPE/STREAM",
		Short:   "Upload a file into a stream as events (over HTTP)",
		Long:    uploadLong,
		Example: uploadExample,
		Args:    argNames("FILE", "SCOPE/STREAM"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			o.file = args[0]
			if o.stream, err = streamArg(args[1]); err != nil {
				return err
			}
			if o.split, err = parseSplit(o.split); err != nil {
				return err
			}
			if o.retries < 0 {
				return usagef("invalid --retries %d: want 0 or more", o.retries)
			}
			if !cmd.Flags().Changed("writer-id") {
				o.writerID = randomWriterID()
			}
			if n := len(o.writerID); n < 1 || n > 256 {
				return usagef("invalid --writer-id %q: want 1 to 256 bytes", o.writerID)
			}
			api, err := h.connect()
			if err != nil {
				return err
			}
			defer api.close()
			return runUpload(cmd.Context(), e, api, o)
		},
	}
	h.addFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.split, "split", "lines", "how to cut the file into events: lines | bytes:SIZE | length-prefixed | whole")
	f.StringVar(&o.key, "key", "", "routing key for every event (default: one the server derives from the writer id)")
	f.StringVar(&o.writerID, "writer-id", "", "writer `ID` that makes the upload idempotent (default: a new random id)")
	f.IntVar(&o.retries, "retries", 3, "send the file again up to `N` times when the connection fails or the server is unavailable")
	f.BoolVar(&o.create, "create", false, "create the stream (and its scope) first if it does not exist")
	return cmd
}

// parseSplit checks --split and returns its query form, with a bytes:SIZE
// size in plain bytes.
func parseSplit(v string) (string, error) {
	switch v {
	case "lines", "whole", "length-prefixed":
		return v, nil
	}
	size, ok := strings.CutPrefix(v, "bytes:")
	if !ok {
		return "", usagef("invalid --split %q: want lines, bytes:SIZE (e.g. bytes:4MiB), length-prefixed or whole", v)
	}
	n, err := parseByteSize("--split", size)
	if err != nil || n < 1 {
		return "", usagef("invalid --split %q: want bytes:SIZE with a size of at least 1 byte, such as bytes:65536 or bytes:4MiB", v)
	}
	return "bytes:" + strconv.FormatInt(n, 10), nil
}

// randomWriterID is a new random writer id: 128 bits in hex.
func randomWriterID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails
	return hex.EncodeToString(b[:])
}

// uploadSource is what is uploaded: a file that can be sent again, or a
// stream (standard input, a pipe) that cannot.
type uploadSource struct {
	name string    // for messages
	r    io.Reader // the bytes
	f    *os.File  // r, when it can be rewound for a retry
	size int64     // -1: unknown
}

func openUpload(e *env, file string) (*uploadSource, func(), error) {
	if file == "-" {
		return &uploadSource{name: "standard input", r: e.stdin, size: -1}, func() {}, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, fmt.Errorf("upload: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("upload: %w", err)
	}
	if fi.IsDir() {
		f.Close()
		return nil, nil, fmt.Errorf("upload: %s is a directory", file)
	}
	src := &uploadSource{name: file, r: f, size: -1}
	if fi.Mode().IsRegular() {
		src.f, src.size = f, fi.Size()
	}
	return src, func() { f.Close() }, nil
}

func runUpload(ctx context.Context, e *env, api *httpAPI, o uploadOptions) error {
	src, closeSrc, err := openUpload(e, o.file)
	if err != nil {
		return err
	}
	defer closeSrc()
	op := fmt.Sprintf("upload %s to %s", src.name, o.stream)
	if o.create {
		if err := api.createStream(ctx, o.stream); err != nil {
			return api.failed(ctx, "create stream "+o.stream, err)
		}
	}

	q := url.Values{"split": {o.split}}
	if o.key != "" {
		q.Set("key", o.key)
	}
	target := api.streamURL(o.stream, "file", q)
	retries := o.retries
	if src.f == nil {
		retries = 0 // a stream cannot be sent again
	}
	start := time.Now()
	var res uploadResult
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if _, err := src.f.Seek(0, io.SeekStart); err != nil {
				return fmt.Errorf("%s: rewind for a retry: %w", op, err)
			}
		}
		res, err = uploadOnce(ctx, e, api, target, src, o.writerID)
		if err == nil {
			break
		}
		if attempt >= retries || !retryable(ctx, err) {
			return api.failed(ctx, op, err)
		}
		delay := min(retryDelay<<attempt, maxRetryDelay)
		fmt.Fprintf(e.stderr, "braid: %s; sending it again in %s (retry %d of %d)\n",
			api.failed(ctx, op, err), delay, attempt+1, retries)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return api.failed(ctx, op, ctx.Err())
		case <-t.C:
		}
	}
	took := time.Since(start)

	_, err = fmt.Fprintln(e.stdout, uploadSummary(src.name, o.stream, res, took))
	return err
}

// uploadSummary is the line printed after an upload. The server counts in
// res.Events every event of the file, those an earlier upload with the same
// writer id had stored (res.Duplicates) included: the summary says how many
// are new and, when some were not, how many were already stored.
func uploadSummary(name, stream string, res uploadResult, took time.Duration) string {
	line := fmt.Sprintf("uploaded %s to %s: ", name, stream)
	if res.Duplicates > 0 {
		line += fmt.Sprintf("%d new %s, %d already stored (same writer id)",
			res.Events-res.Duplicates, pluralWord(res.Events-res.Duplicates, "event"), res.Duplicates)
	} else {
		line += plural64(res.Events, "event")
	}
	line += fmt.Sprintf(", %d bytes in %s (%s)", res.Bytes, roundDuration(took), rate(res.Bytes, took))
	// A duplicate the store no longer knows the place of has no pointer.
	switch {
	case res.First != "" && res.Last != "":
		line += fmt.Sprintf("; first %s, last %s", res.First, res.Last)
	case res.First != "":
		line += "; first " + res.First
	case res.Last != "":
		line += "; last " + res.Last
	}
	return line
}

// uploadOnce sends the whole source once.
func uploadOnce(ctx context.Context, e *env, api *httpAPI, target string, src *uploadSource, writerID string) (uploadResult, error) {
	bar := newProgress(e.stderr, src.size, "uploading")
	defer bar.done()
	var body io.Reader = src.r
	if bar != nil {
		body = &countingReader{r: src.r, p: bar}
	}
	// The transport closes the body; the file stays open for a retry.
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, target, io.NopCloser(body))
	if err != nil {
		return uploadResult{}, err
	}
	req.ContentLength = src.size
	if src.size == 0 {
		req.Body = http.NoBody
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Braid-Writer-Id", writerID)
	req.Header.Set("Braid-Event-Number", "1")
	// The server may refuse (no such stream, bad split) before the body
	// is sent.
	req.Header.Set("Expect", "100-continue")

	resp, err := api.do(req)
	if err != nil {
		return uploadResult{}, err
	}
	defer resp.Body.Close()
	var res uploadResult
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&res); err != nil {
		return uploadResult{}, fmt.Errorf("bad answer from the server: %w", err)
	}
	if res.Events < 0 || res.Bytes < 0 || res.Duplicates < 0 {
		return uploadResult{}, errors.New("bad answer from the server: negative counts")
	}
	if res.Duplicates > res.Events {
		return uploadResult{}, fmt.Errorf("bad answer from the server: %d duplicates of %d events", res.Duplicates, res.Events)
	}
	return res, nil
}

// plural64 is plural for int64 counts.
func plural64(n int64, word string) string {
	return strconv.FormatInt(n, 10) + " " + pluralWord(n, word)
}

// pluralWord is word, with an s unless n is 1.
func pluralWord(n int64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
