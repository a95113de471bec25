package usage

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

func TestPagingReturnsEveryBucketOnce(t *testing.T) {
	s := newTestServer()
	for _, fam := range Families() {
		for _, width := range widthsOf(fam) {
			start, end := testWindow(width)
			q := window(start, end, width)
			q.Set("limit", "5")
			buckets := walk(t, s, fam, q)
			secs := s.byName[fam].widths[width].secs
			if len(buckets) == 0 || buckets[0].StartTime != start.Unix() {
				t.Fatalf("%s %s: first bucket %+v, want start %d", fam, width, buckets[:min(1, len(buckets))], start.Unix())
			}
			for i, b := range buckets {
				if b.Object != "bucket" || b.EndTime <= b.StartTime || b.EndTime-b.StartTime > secs {
					t.Fatalf("%s %s: bad bucket %+v", fam, width, b)
				}
				if i > 0 && b.StartTime != buckets[i-1].EndTime {
					t.Fatalf("%s %s: bucket %d starts at %d, previous ended at %d", fam, width, i, b.StartTime, buckets[i-1].EndTime)
				}
				if i > 0 && b.StartTime%secs != 0 {
					t.Fatalf("%s %s: bucket %d not aligned: %d", fam, width, i, b.StartTime)
				}
			}
			last := buckets[len(buckets)-1]
			if now := testNow.Unix(); last.StartTime > now || last.EndTime <= now {
				t.Fatalf("%s %s: last bucket [%d,%d) does not hold now %d", fam, width, last.StartTime, last.EndTime, now)
			}
			// The same buckets in one page at the maximum limit.
			q.Set("limit", strconv.Itoa(s.byName[fam].widths[width].maxLimit))
			if one := walk(t, s, fam, q); len(one) != len(buckets) {
				t.Fatalf("%s %s: %d buckets at max limit, %d at limit 5", fam, width, len(one), len(buckets))
			}
		}
	}
}

func TestLimitDefaultsAndMaxima(t *testing.T) {
	s := newTestServer()
	cases := []struct {
		family, width string
		def, max      int
	}{
		{"completions", "1d", 7, 31},
		{"embeddings", "1h", 24, 168},
		{"web_search_calls", "1m", 60, 1440},
		{"costs", "1d", 7, 180},
	}
	for _, c := range cases {
		secs := s.byName[c.family].widths[c.width].secs
		q := url.Values{}
		q.Set("start_time", itoa(testNow.Unix()-int64(c.max+10)*secs))
		q.Set("bucket_width", c.width)
		if p := getPage(t, s, c.family, q); len(p.Data) != c.def || !p.HasMore {
			t.Errorf("%s %s default: %d buckets (has_more %v), want %d", c.family, c.width, len(p.Data), p.HasMore, c.def)
		}
		q.Set("limit", strconv.Itoa(c.max))
		if p := getPage(t, s, c.family, q); len(p.Data) != c.max || !p.HasMore {
			t.Errorf("%s %s max: %d buckets, want %d", c.family, c.width, len(p.Data), c.max)
		}
		for _, bad := range []string{"0", "-1", strconv.Itoa(c.max + 1), "x"} {
			q.Set("limit", bad)
			expectError(t, s, familyPath(s, c.family), q, http.StatusBadRequest, "limit")
		}
	}
}

func TestPartialFirstBucket(t *testing.T) {
	s := newTestServer()
	dayStart := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, fam := range Families() {
		aligned := window(dayStart, dayStart.Add(day(1)), "1d")
		partial := window(dayStart.Add(18*time.Hour), dayStart.Add(day(1)), "1d")
		full := getPage(t, s, fam, aligned).Data
		part := getPage(t, s, fam, partial).Data
		if len(part) != 1 || part[0].StartTime != dayStart.Add(18*time.Hour).Unix() || part[0].EndTime != dayStart.Add(day(1)).Unix() {
			t.Fatalf("%s: partial bucket %+v", fam, part)
		}
		ft, pt := sumBuckets(t, s, fam, full), sumBuckets(t, s, fam, part)
		for m, v := range ft {
			switch c := pt[m].Cmp(v); {
			case fam == "vector_stores" && c != 0:
				t.Errorf("%s %s: a level must not be scaled: %v vs %v", fam, m, pt[m], v)
			case c > 0:
				t.Errorf("%s %s: partial %v > full %v", fam, m, pt[m], v)
			}
		}
		if fam == "completions" && pt["input_tokens"].Cmp(ft["input_tokens"]) >= 0 {
			t.Errorf("completions: partial bucket not smaller: %v vs %v", pt["input_tokens"], ft["input_tokens"])
		}
	}
}

func TestEmptyBucketsAreServed(t *testing.T) {
	s := newTestServer()
	start, end := testWindow("1m")
	buckets := walk(t, s, "completions", window(start, end, "1m"))
	empty, maxRows := 0, 0
	for _, b := range buckets {
		if b.Results == nil {
			t.Fatal("results must be [], not null")
		}
		if len(b.Results) == 0 {
			empty++
		}
	}
	q := window(start, end, "1m")
	q["group_by"] = allDims(s, "completions")
	for _, b := range walk(t, s, "completions", q) {
		maxRows = max(maxRows, len(b.Results))
	}
	if empty == 0 || empty == len(buckets) {
		t.Errorf("%d of %d minute buckets empty", empty, len(buckets))
	}
	if maxRows > 3 {
		t.Errorf("a minute bucket has %d fine-grain results", maxRows)
	}
	if code, body := do(t, s, familyPath(s, "completions"), q); code != http.StatusOK || len(body) == 0 {
		t.Fatal(code)
	}
}

func TestOpenBucketGrowsWithTheClock(t *testing.T) {
	now := testNow
	opts := testOptions()
	opts.Clock = func() time.Time { return now }
	s := New(opts)
	q := url.Values{}
	q.Set("start_time", itoa(time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC).Unix()))
	q.Set("bucket_width", "1d")
	before := getPage(t, s, "completions", q)
	now = now.Add(6 * time.Hour)
	after := getPage(t, s, "completions", q)
	if len(before.Data) != 1 || len(after.Data) != 1 {
		t.Fatalf("want one open bucket, got %d and %d", len(before.Data), len(after.Data))
	}
	if got, want := before.Data[0].EndTime, time.Date(2026, 9, 11, 0, 0, 0, 0, time.UTC).Unix(); got != want {
		t.Errorf("open bucket ends at %d, want the boundary %d", got, want)
	}
	b, a := sumBuckets(t, s, "completions", before.Data), sumBuckets(t, s, "completions", after.Data)
	if b["input_tokens"].Cmp(a["input_tokens"]) >= 0 {
		t.Errorf("open bucket did not grow: %v then %v", b["input_tokens"], a["input_tokens"])
	}
}

func TestFutureBucketsNotServed(t *testing.T) {
	s := newTestServer()
	q := url.Values{}
	q.Set("start_time", itoa(testNow.Add(time.Hour).Unix()))
	q.Set("end_time", itoa(testNow.Add(day(3)).Unix()))
	q.Set("bucket_width", "1h")
	if p := getPage(t, s, "completions", q); len(p.Data) != 0 || p.HasMore || p.NextPage != nil {
		t.Errorf("future window: %+v", p)
	}
	q.Set("start_time", itoa(testNow.Add(-2*time.Hour).Unix()))
	if p := getPage(t, s, "completions", q); len(p.Data) != 3 || p.HasMore {
		t.Errorf("want 3 buckets up to now, got %d (has_more %v)", len(p.Data), p.HasMore)
	}
}

func TestEndTimeDefaultsToNow(t *testing.T) {
	s := newTestServer()
	q := url.Values{}
	q.Set("start_time", itoa(testNow.Add(-day(2)).Unix()))
	q.Set("limit", "31")
	with := cloneValues(q)
	with.Set("end_time", itoa(testNow.Add(day(5)).Unix()))
	a, b := getPage(t, s, "costs", q), getPage(t, s, "costs", with)
	if len(a.Data) != 3 || len(b.Data) != 3 {
		t.Errorf("got %d and %d buckets, want 3", len(a.Data), len(b.Data))
	}
}

func TestPageTokenHonouredByStartOnly(t *testing.T) {
	s := newTestServer()
	q := window(testNow.Add(-day(10)), testNow, "1d")
	q.Set("limit", "2")
	p := getPage(t, s, "completions", q)
	q2 := cloneValues(q)
	q2.Set("page", *p.NextPage)
	q2.Set("limit", "3")
	q2.Set("start_time", itoa(testNow.Add(-day(30)).Unix()))
	p2 := getPage(t, s, "completions", q2)
	if len(p2.Data) != 3 || p2.Data[0].StartTime != p.Data[1].EndTime {
		t.Errorf("page 2 starts at %d with %d buckets; want %d and 3", p2.Data[0].StartTime, len(p2.Data), p.Data[1].EndTime)
	}
	for _, bad := range []string{"nope", "page_AAAA", "page_" + (*p.NextPage)[6:], (*p.NextPage)[:len(*p.NextPage)-2] + "xx"} {
		q.Set("page", bad)
		expectError(t, s, familyPath(s, "completions"), q, http.StatusBadRequest, "page")
	}
}
