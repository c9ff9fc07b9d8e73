package autoscale

import (
	"errors"
	"fmt"
	"time"
)

// Defaults of Options.
const (
	DefaultInterval = 10 * time.Second
	DefaultCooldown = 10 * time.Minute
)

// DefaultWindows are the rate windows of Options.Windows.
var DefaultWindows = [4]time.Duration{2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 20 * time.Minute}

// Options tune a Scaler. The zero value is the defaults.
type Options struct {
	// Interval is the time between two evaluations of Run (default 10s).
	Interval time.Duration
	// Windows are the four rate windows, shortest first (default 2m, 5m,
	// 10m, 20m). All four are set, or none.
	Windows [4]time.Duration
	// Cooldown is the least time between two scalings of one stream
	// (default 10m).
	Cooldown time.Duration
}

// withDefaults validates o and fills in the defaults.
func (o Options) withDefaults() (Options, error) {
	var errs []error
	switch {
	case o.Interval == 0:
		o.Interval = DefaultInterval
	case o.Interval < 0:
		errs = append(errs, fmt.Errorf("autoscale interval %v must be above 0", o.Interval))
	}
	switch {
	case o.Cooldown == 0:
		o.Cooldown = DefaultCooldown
	case o.Cooldown < 0:
		errs = append(errs, fmt.Errorf("autoscale cooldown %v must be above 0", o.Cooldown))
	}
	if o.Windows == ([4]time.Duration{}) {
		o.Windows = DefaultWindows
	} else {
		for i, w := range o.Windows {
			switch {
			case w <= 0:
				errs = append(errs, fmt.Errorf("autoscale window %d (%v) must be above 0 (set all four windows, or none)", i+1, w))
			case i > 0 && w <= o.Windows[i-1]:
				errs = append(errs, fmt.Errorf("autoscale window %d (%v) must be longer than window %d (%v)", i+1, w, i, o.Windows[i-1]))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return o, err
	}
	return o, nil
}

// Validate reports whether o is valid (zero fields take defaults).
func (o Options) Validate() error {
	_, err := o.withDefaults()
	return err
}
