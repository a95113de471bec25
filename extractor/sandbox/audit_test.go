package sandbox

import (
	"cmp"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"
)

// wireEvent is the part of an audit event the tests look at.
type wireEvent struct {
	ID          string `json:"id"`
	Object      string `json:"object"`
	Type        string `json:"type"`
	EffectiveAt int64  `json:"effective_at"`
	Project     struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"project"`
	Actor struct {
		Type    string `json:"type"`
		Session *struct {
			User      struct{ ID, Email string } `json:"user"`
			IPAddress string                     `json:"ip_address"`
			UserAgent string                     `json:"user_agent"`
			JA3       string                     `json:"ja3"`
			JA4       string                     `json:"ja4"`
		} `json:"session"`
		APIKey *struct {
			ID             string                      `json:"id"`
			Type           string                      `json:"type"`
			User           *struct{ ID, Email string } `json:"user"`
			ServiceAccount *struct{ ID string }        `json:"service_account"`
		} `json:"api_key"`
	} `json:"actor"`
	raw map[string]json.RawMessage
}

func (e wireEvent) resourceID() string {
	var d struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(e.raw[e.Type], &d)
	return d.ID
}

func (e wireEvent) actorIDs() []string {
	switch {
	case e.Actor.Session != nil:
		return []string{e.Actor.Session.User.ID}
	case e.Actor.APIKey.User != nil:
		return []string{e.Actor.APIKey.ID, e.Actor.APIKey.User.ID}
	}
	return []string{e.Actor.APIKey.ID, e.Actor.APIKey.ServiceAccount.ID}
}

func (e wireEvent) actorEmail() string {
	switch {
	case e.Actor.Session != nil:
		return e.Actor.Session.User.Email
	case e.Actor.APIKey.User != nil:
		return e.Actor.APIKey.User.Email
	}
	return ""
}

func decodeEvents(t *testing.T, items []json.RawMessage) []wireEvent {
	t.Helper()
	out := make([]wireEvent, len(items))
	for i, it := range items {
		if err := json.Unmarshal(it, &out[i]); err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal(it, &out[i].raw)
	}
	return out
}

func walkAudit(t *testing.T, c *client, params url.Values) []wireEvent {
	t.Helper()
	_, items := c.walkL1("/organization/audit_logs", params, "id")
	return decodeEvents(t, items)
}

func TestAuditNewestFirstWithTies(t *testing.T) {
	s, c := start(t, Options{Seed: 21, AuditEvents: 3000})
	events := walkAudit(t, c, q("limit", "7"))
	if len(events) != 3000 {
		t.Fatalf("walked %d events", len(events))
	}
	ties := 0
	for i := 1; i < len(events); i++ {
		a, b := events[i-1], events[i]
		if a.EffectiveAt == b.EffectiveAt {
			ties++
		}
		if cmp.Or(cmp.Compare(a.EffectiveAt, b.EffectiveAt), cmp.Compare(a.ID, b.ID)) <= 0 {
			t.Fatalf("not newest first at %d: %v/%s then %v/%s", i, a.EffectiveAt, a.ID, b.EffectiveAt, b.ID)
		}
	}
	if ties < 100 {
		t.Fatalf("only %d same-second neighbours; paging must be tested across ties", ties)
	}
	oldest := events[len(events)-1].EffectiveAt
	if newest := events[0].EffectiveAt; newest >= testNow || oldest < testNow-90*86400 {
		t.Fatalf("events span %d..%d, want within the 90 days before %d", oldest, newest, testNow)
	}
	types := map[string]bool{}
	for _, e := range events {
		types[e.Type] = true
		if e.Object != "organization.audit_log" || e.raw[e.Type] == nil || e.Project.ID == "" {
			t.Fatalf("event %s: object %q, detail %s, project %q", e.ID, e.Object, e.raw[e.Type], e.Project.ID)
		}
		if (e.Actor.Type == "session") != (e.Actor.Session != nil) || (e.Actor.Type == "api_key") != (e.Actor.APIKey != nil) {
			t.Fatalf("event %s: actor %+v", e.ID, e.Actor)
		}
	}
	if len(types) < 15 {
		t.Fatalf("only %d event types", len(types))
	}
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	if !slices.Equal(ids, s.IDs("audit_logs")) {
		t.Fatal("walk differs from IDs(audit_logs)")
	}
}

// TestSessionsRepeatAPersonsDevices checks that sessions look like a live
// log's: a person signs in from a few devices, each with one address,
// browser and TLS fingerprint, not from a new one at every event.
func TestSessionsRepeatAPersonsDevices(t *testing.T) {
	_, c := start(t, Options{Seed: 5, AuditEvents: 3000})
	addrs := map[string]map[string]bool{} // user → addresses
	device := map[string]string{}         // address → user agent, ja3, ja4
	sessions := 0
	for _, e := range walkAudit(t, c, q("limit", "100")) {
		s := e.Actor.Session
		if s == nil {
			continue
		}
		sessions++
		if s.IPAddress == "" || s.UserAgent == "" || s.JA3 == "" || s.JA4 == "" {
			t.Fatalf("event %s: session without its device: %+v", e.ID, *s)
		}
		if addrs[s.User.ID] == nil {
			addrs[s.User.ID] = map[string]bool{}
		}
		addrs[s.User.ID][s.IPAddress] = true
		d := s.UserAgent + " " + s.JA3 + " " + s.JA4
		if was, ok := device[s.IPAddress]; ok && was != d {
			t.Fatalf("address %s has two devices: %q and %q", s.IPAddress, was, d)
		}
		device[s.IPAddress] = d
	}
	if sessions < 1000 {
		t.Fatalf("only %d session events", sessions)
	}
	several := 0 // people seen on more than one device
	for u, a := range addrs {
		if len(a) > devicesPerUser {
			t.Fatalf("user %s signed in from %d addresses, want at most %d", u, len(a), devicesPerUser)
		}
		if len(a) > 1 {
			several++
		}
	}
	if several < len(addrs)/2 {
		t.Fatalf("only %d of %d people signed in from more than one device", several, len(addrs))
	}
}

// TestAuditFilters compares each filtered walk with the same filter applied
// to the full log by the test.
func TestAuditFilters(t *testing.T) {
	s, c := start(t, Options{Seed: 22, AuditEvents: 2000})
	all := walkAudit(t, c, q("limit", "100"))
	mid := all[len(all)/2].EffectiveAt
	late := all[len(all)/4].EffectiveAt
	someUser := all[10].actorIDs()[0]
	email := all[20].actorEmail()
	var resource string
	for _, e := range all {
		if e.Type == "api_key.created" {
			resource = e.resourceID()
			break
		}
	}
	project := s.ProjectIDs()[1]
	itoa := func(n int64) string { return strconv.FormatInt(n, 10) }

	cases := []struct {
		name   string
		params url.Values
		keep   func(e wireEvent) bool
	}{
		{"gte", q("effective_at[gte]", itoa(mid)), func(e wireEvent) bool { return e.EffectiveAt >= mid }},
		{"gt", q("effective_at[gt]", itoa(mid)), func(e wireEvent) bool { return e.EffectiveAt > mid }},
		{"lt", q("effective_at[lt]", itoa(mid)), func(e wireEvent) bool { return e.EffectiveAt < mid }},
		{"lte", q("effective_at[lte]", itoa(mid)), func(e wireEvent) bool { return e.EffectiveAt <= mid }},
		{"window", q("effective_at[gte]", itoa(mid), "effective_at[lt]", itoa(late)),
			func(e wireEvent) bool { return e.EffectiveAt >= mid && e.EffectiveAt < late }},
		{"project", q("project_ids[]", project), func(e wireEvent) bool { return e.Project.ID == project }},
		{"types", q("event_types[]", "login.failed", "event_types[]", "api_key.created"),
			func(e wireEvent) bool { return e.Type == "login.failed" || e.Type == "api_key.created" }},
		{"actor", q("actor_ids[]", someUser), func(e wireEvent) bool { return slices.Contains(e.actorIDs(), someUser) }},
		{"email", q("actor_emails[]", email), func(e wireEvent) bool { return e.actorEmail() == email }},
		{"resource", q("resource_ids[]", resource), func(e wireEvent) bool { return e.resourceID() == resource }},
		{"combined", q("effective_at[lte]", itoa(mid), "event_types[]", "login.succeeded", "project_ids[]", s.ProjectIDs()[0]),
			func(e wireEvent) bool {
				return e.EffectiveAt <= mid && e.Type == "login.succeeded" && e.Project.ID == s.ProjectIDs()[0]
			}},
		{"tenant_only", q("tenant_only", "true"), func(wireEvent) bool { return false }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := c.with(c.key)
			c.t = t
			p := clone(tc.params)
			p.Set("limit", "9")
			got := walkAudit(t, c, p)
			var want []string
			for _, e := range all {
				if tc.keep(e) {
					want = append(want, e.ID)
				}
			}
			var gotIDs []string
			for _, e := range got {
				gotIDs = append(gotIDs, e.ID)
			}
			if !slices.Equal(gotIDs, want) {
				t.Fatalf("got %d events, want %d", len(gotIDs), len(want))
			}
			if tc.name != "tenant_only" && len(want) == 0 {
				t.Fatal("filter matched nothing: the test is vacuous")
			}
		})
	}

	// before: the events just newer than the cursor, newest first.
	var page l1Page
	c.getOK("/organization/audit_logs", q("before", all[50].ID, "limit", "10"), &page)
	got := decodeEvents(t, page.Data)
	if len(got) != 10 || got[0].ID != all[40].ID || got[9].ID != all[49].ID || !page.HasMore {
		t.Fatalf("before=all[50]: first %s last %s has_more %v", got[0].ID, got[9].ID, page.HasMore)
	}
	c.getOK("/organization/audit_logs", q("before", all[5].ID, "limit", "10"), &page)
	if len(page.Data) != 5 || page.HasMore {
		t.Fatalf("before=all[5]: %d events, has_more %v", len(page.Data), page.HasMore)
	}
	// after + before: the events strictly between.
	c.getOK("/organization/audit_logs", q("after", all[5].ID, "before", all[9].ID), &page)
	if got := decodeEvents(t, page.Data); len(got) != 3 || got[0].ID != all[6].ID || page.HasMore {
		t.Fatalf("after all[5] before all[9]: %d events", len(got))
	}
}

func TestAuditScalesTo200k(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	t0 := time.Now()
	s := New(Options{Seed: 1, AuditEvents: 200_000, Clock: fixedClock})
	if d := time.Since(t0); d > 2*time.Second && !raceEnabled {
		t.Fatalf("New with 200k events took %v", d)
	}
	ids := s.IDs("audit_logs")
	if len(ids) != 200_000 {
		t.Fatalf("%d events", len(ids))
	}
	srv := serve(t, s)
	var page l1Page
	t1 := time.Now()
	for _, i := range []int{0, 50_000, 120_000, 199_000} {
		srv.getOK("/organization/audit_logs", q("after", ids[i], "limit", "100"), &page)
		if len(page.Data) == 0 || field(t, page.Data[0], "id") != ids[i+1] {
			t.Fatalf("after ids[%d]: wrong page", i)
		}
	}
	if d := time.Since(t1); d > time.Second && !raceEnabled {
		t.Fatalf("4 deep pages took %v", d)
	}
}
