package controller

import (
	"errors"
	"fmt"
)

// Scaling policy kinds.
const (
	ScaleFixed     = "fixed"
	ScaleEventRate = "events"
	ScaleDataRate  = "bytes"
)

// Scaling is a stream's auto-scaling policy: a segment whose rate stays
// above Target (events or bytes per second) is split into up to
// ScaleFactor segments; neighbouring segments whose rates stay below it are
// merged, never below MinSegments segments.
type Scaling struct {
	Kind        string `json:"kind"`
	Target      int64  `json:"target,omitempty"`
	ScaleFactor int    `json:"factor,omitempty"`
	MinSegments int    `json:"min,omitempty"`
}

// Validate checks the policy and fills in defaults.
func (p *Scaling) Validate() error {
	switch p.Kind {
	case "", ScaleFixed:
		p.Kind = ScaleFixed
		return nil
	case ScaleEventRate, ScaleDataRate:
	default:
		return invalid(fmt.Errorf("unknown scaling policy %q (want fixed, events or bytes)", p.Kind))
	}
	var errs []error
	if p.Target <= 0 {
		errs = append(errs, fmt.Errorf("scaling target %d must be above 0", p.Target))
	}
	if p.ScaleFactor == 0 {
		p.ScaleFactor = 2
	}
	if p.ScaleFactor < 2 || p.ScaleFactor > MaxSplit {
		errs = append(errs, fmt.Errorf("scale factor %d out of range 2..%d", p.ScaleFactor, MaxSplit))
	}
	if p.MinSegments == 0 {
		p.MinSegments = 1
	}
	if p.MinSegments < 1 || p.MinSegments > MaxSegments {
		errs = append(errs, fmt.Errorf("minimum segments %d out of range 1..%d", p.MinSegments, MaxSegments))
	}
	if err := errors.Join(errs...); err != nil {
		return invalid(err)
	}
	return nil
}

// Auto reports whether the policy scales automatically.
func (p *Scaling) Auto() bool {
	return p != nil && (p.Kind == ScaleEventRate || p.Kind == ScaleDataRate)
}

func (p *Scaling) String() string {
	switch {
	case !p.Auto():
		return "fixed"
	case p.Kind == ScaleEventRate:
		return fmt.Sprintf("by event rate: %d events/s per segment, split factor %d, at least %d segments", p.Target, p.ScaleFactor, p.MinSegments)
	default:
		return fmt.Sprintf("by data rate: %d bytes/s per segment, split factor %d, at least %d segments", p.Target, p.ScaleFactor, p.MinSegments)
	}
}
