package segstore

import (
	"slices"
	"testing"
)

// TestCommitTimes: times are exact where the point after names the point
// as the commit before, 0 where commits were thinned away between, and 0
// before the first point; equal neighbours merge.
func TestCommitTimes(t *testing.T) {
	st := &segment{times: []timePoint{
		{Time: 100, Offset: 10, Prev: 0},
		{Time: 200, Offset: 30, Prev: 100}, // 100 exact
		{Time: 400, Offset: 50, Prev: 300}, // 200 not: 300 thinned
		{Time: 500, Offset: 70, Prev: 400}, // 400 exact
		{Time: 600, Offset: 90, Prev: 500}, // 500 exact; 600 last: exact
	}}
	for _, tc := range []struct {
		from, to int64
		want     []CommitTime
	}{
		{0, 100, []CommitTime{{0, 0}, {10, 100}, {30, 0}, {50, 400}, {70, 500}, {90, 600}}},
		{35, 60, []CommitTime{{35, 0}, {50, 400}}},
		{50, 51, []CommitTime{{50, 400}}},
		{95, 120, []CommitTime{{95, 600}}},
		{20, 20, nil},
	} {
		if got := commitTimes(st.times, tc.from, tc.to); !slices.Equal(got, tc.want) {
			t.Errorf("[%d, %d): %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
}
