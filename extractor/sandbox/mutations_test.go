package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestAddAuditEvents(t *testing.T) {
	var now atomic.Int64
	now.Store(testNow)
	clock := func() time.Time { return time.Unix(now.Load(), 0) }
	s, c := start(t, Options{Seed: 8, AuditEvents: 200, Clock: clock})
	before := s.IDs("audit_logs")

	s.AddAuditEvents(5)
	s.AddAuditEvents(3) // same second: 8 events share effective_at
	now.Add(10)
	s.AddAuditEvents(2)

	after := s.IDs("audit_logs")
	if len(after) != 210 || !slices.Equal(after[10:], before) {
		t.Fatalf("IDs: %d, old ones moved: %v", len(after), !slices.Equal(after[10:], before))
	}
	if len(slices.Compact(slices.Sorted(slices.Values(after)))) != 210 {
		t.Fatal("duplicate ids")
	}
	var p l1Page
	c.getOK("/organization/audit_logs", q("limit", "10"), &p)
	events := decodeEvents(t, p.Data)
	for i, e := range events {
		want := int64(testNow)
		if i < 2 {
			want = testNow + 10
		}
		if e.EffectiveAt != want || e.ID != after[i] {
			t.Fatalf("event %d: %s at %d, want %s at %d", i, e.ID, e.EffectiveAt, after[i], want)
		}
	}
	// A sync that saw everything up to now resumes with effective_at[gte].
	got, _ := c.walkL1("/organization/audit_logs", q("effective_at[gte]", "1760000000", "limit", "3"), "id")
	if !slices.Equal(got, after[:10]) {
		t.Fatalf("gte now: %v", got)
	}
}

func TestRemoveUser(t *testing.T) {
	s, c := start(t, Options{Seed: 12, AuditEvents: 10})
	// Pick a user who is a project member, in a group and owns a project key.
	var victim string
	for _, key := range s.IDs("project_users") {
		uid := key[strings.Index(key, "/")+1:]
		if ownsActiveKey(t, c, s, uid) && inAnyGroup(s, uid) {
			victim = uid
			break
		}
	}
	if victim == "" {
		t.Fatal("no suitable user in this seed")
	}
	s.RemoveUser(victim)

	if slices.Contains(s.UserIDs(), victim) || slices.Contains(s.IDs("users"), victim) {
		t.Fatal("still an org user")
	}
	for _, stream := range []string{"project_users", "group_users", "user_roles"} {
		for _, key := range s.IDs(stream) {
			if strings.Contains(key, victim) {
				t.Fatalf("%s still has %s", stream, key)
			}
		}
	}
	walked, _ := c.walkL1("/organization/users", q("limit", "100"), "id")
	if slices.Contains(walked, victim) {
		t.Fatal("listed by /organization/users")
	}
	if r := c.get("/organization/users/"+victim+"/roles", nil); r.status != http.StatusNotFound {
		t.Fatalf("user roles: %d", r.status)
	}
	if ownsActiveKey(t, c, s, victim) {
		t.Fatal("the removed user's keys are still active")
	}
	s.RemoveUser("user-unknown") // ignored
}

func ownsActiveKey(t *testing.T, c *client, s *Server, userID string) bool {
	for _, p := range s.ProjectIDs() {
		_, items := c.walkL1("/organization/projects/"+p+"/api_keys", q("owner_project_access", "active"), "id")
		for _, it := range items {
			var k projectKeyJSON
			_ = json.Unmarshal(it, &k)
			if k.Owner.User != nil && k.Owner.User.ID == userID {
				return true
			}
		}
	}
	return false
}

func inAnyGroup(s *Server, userID string) bool {
	for _, key := range s.IDs("group_users") {
		if strings.HasSuffix(key, "/"+userID) {
			return true
		}
	}
	return false
}
