package sandbox

import (
	"cmp"
	"fmt"
	"slices"
)

func projectName(i int) string {
	if i == 0 {
		return "Default project"
	}
	n := projectNames[(i-1)%len(projectNames)]
	if k := (i - 1) / len(projectNames); k > 0 {
		n = fmt.Sprintf("%s %d", n, k+1)
	}
	return n
}

// buildProjects makes n projects; the last one is archived.
func buildProjects(o *org, g *gen, n int, start, now int64) {
	for i, at := range spread(g, n, start, now-30*day) {
		p := &project{
			ID:          "proj_" + g.alnum(24),
			Name:        projectName(i),
			Status:      "active",
			CreatedAt:   at,
			Residency:   "GLOBAL",
			Retention:   "organization_default",
			ModelMode:   "deny_list",
			ModelIDs:    []string{},
			Enforcement: "inactive",
		}
		if i == n-1 {
			p.Status = "archived"
			p.ArchivedAt = ptr(now - int64(g.between(3, 20))*day)
		}
		if i%3 == 2 {
			p.Residency = "EU_STORAGE_PROCESSING"
			p.Retention = "zero_data_retention"
		}
		buildMembers(o, g, p, now)
		buildServiceAccounts(g, p, now)
		buildProjectKeys(o, g, p, i, now)
		buildRateLimits(g, p)
		buildProjectSettings(o, g, p)
		o.Projects = append(o.Projects, p)
	}
}

func buildMembers(o *org, g *gen, p *project, now int64) {
	k := g.between(3, min(15, len(o.Users)))
	for j, ui := range g.sample(len(o.Users), k) {
		u := o.Users[ui]
		from := max(u.AddedAt, p.CreatedAt)
		m := member{UserID: u.ID, Role: "member", AddedAt: from + g.r.Int64N(max(now-from, 1))}
		if j == 0 || g.chance(0.15) {
			m.Role = "owner"
		}
		p.Members = append(p.Members, m)
	}
	slices.SortStableFunc(p.Members, byAddedAt)
}

func buildServiceAccounts(g *gen, p *project, now int64) {
	n := g.between(1, 3)
	names := g.sample(len(serviceAccountNames), n)
	for j, at := range spread(g, n, p.CreatedAt, now) {
		sa := &serviceAccount{ID: "svc_acct_" + g.alnum(24), Name: serviceAccountNames[names[j]], Role: "member", CreatedAt: at}
		if j == 0 {
			sa.Role = "owner"
		}
		p.SAs = append(p.SAs, sa)
	}
}

// buildProjectKeys makes 2-6 keys. Key 1 is owned by a service account in odd
// projects and by a former member (so "inactive") in even ones.
func buildProjectKeys(o *org, g *gen, p *project, idx int, now int64) {
	n := g.between(2, 6)
	for j, at := range spread(g, n, p.CreatedAt, now) {
		k := &projectKey{ID: "key_" + g.alnum(16), Name: g.pick(keyNames), CreatedAt: at}
		if g.chance(0.8) {
			k.LastUsedAt = ptr(max(at, now-g.r.Int64N(14*day)))
		}
		switch {
		case j == 1 && idx%2 == 0, j > 1 && g.chance(0.15):
			k.OwnerUserID, k.OwnerRole = formerMember(o, g, p), "member"
		case j == 1, j > 1 && g.chance(0.35):
			k.OwnerSA = p.SAs[g.r.IntN(len(p.SAs))]
		default:
			m := p.Members[g.r.IntN(len(p.Members))]
			k.OwnerUserID, k.OwnerRole = m.UserID, m.Role
		}
		if k.OwnerSA != nil {
			k.Redacted = "sk-svcacct-..." + g.alnum(4)
		} else {
			k.Redacted = "sk-proj-..." + g.alnum(4)
		}
		p.Keys = append(p.Keys, k)
	}
}

// formerMember picks an org user who is not a member of p (falls back to a
// member when every user is one).
func formerMember(o *org, g *gen, p *project) string {
	var out []string
	for _, u := range o.Users {
		if !o.isMember(p, u.ID) {
			out = append(out, u.ID)
		}
	}
	if len(out) == 0 {
		return p.Members[0].UserID
	}
	return g.pick(out)
}

func buildRateLimits(g *gen, p *project) {
	picked := g.sample(len(rateLimitModels), g.between(4, 8))
	slices.Sort(picked)
	for _, i := range picked {
		m := rateLimitModels[i]
		rl := rateLimit{ID: "rl-" + m.model, Model: m.model, RPM: m.rpm, TPM: m.tpm}
		if m.images > 0 {
			rl.Images = ptr(m.images)
		}
		if m.audioMB > 0 {
			rl.AudioMB = ptr(m.audioMB)
		}
		if m.batchTok > 0 {
			rl.BatchTok = ptr(m.batchTok)
			if g.chance(0.5) {
				rl.RPD = ptr(m.rpm * 1440 / 4)
			}
		}
		if g.chance(0.3) { // lowered by an admin
			rl.RPM /= 2
			rl.TPM /= 2
		}
		p.RateLimits = append(p.RateLimits, rl)
	}
}

func buildProjectSettings(o *org, g *gen, p *project) {
	for _, i := range g.sample(len(o.Certs), g.between(0, 2)) {
		p.CertIDs = append(p.CertIDs, o.Certs[i].ID)
	}
	slices.Sort(p.CertIDs)
	p.Alerts = buildAlerts(g, o.Domain, g.between(0, 2), p.Name+" spend")
	if g.chance(0.5) {
		p.ModelMode = "allow_list"
		for _, i := range g.sample(len(chatModels), g.between(2, 4)) {
			p.ModelIDs = append(p.ModelIDs, chatModels[i])
		}
	}
	p.Tools = map[string]bool{}
	for _, t := range []string{"file_search", "web_search", "image_generation", "mcp", "code_interpreter"} {
		p.Tools[t] = g.chance(0.7)
	}
	if g.chance(0.5) {
		p.SpendLimit = int64(g.between(1, 20)) * 10000
		p.Enforcement = "enforcing"
	}
}

func byAddedAt(a, b member) int { return cmp.Compare(a.AddedAt, b.AddedAt) }
