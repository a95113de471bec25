package sandbox

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestAuthErrors(t *testing.T) {
	s, admin := start(t, Options{Seed: 2, AuditEvents: 10})
	proj := s.ProjectKey(s.ProjectIDs()[0])
	if proj == "" || !strings.HasPrefix(proj, "sk-proj-sandbox-") || !strings.HasPrefix(s.AdminKey(), "sk-admin-sandbox-") {
		t.Fatalf("keys: admin %q project %q", s.AdminKey(), proj)
	}
	if s.ProjectKey("proj_unknown") != "" {
		t.Fatal("ProjectKey of an unknown project should be empty")
	}
	unknown := "sk-live-0123456789abcdefWXYZ"
	management := "Missing scopes: api.management.read."
	cases := []struct {
		name, key, path string
		status          int
		code, msg       string
	}{
		{"no key", "", "/organization/users", 401, "invalid_api_key", "You didn't provide an API key"},
		{"unknown key", unknown, "/organization/users", 401, "invalid_api_key", "Incorrect API key provided: sk-…WXYZ."},
		{"revoked key", s.RevokedKey(), "/organization/users", 401, "invalid_api_key", "Incorrect API key provided: sk-…"},
		{"project key", proj, "/organization/users", 401, "", management},
		{"project key fan-out", proj, "/organization/projects/" + s.ProjectIDs()[0] + "/api_keys", 401, "", management},
		{"project key usage", proj, "/organization/usage/completions", 401, "", "Missing scopes: api.usage.read."},
		{"project key costs", proj, "/organization/costs", 401, "", "Missing scopes: api.usage.read."},
		{"unknown path", s.AdminKey(), "/organization/teleporters", 404, "", "Invalid URL (GET /v1/organization/teleporters)"},
		{"not under organization", proj, "/threads", 404, "", "Invalid URL (GET /v1/threads)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.with(tc.key).get(tc.path, nil)
			e := apiErr(t, r)
			if r.status != tc.status || e.Type != "invalid_request_error" || !strings.Contains(e.Message, tc.msg) ||
				e.Param != nil || (e.Code == nil) != (tc.code == "") || (e.Code != nil && *e.Code != tc.code) {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if tc.key != "" && strings.Contains(string(r.body), tc.key) {
				t.Fatalf("the key leaks into the body: %s", r.body)
			}
			checkHeaders(t, r, "application/json")
		})
	}

	r, err := admin.do(context.Background(), http.MethodPost, "/organization/users", nil)
	if err != nil || r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET" {
		t.Fatalf("POST: %v %d %s", err, r.status, r.body)
	}
	apiErr(t, r)

	// The request log records key kinds, never keys.
	kinds := map[string]bool{}
	for _, req := range s.Requests() {
		kinds[req.KeyKind] = true
		for _, k := range []string{proj, unknown, s.RevokedKey(), s.AdminKey()} {
			if strings.Contains(req.Path+req.RawQuery+req.KeyKind, k) {
				t.Fatalf("key in the request log: %+v", req)
			}
		}
	}
	for _, k := range []string{"admin", "project", "revoked", "none", "unknown"} {
		if !kinds[k] {
			t.Errorf("no %q request logged: %v", k, kinds)
		}
	}
}

var requestID = regexp.MustCompile(`^req_[0-9a-f]{32}$`)

func checkHeaders(t *testing.T, r response, contentType string) {
	t.Helper()
	if id := r.header.Get("X-Request-Id"); !requestID.MatchString(id) {
		t.Fatalf("x-request-id %q", id)
	}
	if ct := r.header.Get("Content-Type"); ct != contentType {
		t.Fatalf("Content-Type %q, want %q", ct, contentType)
	}
}

func TestHandlerNeedsV1(t *testing.T) {
	s, admin := start(t, Options{Seed: 2, AuditEvents: 10})
	c := admin.with(admin.key)
	c.base = strings.TrimSuffix(admin.base, "/v1")
	r := c.get("/organization/users", nil)
	if r.status != http.StatusNotFound || !strings.Contains(apiErr(t, r).Message, "GET /organization/users") {
		t.Fatalf("%d %s", r.status, r.body)
	}
	reqs := s.Requests()
	if last := reqs[len(reqs)-1]; last.Path != "/organization/users" || last.Status != 404 || last.KeyKind != "admin" {
		t.Fatalf("logged %+v", last)
	}
}

func TestUsageIsMounted(t *testing.T) {
	s, c := start(t, Options{Seed: 2, AuditEvents: 10})
	if s.Usage() == nil {
		t.Fatal("Usage() is nil")
	}
	var page struct {
		Object string `json:"object"`
	}
	from := q("start_time", "1759900000")
	c.getOK("/organization/usage/completions", from, &page)
	if page.Object != "page" {
		t.Fatalf("usage object %q", page.Object)
	}
	c.getOK("/organization/costs", from, &page)
	if r := c.get("/organization/usage", nil); r.status != http.StatusNotFound {
		t.Fatalf("/organization/usage: %d", r.status)
	}
	reqs := s.Requests()
	if got := reqs[0]; got.Path != "/organization/usage/completions" || got.Status != 200 || got.KeyKind != "admin" ||
		got.RawQuery != "start_time=1759900000" {
		t.Fatalf("logged %+v", got)
	}
}
