package queryjob

import "time"

// rateWindow is the span rates are measured over.
const rateWindow = 10 * time.Second

// rates keeps a query's counters over the last rateWindow, one sample per
// publish, for its input and output rates and its share of refused events.
type rates struct {
	samples []sample
}

type sample struct {
	at               time.Time
	in, out, refused int64
}

func (r *rates) add(at time.Time, in, out, refused int64) {
	r.samples = append(r.samples, sample{at, in, out, refused})
	i := 0
	for i < len(r.samples)-1 && at.Sub(r.samples[i+1].at) >= rateWindow {
		i++
	}
	r.samples = r.samples[i:]
}

// over returns the input and output events per second, and the input and
// refused events, over the samples kept.
func (r *rates) over() (inRate, outRate float64, in, refused int64) {
	if len(r.samples) < 2 {
		return 0, 0, 0, 0
	}
	a, b := r.samples[0], r.samples[len(r.samples)-1]
	dt := b.at.Sub(a.at).Seconds()
	if dt <= 0 {
		return 0, 0, 0, 0
	}
	return float64(b.in-a.in) / dt, float64(b.out-a.out) / dt, b.in - a.in, b.refused - a.refused
}
