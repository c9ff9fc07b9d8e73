package dashboard

import "math"

// RingPoints is how many samples every series keeps: one hour at one
// sample a second.
const RingPoints = 3600

// ring holds a series' last RingPoints values, one per sample, NaN where
// the sample had no value. Values are float32 (4 bytes a point) except in
// wide rings, which hold float64 (8 bytes a point) for values such as unix
// times that float32 cannot carry to the second.
type ring struct {
	f32 []float32
	f64 []float64
}

func newRing(wide bool) *ring {
	r := &ring{}
	if wide {
		r.f64 = make([]float64, RingPoints)
		for i := range r.f64 {
			r.f64[i] = math.NaN()
		}
	} else {
		r.f32 = make([]float32, RingPoints)
		nan := float32(math.NaN())
		for i := range r.f32 {
			r.f32[i] = nan
		}
	}
	return r
}

// set stores v (NaN: no value) in slot i.
func (r *ring) set(i int, v float64) {
	if r.f64 != nil {
		r.f64[i] = v
	} else {
		r.f32[i] = float32(v)
	}
}

// at is the value in slot i (NaN: none).
func (r *ring) at(i int) float64 {
	if r.f64 != nil {
		return r.f64[i]
	}
	return float64(r.f32[i])
}

// empty says whether no slot holds a value.
func (r *ring) empty() bool {
	for i := range RingPoints {
		if !math.IsNaN(r.at(i)) {
			return false
		}
	}
	return true
}

// bytes is the memory the ring's values take.
func (r *ring) bytes() int { return len(r.f32)*4 + len(r.f64)*8 }
