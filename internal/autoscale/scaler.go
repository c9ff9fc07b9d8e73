package autoscale

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/braidstream/braid/internal/controller"
)

// Controller is what the scaler needs of the controller
// (*controller.Controller implements it).
type Controller interface {
	ListScopes(ctx context.Context) ([]string, error)
	ListStreams(ctx context.Context, scope string) ([]*controller.StreamRecord, error)
	Scale(ctx context.Context, scope, name string, seal []uint64, ranges []controller.KeyRange) (*controller.StreamRecord, error)
}

var _ Controller = (*controller.Controller)(nil)

// Scaler scales the streams whose policy is by event or data rate, from the
// rates its Recorder counted. See the package documentation for the rules.
type Scaler struct {
	ctrl Controller
	log  *slog.Logger
	now  func() time.Time
	opts Options
	rec  *Recorder
	m    *metrics

	mu     sync.Mutex             // serializes Evaluate
	gauged map[streamKey]struct{} // streams with a rate gauge
}

type metrics struct {
	scalings *prometheus.CounterVec
	errors   prometheus.Counter
	rate     *prometheus.GaugeVec
}

// New returns a scaler over ctrl. log may be nil (no logging), reg may be
// nil (no metrics), clock may be nil (time.Now). It fails if opts are
// invalid.
func New(ctrl Controller, log *slog.Logger, reg prometheus.Registerer, clock func() time.Time, opts Options) (*Scaler, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if clock == nil {
		clock = time.Now
	}
	s := &Scaler{ctrl: ctrl, log: log, now: clock, opts: opts, rec: newRecorder(clock, opts.Windows), gauged: map[streamKey]struct{}{}}
	s.m = &metrics{
		scalings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "braid_autoscale_scalings_total", Help: "Scalings made by the auto-scaler, by direction (up: a split, down: a merge)."}, []string{"direction"}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "braid_autoscale_errors_total", Help: "Auto-scaler evaluations or scalings that failed (conflicts with another scaling not counted)."}),
		rate: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "braid_autoscale_stream_rate", Help: "Rate of an auto-scaled stream over the shortest window (sum of its current segments), in its policy's unit (events or bytes per second)."}, []string{"scope", "stream"}),
	}
	s.m.scalings.WithLabelValues("up")
	s.m.scalings.WithLabelValues("down")
	if reg != nil {
		reg.MustRegister(s.m.scalings, s.m.errors, s.m.rate,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "braid_autoscale_tracked_segments", Help: "Segments whose rates the auto-scaler counts."},
				func() float64 { return float64(s.rec.segments()) }))
	}
	return s, nil
}

// Recorder returns the scaler's recorder, for the append path.
func (s *Scaler) Recorder() *Recorder { return s.rec }

// Options returns the options in effect (defaults filled in).
func (s *Scaler) Options() Options { return s.opts }

// Run evaluates every Options.Interval until ctx ends. Failures are logged.
func (s *Scaler) Run(ctx context.Context) {
	t := time.NewTicker(s.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := s.Evaluate(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("autoscale evaluation failed", slog.Any("err", err))
		}
	}
}

// Evaluate makes one pass: it lists the streams, tracks the active ones that
// scale automatically (and forgets the others and their sealed segments),
// and makes at most one scaling per stream. A failure with one stream does
// not stop the others; the returned error joins the failures (a conflict
// with another scaling, or a stream sealed or deleted meanwhile, is not
// one).
func (s *Scaler) Evaluate(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	scopes, err := s.ctrl.ListScopes(ctx)
	if err != nil {
		s.m.errors.Inc()
		return fmt.Errorf("autoscale: listing scopes: %w", err)
	}
	var errs []error
	var auto []*controller.StreamRecord
	complete := true
	for _, scope := range scopes {
		if err := ctx.Err(); err != nil {
			return err
		}
		recs, err := s.ctrl.ListStreams(ctx, scope)
		if errors.Is(err, controller.ErrScopeNotFound) {
			continue
		}
		if err != nil {
			s.m.errors.Inc()
			complete = false
			errs = append(errs, fmt.Errorf("autoscale: listing streams of %s: %w", scope, err))
			continue
		}
		for _, rec := range recs {
			if rec.State == controller.StateActive && rec.Config.Scaling.Auto() && len(rec.Epochs) > 0 {
				auto = append(auto, rec)
			}
		}
	}
	s.rec.sync(now, auto, complete)
	if complete {
		live := make(map[streamKey]bool, len(auto))
		for _, rec := range auto {
			live[streamKey{rec.Scope, rec.Name}] = true
		}
		for k := range s.gauged {
			if !live[k] {
				s.m.rate.DeleteLabelValues(k.scope, k.stream)
				delete(s.gauged, k)
			}
		}
	}
	for _, rec := range auto {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.evaluateStream(ctx, now, rec); err != nil {
			s.m.errors.Inc()
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// evaluateStream decides on one stream and makes the scaling.
func (s *Scaler) evaluateStream(ctx context.Context, now time.Time, rec *controller.StreamRecord) error {
	k := streamKey{rec.Scope, rec.Name}
	since, ok := s.rec.since(k)
	if !ok {
		return nil
	}
	p := rec.Config.Scaling
	bytes := p.Kind == controller.ScaleDataRate
	unit := "events"
	if bytes {
		unit = "bytes"
	}
	// A segment is made with the first epoch that holds it.
	made := map[uint64]time.Time{}
	for _, e := range rec.Epochs {
		for _, seg := range e.Segments {
			if _, ok := made[seg.ID]; !ok {
				made[seg.ID] = e.Created
			}
		}
	}
	cur := rec.Current()
	segs := make([]segView, len(cur.Segments))
	total := 0.0
	for i, seg := range cur.Segments {
		start := made[seg.ID]
		if start.Before(since) {
			start = since
		}
		segs[i] = segView{seg: seg, observed: now.Sub(start), rates: s.rec.rates(k, seg.ID, now, start, s.opts.Windows, bytes)}
		total += segs[i].rates[0]
	}
	s.m.rate.WithLabelValues(rec.Scope, rec.Name).Set(total)
	s.gauged[k] = struct{}{}

	if len(rec.Epochs) > 1 {
		if left := s.opts.Cooldown - now.Sub(cur.Created); left > 0 {
			s.log.Debug("autoscale: stream cooling down", slog.String("stream", rec.Qualified()),
				slog.Time("last_scale", cur.Created), slog.Duration("left", left))
			return nil
		}
	}
	a, ok := decide(p, segs, s.opts.Windows)
	if !ok {
		return nil
	}
	direction, verb := "down", "merging"
	if a.up {
		direction, verb = "up", "splitting"
	}
	attrs := []any{slog.String("stream", rec.Qualified()), slog.Any("segments", describe(segs, a.seal, s.opts.Windows, unit)),
		slog.String("reason", a.reason), slog.Int("epoch", int(cur.Epoch))}
	s.log.Info("autoscale: "+verb+" segments", attrs...)
	_, err := s.ctrl.Scale(ctx, rec.Scope, rec.Name, a.seal, a.ranges)
	switch {
	case err == nil:
		s.m.scalings.WithLabelValues(direction).Inc()
		return nil
	case errors.Is(err, controller.ErrScaleConflict), errors.Is(err, controller.ErrStreamSealed), errors.Is(err, controller.ErrStreamNotFound):
		s.log.Info("autoscale: scaling skipped: the stream changed meanwhile", append(attrs, slog.Any("err", err))...)
		return nil
	default:
		s.log.Warn("autoscale: scaling failed", append(attrs, slog.Any("err", err))...)
		return fmt.Errorf("autoscale: scaling %s %s: %w", rec.Qualified(), direction, err)
	}
}
