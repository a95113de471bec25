package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"
)

// TestFaultRates sends 30 requests per fault kind and checks exactly every
// Nth request fails, the right way.
func TestFaultRates(t *testing.T) {
	cases := []struct {
		name   string
		faults Faults
		n      int
		check  func(t *testing.T, r response, real []byte)
	}{
		{"429 default retry", Faults{Every429: 3}, 3, func(t *testing.T, r response, _ []byte) {
			check429(t, r, "1", "20")
		}},
		{"429 retry 1.5s", Faults{Every429: 4, RetryAfter: 1500 * time.Millisecond}, 4, func(t *testing.T, r response, _ []byte) {
			check429(t, r, "2", "1500")
		}},
		{"429 retry 5ms", Faults{Every429: 5, RetryAfter: 5 * time.Millisecond}, 5, func(t *testing.T, r response, _ []byte) {
			check429(t, r, "1", "5")
		}},
		{"500", Faults{Every5xx: 2}, 2, func(t *testing.T, r response, _ []byte) {
			if e := apiErr(t, r); r.status != 500 || e.Type != "server_error" {
				t.Fatalf("%d %s", r.status, r.body)
			}
			checkHeaders(t, r, "application/json")
		}},
		{"html", Faults{EveryHTML: 5}, 5, func(t *testing.T, r response, _ []byte) {
			if r.status != 502 || json.Valid(r.body) {
				t.Fatalf("%d %s", r.status, r.body)
			}
			checkHeaders(t, r, "text/html")
		}},
		{"truncated", Faults{EveryTruncated: 3}, 3, func(t *testing.T, r response, real []byte) {
			if r.status != 200 || json.Valid(r.body) || string(r.body) != string(real[:len(real)/2]) {
				t.Fatalf("%d: %d of %d bytes", r.status, len(r.body), len(real))
			}
			checkHeaders(t, r, "application/json")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := start(t, Options{Seed: 4, AuditEvents: 100})
			c.t = t
			path, params := "/organization/audit_logs", q("limit", "50")
			real := c.get(path, params).body // request 1: faults not yet on
			s.SetFaults(tc.faults)
			for i := 2; i <= 31; i++ {
				r := c.get(path, params)
				if i%tc.n == 0 {
					tc.check(t, r, real)
				} else if r.status != 200 || string(r.body) != string(real) {
					t.Fatalf("request %d: %d, want the real answer", i, r.status)
				}
			}
			failed := 0 // requests 2..31 divisible by n; truncation is logged as a 200
			for _, req := range s.Requests() {
				if req.Status != 200 {
					failed++
				}
			}
			if want := 31 / tc.n; tc.faults.EveryTruncated == 0 && failed != want {
				t.Fatalf("%d failures logged, want %d", failed, want)
			}
		})
	}
}

func check429(t *testing.T, r response, retryAfter, retryAfterMs string) {
	t.Helper()
	e := apiErr(t, r)
	if r.status != 429 || e.Type != "requests" || e.Code == nil || *e.Code != "rate_limit_exceeded" {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if got := r.header.Get("Retry-After"); got != retryAfter {
		t.Fatalf("Retry-After %q, want %q", got, retryAfter)
	}
	if got := r.header.Get("Retry-After-Ms"); got != retryAfterMs {
		t.Fatalf("Retry-After-Ms %q, want %q", got, retryAfterMs)
	}
	checkHeaders(t, r, "application/json")
}

func TestFaultPrecedence(t *testing.T) {
	f := Faults{Every429: 2, Every5xx: 3, EveryHTML: 5, EveryTruncated: 7}
	want := map[int64]faultKind{1: faultNone, 2: fault429, 3: fault5xx, 5: faultHTML, 6: fault429, 7: faultTruncated, 15: fault5xx, 35: faultHTML}
	for n, k := range want {
		if got := f.pick(n); got != k {
			t.Errorf("request %d: fault %d, want %d", n, got, k)
		}
	}
}

func TestLatency(t *testing.T) {
	s, c := start(t, Options{Seed: 4, AuditEvents: 10, Faults: Faults{Latency: 60 * time.Millisecond}})
	t0 := time.Now()
	c.get("/organization/roles", nil)
	if d := time.Since(t0); d < 60*time.Millisecond {
		t.Fatalf("answered in %v", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := c.do(ctx, http.MethodGet, "/organization/roles", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want a deadline", err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if reqs := s.Requests(); len(reqs) == 2 {
			if reqs[1].Status != statusClientGone {
				t.Fatalf("abandoned request logged %+v", reqs[1])
			}
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("abandoned request never logged")
}
