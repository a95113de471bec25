package usage

import (
	"testing"
	"time"
)

func TestTotalsEqualPageWalk(t *testing.T) {
	s := newTestServer()
	for _, fam := range Families() {
		for _, width := range widthsOf(fam) {
			start, end := testWindow(width)
			q := window(start, end, width)
			q["group_by"] = allDims(s, fam)
			got := sumBuckets(t, s, fam, walk(t, s, fam, q)) // default limit: many pages
			want := s.Totals(fam, width, start, end)
			if !equalTotals(got, want) {
				t.Errorf("%s %s: page walk %v, Totals %v", fam, width, got, want)
			}
			if fam != "vector_stores" && want[s.byName[fam].metrics[0]].Sign() == 0 {
				t.Errorf("%s %s: no usage at all in the window", fam, width)
			}
		}
	}
}

func TestTotalsThreeDaysOfMinutes(t *testing.T) {
	s := newTestServer()
	start, end := testNow.Add(-day(3)).Truncate(time.Minute), testNow
	q := window(start, end, "1m")
	q["group_by"] = allDims(s, "completions")
	q.Set("limit", "1440")
	buckets := walk(t, s, "completions", q)
	if len(buckets) != 3*1440+1 {
		t.Errorf("%d minute buckets", len(buckets))
	}
	if got, want := sumBuckets(t, s, "completions", buckets), s.Totals("completions", "1m", start, end); !equalTotals(got, want) {
		t.Errorf("page walk %v, Totals %v", got, want)
	}
}

func TestTotalsUnknown(t *testing.T) {
	s := newTestServer()
	if s.Totals("nope", "1d", testNow.Add(-day(1)), testNow) != nil {
		t.Error("unknown family")
	}
	if s.Totals("costs", "1h", testNow.Add(-day(1)), testNow) != nil {
		t.Error("costs has no 1h buckets")
	}
	if len(Families()) != 11 || Families()[0] != "completions" || Families()[10] != "costs" {
		t.Errorf("Families() = %v", Families())
	}
}
