package sandbox

import "net/http"

// Handlers for /organization/projects/{project_id}/…, archived projects
// included. They run with s.mu held.

func (s *Server) projectOr404(r *http.Request) (*project, *apiError) {
	id := r.PathValue("project_id")
	if p := s.org.project(id); p != nil {
		return p, nil
	}
	return nil, notFound("No project found with id '%s'.", id)
}

// projectList adapts a per-project entry builder into a paged handler.
func (s *Server) projectList(r *http.Request, build func(*project) []entry, ps pageSpec, l2 bool) (any, *apiError) {
	p, err := s.projectOr404(r)
	if err != nil {
		return nil, err
	}
	if l2 {
		return pageL2(r.URL.Query(), build(p), ps)
	}
	return pageL1(r.URL.Query(), build(p), ps)
}

func (s *Server) listProjectUsers(r *http.Request) (any, *apiError) {
	return s.projectList(r, s.projectUserEntries, l1Default, false)
}

func (s *Server) projectUserEntries(p *project) []entry {
	var out []entry
	for _, m := range p.Members {
		u := s.org.people[m.UserID]
		out = append(out, entry{u.ID, projectUserJSON{Object: "organization.project.user", ID: u.ID, Name: u.Name,
			Email: u.Email, Role: m.Role, AddedAt: m.AddedAt}})
	}
	return out
}

func (s *Server) listProjectServiceAccounts(r *http.Request) (any, *apiError) {
	return s.projectList(r, projectSAEntries, l1Default, false)
}

func projectSAEntries(p *project) []entry {
	var out []entry
	for _, sa := range p.SAs {
		out = append(out, entry{sa.ID, renderServiceAccount(sa)})
	}
	return out
}

// listProjectKeys filters on owner_project_access: active (also the default
// when omitted), inactive or any.
func (s *Server) listProjectKeys(r *http.Request) (any, *apiError) {
	access := r.URL.Query().Get("owner_project_access")
	switch access {
	case "":
		access = "active"
	case "active", "inactive", "any":
	default:
		return nil, invalidRequest("owner_project_access", "invalid_value",
			"Invalid 'owner_project_access': expected one of 'active', 'inactive' or 'any', but got %q instead.", access)
	}
	return s.projectList(r, func(p *project) []entry { return s.projectKeyEntries(p, access) }, l1Default, false)
}

func (s *Server) projectKeyEntries(p *project, access string) []entry {
	var out []entry
	for _, k := range p.Keys {
		if access == "any" || s.org.keyAccess(p, k) == access {
			out = append(out, entry{k.ID, s.org.renderProjectKey(p, k)})
		}
	}
	return out
}

func (s *Server) listProjectRateLimits(r *http.Request) (any, *apiError) {
	return s.projectList(r, rateLimitEntries, l1RateLimits, false)
}

func rateLimitEntries(p *project) []entry {
	var out []entry
	for _, rl := range p.RateLimits {
		out = append(out, entry{rl.ID, renderRateLimit(rl)})
	}
	return out
}

// listProjectCertificates lists the org certificates active in the project, newest first by default.
func (s *Server) listProjectCertificates(r *http.Request) (any, *apiError) {
	return s.projectList(r, s.projectCertEntries, l1Desc, false)
}

func (s *Server) projectCertEntries(p *project) []entry {
	var out []entry
	for _, c := range s.org.Certs {
		for _, id := range p.CertIDs {
			if id == c.ID {
				out = append(out, entry{c.ID, renderCert(c, "organization.project.certificate")})
			}
		}
	}
	return out
}

func (s *Server) listProjectGroups(r *http.Request) (any, *apiError) {
	return s.projectList(r, s.projectGroupEntries, l2ProjGroups, true)
}

func (s *Server) projectGroupEntries(p *project) []entry {
	var out []entry
	for _, pg := range p.Groups {
		g := s.org.group(pg.GroupID)
		out = append(out, entry{g.ID, projectGroupJSON{Object: "project.group", ProjectID: p.ID, GroupID: g.ID,
			GroupName: g.Name, GroupType: "group", CreatedAt: pg.CreatedAt}})
	}
	return out
}

func (s *Server) listProjectSpendAlerts(r *http.Request) (any, *apiError) {
	return s.projectList(r, func(p *project) []entry { return alertEntries(p.Alerts, "project.spend_alert") }, l1Alerts, false)
}
