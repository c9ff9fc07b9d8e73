package engine

import (
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/braidstream/braid/internal/query/sql"
)

func roundTrip(t *testing.T, s aggState, fresh aggState) aggState {
	t.Helper()
	w := &writer{}
	s.save(w)
	r := &reader{b: w.b}
	fresh.load(r)
	if r.err != nil || len(r.b) != 0 {
		t.Fatalf("load: %v, %d bytes left", r.err, len(r.b))
	}
	return fresh
}

func TestCountDistinct(t *testing.T) {
	s := newDistinctState()
	for i := 0; i < 1000; i++ {
		s.add(numVal(float64(i%300)), 0)
		s.add(strVal(strings.Repeat("x", i%7)), 0)
	}
	s.add(numVal(math.Copysign(0, -1)), 0) // -0 is 0
	if got := s.result().n; got != 307 {
		t.Fatalf("exact count %v", got)
	}
	// Past the exact limit: a sketch, within 2.5%.
	const n = 150_000
	big := newDistinctState()
	half := newDistinctState()
	for i := 0; i < n; i++ {
		v := strVal("user-" + strconv.Itoa(i))
		big.add(v, 0)
		if i%2 == 0 {
			half.add(v, 0)
		}
	}
	if big.set != nil || half.set == nil {
		t.Fatal("the switch to a sketch did not happen where it should")
	}
	est := big.result().n
	if math.Abs(est-n)/n > 0.025 {
		t.Fatalf("estimate %v of %d", est, n)
	}
	if got := roundTrip(t, big, newDistinctState()).result().n; got != est {
		t.Fatalf("restored estimate %v, was %v", got, est)
	}
	// Merging an exact state into a sketch, and a sketch into an exact
	// one.
	other := newDistinctState()
	for i := 0; i < n; i++ {
		if i%2 == 1 {
			other.add(strVal("user-"+strconv.Itoa(i)), 0)
		}
	}
	other.merge(half)
	if other.result().n != est {
		t.Fatalf("merged estimate %v, want %v (the same registers)", other.result().n, est)
	}
}

func TestApproxPercentile(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	dists := map[string]func() float64{
		"uniform":   func() float64 { return rng.Float64() * 100 },
		"normal":    func() float64 { return rng.NormFloat64()*10 + 3 },
		"exp":       func() float64 { return rng.ExpFloat64() * 1000 },
		"integers":  func() float64 { return float64(rng.IntN(5) - 2) },
		"lognormal": func() float64 { return math.Exp(rng.NormFloat64() * 5) },
	}
	for name, gen := range dists {
		for _, p := range []float64{0, 0.01, 0.25, 0.5, 0.9, 0.99, 1} {
			s := &percentileState{p: p}
			a, b := &percentileState{p: p}, &percentileState{p: p}
			var vals []float64
			for i := 0; i < 5000; i++ {
				v := gen()
				vals = append(vals, v)
				s.add(numVal(v), 0)
				if i%3 == 0 {
					a.add(numVal(v), 0)
				} else {
					b.add(numVal(v), 0)
				}
			}
			slices.Sort(vals)
			exact := vals[int(math.Floor(p*float64(len(vals)-1)))]
			got := s.result().n
			if math.Abs(got-exact) > 0.01*math.Abs(exact)+1e-9 {
				t.Errorf("%s p%v: %v, exact %v", name, p, got, exact)
			}
			a.merge(b)
			if a.result() != s.result() {
				t.Errorf("%s p%v: merged %v, sequential %v", name, p, a.result(), s.result())
			}
			if r := roundTrip(t, s, &percentileState{p: p}).result(); r != s.result() {
				t.Errorf("%s p%v: restored %v, was %v", name, p, r, s.result())
			}
		}
	}
	// Bounded: values over 600 orders of magnitude collapse the lowest
	// buckets; the high quantiles keep their bound.
	s := &percentileState{p: 0.99}
	var vals []float64
	for i := 0; i < 20000; i++ {
		v := math.Pow(10, rng.Float64()*600-300)
		vals = append(vals, v)
		s.add(numVal(v), 0)
	}
	if len(s.pos.counts) > maxBuckets || !s.pos.collapsed {
		t.Fatalf("%d buckets", len(s.pos.counts))
	}
	slices.Sort(vals)
	exact := vals[int(0.99*float64(len(vals)-1))]
	if got := s.result().n; math.Abs(got-exact) > 0.01*exact {
		t.Errorf("wide p99: %v, exact %v", got, exact)
	}
}

func TestStddevAndMerges(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	whole := &stddevState{}
	parts := []*stddevState{{}, {}, {}}
	var xs []float64
	for i := 0; i < 1000; i++ {
		x := rng.NormFloat64()*3 + 1e6
		xs = append(xs, x)
		whole.add(numVal(x), 0)
		parts[i%3].add(numVal(x), 0)
	}
	parts[0].merge(parts[1])
	parts[0].merge(parts[2])
	var mean, ss float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	want := math.Sqrt(ss / float64(len(xs)-1))
	for _, s := range []*stddevState{whole, parts[0]} {
		if got := s.result().n; math.Abs(got-want) > 1e-9*want {
			t.Errorf("stddev %v, want %v", got, want)
		}
	}
	one := &stddevState{}
	one.add(numVal(2), 0)
	if one.result().k != kNull {
		t.Error("stddev of one value")
	}
	// first and last merge by processing order.
	f1, f2 := &firstLastState{}, &firstLastState{}
	l1, l2 := &firstLastState{last: true}, &firstLastState{last: true}
	f1.add(numVal(5), 5)
	l1.add(numVal(5), 5)
	f2.add(numVal(3), 3)
	l2.add(numVal(3), 3)
	l2.add(numVal(9), 9)
	f1.merge(f2)
	l1.merge(l2)
	if f1.result().n != 3 || l1.result().n != 9 {
		t.Errorf("first %v last %v", f1.result(), l1.result())
	}
}

// likeRegexp is LIKE by the regexp package, as a reference.
func likeRegexp(s, p string) bool {
	var b strings.Builder
	b.WriteString("^(?s:")
	for _, r := range p {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(")$")
	return regexp.MustCompile(b.String()).MatchString(s)
}

func TestLike(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	alpha := []string{"a", "b", "é", "%", "_"}
	pick := func(n int, chars []string) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(chars[rng.IntN(len(chars))])
		}
		return b.String()
	}
	for i := 0; i < 20000; i++ {
		s := pick(rng.IntN(8), alpha[:3])
		p := pick(rng.IntN(6), alpha)
		if got, want := likeMatch(s, p), likeRegexp(s, p); got != want {
			t.Fatalf("%q LIKE %q: %v, want %v", s, p, got, want)
		}
	}
}

// TestCatalog: the engine implements exactly the sql catalog's functions.
func TestCatalog(t *testing.T) {
	n := 0
	for _, f := range sql.Funcs() {
		_, scalar := scalars[f.Name]
		scalar = scalar || f.Name == "coalesce"
		if f.Aggregate != isAggregate(f.Name) || !f.Aggregate && !scalar {
			t.Errorf("catalog function %s (aggregate %v) is not implemented as such", f.Name, f.Aggregate)
		}
		n++
	}
	if extra := len(scalars) + 1 + len(aggKinds) - n; extra != 0 {
		t.Errorf("the engine has %d functions the catalog does not list", extra)
	}
}
