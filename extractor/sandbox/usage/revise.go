package usage

import (
	"math"
	"strconv"
)

// revision is one call to Revise: buckets whose aligned start is in
// [from, to) are revised.
type revision struct {
	seq      int
	from, to int64
	factor   float64
}

// Revise revises every bucket (all widths, every family) that starts within
// the last lastDays days before Clock(), like OpenAI finalising recent
// buckets: every metric of every result is multiplied by factor (rounded),
// and, chosen per bucket, a third of them gain one new result (a dimension
// combination the bucket lacked) and a third lose one. Revisions stack in
// call order.
func (s *Server) Revise(lastDays int, factor float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.revisions = append(s.revisions, revision{
		seq:    len(s.revisions) + 1,
		from:   now - int64(lastDays)*86400,
		to:     now,
		factor: factor,
	})
}

// applyRevisions overlays the revisions that cover the bucket at start.
func (s *Server) applyRevisions(f *family, w width, start int64, rows []row) []row {
	for _, rv := range s.revisions {
		if start < rv.from || start >= rv.to {
			continue
		}
		for i := range rows {
			f.mapLeaves(&rows[i], func(v int64) int64 { return int64(math.Round(float64(v) * rv.factor)) })
		}
		r := newRNG(s.seed, "revise", strconv.Itoa(rv.seq), f.name, w.name, itoa(start))
		switch r.intn(3) {
		case 0:
			if d := s.newCombo(f, r, rows); d != nil {
				rows = append(rows, s.measureRow(f, w, start, d))
			}
		case 1:
			if len(rows) > 0 {
				i := r.intn(len(rows))
				rows = append(rows[:i], rows[i+1:]...)
			}
		}
	}
	return rows
}

// newCombo draws a dimension combination that rows lack, or nil.
func (s *Server) newCombo(f *family, r *rng, rows []row) []string {
	have := map[string]bool{}
	for _, x := range rows {
		have[comboKey(x.dims)] = true
	}
	for range 20 {
		if d := f.combo(&s.pools, r); !have[comboKey(d)] {
			return d
		}
	}
	return nil
}
