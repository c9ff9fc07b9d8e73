package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
)

const downloadLong = `Download a range of a stream as one file, through the server's HTTP API
(--http).

--from and --to choose the range: from head (the oldest data, the default)
or a stream cut, to tail (the tail as it was when the download started, the
default) or a stream cut. Stream cuts are printed by "braid read --format
json" ("position") and by this command.

--format chooses the bytes:

  raw               the events' bytes, one after the other, nothing added:
                    a file uploaded with --split lines, bytes:SIZE or
                    whole comes back byte for byte (the default)
  length-prefixed   each event as a 4-byte big-endian length, then its bytes
                    (what upload --split length-prefixed takes)
  ndjson            one JSON object per event and line ({"pointer",
                    "position", "data" or "data_base64"}), then a last line
                    {"end": END-CUT, "events": N, "bytes": N}

Events of one segment come in order; segments interleave. An upload keeps
its events in one segment, in order (see "braid upload").

The file is written as FILE.partial and renamed to FILE only when the
download is complete, so a failed or interrupted download never leaves a
complete-looking FILE (FILE.partial is removed). FILE - writes to standard
output, where a failed download leaves what was already written: the exit
status tells.

When done it prints to standard error the events and bytes received, the
time, the throughput and the end cut: the stream cut the download reached.
To download what was written since, run again with --from END-CUT: the new
file holds only the later events, so concatenate it to the first one:

  braid download demo/logs part2.log --from END-CUT
  cat part2.log >> part1.log`

const downloadExample = `  braid download demo/backups backup.tar
  braid download web/access access.log --from v1.AgCACAGAEL0CKq8
  braid download demo/frames frames.bin --format length-prefixed --http 10.0.0.5:7471
  braid download demo/events events.ndjson --format ndjson --to v1.AgCACAGAEL0CKq8
  braid download demo/logs - | grep ERROR`

func newDownloadCmd(e *env) *cobra.Command {
	h := &httpRemote{}
	var from, to, format string
	cmd := &cobra.Command{
		Use:     "download SCOPE/STREAM FILE",
		Short:   "Download a range of a stream as one file (over HTTP)",
		Long:    downloadLong,
		Example: downloadExample,
		Args:    argNames("SCOPE/STREAM", "FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			stream, err := streamArg(args[0])
			if err != nil {
				return err
			}
			switch format {
			case "raw", "ndjson", "length-prefixed":
			default:
				return usagef("invalid --format %q: want raw, length-prefixed or ndjson", format)
			}
			if err := checkRangeEnd("--from", from, "head"); err != nil {
				return err
			}
			if err := checkRangeEnd("--to", to, "tail"); err != nil {
				return err
			}
			if args[1] == "" {
				return usagef("%s: FILE is empty: give a file name, or - for standard output", cmd.CommandPath())
			}
			api, err := h.connect()
			if err != nil {
				return err
			}
			defer api.close()
			q := url.Values{"from": {from}, "to": {to}, "format": {format}}
			return runDownload(cmd.Context(), e, api, stream, args[1], q)
		},
	}
	h.addFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&from, "from", "head", "where to start: head | STREAM-CUT")
	f.StringVar(&to, "to", "tail", "where to stop: tail (as at the start) | STREAM-CUT")
	f.StringVar(&format, "format", "raw", "output format: raw | length-prefixed | ndjson")
	return cmd
}

// checkRangeEnd checks --from or --to: word (head or tail) or a stream cut.
func checkRangeEnd(flag, v, word string) error {
	if v == word {
		return nil
	}
	if !looksLikeCut(v) {
		return usagef("invalid %s %q: want %s or a stream cut (v1.…)", flag, v, word)
	}
	if _, err := braid.ParseStreamCut(v); err != nil {
		return usagef("invalid %s: %s", flag, message(err))
	}
	return nil
}

// Trailers of a blob download.
const (
	trailerCut    = "Braid-Stream-Cut"
	trailerEvents = "Braid-Events"
)

func runDownload(ctx context.Context, e *env, api *httpAPI, stream, file string, q url.Values) (err error) {
	op := "download " + stream
	var out io.Writer = e.stdout
	var partial *os.File
	if file != "-" {
		if fi, err := os.Stat(file); err == nil && fi.IsDir() {
			return fmt.Errorf("%s: %s is a directory", op, file)
		}
		partial, err = os.OpenFile(file+".partial", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		defer func() {
			if err != nil { // no complete-looking file
				partial.Close()
				os.Remove(partial.Name())
			}
		}()
		out = partial
	}

	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api.streamURL(stream, "blob", q), nil)
	if err != nil {
		return err
	}
	resp, err := api.do(req)
	if err != nil {
		return api.failed(ctx, op, err)
	}
	defer resp.Body.Close()

	bar := newProgress(e.stderr, -1, "downloading")
	n, err := io.CopyBuffer(&outWriter{w: out}, &countingReader{r: resp.Body, p: bar}, make([]byte, 256<<10))
	bar.done()
	var we *writeError
	switch {
	case errors.As(err, &we):
		if partial != nil {
			return fmt.Errorf("%s: %w", op, we.err) // a *PathError names the file
		}
		return fmt.Errorf("%s: write to standard output: %w", op, we.err)
	case err != nil && ctx.Err() != nil:
		return api.failed(ctx, op, err)
	case err != nil:
		return fmt.Errorf("%s: the download broke off after %d bytes: %s", op, n, api.reason(err))
	}
	took := time.Since(start)

	cut := resp.Trailer.Get(trailerCut)
	events := resp.Trailer.Get(trailerEvents)
	if cut == "" {
		// The trailers come last: without them the server did not finish.
		return fmt.Errorf("%s: the download ended early after %d bytes (no %s trailer): the server did not finish it", op, n, trailerCut)
	}
	if partial != nil {
		if err := partial.Sync(); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if err := partial.Close(); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		if err := os.Rename(partial.Name(), file); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}

	line := "downloaded "
	if c, perr := strconv.ParseInt(events, 10, 64); perr == nil {
		line += plural64(c, "event") + ", "
	}
	line += fmt.Sprintf("%d bytes in %s (%s); end cut %s", n, roundDuration(took), rate(n, took), cut)
	_, err = fmt.Fprintln(e.stderr, line)
	return err
}

// outWriter marks the errors of the output, to tell them apart from the
// response body's.
type outWriter struct{ w io.Writer }

func (o *outWriter) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil {
		err = &writeError{err: err}
	}
	return n, err
}

// writeError is an error of the output.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }
