package usage

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestReviseChangesOnlyRecentBuckets(t *testing.T) {
	s := newTestServer()
	cut := testNow.Add(-day(3)).Unix()
	type snap map[int64][]byte // bucket start → results JSON
	take := func(fam, width string) snap {
		start, end := testWindow(width)
		if width == "1m" {
			start = testNow.Add(-day(3) - 2*time.Hour)
		}
		q := window(start, end, width)
		q["group_by"] = allDims(s, fam)
		out := snap{}
		for _, b := range walk(t, s, fam, q) {
			out[b.StartTime], _ = json.Marshal(b.Results)
		}
		return out
	}
	before := map[string]snap{}
	for _, fam := range Families() {
		for _, width := range widthsOf(fam) {
			before[fam+" "+width] = take(fam, width)
		}
	}
	totalsBefore := s.Totals("completions", "1d", testNow.Add(-day(2)), testNow)
	s.Revise(3, 1.5)

	changedAll, rowsAdded, rowsDropped := 0, 0, 0
	for _, fam := range Families() {
		for _, width := range widthsOf(fam) {
			b, a := before[fam+" "+width], take(fam, width)
			changed := 0
			for start, old := range b {
				secs := s.byName[fam].widths[width].secs
				recent := floorTo(start, secs) >= cut
				same := bytes.Equal(old, a[start])
				if !recent && !same {
					t.Fatalf("%s %s: bucket %d before the revision window changed", fam, width, start)
				}
				if recent && !same {
					changed++
					var o, n []any
					json.Unmarshal(old, &o)
					json.Unmarshal(a[start], &n)
					switch {
					case len(n) > len(o):
						rowsAdded++
					case len(n) < len(o):
						rowsDropped++
					}
				}
			}
			if changed == 0 {
				t.Errorf("%s %s: no recent bucket changed", fam, width)
			}
			changedAll += changed
		}
	}
	if rowsAdded == 0 || rowsDropped == 0 {
		t.Errorf("revisions added rows to %d buckets and dropped from %d", rowsAdded, rowsDropped)
	}
	if equalTotals(totalsBefore, s.Totals("completions", "1d", testNow.Add(-day(2)), testNow)) {
		t.Error("Totals did not change")
	}
	older := s.Totals("costs", "1d", testNow.Add(-day(30)), testNow.Add(-day(4)))
	fresh := newTestServer().Totals("costs", "1d", testNow.Add(-day(30)), testNow.Add(-day(4)))
	if !equalTotals(older, fresh) {
		t.Error("old costs changed")
	}
}
