package extractor

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func testClient(t *testing.T, h http.HandlerFunc) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewClient(ClientOptions{BaseURL: srv.URL + "/v1", Key: "sk-admin-test-0123456789abcdef",
		MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// guarded serves h and fails the test past five requests, counting them in
// n: a listing that should stop does not loop for ever.
func guarded(t *testing.T, n *atomic.Int32, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 5 {
			t.Error("the loop did not stop")
			w.WriteHeader(500)
			return
		}
		h(w, r)
	}
}

func collect(t *testing.T, c *Client, paging Paging) ([]string, error) {
	t.Helper()
	var got []string
	err := c.Pages(context.Background(), "/things", nil, paging, func(p Page) error {
		for _, it := range p.Items {
			got = append(got, string(it))
		}
		return nil
	})
	return got, err
}

func TestPagesFollowEachStyleToTheEnd(t *testing.T) {
	cases := []struct {
		name   string
		paging Paging
		param  string
		pages  map[string]string // cursor param value → body
		want   int
	}{
		{"L1 last_id", PagingCursor, "after", map[string]string{
			"":  `{"object":"list","data":[{"id":"a"},{"id":"b"}],"first_id":"a","last_id":"b","has_more":true}`,
			"b": `{"object":"list","data":[{"id":"c"}],"first_id":"c","last_id":"c","has_more":false}`,
		}, 3},
		{"L1 without last_id uses the last item", PagingCursor, "after", map[string]string{
			"":  `{"object":"list","data":[{"id":"a"},{"id":"b"}],"has_more":true}`,
			"b": `{"object":"list","data":[{"id":"c"}],"has_more":false}`,
		}, 3},
		{"L2 next", PagingNext, "after", map[string]string{
			"":   `{"object":"list","data":[{"id":"a"}],"has_more":true,"next":"n1"}`,
			"n1": `{"object":"list","data":[{"id":"b"}],"has_more":false,"next":null}`,
		}, 2},
		{"P next_page", PagingPage, "page", map[string]string{
			"":   `{"object":"page","data":[{"object":"bucket","start_time":1,"end_time":2,"results":[]}],"has_more":true,"next_page":"p2"}`,
			"p2": `{"object":"page","data":[{"object":"bucket","start_time":2,"end_time":3,"results":[]}],"has_more":false,"next_page":null}`,
		}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := testClient(t, func(w http.ResponseWriter, r *http.Request) {
				body, ok := tc.pages[r.URL.Query().Get(tc.param)]
				if !ok {
					w.WriteHeader(400)
					return
				}
				fmt.Fprint(w, body)
			})
			got, err := collect(t, c, tc.paging)
			if err != nil || len(got) != tc.want {
				t.Fatalf("got %d items, %v; want %d", len(got), err, tc.want)
			}
		})
	}
}

func TestPagesRefuseAPageThatDoesNotAdvance(t *testing.T) {
	for name, body := range map[string]string{
		"repeated cursor": `{"object":"list","data":[{"id":"a"}],"last_id":"a","has_more":true}`,
		"no cursor":       `{"object":"list","data":[],"has_more":true}`,
	} {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int32
			c := testClient(t, guarded(t, &n, func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, body)
			}))
			_, err := collect(t, c, PagingCursor)
			if err == nil || !(strings.Contains(err.Error(), "repeats") || strings.Contains(err.Error(), "no cursor")) {
				t.Fatalf("err = %v, want a non-advancing-cursor error", err)
			}
		})
	}
}

// A listing whose cursors go round in a circle (a → b → a) is refused when
// a cursor comes back, not read for ever.
func TestPagesRefuseCursorsThatGoRoundInACircle(t *testing.T) {
	next := map[string]string{"": "a", "a": "b", "b": "a"}
	var n atomic.Int32
	c := testClient(t, guarded(t, &n, func(w http.ResponseWriter, r *http.Request) {
		last := next[r.URL.Query().Get("after")]
		fmt.Fprintf(w, `{"object":"list","data":[{"id":%q}],"last_id":%q,"has_more":true}`, last, last)
	}))
	_, err := collect(t, c, PagingCursor)
	if err == nil || !strings.Contains(err.Error(), `the cursor "a" repeats`) {
		t.Fatalf("err = %v, want the repeated cursor named", err)
	}
	if got := n.Load(); got != 3 {
		t.Errorf("%d requests, want 3 (the third page names a cursor met before)", got)
	}
}

func TestClientRetriesTransientFailuresAndNotAuth(t *testing.T) {
	var n atomic.Int32
	c := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Authorization") != "Bearer sk-admin-test-0123456789abcdef" {
			t.Errorf("method %s, auth header present: %v", r.Method, r.Header.Get("Authorization") != "")
		}
		switch n.Add(1) {
		case 1:
			w.Header().Set("Retry-After-Ms", "5")
			w.WriteHeader(429)
			fmt.Fprint(w, `{"error":{"message":"slow down","type":"requests","param":null,"code":"rate_limit_exceeded"}}`)
		case 2:
			w.WriteHeader(502)
			fmt.Fprint(w, `<html>bad gateway</html>`)
		case 3:
			fmt.Fprint(w, `{"object":"list","data":[{"id":"a"`) // truncated
		default:
			fmt.Fprint(w, `{"object":"list","data":[{"id":"a"}],"has_more":false}`)
		}
	})
	got, err := collect(t, c, PagingCursor)
	if err != nil || len(got) != 1 || n.Load() != 4 {
		t.Fatalf("items %d, requests %d, err %v", len(got), n.Load(), err)
	}

	n.Store(0)
	c = testClient(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":{"message":"You have insufficient permissions for this operation. Missing scopes: api.management.read.","type":"invalid_request_error","param":null,"code":null}}`)
	})
	_, err = collect(t, c, PagingCursor)
	e, ok := IsAPIError(err)
	if !ok || !e.IsAuth() || e.MissingScope() != "api.management.read" || n.Load() != 1 {
		t.Fatalf("err = %v, requests %d: want one 401 naming the scope", err, n.Load())
	}
	if strings.Contains(err.Error(), "0123456789abcdef") {
		t.Fatal("the key leaked into the error")
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"sk-admin-abcdefghijklmnop": "sk-admin-…mnop",
		"sk-proj-abcdefghijklmnop":  "sk-proj-…mnop",
		"short":                     "…",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
		if got := fmt.Sprint(Secret(in)); got != want {
			t.Errorf("Secret prints %q", got)
		}
	}
}

func TestSplitPageReadsDataInOnePassAsEncodingJSONWould(t *testing.T) {
	for _, tc := range []struct {
		body  string
		items []string
		err   string
	}{
		{body: `{"object":"list","data":[{"id":"a"},{"id":"b]\"}"}],"has_more":false}`, items: []string{`{"id":"a"}`, `{"id":"b]\"}"}`}},
		{body: `{"data":[{"id":"old"}],"has_more":false,"data":[{"id":"new"}]}`, items: []string{`{"id":"new"}`}},
		{body: `{"data":[],"has_more":false}`},
		{body: `{"data":{"id":"a"},"has_more":false}`, err: "no data array"},
		{body: `{"data":null,"has_more":false}`, err: "no data array"},
		{body: `{"has_more":false}`, err: "no data array"},
		{body: `{"data":[{"id":"a"},],"has_more":false}`, err: "malformed"},
		{body: `{"data":[{"id":"a"}`, err: "malformed"},
	} {
		var p Page
		_, err := splitPage([]byte(tc.body), PagingCursor, &p)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.body, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.body, err)
			continue
		}
		var got []string
		for _, it := range p.Items {
			got = append(got, string(it))
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.items) {
			t.Errorf("%s: items %q, want %q", tc.body, got, tc.items)
		}
	}
}

func TestPagesOfGrowingAndShrinkingSizeAreReadWhole(t *testing.T) {
	// Each page is read into a buffer sized from the page before it: a page
	// ten times larger, or one without Content-Length, is still read whole.
	sizes := []int{3, 300, 2, 3000, 1}
	c := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		n := 0
		fmt.Sscan(r.URL.Query().Get("after"), &n)
		var items []string
		for i := range sizes[n] {
			items = append(items, fmt.Sprintf(`{"id":"%d","pad":"%s"}`, i, strings.Repeat("x", i%50)))
		}
		w.(http.Flusher).Flush() // chunked: no Content-Length
		fmt.Fprintf(w, `{"data":[%s],"has_more":%t,"last_id":"%d"}`, strings.Join(items, ","), n+1 < len(sizes), n+1)
	})
	got, err := collect(t, c, PagingCursor)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 + 300 + 2 + 3000 + 1; len(got) != want {
		t.Fatalf("%d items, want %d", len(got), want)
	}
	if last := got[len(got)-1]; last != `{"id":"0","pad":""}` {
		t.Fatalf("last item %s", last)
	}
}

// circle remembers a bounded number of cursors, so it must still refuse every
// circle, long or short, and never a listing whose cursors are all new.
func TestCircleFindsEveryCircleAndNothingElse(t *testing.T) {
	var fresh circle
	for i := range 100_000 {
		if fresh.back(fmt.Sprint("c", i)) {
			t.Fatalf("cursor %d reported as met before: every cursor was new", i)
		}
	}
	for lead := 0; lead <= 40; lead++ {
		for k := 1; k <= 70; k++ {
			var c circle
			at := 0 // cursors given until one is reported
			for ; at < 10_000; at++ {
				cursor := fmt.Sprint("p", at) // the lead-in, then round the circle
				if at >= lead {
					cursor = fmt.Sprint("c", (at-lead)%k)
				}
				if c.back(cursor) {
					break
				}
			}
			// The first repeat is the cursor lead+k (0-based); Brent's bound:
			// the kept cursor reaches the circle by the first power of two
			// past max(lead, k), and comes back within k more.
			if at < lead+k || at > 2*max(lead+1, k)+k {
				t.Fatalf("lead-in %d, circle %d: reported at cursor %d, want between %d and %d", lead, k, at, lead+k, 2*max(lead+1, k)+k)
			}
			if k <= 16 && at != lead+k {
				t.Fatalf("lead-in %d, circle %d: reported at cursor %d, want its first repeat %d", lead, k, at, lead+k)
			}
		}
	}
}
