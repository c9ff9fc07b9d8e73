package braid_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"sort"
	"time"

	"github.com/braidstream/braid"
	"github.com/braidstream/braid/internal/server"
)

// exampleServer starts an in-process braid server in a temporary directory
// and returns its gRPC address and a function that stops it. Real programs
// dial a server started with "braid serve".
func exampleServer() (addr string, stop func()) {
	dir, err := os.MkdirTemp("", "braid-example-")
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, server.Config{
		DataDir:  dir,
		GRPCAddr: "127.0.0.1:0",
		HTTPAddr: "127.0.0.1:0",
		Logger:   slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	return srv.GRPCAddr(), func() {
		cancel()
		if err := <-done; err != nil {
			log.Print(err)
		}
		os.RemoveAll(dir)
	}
}

// Write events with routing keys, then read the stream back to its current
// end. Events of one key come back in the order written.
func Example_writeRead() {
	addr, stop := exampleServer()
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	c, err := braid.Dial(ctx, addr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.CreateStream(ctx, "shop/orders", braid.StreamConfig{Segments: 4, CreateScope: true}); err != nil {
		log.Fatal(err)
	}

	w, err := c.NewWriter(ctx, "shop/orders")
	if err != nil {
		log.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		for _, customer := range []string{"alice", "bob"} {
			// Write returns at once; errors come through the Ack.
			w.Write(ctx, customer, fmt.Appendf(nil, "%s order %d", customer, i))
		}
	}
	// Close flushes: every event is durable or has failed.
	if err := w.Close(ctx); err != nil {
		log.Fatal(err)
	}

	r, err := c.NewReader(ctx, "shop/orders", braid.UntilTail())
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	perCustomer := map[string][]string{}
	for {
		ev, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		var who string
		fmt.Sscan(string(ev.Data), &who)
		perCustomer[who] = append(perCustomer[who], string(ev.Data))
	}
	for _, who := range []string{"alice", "bob"} {
		fmt.Println(perCustomer[who])
	}
	// Output:
	// [alice order 1 alice order 2 alice order 3]
	// [bob order 1 bob order 2 bob order 3]
}

// Every written event has a pointer that reads it back alone.
func ExampleClient_Fetch() {
	addr, stop := exampleServer()
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	c, err := braid.Dial(ctx, addr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.CreateStream(ctx, "docs/notes", braid.StreamConfig{CreateScope: true}); err != nil {
		log.Fatal(err)
	}
	w, err := c.NewWriter(ctx, "docs/notes")
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close(ctx)
	w.Write(ctx, "k", []byte("first note"))
	p, err := w.Write(ctx, "k", []byte("second note")).Wait(ctx)
	if err != nil {
		log.Fatal(err)
	}
	// The pointer's text can be stored anywhere and parsed back later.
	text := p.Qualified()
	fmt.Println(text)

	q, err := braid.ParsePointer(text)
	if err != nil {
		log.Fatal(err)
	}
	data, err := c.Fetch(ctx, q)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s\n", data)
	// Output:
	// docs/notes/0000000000000000-0000000000000012-00000013
	// second note
}

// A reader remembers where it is as a stream cut; a new reader started from
// that cut goes on exactly where the first one stopped.
func ExampleReader() {
	addr, stop := exampleServer()
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	c, err := braid.Dial(ctx, addr)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.CreateStream(ctx, "iot/readings", braid.StreamConfig{Segments: 2, CreateScope: true}); err != nil {
		log.Fatal(err)
	}
	w, err := c.NewWriter(ctx, "iot/readings")
	if err != nil {
		log.Fatal(err)
	}
	for i := range 6 {
		w.Write(ctx, fmt.Sprintf("sensor-%d", i%3), fmt.Appendf(nil, "reading %d", i))
	}
	if err := w.Close(ctx); err != nil {
		log.Fatal(err)
	}

	// Read two events, and keep the position (say, in a database) as text.
	r, err := c.NewReader(ctx, "iot/readings", braid.UntilTail())
	if err != nil {
		log.Fatal(err)
	}
	var got []string
	for range 2 {
		ev, err := r.Next(ctx)
		if err != nil {
			log.Fatal(err)
		}
		got = append(got, string(ev.Data))
	}
	saved := r.Position().String()
	r.Close()

	// Later: go on from the saved position to the end of the stream.
	cut, err := braid.ParseStreamCut(saved)
	if err != nil {
		log.Fatal(err)
	}
	r, err = c.NewReader(ctx, "iot/readings", braid.FromCut(cut), braid.UntilTail())
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	for {
		ev, err := r.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		got = append(got, string(ev.Data))
	}
	sort.Strings(got)
	fmt.Println(len(got), "readings, none twice:", got)
	// Output:
	// 6 readings, none twice: [reading 0 reading 1 reading 2 reading 3 reading 4 reading 5]
}
