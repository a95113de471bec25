package usage

import (
	"math/big"
	"time"
)

// Totals is the ground truth for tests: the exact sum of every metric over the
// buckets a client gets for [start, end) at width with group_by set to every
// dimension the endpoint supports, paging through every page. Keys are the
// metric names of the JSON result ("input_tokens", "amount.value",
// "quantity", …). It returns nil for an unknown family or width.
func (s *Server) Totals(family string, width string, start, end time.Time) map[string]*big.Rat {
	f := s.byName[family]
	if f == nil {
		return nil
	}
	w, ok := f.widths[width]
	if !ok {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	req := request{from: start.Unix(), end: end.Unix(), w: w, limit: w.maxLimit, group: make([]bool, len(f.dims))}
	for i := range req.group {
		req.group[i] = true
	}
	tot := map[string]*big.Rat{}
	for _, m := range f.metrics {
		tot[m] = new(big.Rat)
	}
	for {
		p := s.page(f, req, now)
		for _, b := range p.buckets {
			for _, r := range b.rows {
				for i, m := range f.metrics {
					tot[m].Add(tot[m], f.rat(i, r.m[i]))
				}
			}
		}
		if !p.more {
			return tot
		}
		req.from = p.next
	}
}

// rat is the exact value of metric i as served.
func (f *family) rat(i int, v int64) *big.Rat {
	if f.costs {
		return costRat(i, v)
	}
	return new(big.Rat).SetInt64(v)
}
