package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/wire"
)

const writeLong = `Write one event per input line to a stream. The trailing newline of each
line is not part of the event; an empty line is an empty event. Input is
standard input, or --file. A line may be up to the maximum event size
(8 MiB).

Events with the same --key go to the same segment and keep their order;
without --key, events are spread over the segments. The command prints
nothing unless something fails, and returns only once every event is
durable.`

const writeExample = `  printf 'hello\nworld\n' | braid write demo/events
  braid write demo/events --key user-42 --file events.ndjson`

// maxPendingAcks bounds how many acknowledgements braid write keeps to
// check. It stops a failure (say, a deleted stream) being noticed only at
// the end of a long input, and bounds memory for tiny events.
const maxPendingAcks = 4096

func newWriteCmd(e *env) *cobra.Command {
	r := &remote{}
	var key, file string
	cmd := &cobra.Command{
		Use:     "write SCOPE/STREAM",
		Short:   "Write events, one per input line",
		Long:    writeLong,
		Example: writeExample,
		Args:    argNames("SCOPE/STREAM"),
		RunE: func(cmd *cobra.Command, args []string) error {
			stream, err := streamArg(args[0])
			if err != nil {
				return err
			}
			in := e.stdin
			if file != "" && file != "-" {
				f, err := os.Open(file)
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			return runWrite(cmd.Context(), r, stream, key, in)
		},
	}
	r.addFlags(cmd, false)
	cmd.Flags().StringVar(&key, "key", "", "routing key for every event (default: spread over segments)")
	cmd.Flags().StringVar(&file, "file", "", "read lines from this file instead of standard input (- is standard input)")
	return cmd
}

func runWrite(ctx context.Context, r *remote, stream, key string, in io.Reader) (err error) {
	c, err := r.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	w, err := c.NewWriter(ctx, stream)
	if err != nil {
		return r.failed(ctx, "write to "+stream, err)
	}
	defer func() {
		if cerr := w.Close(ctx); cerr != nil && err == nil {
			err = r.failed(ctx, "write to "+stream, cerr)
		}
	}()

	lines := newLineReader(in, wire.DefaultMaxEventSize)
	var acks ackQueue
	for {
		line, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := acks.push(ctx, w.Write(ctx, key, line), lines.n); err != nil {
			return r.failed(ctx, "write to "+stream, err)
		}
	}
	if err := acks.drain(ctx); err != nil {
		return r.failed(ctx, "write to "+stream, err)
	}
	if err := w.Flush(ctx); err != nil {
		return r.failed(ctx, "write to "+stream, err)
	}
	return nil
}

// ackQueue holds the acknowledgements still to check, oldest first, at most
// maxPendingAcks of them.
type ackQueue struct {
	q []pendingAck
}

type pendingAck struct {
	ack  braid.Ack
	line int64
}

// push adds ack, then checks every acknowledgement that is done from the
// front, waiting on the oldest only if the queue is full. It returns the
// first failure, naming its input line.
func (a *ackQueue) push(ctx context.Context, ack braid.Ack, line int64) error {
	a.q = append(a.q, pendingAck{ack: ack, line: line})
	for len(a.q) > 0 {
		p := a.q[0]
		if len(a.q) <= maxPendingAcks {
			select {
			case <-p.ack.Done():
			default:
				return nil
			}
		}
		if _, err := p.ack.Wait(ctx); err != nil {
			return fmt.Errorf("line %d: %s", p.line, message(err))
		}
		a.q = a.q[1:]
	}
	a.q = a.q[:0] // reuse the array from its start
	return nil
}

// drain waits for every acknowledgement in the queue.
func (a *ackQueue) drain(ctx context.Context) error {
	for _, p := range a.q {
		if _, err := p.ack.Wait(ctx); err != nil {
			return fmt.Errorf("line %d: %s", p.line, message(err))
		}
	}
	a.q = nil
	return nil
}

// lineReader splits input into lines of at most max bytes (not counting the
// newline), without bufio.Scanner's 64 KiB line limit.
type lineReader struct {
	br  *bufio.Reader
	max int
	buf []byte // a line longer than br's buffer is put together here
	n   int64  // number of the last line returned, from 1
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its trailing '\n', or io.EOF after the
// last one. A last line without a newline is still a line. The slice is
// valid until the next call.
func (l *lineReader) next() ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		full := errors.Is(err, bufio.ErrBufferFull)
		switch {
		case err == nil:
			chunk = chunk[:len(chunk)-1]
		case full, err == io.EOF:
		default:
			return nil, fmt.Errorf("read input: %w", err)
		}
		if len(l.buf)+len(chunk) > l.max {
			return nil, fmt.Errorf("line %d is longer than the maximum event size (%d bytes)", l.n+1, l.max)
		}
		if full {
			l.buf = append(l.buf, chunk...)
			continue
		}
		if err == io.EOF && len(chunk) == 0 && len(l.buf) == 0 {
			return nil, io.EOF
		}
		l.n++
		if len(l.buf) == 0 {
			return chunk, nil // the whole line is in br's buffer
		}
		l.buf = append(l.buf, chunk...)
		return l.buf, nil
	}
}
