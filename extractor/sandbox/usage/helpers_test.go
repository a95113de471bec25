package usage

import (
	"bytes"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

var _ http.Handler = (*Server)(nil)

// testNow is mid-afternoon, so today's 1d bucket and this hour's 1h bucket
// are open.
var testNow = time.Date(2026, 9, 10, 15, 30, 20, 0, time.UTC)

func testOptions() Options {
	return Options{
		Seed:       42,
		Clock:      func() time.Time { return testNow },
		ProjectIDs: []string{"proj_alpha", "proj_beta", "proj_gamma", "proj_archived"},
		UserIDs:    []string{"user-ann", "user-bob", "user-cy"},
		APIKeyIDs:  []string{"key_one", "key_two", "key_three"},
	}
}

func newTestServer() *Server { return New(testOptions()) }

type resultJSON = map[string]any

type testBucket struct {
	Object    string       `json:"object"`
	StartTime int64        `json:"start_time"`
	EndTime   int64        `json:"end_time"`
	Results   []resultJSON `json:"results"`
}

type testPage struct {
	Object   string       `json:"object"`
	Data     []testBucket `json:"data"`
	HasMore  bool         `json:"has_more"`
	NextPage *string      `json:"next_page"`
}

func familyPath(s *Server, family string) string { return s.byName[family].path }

// do sends GET path?q and returns the status and the raw body.
func do(t *testing.T, h http.Handler, path string, q url.Values) (int, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path+"?"+q.Encode(), nil))
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("GET %s: content type %q", path, ct)
	}
	return rec.Code, rec.Body.Bytes()
}

func decodePageJSON(t *testing.T, body []byte) testPage {
	t.Helper()
	var p testPage
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&p); err != nil {
		t.Fatalf("decode page: %v\n%s", err, body)
	}
	return p
}

func getPage(t *testing.T, s *Server, family string, q url.Values) testPage {
	t.Helper()
	code, body := do(t, s, familyPath(s, family), q)
	if code != http.StatusOK {
		t.Fatalf("GET %s?%s: status %d: %s", family, q.Encode(), code, body)
	}
	return decodePageJSON(t, body)
}

// walk pages through next_page until has_more is false, keeping every other
// parameter unchanged, and returns every bucket.
func walk(t *testing.T, s *Server, family string, q url.Values) []testBucket {
	t.Helper()
	var all []testBucket
	seen := map[string]bool{}
	q = cloneValues(q)
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("too many pages")
		}
		p := getPage(t, s, family, q)
		all = append(all, p.Data...)
		if !p.HasMore {
			if p.NextPage != nil {
				t.Fatalf("has_more=false with next_page %q", *p.NextPage)
			}
			return all
		}
		if p.NextPage == nil || *p.NextPage == "" || seen[*p.NextPage] {
			t.Fatalf("has_more=true with bad next_page %v", p.NextPage)
		}
		seen[*p.NextPage] = true
		q.Set("page", *p.NextPage)
	}
}

func cloneValues(q url.Values) url.Values {
	c := url.Values{}
	for k, v := range q {
		c[k] = append([]string(nil), v...)
	}
	return c
}

func window(start, end time.Time, width string) url.Values {
	q := url.Values{}
	q.Set("start_time", itoa(start.Unix()))
	q.Set("end_time", itoa(end.Unix()))
	q.Set("bucket_width", width)
	return q
}

// allDims returns the group_by values of a family.
func allDims(s *Server, family string) []string { return dimNames(s.byName[family]) }

// ratOf reads a JSON number or a JSON string holding a decimal.
func ratOf(t *testing.T, v any) *big.Rat {
	t.Helper()
	var str string
	switch x := v.(type) {
	case json.Number:
		str = x.String()
	case string:
		str = x
	default:
		t.Fatalf("not a number: %#v", v)
	}
	r, ok := new(big.Rat).SetString(str)
	if !ok {
		t.Fatalf("not a decimal: %q", str)
	}
	return r
}

// sumBuckets sums every metric of every result the way a client would.
func sumBuckets(t *testing.T, s *Server, family string, buckets []testBucket) map[string]*big.Rat {
	t.Helper()
	f := s.byName[family]
	tot := map[string]*big.Rat{}
	for _, m := range f.metrics {
		tot[m] = new(big.Rat)
	}
	for _, b := range buckets {
		for _, r := range b.Results {
			for _, m := range f.metrics {
				var v any
				switch m {
				case "amount.value":
					v = r["amount"].(map[string]any)["value"]
				case "quantity":
					if r["quantity"] == nil {
						continue
					}
					v = r["quantity"]
				default:
					v = r[m]
				}
				tot[m].Add(tot[m], ratOf(t, v))
			}
		}
	}
	return tot
}

func equalTotals(a, b map[string]*big.Rat) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || v.Cmp(w) != 0 {
			return false
		}
	}
	return true
}

func day(d int) time.Duration { return time.Duration(d) * 24 * time.Hour }

// widthsOf lists a family's bucket widths, finest last.
func widthsOf(family string) []string {
	if family == "costs" {
		return []string{"1d"}
	}
	return []string{"1d", "1h", "1m"}
}

// testWindow is a window for a width that starts off a boundary and ends
// after now, so it has a partial first bucket and an open last bucket.
func testWindow(width string) (time.Time, time.Time) {
	switch width {
	case "1m":
		return testNow.Add(-6*time.Hour - 17*time.Second), testNow.Add(time.Hour)
	case "1h":
		return testNow.Add(-day(3) - 25*time.Minute), testNow.Add(day(1))
	default:
		return testNow.Add(-day(20) - 7*time.Hour), testNow.Add(day(2))
	}
}

// addAll adds every total of from into into.
func addAll(into, from map[string]*big.Rat) {
	for k, v := range from {
		if into[k] == nil {
			into[k] = new(big.Rat)
		}
		into[k].Add(into[k], v)
	}
}
