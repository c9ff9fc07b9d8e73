package cli

import (
	"bufio"
	"bytes"
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

Events with the same key go to the same segment and keep their order;
without a key, events are spread over the segments. --key gives every event
one key; --key-separator SEP reads each line as KEY SEP VALUE instead (split
at the first SEP; a line without it is an error naming the line), like kcat
-K and the Kafka console producer's parse.key.

The command prints nothing unless something fails, or with --print-pointers
each event's pointer, one per line in input order (give one to "braid
fetch"). It returns only once every event is durable.`

const writeExample = `  printf 'hello\nworld\n' | braid write demo/events
  braid write demo/events --key user-42 --file events.ndjson
  printf 'user-1:paid\nuser-2:shipped\n' | braid write demo/events --key-separator :
  echo hello | braid write demo/events --print-pointers`

// maxPendingAcks bounds how many acknowledgements braid write keeps to
// check. It stops a failure (say, a deleted stream) being noticed only at
// the end of a long input, and bounds memory for tiny events.
const maxPendingAcks = 4096

func newWriteCmd(e *env) *cobra.Command {
	r := &remote{}
	var key, file, sep string
	var pointers bool
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
			if key != "" && sep != "" {
				return usagef("--key and --key-separator are exclusive: one key for every event, or one per line")
			}
			if cmd.Flags().Changed("key-separator") && sep == "" {
				return usagef("invalid --key-separator \"\": want the text between a line's key and its value, e.g. : or a tab")
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
			var print func(braid.EventPointer) error
			if pointers {
				out := bufio.NewWriter(e.stdout)
				defer out.Flush()
				print = func(p braid.EventPointer) error {
					_, err := fmt.Fprintln(out, p)
					return err
				}
			}
			return runWrite(cmd.Context(), r, stream, key, sep, in, print)
		},
	}
	r.addFlags(cmd, false)
	r.addReconnectFlag(cmd)
	cmd.Flags().StringVar(&key, "key", "", "routing key for every event (default: spread over segments)")
	cmd.Flags().StringVar(&sep, "key-separator", "", "each line is KEY SEP VALUE: split at the first SEP (kcat -K)")
	cmd.Flags().BoolVar(&pointers, "print-pointers", false, "print each event's pointer, one per line in input order")
	cmd.Flags().StringVar(&file, "file", "", "read lines from this file instead of standard input (- is standard input)")
	return cmd
}

func runWrite(ctx context.Context, r *remote, stream, key, sep string, in io.Reader, print func(braid.EventPointer) error) (err error) {
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
	acks := ackQueue{done: print}
	for {
		line, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		k := key
		if sep != "" {
			kb, value, ok := bytes.Cut(line, []byte(sep))
			if !ok {
				// What came before is written: wait for it, so that its
				// pointers are printed and the error can say so.
				if err := acks.drain(ctx); err != nil {
					return r.failed(ctx, "write to "+stream, err)
				}
				return fmt.Errorf("write to %s: line %d has no key separator %q (want KEY%sVALUE); %s before it written, none after", stream, lines.n, sep, sep, plural(int(lines.n-1), "line"))
			}
			k, line = string(kb), value
		}
		if err := acks.push(ctx, w.Write(ctx, k, line), lines.n); err != nil {
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
	q    []pendingAck
	done func(braid.EventPointer) error // if set, told of each event in order
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
		ptr, err := p.ack.Wait(ctx)
		if err != nil {
			return fmt.Errorf("line %d: %s", p.line, message(err))
		}
		if a.done != nil {
			if err := a.done(ptr); err != nil {
				return err
			}
		}
		a.q = a.q[1:]
	}
	a.q = a.q[:0] // reuse the array from its start
	return nil
}

// drain waits for every acknowledgement in the queue.
func (a *ackQueue) drain(ctx context.Context) error {
	for _, p := range a.q {
		ptr, err := p.ack.Wait(ctx)
		if err != nil {
			return fmt.Errorf("line %d: %s", p.line, message(err))
		}
		if a.done != nil {
			if err := a.done(ptr); err != nil {
				return err
			}
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
