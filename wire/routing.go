package wire

import "github.com/cespare/xxhash/v2"

// KeyPoint maps a routing key to its point in the key space [0, 1): the top
// 53 bits of the key's 64-bit xxHash (XXH64, seed 0) divided by 2^53.
//
// This mapping is part of the stored format and must never change: it
// decides which segment holds a key's events, and so the order in which a
// key's events are read across segments written at different times.
func KeyPoint(routingKey string) float64 {
	return float64(xxhash.Sum64String(routingKey)>>11) / (1 << 53)
}

// KeyRange is the half-open part [Low, High) of the key space [0, 1) that a
// segment owns. A range with High == 1 reaches the top of the key space, and
// since every key point is below 1 it holds every point from Low up.
type KeyRange struct {
	Low, High float64
}

// Contains reports whether the key point p lies in the range:
// Low <= p < High.
func (r KeyRange) Contains(p float64) bool {
	return r.Low <= p && p < r.High
}
