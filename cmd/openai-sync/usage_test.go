package main

import (
	"encoding/json"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/extractor/sandbox"
)

func bucketStreams() []*extractor.Stream {
	var out []*extractor.Stream
	for _, s := range extractor.DefaultCatalog() {
		if s.Mode == extractor.Buckets {
			out = append(out, s)
		}
	}
	return out
}

func familyOf(s *extractor.Stream) string {
	if s.Name == "costs" {
		return "costs"
	}
	return strings.TrimPrefix(s.Name, "usage_")
}

// assertTotalsEqualServer compares every metric's sum in the table with the
// server's exact total over the window a run reads from since (floored) to
// the end of the current bucket, at the width (costs: always 1d).
func assertTotalsEqualServer(t *testing.T, h *harness, dbPath, width string, since time.Time) {
	t.Helper()
	db := openDB(t, dbPath)
	defer db.Close()
	for _, s := range bucketStreams() {
		w := width
		if s.Name == "costs" {
			w = "1d"
		}
		start, end := window(w, time.Since(since))
		totals := h.sb.Usage().Totals(familyOf(s), w, start, end)
		if len(totals) == 0 {
			t.Fatalf("%s: the server has no totals", s.Name)
		}
		for metric, want := range totals {
			col := strings.ReplaceAll(metric, ".", "_")
			if _, ok := s.Table.Column(col); !ok {
				t.Errorf("%s: metric %s has no column", s.Name, metric)
				continue
			}
			var got string
			q := "SELECT coalesce(sum(" + col + "), 0)::VARCHAR FROM openai." + s.Name + " WHERE bucket_width = ?"
			if err := db.QueryRow(q, w).Scan(&got); err != nil {
				t.Fatal(err)
			}
			g, ok := new(big.Rat).SetString(got)
			if !ok || g.Cmp(want) != 0 {
				t.Errorf("%s.%s (%s): table sums to %s, server to %s", s.Name, metric, w, got, want.FloatString(12))
			}
		}
		dup := queryInt(t, db, "SELECT count(*) FROM (SELECT "+strings.Join(s.Table.PrimaryKey, ", ")+
			", count(*) AS n FROM openai."+s.Name+" GROUP BY ALL HAVING n > 1)")
		if dup != 0 {
			t.Errorf("%s: %d duplicated keys", s.Name, dup)
		}
	}
}

// window is what a run started now reads at this width: from `back` ago
// floored, to the end of the current bucket.
func window(width string, back time.Duration) (time.Time, time.Time) {
	d := map[string]time.Duration{"1d": 24 * time.Hour, "1h": time.Hour, "1m": time.Minute}[width]
	now := time.Now().UTC()
	return now.Add(-back).Truncate(d), now.Truncate(d).Add(d)
}

func usageNames() string {
	var names []string
	for _, s := range bucketStreams() {
		names = append(names, s.Name)
	}
	return strings.Join(names, ",")
}

func TestUsageTotalsEqualServerAndStringAmountsSumTheSame(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	db := h.path("u.duckdb")
	h.mustRun(exitOK, "run", "--path", db, "--streams", usageNames())
	assertTotalsEqualServer(t, h, db, "1d", time.Now().Add(-extractor.DefaultBackfill))

	numeric := costSum(t, db)
	h.sb.Usage().SetStringAmounts(true)
	strDB := h.path("s.duckdb")
	h.mustRun(exitOK, "run", "--path", strDB, "--streams", "costs")
	if got := costSum(t, strDB); got != numeric {
		t.Fatalf("costs sent as strings sum to %s, as numbers to %s", got, numeric)
	}
}

func costSum(t *testing.T, path string) string {
	db := openDB(t, path)
	defer db.Close()
	var s string
	if err := db.QueryRow("SELECT sum(amount_value)::VARCHAR FROM openai.costs").Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestUsageRevisionsAndNoChangeRun(t *testing.T) {
	h := newHarness(t, sandbox.Options{})
	db := h.path("u.duckdb")
	h.mustRun(exitOK, "run", "--path", db, "--streams", usageNames())

	plan, _ := h.mustRun(exitOK, "run", "--path", db, "--streams", usageNames(), "--dry-run", "--json")
	var entries []extractor.PlanEntry
	if err := json.Unmarshal([]byte(plan), &entries); err != nil {
		t.Fatal(err)
	}
	planned := 0
	for _, e := range entries {
		planned += e.Requests
	}
	h.sb.ResetRequests()
	h.mustRun(exitOK, "run", "--path", db, "--streams", usageNames())
	if n := len(h.sb.Requests()); n != planned || n != len(bucketStreams()) {
		t.Errorf("a no-change run made %d requests; its lookback needs %d (plan), one per stream", n, planned)
	}

	h.sb.Usage().Revise(2, 1.37)
	h.mustRun(exitOK, "run", "--path", db, "--streams", usageNames())
	assertTotalsEqualServer(t, h, db, "1d", time.Now().Add(-extractor.DefaultBackfill))
}

func TestUsageFinerWidthsMatchTheirDryRun(t *testing.T) {
	for _, tc := range []struct {
		width string
		back  time.Duration
		limit string
	}{{"1h", 3 * 24 * time.Hour, "168"}, {"1m", 26 * time.Hour, "1440"}} {
		t.Run(tc.width, func(t *testing.T) {
			h := newHarness(t, sandbox.Options{})
			db := h.path("u.duckdb")
			since := time.Now().UTC().Add(-tc.back).Format(time.RFC3339)
			args := []string{"run", "--path", db, "--streams", usageNames(), "--bucket-width", tc.width, "--since", since}
			plan, _ := h.mustRun(exitOK, append(args, "--dry-run", "--json")...)
			var entries []extractor.PlanEntry
			if err := json.Unmarshal([]byte(plan), &entries); err != nil {
				t.Fatal(err)
			}
			h.sb.ResetRequests()
			h.mustRun(exitOK, args...)
			perPath := map[string]int{}
			for _, r := range h.sb.Requests() {
				perPath[r.Path]++
				q, _ := url.ParseQuery(r.RawQuery)
				want := tc.limit
				if r.Path == "/organization/costs" {
					want = "180"
				}
				if q.Get("limit") != want {
					t.Errorf("%s?%s: limit %s, want %s", r.Path, r.RawQuery, q.Get("limit"), want)
				}
			}
			for _, e := range entries {
				s, _ := extractor.DefaultCatalog().Lookup(e.Stream)
				if got := perPath[s.Path]; got != e.Requests || !e.Exact {
					t.Errorf("%s: dry run said %d requests, the run made %d", e.Stream, e.Requests, got)
				}
			}
			sinceT, _ := time.Parse(time.RFC3339, since)
			assertTotalsEqualServer(t, h, db, tc.width, sinceT)
		})
	}
}
