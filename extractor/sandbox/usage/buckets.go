package usage

import (
	"slices"
	"strings"
)

// span is one served bucket: [start, end) as shown, inside the aligned bucket
// [aligned, aligned+w); values cover [start, valEnd).
type span struct {
	aligned, start, end, valEnd int64
}

// floorTo returns the boundary at or before t.
func floorTo(t, secs int64) int64 {
	b := t / secs * secs
	if b > t {
		b -= secs
	}
	return b
}

// plan lists up to limit buckets from `from`, stopping at min(end, now): a
// bucket that would start at or after it is not served. more reports whether
// another bucket follows; next is its (aligned) start.
func plan(from, end, now, secs int64, limit int) (spans []span, more bool, next int64) {
	stop := min(end, now)
	for b := floorTo(from, secs); max(b, from) < stop; b += secs {
		if len(spans) == limit {
			return spans, true, b
		}
		start := max(b, from)
		bend := min(b+secs, end)
		spans = append(spans, span{aligned: b, start: start, end: bend, valEnd: min(bend, now)})
	}
	return spans, false, 0
}

// bucket is one served bucket with its results.
type bucket struct {
	start, end int64
	rows       []row
}

// pageOut is one page of buckets.
type pageOut struct {
	buckets []bucket
	more    bool
	next    int64
}

// page computes the page that req asks for.
func (s *Server) page(f *family, req request, now int64) pageOut {
	spans, more, next := plan(req.from, req.end, now, req.w.secs, req.limit)
	out := pageOut{buckets: make([]bucket, 0, len(spans)), more: more, next: next}
	for _, sp := range spans {
		rows := s.fullBucket(f, req.w, sp.aligned)
		rows = f.scale(rows, sp.valEnd-sp.start, req.w.secs)
		rows = f.filter(rows, req.filters)
		out.buckets = append(out.buckets, bucket{start: sp.start, end: sp.end, rows: f.aggregate(rows, req.group)})
	}
	return out
}

// filter keeps the rows whose every filtered dimension is one of the values
// asked for; a null dimension never matches.
func (f *family) filter(rows []row, filters map[int]map[string]bool) []row {
	if len(filters) == 0 {
		return rows
	}
	out := rows[:0]
	for _, r := range rows {
		ok := true
		for i, want := range filters {
			ok = ok && want[r.dims[i]]
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// aggregate sums rows by the grouped dimensions; the others become null.
// Results are sorted by their dimensions (nulls first).
func (f *family) aggregate(rows []row, group []bool) []row {
	index := map[string]int{}
	out := []row{}
	for _, r := range rows {
		dims := make([]string, len(r.dims))
		for i := range dims {
			if group[i] {
				dims[i] = r.dims[i]
			}
		}
		k := comboKey(dims)
		j, ok := index[k]
		if !ok {
			j = len(out)
			index[k] = j
			out = append(out, row{dims: dims, m: make([]int64, len(r.m))})
		}
		for i, v := range r.m {
			out[j].m[i] += v
		}
	}
	slices.SortFunc(out, func(a, b row) int { return strings.Compare(comboKey(a.dims), comboKey(b.dims)) })
	return out
}
