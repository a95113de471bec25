package usage

import (
	"slices"
	"strings"
)

// row is one result at some grain. dims are in family dims order, "" = null
// (for batch: "true"/"false"); m holds the metrics in family metrics order.
type row struct {
	dims []string
	m    []int64
}

func comboKey(dims []string) string { return strings.Join(dims, "\x1f") }

// fullBucket returns the fine-grain rows of the aligned bucket [start,
// start+w) as if it were complete, with every revision applied.
func (s *Server) fullBucket(f *family, w width, start int64) []row {
	var combos [][]string
	if f.fixed != nil {
		combos = f.fixed(s.seed, &s.pools)
	} else {
		r := newRNG(s.seed, "bucket", f.name, w.name, itoa(start))
		seen := map[string]bool{}
		for range rowCount(r, w, f.maxRows) {
			d := f.combo(&s.pools, r)
			if k := comboKey(d); !seen[k] {
				seen[k] = true
				combos = append(combos, d)
			}
		}
	}
	rows := make([]row, 0, len(combos))
	for _, d := range combos {
		rows = append(rows, s.measureRow(f, w, start, d))
	}
	return s.applyRevisions(f, w, start, rows)
}

// measureRow gives the full-bucket metrics of one dimension combination; they
// depend only on (seed, family, width, bucket start, combination).
func (s *Server) measureRow(f *family, w width, start int64, dims []string) row {
	c := &rowCtx{
		r:    newRNG(s.seed, "row", f.name, w.name, itoa(start), comboKey(dims)),
		seed: s.seed,
		dims: dims,
		w:    w,
	}
	r := row{dims: dims, m: f.measure(c)}
	f.derive(&r)
	return r
}

// mapLeaves replaces every leaf metric v (in units of the row's step) by
// fn(v) and recomputes the derived metrics.
func (f *family) mapLeaves(r *row, fn func(units int64) int64) {
	st := f.step(r.dims)
	for i := range r.m {
		if f.isLeaf(i) {
			r.m[i] = fn(r.m[i]/st) * st
		}
	}
	f.derive(r)
}

// scale keeps the part of each row that falls in a covered slice of the
// bucket (floor), dropping rows that become all zero. Levels are not scaled.
func (f *family) scale(rows []row, covered, secs int64) []row {
	if f.level || covered >= secs {
		return rows
	}
	out := rows[:0]
	for _, r := range rows {
		f.mapLeaves(&r, func(v int64) int64 { return v * covered / secs })
		if slices.ContainsFunc(r.m, func(v int64) bool { return v != 0 }) {
			out = append(out, r)
		}
	}
	return out
}
