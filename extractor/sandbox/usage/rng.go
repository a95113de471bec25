package usage

import (
	"hash/fnv"
	"strconv"
)

// rng is a splitmix64 generator: tiny, fast and stable across Go releases, so
// the same seed gives the same organisation forever.
type rng struct{ s uint64 }

// newRNG seeds a generator from the server seed and a path of names.
func newRNG(seed int64, parts ...string) *rng {
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatInt(seed, 10)))
	for _, p := range parts {
		h.Write([]byte{0x1f})
		h.Write([]byte(p))
	}
	r := &rng{s: h.Sum64()}
	r.next()
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int64) int64 { return lo + int64(r.next()%uint64(hi-lo+1)) }

// pct reports true with probability p percent.
func (r *rng) pct(p int) bool { return r.intn(100) < p }

// pick returns an element of xs, favouring the front of the list so that a few
// projects, users and models carry most of the usage.
func (r *rng) pick(xs []string) string {
	i, j := r.intn(len(xs)), r.intn(len(xs))
	return xs[min(i, j)]
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
