package sandbox

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// pages fetches a fixed set of pages and returns their bodies.
func pages(t *testing.T, c *client, s *Server) []string {
	p := s.ProjectIDs()[0]
	g := s.IDs("groups")[0]
	reqs := []struct {
		path   string
		params url.Values
	}{
		{"/organization/users", q("limit", "100")},
		{"/organization/invites", nil},
		{"/organization/projects", q("include_archived", "true")},
		{"/organization/admin_api_keys", nil},
		{"/organization/groups", nil},
		{"/organization/roles", nil},
		{"/organization/groups/" + g + "/users", nil},
		{"/organization/projects/" + p + "/api_keys", q("owner_project_access", "any")},
		{"/organization/projects/" + p + "/rate_limits", nil},
		{"/organization/audit_logs", q("limit", "100")},
		{"/organization/audit_logs", q("limit", "100", "effective_at[lt]", "1759000000")},
		{"/organization/usage/completions", q("start_time", "1759900000", "group_by", "project_id")},
	}
	var out []string
	for _, r := range reqs {
		res := c.get(r.path, r.params)
		if res.status != 200 {
			t.Fatalf("%s: %d %s", r.path, res.status, res.body)
		}
		out = append(out, string(res.body))
	}
	return out
}

func TestDeterministic(t *testing.T) {
	s1, c1 := start(t, Options{Seed: 77})
	s2, c2 := start(t, Options{Seed: 77})
	a, b := pages(t, c1, s1), pages(t, c2, s2)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("page %d differs between two servers with the same seed", i)
		}
	}
	if a[9] != pages(t, c1, s1)[9] {
		t.Fatal("the same server answered the same request differently")
	}
	s3, c3 := start(t, Options{Seed: 78})
	if d := pages(t, c3, s3); d[0] == a[0] || d[9] == a[9] {
		t.Fatal("a different seed gave the same organisation")
	}
}

// TestConcurrentUse walks streams from several goroutines while faults and
// data change; run with -race.
func TestConcurrentUse(t *testing.T) {
	s, c := start(t, Options{Seed: 31, AuditEvents: 500, Clock: time.Now})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 20 {
				path := []string{"/organization/users", "/organization/audit_logs", "/organization/groups",
					"/organization/projects/" + s.ProjectIDs()[i%5] + "/users"}[(w+i)%4]
				r, err := c.do(t.Context(), "GET", path, nil)
				if err != nil || (r.status != 200 && r.status != 429 && !strings.Contains(string(r.body), "error")) {
					t.Errorf("%s: %v %d", path, err, r.status)
				}
			}
		})
	}
	for i := range 10 {
		s.SetFaults(Faults{Every429: 2 + i%3})
		s.AddAuditEvents(3)
		_ = s.IDs("audit_logs")
		_ = s.Requests()
	}
	users := s.UserIDs()
	s.RemoveUser(users[len(users)-1])
	wg.Wait()
	if n := len(s.Requests()); n != 80 {
		t.Fatalf("%d requests logged, want 80", n)
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Fatal("ResetRequests kept entries")
	}
}
