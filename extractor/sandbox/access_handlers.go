package sandbox

import "net/http"

// Handlers for groups, roles and role assignments (L2 lists). They run with s.mu held.

func (s *Server) listGroups(r *http.Request) (any, *apiError) {
	return pageL2(r.URL.Query(), s.groupEntries(), l2Groups)
}

func (s *Server) groupEntries() []entry {
	var out []entry
	for _, g := range s.org.Groups {
		out = append(out, entry{g.ID, renderGroup(g)})
	}
	return out
}

func (s *Server) groupOr404(r *http.Request) (*group, *apiError) {
	id := r.PathValue("group_id")
	if g := s.org.group(id); g != nil {
		return g, nil
	}
	return nil, notFound("No group found with id '%s'.", id)
}

// listGroupUsers lists members by when they joined, newest first by default.
func (s *Server) listGroupUsers(r *http.Request) (any, *apiError) {
	g, err := s.groupOr404(r)
	if err != nil {
		return nil, err
	}
	return pageL2(r.URL.Query(), s.groupUserEntries(g), l2GroupUsers)
}

func (s *Server) groupUserEntries(g *group) []entry {
	var out []entry
	for _, m := range g.Members {
		u := s.org.people[m.UserID]
		out = append(out, entry{u.ID, groupUserJSON{ID: u.ID, Name: u.Name, Email: ptr(u.Email)}})
	}
	return out
}

func (s *Server) listGroupRoles(r *http.Request) (any, *apiError) {
	g, err := s.groupOr404(r)
	if err != nil {
		return nil, err
	}
	return pageL2(r.URL.Query(), s.assignedEntries(g.RoleIDs, g.ID, "group"), l2Assigned)
}

func (s *Server) assignedEntries(roleIDs []string, principalID, principalType string) []entry {
	var out []entry
	for _, id := range roleIDs {
		out = append(out, entry{id, renderAssignedRole(s.org.role(id), principalID, principalType)})
	}
	return out
}

func (s *Server) listRoles(r *http.Request) (any, *apiError) {
	return pageL2(r.URL.Query(), s.roleEntries(), l2Roles)
}

func (s *Server) roleEntries() []entry {
	var out []entry
	for _, ro := range s.org.Roles {
		out = append(out, entry{ro.ID, renderRole(ro)})
	}
	return out
}

func (s *Server) listUserRoles(r *http.Request) (any, *apiError) {
	id := r.PathValue("user_id")
	roles, ok := s.org.UserRoles[id]
	if !ok {
		return nil, notFound("No user found with id '%s'.", id)
	}
	return pageL2(r.URL.Query(), s.assignedEntries(roles, id, "user"), l2Assigned)
}
