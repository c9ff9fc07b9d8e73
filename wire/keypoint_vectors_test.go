package wire

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// keyVector is one line of testdata/keypoints.txt.
type keyVector struct {
	key   string
	hash  string // XXH64 of key, 16 hex digits
	point string // KeyPoint(key), as strconv.FormatFloat(p, 'g', -1, 64)
}

// readKeyVectors reads the routing key vectors: blank lines and lines
// starting with # are skipped; every other line is a Go-quoted key, its
// hash and its point, separated by spaces.
func readKeyVectors(t *testing.T) []keyVector {
	t.Helper()
	f, err := os.Open("testdata/keypoints.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []keyVector
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := parseKeyVector(line)
		if err != nil {
			t.Fatalf("testdata/keypoints.txt:%d: %v", n, err)
		}
		vs = append(vs, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(vs) < 4 {
		t.Fatalf("testdata/keypoints.txt: %d vectors, want at least 4", len(vs))
	}
	return vs
}

// parseKeyVector parses `"key" hash point`; the key may hold spaces.
func parseKeyVector(line string) (keyVector, error) {
	q, err := strconv.QuotedPrefix(line)
	if err != nil {
		return keyVector{}, err
	}
	key, err := strconv.Unquote(q)
	if err != nil {
		return keyVector{}, err
	}
	rest := strings.Fields(line[len(q):])
	if len(rest) != 2 {
		return keyVector{}, strconv.ErrSyntax
	}
	return keyVector{key: key, hash: rest[0], point: rest[1]}, nil
}

// TestKeyPointVectors checks KeyPoint against the published vectors: the
// hash, the point computed from it, and the point's exact text.
func TestKeyPointVectors(t *testing.T) {
	for _, v := range readKeyVectors(t) {
		h, err := strconv.ParseUint(v.hash, 16, 64)
		if err != nil || len(v.hash) != 16 {
			t.Fatalf("%q: hash %q is not 16 hex digits", v.key, v.hash)
		}
		if got := xxhash.Sum64String(v.key); got != h {
			t.Errorf("XXH64(%q) = %016x, vectors say %s", v.key, got, v.hash)
		}
		want, err := strconv.ParseFloat(v.point, 64)
		if err != nil {
			t.Fatalf("%q: point %q: %v", v.key, v.point, err)
		}
		if p := float64(h>>11) / (1 << 53); p != want {
			t.Errorf("%q: top 53 bits of %s / 2^53 = %v, vectors say %s", v.key, v.hash, p, v.point)
		}
		got := KeyPoint(v.key)
		if got != want {
			t.Errorf("KeyPoint(%q) = %v, vectors say %s", v.key, got, v.point)
		}
		if s := strconv.FormatFloat(got, 'g', -1, 64); s != v.point {
			t.Errorf("KeyPoint(%q) prints as %s, vectors say %s", v.key, s, v.point)
		}
	}
}

// TestKeyPointVectorsInProto checks that the .proto's comment quotes every
// vector as it is in testdata/keypoints.txt: a comment line "// key hash
// point", so that a client written from the .proto alone has the same
// vectors the code is tested against.
func TestKeyPointVectorsInProto(t *testing.T) {
	const proto = "../api/braid/v1/braid.proto"
	data, err := os.ReadFile(proto)
	if err != nil {
		t.Fatal(err)
	}
	quoted := map[keyVector]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		line, ok := strings.CutPrefix(strings.TrimSpace(line), "//")
		if !ok {
			continue
		}
		if v, err := parseKeyVector(strings.TrimSpace(line)); err == nil {
			quoted[v] = true
		}
	}
	for _, v := range readKeyVectors(t) {
		if !quoted[v] {
			t.Errorf("%s has no comment line %q %s %s (from testdata/keypoints.txt)", proto, v.key, v.hash, v.point)
		}
	}
}
