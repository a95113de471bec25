package sandbox

import (
	"math/rand/v2"
	"strings"
)

// Independent random streams, so that changing one volume (say Users) does not
// reshuffle unrelated data (say the audit log's ids).
const (
	rngOrg uint64 = iota + 1
	rngProjects
	rngGroups
	rngAudit
	rngRequestIDs
)

const (
	alnum     = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	hexDigits = "0123456789abcdef"
	crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// gen wraps a seeded PCG with the helpers the data builders need.
type gen struct{ r *rand.Rand }

func newGen(seed int64, stream uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(uint64(seed), stream))}
}

func (g *gen) chars(set string, n int) string {
	var b strings.Builder
	b.Grow(n)
	for range n {
		b.WriteByte(set[g.r.IntN(len(set))])
	}
	return b.String()
}

func (g *gen) alnum(n int) string { return g.chars(alnum, n) }
func (g *gen) hex(n int) string   { return g.chars(hexDigits, n) }

// ulid returns a ULID-looking suffix ("01J…"), as used by group and role ids.
func (g *gen) ulid() string { return "01J" + g.chars(crockford, 23) }

// between returns an int in [lo, hi].
func (g *gen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// sample returns k distinct indices of [0,n) in random order.
func (g *gen) sample(n, k int) []int {
	if k > n {
		k = n
	}
	return g.r.Perm(n)[:k]
}

// ptr returns a pointer to v, for nullable JSON fields.
func ptr[T any](v T) *T { return &v }

const day = int64(24 * 60 * 60)
