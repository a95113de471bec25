package sandbox

// What each generated audit event is about: its project (org-level actions are
// attributed to the default project, as the live API does) and resource id,
// drawn from the sandbox organisation's real entities.

func (a *auditLog) defaultProject() *project { return a.o.Projects[0] }

func (a *auditLog) randomProject() *project { return a.o.Projects[a.g.r.IntN(len(a.o.Projects))] }

// randomUser picks a current user, or anyone ever generated once all were removed.
func (a *auditLog) randomUser() *user {
	if us := a.o.Users; len(us) > 0 {
		return us[a.g.r.IntN(len(us))]
	}
	return a.people[a.g.r.IntN(len(a.people))]
}

func aboutOrg(a *auditLog, e *auditEvent) { e.project = a.defaultProject() }

func aboutOrgSettings(a *auditLog, e *auditEvent) {
	e.project, e.resource = a.defaultProject(), a.o.ID
}

func aboutKey(a *auditLog, e *auditEvent) {
	e.project = a.randomProject()
	e.resource = e.project.Keys[a.g.r.IntN(len(e.project.Keys))].ID
}

func aboutProject(a *auditLog, e *auditEvent) {
	e.project = a.randomProject()
	e.resource = e.project.ID
}

func aboutArchived(a *auditLog, e *auditEvent) {
	e.project = a.o.Projects[len(a.o.Projects)-1]
	e.resource = e.project.ID
}

func aboutMember(a *auditLog, e *auditEvent) {
	e.project = a.randomProject()
	e.resource = a.randomUser().ID
	if ms := e.project.Members; len(ms) > 0 {
		e.resource = ms[a.g.r.IntN(len(ms))].UserID
	}
}

func aboutInvite(a *auditLog, e *auditEvent) {
	e.project = a.defaultProject()
	e.resource = a.o.Invites[a.g.r.IntN(len(a.o.Invites))].ID
}

func aboutRateLimit(a *auditLog, e *auditEvent) {
	e.project = a.randomProject()
	e.resource = e.project.RateLimits[a.g.r.IntN(len(e.project.RateLimits))].ID
}

func aboutServiceAccount(a *auditLog, e *auditEvent) {
	e.project = a.randomProject()
	e.resource = e.project.SAs[a.g.r.IntN(len(e.project.SAs))].ID
}

func aboutGroup(a *auditLog, e *auditEvent) {
	e.project = a.defaultProject()
	e.resource = a.o.Groups[a.g.r.IntN(len(a.o.Groups))].ID
}

func aboutAssignment(a *auditLog, e *auditEvent) {
	e.project = a.defaultProject()
	e.resource = "role_assignment_" + a.g.alnum(20)
	e.subject = a.randomUser().ID
}

func aboutCert(a *auditLog, e *auditEvent) {
	e.project = a.defaultProject()
	e.resource = a.o.Certs[a.g.r.IntN(len(a.o.Certs))].ID
}

func aboutCheckpoint(a *auditLog, e *auditEvent) {
	e.project = a.randomProject()
	e.resource = "cp_" + a.g.alnum(24)
}

func (a *auditLog) invite(id string) invite {
	for _, i := range a.o.Invites {
		if i.ID == id {
			return i
		}
	}
	return invite{ID: id}
}

func (a *auditLog) cert(id string) certificate {
	for _, c := range a.o.Certs {
		if c.ID == id {
			return c
		}
	}
	return certificate{ID: id}
}
