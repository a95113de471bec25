package sandbox

import (
	"slices"
	"time"
)

// RemoveUser removes a user from the organisation, its projects and groups,
// with its org role assignments. Keys the user owns stay, and become
// owner_project_access "inactive". Unknown ids are ignored.
func (s *Server) RemoveUser(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.org
	o.Users = slices.DeleteFunc(o.Users, func(u *user) bool { return u.ID == id })
	delete(o.UserRoles, id)
	notID := func(m member) bool { return m.UserID == id }
	for _, p := range o.Projects {
		p.Members = slices.DeleteFunc(p.Members, notID)
	}
	for _, g := range o.Groups {
		g.Members = slices.DeleteFunc(g.Members, notID)
	}
}

// AddAuditEvents appends n events at Clock() time: distinct ids, the newest
// in the log (never older than the newest existing event).
func (s *Server) AddAuditEvents(n int) {
	now := s.clock().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.audit.add(n, now)
}

// AddLateAuditEvents adds n events dated late before the newest event: they
// appear after events newer than them were listed.
func (s *Server) AddLateAuditEvents(n int, late time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	newest := s.clock().Unix()
	if ev := s.audit.events; len(ev) > 0 {
		newest = ev[len(ev)-1].at
	}
	s.audit.addLate(n, newest-int64(late/time.Second))
}
