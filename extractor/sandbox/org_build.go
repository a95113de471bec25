package sandbox

import (
	"fmt"
	"slices"
	"strings"
)

// buildOrg generates the organisation (everything except the audit log)
// deterministically from seed, with timestamps relative to now.
func buildOrg(seed int64, nUsers, nProjects int, now int64) *org {
	g := newGen(seed, rngOrg)
	o := &org{
		ID:          "org-" + g.alnum(24),
		Domain:      g.pick(companyDomains),
		people:      map[string]*user{},
		UserRoles:   map[string][]string{},
		Retention:   "modified_abuse_monitoring",
		SpendLimit:  int64(g.between(5, 50)) * 10000,
		Enforcement: "enforcing",
	}
	start := now - 730*day
	buildUsers(o, g, nUsers, start, now)
	buildRoles(o, g, start)
	buildAdminKeys(o, g, now)
	buildCerts(o, g, now)
	buildInvites(o, g, now)
	o.Alerts = buildAlerts(g, o.Domain, 2, "Org spend")
	buildProjects(o, newGen(seed, rngProjects), nProjects, start, now)
	buildGroups(o, newGen(seed, rngGroups), start, now)
	return o
}

// spread returns n increasing timestamps in [from, to).
func spread(g *gen, n int, from, to int64) []int64 {
	ts := make([]int64, n)
	for i := range ts {
		ts[i] = from + g.r.Int64N(max(to-from, 1))
	}
	slices.Sort(ts)
	return ts
}

func buildUsers(o *org, g *gen, n int, start, now int64) {
	used := map[string]bool{}
	for i, at := range spread(g, n, start, now-2*day) {
		first, last := g.pick(firstNames), g.pick(lastNames)
		local := strings.ToLower(first + "." + last)
		for k := 2; used[local]; k++ {
			local = fmt.Sprintf("%s.%s%d", strings.ToLower(first), strings.ToLower(last), k)
		}
		used[local] = true
		u := &user{
			ID:      "user-" + g.alnum(24),
			Name:    first + " " + last,
			Email:   local + "@" + o.Domain,
			Role:    "reader",
			AddedAt: at,
			SCIM:    g.chance(0.3),
		}
		if i%20 == 0 {
			u.Role = "owner"
		}
		if g.chance(0.7) {
			u.KeyLastUsedAt = ptr(now - g.r.Int64N(30*day))
		}
		o.Users = append(o.Users, u)
		o.people[u.ID] = u
	}
}

func (o *org) owners() []*user {
	var out []*user
	for _, u := range o.Users {
		if u.Role == "owner" {
			out = append(out, u)
		}
	}
	return out
}

func buildAdminKeys(o *org, g *gen, now int64) {
	owners := o.owners()
	for i, at := range spread(g, 4, now-400*day, now-10*day) {
		k := adminKey{
			ID:         "key_" + g.alnum(16),
			Name:       []string{"Main Admin Key", "openai-sync", "Terraform", "SIEM export"}[i],
			Redacted:   "sk-admin..." + g.alnum(4),
			CreatedAt:  at,
			LastUsedAt: ptr(now - g.r.Int64N(7*day)),
		}
		if i%2 == 1 {
			k.ExpiresAt = ptr(at + 365*day)
		}
		if i == 3 {
			k.Owner = adminKeyOwner{Type: "service_account", Object: "organization.service_account",
				ID: "svc_acct_" + g.alnum(24), Name: "audit-exporter", CreatedAt: at, Role: "member"}
		} else {
			u := owners[i%len(owners)]
			k.Owner = adminKeyOwner{Type: "user", Object: "organization.user",
				ID: u.ID, Name: u.Name, CreatedAt: u.AddedAt, Role: u.Role}
		}
		o.AdminKeys = append(o.AdminKeys, k)
	}
}

func buildCerts(o *org, g *gen, now int64) {
	for i, at := range spread(g, 3, now-500*day, now-20*day) {
		o.Certs = append(o.Certs, certificate{
			ID:        "cert_" + g.alnum(24),
			Name:      certNames[i%len(certNames)],
			CreatedAt: at,
			ValidAt:   at - day,
			ExpiresAt: at + 365*day,
			Active:    i != 1,
		})
	}
}

func buildInvites(o *org, g *gen, now int64) {
	statuses := []string{"accepted", "accepted", "pending", "pending", "pending", "expired", "expired", "accepted"}
	for i, at := range spread(g, len(statuses), now-60*day, now-day) {
		inv := invite{
			ID:        "invite-" + g.alnum(24),
			Email:     fmt.Sprintf("%s.%s@%s", strings.ToLower(g.pick(firstNames)), strings.ToLower(g.pick(lastNames)), g.pick(companyDomains)),
			Role:      "reader",
			Status:    statuses[i],
			CreatedAt: at,
			ExpiresAt: ptr(at + 7*day),
			Projects:  []inviteProject{},
		}
		if i == 0 {
			inv.Role = "owner"
		}
		if inv.Status == "accepted" {
			inv.AcceptedAt = ptr(at + int64(g.between(1, 6))*3600)
		}
		o.Invites = append(o.Invites, inv)
	}
}

func buildAlerts(g *gen, domain string, n int, prefix string) []spendAlert {
	var out []spendAlert
	for i := range n {
		a := spendAlert{
			ID:         "alert_" + g.alnum(20),
			Threshold:  int64(i+1) * int64(g.between(2, 10)) * 10000,
			Recipients: []string{"finance@" + domain},
		}
		if i%2 == 0 {
			a.Recipients = append(a.Recipients, "platform-team@"+domain)
			a.SubjectPrefix = ptr(prefix)
		}
		out = append(out, a)
	}
	return out
}
