package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

func TestIncludeArchived(t *testing.T) {
	s, c := start(t, Options{Seed: 3})
	all := s.ProjectIDs()
	archived := all[len(all)-1]

	def, _ := c.walkL1("/organization/projects", nil, "id")
	if !slices.Equal(def, all[:len(all)-1]) {
		t.Fatalf("default list = %v, want all but the archived %s", def, archived)
	}
	for _, v := range []string{"true", "false"} {
		got, items := c.walkL1("/organization/projects", q("include_archived", v), "id")
		want := all
		if v == "false" {
			want = def
		}
		if !slices.Equal(got, want) {
			t.Fatalf("include_archived=%s: %v, want %v", v, got, want)
		}
		for _, it := range items {
			var p projectJSON
			_ = json.Unmarshal(it, &p)
			if isArchived := p.ID == archived; isArchived != (p.Status == "archived") || isArchived != (p.ArchivedAt != nil) {
				t.Fatalf("project %s: status %q archived_at %v", p.ID, p.Status, p.ArchivedAt)
			}
		}
	}
	if r := c.get("/organization/projects", q("include_archived", "yes")); r.status != http.StatusBadRequest {
		t.Fatalf("include_archived=yes: status %d", r.status)
	}
	// The archived project's own endpoints still answer.
	var rl l1Page
	c.getOK("/organization/projects/"+archived+"/rate_limits", nil, &rl)
}

func TestOwnerProjectAccess(t *testing.T) {
	s, c := start(t, Options{Seed: 5})
	var inactive, saOwned int
	for _, p := range s.ProjectIDs() {
		path := "/organization/projects/" + p + "/api_keys"
		byAccess := map[string][]string{}
		for _, access := range []string{"", "active", "inactive", "any"} {
			ids, items := c.walkL1(path, q("owner_project_access", access, "limit", "1"), "id")
			byAccess[access] = ids
			for _, it := range items {
				var k projectKeyJSON
				_ = json.Unmarshal(it, &k)
				if access != "any" && access != "" && k.OwnerProjectAccess != access {
					t.Fatalf("%s owner_project_access=%s returned a %s key", p, access, k.OwnerProjectAccess)
				}
				if access == "any" && k.Owner.Type == "service_account" {
					saOwned++
				}
			}
		}
		if !slices.Equal(byAccess[""], byAccess["active"]) {
			t.Fatalf("%s: omitted = %v, active = %v", p, byAccess[""], byAccess["active"])
		}
		union := slices.Concat(byAccess["active"], byAccess["inactive"])
		if !slices.Equal(slices.Sorted(slices.Values(union)), slices.Sorted(slices.Values(byAccess["any"]))) {
			t.Fatalf("%s: active+inactive %v != any %v", p, union, byAccess["any"])
		}
		inactive += len(byAccess["inactive"])
	}
	if inactive == 0 || saOwned == 0 {
		t.Fatalf("want some inactive (%d) and some service-account-owned (%d) keys", inactive, saOwned)
	}
	r := c.get("/organization/projects/"+s.ProjectIDs()[0]+"/api_keys", q("owner_project_access", "all"))
	if r.status != http.StatusBadRequest || apiErr(t, r).Param == nil {
		t.Fatalf("owner_project_access=all: %d %s", r.status, r.body)
	}
}

func TestLimitsAndCursors(t *testing.T) {
	s, c := start(t, Options{Seed: 9, AuditEvents: 50})
	bad := []struct{ path, query, param string }{
		{"/organization/users", "limit=0", "limit"},
		{"/organization/users", "limit=101", "limit"},
		{"/organization/users", "limit=ten", "limit"},
		{"/organization/audit_logs", "limit=101", "limit"},
		{"/organization/groups", "limit=1001", "limit"},
		{"/organization/projects/{p}/groups", "limit=101", "limit"},
		{"/organization/users", "after=user-doesnotexist", "after"},
		{"/organization/audit_logs", "after=audit_log-nope", "after"},
		{"/organization/audit_logs", "before=audit_log-nope", "before"},
		{"/organization/roles", "after=role_123", "after"}, // roles take `next`, not an id
		{"/organization/certificates", "order=newest", "order"},
		{"/organization/audit_logs", "effective_at[gte]=yesterday", "effective_at[gte]"},
		{"/organization/audit_logs", "event_types[]=user.teleported", "event_types[]"},
	}
	p0 := s.ProjectIDs()[0]
	for _, b := range bad {
		path := b.path
		if path == "/organization/projects/{p}/groups" {
			path = "/organization/projects/" + p0 + "/groups"
		}
		r := c.get(path+"?"+b.query, nil)
		e := apiErr(t, r)
		if r.status != http.StatusBadRequest || e.Type != "invalid_request_error" || e.Param == nil || *e.Param != b.param {
			t.Errorf("%s?%s: %d %s", b.path, b.query, r.status, r.body)
		}
	}
	// limit=0 is allowed where the spec's minimum is 0: the default applies.
	var g l2Page
	c.getOK("/organization/groups", q("limit", "0"), &g)
	if len(g.Data) != len(s.IDs("groups")) {
		t.Fatalf("groups limit=0: %d items", len(g.Data))
	}
	// order=desc reverses; certificates default to desc.
	asc, _ := c.walkL1("/organization/admin_api_keys", q("order", "asc"), "id")
	desc, _ := c.walkL1("/organization/admin_api_keys", q("order", "desc", "limit", "1"), "id")
	if !slices.Equal(asc, reversed(desc)) {
		t.Fatalf("admin keys asc %v desc %v", asc, desc)
	}
	certAsc, _ := c.walkL1("/organization/certificates", q("order", "asc"), "id")
	if !slices.Equal(certAsc, reversed(s.IDs("certificates"))) {
		t.Fatalf("certificates asc %v, IDs %v", certAsc, s.IDs("certificates"))
	}
	// before returns the page just before the cursor, in list order.
	users := s.UserIDs()
	var p l1Page
	c.getOK("/organization/projects/"+p0+"/rate_limits", nil, &p)
	limits := []string{}
	for _, d := range p.Data {
		limits = append(limits, field(t, d, "id"))
	}
	c.getOK("/organization/projects/"+p0+"/rate_limits", q("before", limits[3], "limit", "2"), &p)
	if len(p.Data) != 2 || field(t, p.Data[0], "id") != limits[1] || !p.HasMore {
		t.Fatalf("before=%s limit=2: %+v", limits[3], p)
	}
	// emails filter.
	var u l1Page
	c.getOK("/organization/users", q("emails", emailOf(t, c, users[4])), &u)
	if len(u.Data) != 1 || field(t, u.Data[0], "id") != users[4] {
		t.Fatalf("emails filter: %s", u.Data)
	}
	// Unknown parents are 404s.
	for _, path := range []string{"/organization/projects/proj_nope/users", "/organization/groups/group_nope/users",
		"/organization/users/user-nope/roles", "/organization/projects/proj_nope/spend_limit"} {
		if r := c.get(path, nil); r.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, r.status)
		}
	}
}

func emailOf(t *testing.T, c *client, userID string) string {
	_, items := c.walkL1("/organization/users", q("limit", "100"), "id")
	for _, it := range items {
		if field(t, it, "id") == userID {
			return field(t, it, "email")
		}
	}
	t.Fatalf("no user %s", userID)
	return ""
}

func TestSingletons(t *testing.T) {
	s, c := start(t, Options{Seed: 11})
	objects := map[string]string{
		"/organization/data_retention": "organization.data_retention",
		"/organization/spend_limit":    "organization.spend_limit",
	}
	for _, p := range s.ProjectIDs() {
		base := "/organization/projects/" + p
		objects[base+"/data_retention"] = "project.data_retention"
		objects[base+"/spend_limit"] = "project.spend_limit"
		objects[base+"/model_permissions"] = "project.model_permissions"
		objects[base+"/hosted_tool_permissions"] = ""
	}
	for path, object := range objects {
		var m map[string]any
		c.getOK(path, nil, &m)
		if got, _ := m["object"].(string); got != object {
			t.Errorf("%s: object %q, want %q", path, got, object)
		}
	}
}
