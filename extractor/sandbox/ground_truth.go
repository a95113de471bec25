package sandbox

// Stream names IDs knows, in the extractor's vocabulary.
const (
	streamUsers                  = "users"
	streamInvites                = "invites"
	streamProjects               = "projects"
	streamAdminAPIKeys           = "admin_api_keys"
	streamCertificates           = "certificates"
	streamGroups                 = "groups"
	streamRoles                  = "roles"
	streamSpendAlerts            = "spend_alerts"
	streamAuditLogs              = "audit_logs"
	streamGroupUsers             = "group_users"
	streamGroupRoles             = "group_roles"
	streamUserRoles              = "user_roles"
	streamProjectUsers           = "project_users"
	streamProjectServiceAccounts = "project_service_accounts"
	streamProjectAPIKeys         = "project_api_keys"
	streamProjectRateLimits      = "project_rate_limits"
	streamProjectCertificates    = "project_certificates"
	streamProjectGroups          = "project_groups"
	streamProjectSpendAlerts     = "project_spend_alerts"
)

// IDs returns the primary keys a complete sync of stream would see, in the
// endpoint's default list order: for fan-outs, parent by parent. Composite
// keys are joined with "/" (project_id/id, group_id/id, user_id/id,
// project_id/group_id). projects includes archived ones and project_api_keys
// includes inactive keys (what include_archived=true and
// owner_project_access=any return); fan-outs cover archived projects too.
// Project-API streams (files, batches, …) are listed in projapi_truth.go.
// An unknown stream gives nil.
func (s *Server) IDs(stream string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.org
	switch stream {
	case streamUsers:
		return s.userEntriesIDs()
	case streamInvites:
		return ids(s.inviteEntries())
	case streamProjects:
		return ids(s.projectEntries(true))
	case streamAdminAPIKeys:
		return ids(s.adminKeyEntries())
	case streamCertificates:
		return reversed(ids(s.certEntries()))
	case streamGroups:
		return ids(s.groupEntries())
	case streamRoles:
		return ids(s.roleEntries())
	case streamSpendAlerts:
		return ids(alertEntries(o.Alerts, "organization.spend_alert"))
	case streamAuditLogs:
		return s.audit.ids()
	case streamGroupUsers:
		return s.perGroup(func(g *group) []string { return reversed(ids(s.groupUserEntries(g))) })
	case streamGroupRoles:
		return s.perGroup(func(g *group) []string { return g.RoleIDs })
	case streamUserRoles:
		var out []string
		for _, u := range o.Users {
			out = append(out, prefixed(u.ID, o.UserRoles[u.ID])...)
		}
		return out
	}
	return s.projectIDs(stream)
}

func (s *Server) projectIDs(stream string) []string {
	build := map[string]func(p *project) []string{
		streamProjectUsers:           func(p *project) []string { return ids(s.projectUserEntries(p)) },
		streamProjectServiceAccounts: func(p *project) []string { return ids(projectSAEntries(p)) },
		streamProjectAPIKeys:         func(p *project) []string { return ids(s.projectKeyEntries(p, "any")) },
		streamProjectRateLimits:      func(p *project) []string { return ids(rateLimitEntries(p)) },
		streamProjectCertificates:    func(p *project) []string { return reversed(ids(s.projectCertEntries(p))) },
		streamProjectGroups:          func(p *project) []string { return ids(s.projectGroupEntries(p)) },
		streamProjectSpendAlerts:     func(p *project) []string { return ids(alertEntries(p.Alerts, "")) },
	}[stream]
	if build == nil {
		return s.projectAPIIDs(stream)
	}
	out := []string{}
	for _, p := range s.org.Projects {
		out = append(out, prefixed(p.ID, build(p))...)
	}
	return out
}

func (s *Server) userEntriesIDs() []string {
	out := []string{}
	for _, u := range s.org.Users {
		out = append(out, u.ID)
	}
	return out
}

func (s *Server) perGroup(children func(g *group) []string) []string {
	out := []string{}
	for _, g := range s.org.Groups {
		out = append(out, prefixed(g.ID, children(g))...)
	}
	return out
}

func ids(entries []entry) []string {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.id)
	}
	return out
}

func reversed(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

func prefixed(parent string, children []string) []string {
	out := make([]string, 0, len(children))
	for _, c := range children {
		out = append(out, parent+"/"+c)
	}
	return out
}
