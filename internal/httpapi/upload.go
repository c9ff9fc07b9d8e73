package httpapi

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/braidstream/braid/wire"
)

// splitMode is how an uploaded file becomes events.
type splitMode struct {
	kind  string // lines, bytes, length-prefixed, whole
	chunk int    // bytes per event for kind "bytes"
}

func (a *API) parseSplit(v string) (splitMode, error) {
	switch {
	case v == "" || v == "lines":
		return splitMode{kind: "lines"}, nil
	case v == "whole" || v == "length-prefixed":
		return splitMode{kind: v}, nil
	case strings.HasPrefix(v, "bytes:"):
		n, err := strconv.Atoi(strings.TrimPrefix(v, "bytes:"))
		if err != nil || n < 1 || n > a.limits.MaxEventBytes {
			return splitMode{}, badRequest("split %q: N in bytes:N must be a number from 1 to the maximum event size %d", v, a.limits.MaxEventBytes)
		}
		return splitMode{kind: "bytes", chunk: n}, nil
	}
	return splitMode{}, badRequest("split %q: want lines, bytes:N, length-prefixed or whole", v)
}

// uploadFile serves PUT .../file: it streams the body into events.
func (a *API) uploadFile(w http.ResponseWriter, r *http.Request) error {
	mode, err := a.parseSplit(r.URL.Query().Get("split"))
	if err != nil {
		return err
	}
	key, hasKey := r.URL.Query().Get("key"), r.URL.Query().Has("key")
	var (
		dups        int
		first, last appendResult
		lastIdx     int64 = -1
	)
	ctx, cancel := a.requestCtx(r.Context())
	defer cancel()
	s, err := a.openSession(ctx, r, func(i int64, res appendResult) {
		if res.Duplicate {
			dups++
		}
		if i == 0 {
			first = res
		}
		if i > lastIdx {
			lastIdx, last = i, res
		}
	})
	if err != nil {
		return err
	}
	if a.limits.MaxFileBytes > 0 {
		r.Body = http.MaxBytesReader(w, r.Body, a.limits.MaxFileBytes)
	}
	var total int64
	add := func(p []byte) error {
		total += int64(len(p))
		return s.Add(hasKey, key, p)
	}
	body, stopBody := a.bodyReader(ctx, w, r)
	defer stopBody()
	if err := a.splitBody(body, mode, add); err != nil {
		s.abort(err)
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	out := struct {
		Events     int64   `json:"events"`
		Bytes      int64   `json:"bytes"`
		Duplicates int     `json:"duplicates"`
		First      *string `json:"first"`
		Last       *string `json:"last"`
	}{Events: s.next, Bytes: total, Duplicates: dups}
	if s.next > 0 {
		out.First, out.Last = resultJSON(first).Pointer, resultJSON(last).Pointer
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// splitBody reads body and calls add with each event's payload (the slice
// is reused after add returns).
func (a *API) splitBody(body io.Reader, mode splitMode, add func([]byte) error) error {
	max := a.limits.MaxEventBytes
	switch mode.kind {
	case "whole":
		p, err := a.readEvent(body, "split=whole: the file")
		if err != nil {
			return err
		}
		return add(p)
	case "bytes":
		buf := make([]byte, mode.chunk)
		for {
			n, err := fill(body, buf)
			if err != nil && !errors.Is(err, io.EOF) {
				return err // a broken body: its last piece is not an event
			}
			if n > 0 {
				if err := add(buf[:n]); err != nil {
					return err
				}
			}
			if err != nil {
				return nil
			}
		}
	case "length-prefixed":
		br := bufio.NewReaderSize(body, 1<<20)
		var hdr [4]byte
		var buf []byte
		for off, i := int64(0), 0; ; i++ {
			n, err := fill(br, hdr[:])
			switch {
			case errors.Is(err, io.EOF) && n == 0:
				return nil
			case errors.Is(err, io.EOF):
				return badRequest("split=length-prefixed: the file ends inside the length of event %d, at byte %d", i, off+int64(n))
			case err != nil:
				return err
			}
			size := binary.BigEndian.Uint32(hdr[:])
			if size > uint32(max) {
				return errorf(wire.CodeEventTooLarge, "split=length-prefixed: event %d at byte %d is %d bytes, over the maximum event size of %d", i, off, size, max)
			}
			if cap(buf) < int(size) {
				buf = make([]byte, size)
			}
			if _, err := fill(br, buf[:size]); err != nil {
				if errors.Is(err, io.EOF) {
					return badRequest("split=length-prefixed: the file ends inside event %d (%d bytes, starting at byte %d)", i, size, off+4)
				}
				return err
			}
			if err := add(buf[:size]); err != nil {
				return err
			}
			off += 4 + int64(size)
		}
	default: // lines
		br := bufio.NewReaderSize(body, min(max+1, 1<<20))
		var long []byte // a line longer than br's buffer
		for line := 1; ; {
			b, err := br.ReadSlice('\n')
			if errors.Is(err, bufio.ErrBufferFull) {
				if len(long)+len(b) > max {
					return errorf(wire.CodeEventTooLarge, "split=lines: line %d is longer than the maximum event size of %d bytes", line, max)
				}
				long = append(long, b...)
				continue
			}
			if long != nil {
				b = append(long, b...)
				long = nil
			}
			if len(b) > max {
				return errorf(wire.CodeEventTooLarge, "split=lines: line %d is longer than the maximum event size of %d bytes", line, max)
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("reading the upload: %w", err) // its last line may be cut
			}
			if len(b) > 0 {
				if aerr := add(b); aerr != nil {
					return aerr
				}
				line++
			}
			if err != nil { // io.EOF
				return nil
			}
		}
	}
}

// fill reads into buf until it is full or the reader ends. Unlike
// io.ReadFull it keeps a clean end (io.EOF, possibly after a partial
// buffer) apart from a broken one (any other error, such as the
// io.ErrUnexpectedEOF of a body cut short of its Content-Length): the
// partial piece of a broken body must not become an event.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
