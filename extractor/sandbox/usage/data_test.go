package usage

import (
	"bytes"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestDeterministic(t *testing.T) {
	a, b := newTestServer(), newTestServer()
	other := testOptions()
	other.Seed++
	c := New(other)
	for _, fam := range Families() {
		start, end := testWindow("1d")
		q := window(start, end, "1d")
		q["group_by"] = allDims(a, fam)
		q.Set("limit", "31")
		_, ba := do(t, a, familyPath(a, fam), q)
		_, bb := do(t, b, familyPath(b, fam), q)
		_, bc := do(t, c, familyPath(c, fam), q)
		if !bytes.Equal(ba, bb) {
			t.Errorf("%s: same seed, different bodies", fam)
		}
		if bytes.Equal(ba, bc) {
			t.Errorf("%s: different seeds, same body", fam)
		}
	}
}

func TestGroupByAggregatesConsistently(t *testing.T) {
	s := newTestServer()
	for _, fam := range Families() {
		dims := allDims(s, fam)
		for _, width := range widthsOf(fam) {
			start, end := testWindow(width)
			q := window(start, end, width)
			q.Set("limit", itoa(int64(s.byName[fam].widths[width].maxLimit)))
			fq := cloneValues(q)
			fq["group_by"] = dims
			fine := walk(t, s, fam, fq)
			want := sumBuckets(t, s, fam, fine)

			groupings := [][]string{nil}
			for _, d := range dims {
				groupings = append(groupings, []string{d})
			}
			for _, g := range groupings {
				gq := cloneValues(q)
				gq["group_by"] = g
				buckets := walk(t, s, fam, gq)
				if len(buckets) != len(fine) {
					t.Fatalf("%s %s group_by=%v: %d buckets, %d at fine grain", fam, width, g, len(buckets), len(fine))
				}
				got := sumBuckets(t, s, fam, buckets)
				for m, v := range want {
					if m == "quantity" && !slices.Contains(g, "line_item") {
						continue // served per line item only
					}
					if got[m].Cmp(v) != 0 {
						t.Errorf("%s %s group_by=%v: %s = %v, fine grain %v", fam, width, g, m, got[m], v)
					}
				}
				for i, b := range buckets {
					if g == nil && len(b.Results) > 1 {
						t.Fatalf("%s %s: %d ungrouped results in one bucket", fam, width, len(b.Results))
					}
					if (len(b.Results) == 0) != (len(fine[i].Results) == 0) {
						t.Fatalf("%s %s group_by=%v: bucket %d empty at one grain only", fam, width, g, i)
					}
				}
				checkNulls(t, fam, g, buckets)
			}
			checkNulls(t, fam, dims, fine)
		}
	}
}

// checkNulls: dimensions not grouped on are null; grouped ones are set
// (costs api_key_id may be null: storage is not billed per key).
func checkNulls(t *testing.T, fam string, group []string, buckets []testBucket) {
	t.Helper()
	for _, b := range buckets {
		for _, r := range b.Results {
			for _, d := range dimNamesOf(fam) {
				grouped := slices.Contains(group, d)
				if !grouped && r[d] != nil {
					t.Fatalf("%s group_by=%v: %s = %v, want null", fam, group, d, r[d])
				}
				if grouped && r[d] == nil && (fam != "costs" || d != "api_key_id") {
					t.Fatalf("%s group_by=%v: %s is null", fam, group, d)
				}
			}
		}
	}
}

func dimNamesOf(fam string) []string {
	for _, f := range allFamilies() {
		if f.name == fam {
			return dimNames(f)
		}
	}
	return nil
}

func TestArrayEncodings(t *testing.T) {
	s := newTestServer()
	base := "start_time=" + itoa(testNow.Add(-day(9)).Unix()) + "&limit=10"
	variants := []string{
		"&group_by=project_id&group_by=model&project_ids=proj_alpha&project_ids=proj_beta",
		"&group_by[]=project_id&group_by[]=model&project_ids[]=proj_alpha&project_ids[]=proj_beta",
		"&group_by=project_id,model&project_ids=proj_alpha,proj_beta",
		"&group_by=model&group_by[]=project_id&project_ids=proj_beta&project_ids[]=proj_alpha",
	}
	var first []byte
	for i, v := range variants {
		q, err := url.ParseQuery(base + v)
		if err != nil {
			t.Fatal(err)
		}
		code, body := do(t, s, familyPath(s, "completions"), q)
		if code != http.StatusOK {
			t.Fatalf("%s: %d %s", v, code, body)
		}
		if i == 0 {
			first = body
		} else if !bytes.Equal(first, body) {
			t.Errorf("%s differs from %s", v, variants[0])
		}
	}
	if !strings.Contains(string(first), `"project_id":"proj_alpha"`) || strings.Contains(string(first), "proj_gamma") {
		t.Errorf("filter not applied: %.300s", first)
	}
}

func TestFiltersPartitionTheTotals(t *testing.T) {
	s := newTestServer()
	for _, fam := range Families() {
		start, end := testWindow("1d")
		q := window(start, end, "1d")
		q.Set("limit", "31")
		want := sumBuckets(t, s, fam, walk(t, s, fam, q))
		parts := map[string]*big.Rat{}
		for _, p := range testOptions().ProjectIDs {
			fq := cloneValues(q)
			fq.Set("project_ids", p)
			fq.Set("group_by", "project_id")
			buckets := walk(t, s, fam, fq)
			for _, b := range buckets {
				for _, r := range b.Results {
					if r["project_id"] != p {
						t.Fatalf("%s project_ids=%s: got %v", fam, p, r["project_id"])
					}
				}
			}
			addAll(parts, sumBuckets(t, s, fam, buckets))
		}
		for m, v := range want {
			if fam == "costs" && m == "quantity" {
				continue
			}
			if parts[m].Cmp(v) != 0 {
				t.Errorf("%s %s: per-project sum %v, total %v", fam, m, parts[m], v)
			}
		}
	}
	// batch=true and batch=false partition completions.
	q := window(testNow.Add(-day(5)), testNow, "1h")
	q.Set("limit", "168")
	want := sumBuckets(t, s, "completions", walk(t, s, "completions", q))
	parts := map[string]*big.Rat{}
	for _, b := range []string{"true", "false"} {
		bq := cloneValues(q)
		bq.Set("batch", b)
		addAll(parts, sumBuckets(t, s, "completions", walk(t, s, "completions", bq)))
	}
	for m, v := range want {
		if parts[m].Cmp(v) != 0 {
			t.Errorf("completions %s: batch parts %v, total %v", m, parts[m], v)
		}
	}
}

func TestCompletionsTokenDetailsAddUp(t *testing.T) {
	s := newTestServer()
	start, end := testWindow("1h")
	q := window(start, end, "1h")
	q["group_by"] = allDims(s, "completions")
	q.Set("limit", "168")
	n := 0
	for _, b := range walk(t, s, "completions", q) {
		for _, r := range b.Results {
			v := func(k string) int64 { x, _ := r[k].(interface{ Int64() (int64, error) }).Int64(); return x }
			n++
			if v("input_tokens") != v("input_cached_tokens")+v("input_cache_write_tokens")+v("input_uncached_tokens") ||
				v("input_uncached_tokens") != v("input_text_tokens")+v("input_audio_tokens")+v("input_image_tokens") ||
				v("input_cached_tokens") != v("input_cached_text_tokens")+v("input_cached_audio_tokens")+v("input_cached_image_tokens") ||
				v("output_tokens") != v("output_text_tokens")+v("output_audio_tokens")+v("output_image_tokens") {
				t.Fatalf("token details do not add up: %v", r)
			}
			for k, x := range r {
				if strings.HasSuffix(k, "_tokens") && v(k) < 0 {
					t.Fatalf("%s = %v", k, x)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no results")
	}
}
