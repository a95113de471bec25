package sandbox

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// streamCase says how a plain client syncs one stream: the endpoint (with
// {parent} for fan-outs), paging style, the id field, and its parents.
type streamCase struct {
	stream, path string
	l2           bool
	idField      string
	params       url.Values
	parents      func(s *Server) []string
}

func streamCases() []streamCase {
	projects := (*Server).ProjectIDs
	groups := func(s *Server) []string { return s.IDs("groups") }
	users := (*Server).UserIDs
	return []streamCase{
		{"users", "/organization/users", false, "id", q("limit", "7"), nil},
		{"invites", "/organization/invites", false, "id", q("limit", "3"), nil},
		{"projects", "/organization/projects", false, "id", q("limit", "2", "include_archived", "true"), nil},
		{"admin_api_keys", "/organization/admin_api_keys", false, "id", q("limit", "1"), nil},
		{"certificates", "/organization/certificates", false, "id", q("limit", "2"), nil},
		{"spend_alerts", "/organization/spend_alerts", false, "id", q("limit", "1"), nil},
		{"audit_logs", "/organization/audit_logs", false, "id", q("limit", "100"), nil},
		{"groups", "/organization/groups", true, "id", q("limit", "3"), nil},
		{"roles", "/organization/roles", true, "id", q("limit", "4"), nil},
		{"group_users", "/organization/groups/{parent}/users", true, "id", q("limit", "2"), groups},
		{"group_roles", "/organization/groups/{parent}/roles", true, "id", q("limit", "1"), groups},
		{"user_roles", "/organization/users/{parent}/roles", true, "id", q("limit", "1"), users},
		{"project_users", "/organization/projects/{parent}/users", false, "id", q("limit", "4"), projects},
		{"project_service_accounts", "/organization/projects/{parent}/service_accounts", false, "id", q("limit", "1"), projects},
		{"project_api_keys", "/organization/projects/{parent}/api_keys", false, "id", q("limit", "2", "owner_project_access", "any"), projects},
		{"project_rate_limits", "/organization/projects/{parent}/rate_limits", false, "id", q("limit", "3"), projects},
		{"project_certificates", "/organization/projects/{parent}/certificates", false, "id", q("limit", "1"), projects},
		{"project_groups", "/organization/projects/{parent}/groups", true, "group_id", q("limit", "1"), projects},
		{"project_spend_alerts", "/organization/projects/{parent}/spend_alerts", false, "id", q("limit", "1"), projects},
	}
}

// TestStreamsPaginateToGroundTruth walks every stream with small pages, the
// way a plain client would, and compares the keys with IDs(), for a default,
// a minimal and a larger organisation.
func TestStreamsPaginateToGroundTruth(t *testing.T) {
	for _, opts := range []Options{
		{Seed: 42, AuditEvents: 1234},
		{Seed: 1, Users: 1, Projects: 1, AuditEvents: -1},
		{Seed: 2, Users: 300, Projects: 14, AuditEvents: 500},
	} {
		s, c := start(t, opts)
		for _, sc := range streamCases() {
			t.Run(fmt.Sprintf("users=%d/%s", opts.Users, sc.stream), func(t *testing.T) {
				c := c.with(c.key)
				c.t = t
				got := walkStream(c, s, sc)
				want := s.IDs(sc.stream)
				if len(want) == 0 && opts.Users == 0 {
					t.Fatalf("IDs(%q) is empty", sc.stream)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("walked %d keys, IDs has %d\n got %v\nwant %v", len(got), len(want), got, want)
				}
				if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
					t.Fatalf("duplicate keys")
				}
			})
		}
	}
}

// walkStream fetches every key of a stream, fanning out over its parents.
func walkStream(c *client, s *Server, sc streamCase) []string {
	walk := func(path string) []string {
		if sc.l2 {
			return c.walkL2(path, sc.params, sc.idField)
		}
		ids, _ := c.walkL1(path, sc.params, sc.idField)
		return ids
	}
	if sc.parents == nil {
		return walk(sc.path)
	}
	var out []string
	for _, p := range sc.parents(s) {
		for _, id := range walk(strings.Replace(sc.path, "{parent}", p, 1)) {
			out = append(out, p+"/"+id)
		}
	}
	return out
}

// TestVolumes checks the default organisation's size.
func TestVolumes(t *testing.T) {
	s, _ := start(t, Options{Seed: 1})
	count := func(stream string) int { return len(s.IDs(stream)) }
	if n := count("users"); n != 60 {
		t.Errorf("users = %d, want 60", n)
	}
	if n := count("projects"); n != 5 {
		t.Errorf("projects = %d, want 5", n)
	}
	if n := count("groups"); n < 8 {
		t.Errorf("groups = %d, want >= 8", n)
	}
	if n := count("audit_logs"); n != 5000 {
		t.Errorf("audit_logs = %d, want 5000", n)
	}
	perProject := map[string]int{}
	for _, k := range s.IDs("project_users") {
		perProject[k[:len("proj_")+24]]++
	}
	for p, n := range perProject {
		if n < 3 || n > 15 {
			t.Errorf("project %s has %d members, want 3-15", p, n)
		}
	}
	for _, stream := range []string{"invites", "admin_api_keys", "certificates", "roles", "group_users",
		"group_roles", "user_roles", "project_service_accounts", "project_api_keys", "project_rate_limits",
		"project_groups", "spend_alerts"} {
		if count(stream) == 0 {
			t.Errorf("%s is empty", stream)
		}
	}
}
