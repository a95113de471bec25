package sandbox

import (
	"cmp"
	"slices"
)

var predefinedRoles = []struct {
	name, description, resourceType string
	permissions                     []string
}{
	{"Owner", "Full access to the organization, including billing and member management.", "api.organization",
		[]string{"api.management.read", "api.management.write", "api.usage.read", "api.billing.read", "api.billing.write", "api.groups.read", "api.groups.write"}},
	{"Reader", "Read-only access to organization settings and usage.", "api.organization",
		[]string{"api.management.read", "api.usage.read"}},
	{"Project Owner", "Manage project members, keys and settings.", "api.project",
		[]string{"api.project.read", "api.project.write", "api.project.keys.write", "api.model.request"}},
	{"Project Member", "Use the project's models and create keys.", "api.project",
		[]string{"api.project.read", "api.project.keys.write", "api.model.request"}},
	{"Project Viewer", "View the project's resources without making requests.", "api.project",
		[]string{"api.project.read"}},
}

var customRoles = []struct {
	name, description string
	permissions       []string
}{
	{"API Group Manager", "Allows managing organization groups", []string{"api.groups.read", "api.groups.write"}},
	{"Billing Viewer", "Read invoices, spend limits and alerts", []string{"api.billing.read", "api.usage.read"}},
	{"Usage Analyst", "Read usage and cost reports", []string{"api.usage.read"}},
	{"Key Auditor", "Read admin and project API keys", []string{"api.management.read"}},
}

// buildRoles makes the predefined and custom roles and assigns org roles to
// users: the predefined role matching their org role, sometimes a custom one.
func buildRoles(o *org, g *gen, start int64) {
	for _, p := range predefinedRoles {
		o.Roles = append(o.Roles, &role{ID: "role_" + g.ulid(), Name: p.name, Description: p.description,
			Permissions: p.permissions, ResourceType: p.resourceType, Predefined: true})
	}
	owners := o.owners()
	for i, at := range spread(g, len(customRoles), start+30*day, start+600*day) {
		c := customRoles[i]
		o.Roles = append(o.Roles, &role{ID: "role_" + g.ulid(), Name: c.name, Description: c.description,
			Permissions: c.permissions, ResourceType: "api.organization", CreatedAt: at,
			CreatedBy: owners[i%len(owners)]})
	}
	owner, reader := o.Roles[0].ID, o.Roles[1].ID
	custom := o.Roles[len(predefinedRoles):]
	for _, u := range o.Users {
		ids := []string{reader}
		if u.Role == "owner" {
			ids[0] = owner
		}
		if g.chance(0.2) {
			ids = append(ids, custom[g.r.IntN(len(custom))].ID)
		}
		o.UserRoles[u.ID] = ids
	}
}

// buildGroups makes at least 8 groups with 3-12 members each, their org roles,
// and the groups' project memberships.
func buildGroups(o *org, g *gen, start, now int64) {
	n := min(len(groupNames), max(8, len(o.Users)/6))
	for i, at := range spread(g, n, start, now-10*day) {
		gr := &group{ID: "group_" + g.ulid(), Name: groupNames[i], CreatedAt: at, SCIM: g.chance(0.4)}
		for _, ui := range g.sample(len(o.Users), g.between(3, min(12, len(o.Users)))) {
			u := o.Users[ui]
			from := max(u.AddedAt, at)
			gr.Members = append(gr.Members, member{UserID: u.ID, AddedAt: from + g.r.Int64N(max(now-from, 1))})
		}
		slices.SortStableFunc(gr.Members, byAddedAt)
		orgRoles := []*role{}
		for _, r := range o.Roles {
			if r.ResourceType == "api.organization" {
				orgRoles = append(orgRoles, r)
			}
		}
		for _, ri := range g.sample(len(orgRoles), g.between(0, 2)) {
			gr.RoleIDs = append(gr.RoleIDs, orgRoles[ri].ID)
		}
		o.Groups = append(o.Groups, gr)
	}
	for _, p := range o.Projects {
		for _, gi := range g.sample(len(o.Groups), g.between(0, 3)) {
			from := max(p.CreatedAt, o.Groups[gi].CreatedAt)
			p.Groups = append(p.Groups, projectGroup{GroupID: o.Groups[gi].ID, CreatedAt: from + g.r.Int64N(max(now-from, 1))})
		}
		slices.SortStableFunc(p.Groups, func(a, b projectGroup) int { return cmp.Compare(a.CreatedAt, b.CreatedAt) })
	}
}
