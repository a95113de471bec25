package sandbox

import "strconv"

// auditKind is one generated event type: how often it occurs, what it is
// about (project and resource id), and its detail object, which the event
// carries under a key equal to the type (per components.schemas.AuditLog).
type auditKind struct {
	typ         string
	weight      int
	sessionOnly bool                                 // only people log in and out
	about       func(a *auditLog, e *auditEvent)     // sets e.project and e.resource
	detail      func(a *auditLog, e *auditEvent) any // the object under key typ
}

// obj is a JSON object.
type obj = map[string]any

var auditKinds = []auditKind{
	{"login.succeeded", 30, true, aboutOrg, func(*auditLog, *auditEvent) any { return obj{} }},
	{"login.failed", 4, true, aboutOrg, func(*auditLog, *auditEvent) any {
		return obj{"error_code": "invalid_credentials", "error_message": "Wrong email or password."}
	}},
	{"logout.succeeded", 6, true, aboutOrg, func(*auditLog, *auditEvent) any { return obj{} }},
	{"api_key.created", 8, false, aboutKey, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "data": obj{"scopes": keyScopes(e)}}
	}},
	{"api_key.updated", 4, false, aboutKey, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "changes_requested": obj{"scopes": keyScopes(e)}}
	}},
	{"api_key.deleted", 3, false, aboutKey, idOnly},
	{"project.created", 1, false, aboutProject, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "data": obj{"name": e.project.Name, "title": e.project.Name}}
	}},
	{"project.updated", 2, false, aboutProject, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "changes_requested": obj{"title": e.project.Name}}
	}},
	{"project.archived", 1, false, aboutArchived, idOnly},
	{"user.added", 4, false, aboutMember, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "data": obj{"role": pickRole(e, "member", "owner")}}
	}},
	{"user.updated", 3, false, aboutMember, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "changes_requested": obj{"role": pickRole(e, "owner", "member")}}
	}},
	{"user.deleted", 1, false, aboutMember, idOnly},
	{"invite.sent", 4, false, aboutInvite, func(a *auditLog, e *auditEvent) any {
		inv := a.invite(e.resource)
		return obj{"id": inv.ID, "data": obj{"email": inv.Email, "role": inv.Role}}
	}},
	{"invite.accepted", 3, false, aboutInvite, idOnly},
	{"invite.deleted", 1, false, aboutInvite, idOnly},
	{"rate_limit.updated", 3, false, aboutRateLimit, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "changes_requested": obj{"max_requests_per_1_minute": 500 * (1 + int(e.aux%20))}}
	}},
	{"service_account.created", 2, false, aboutServiceAccount, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "data": obj{"role": pickRole(e, "member", "owner")}}
	}},
	{"service_account.updated", 1, false, aboutServiceAccount, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "changes_requested": obj{"role": pickRole(e, "owner", "member")}}
	}},
	{"group.created", 1, false, aboutGroup, func(a *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "data": obj{"group_name": a.o.group(e.resource).Name}}
	}},
	{"group.updated", 1, false, aboutGroup, func(a *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "changes_requested": obj{"group_name": a.o.group(e.resource).Name}}
	}},
	{"role.assignment.created", 2, false, aboutAssignment, roleAssignment},
	{"role.assignment.deleted", 1, false, aboutAssignment, roleAssignment},
	{"certificate.created", 1, false, aboutCert, func(a *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "name": a.cert(e.resource).Name}
	}},
	{"checkpoint.permission.created", 1, false, aboutCheckpoint, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "data": obj{"project_id": e.project.ID,
			"fine_tuned_model_checkpoint": "ft:gpt-4o-mini-2024-07-18:sandbox::" + e.resource[3:11] + ":ckpt-step-" + strconv.Itoa(100*(1+int(e.aux%9)))}}
	}},
	{"organization.updated", 1, false, aboutOrgSettings, func(_ *auditLog, e *auditEvent) any {
		return obj{"id": e.resource, "changes_requested": obj{"usage_dashboard_visibility": pickRole(e, "ANY_ROLE", "OWNERS")}}
	}},
}

func idOnly(_ *auditLog, e *auditEvent) any { return obj{"id": e.resource} }

func roleAssignment(a *auditLog, e *auditEvent) any {
	return obj{"id": e.resource, "principal_id": e.subject, "principal_type": "user",
		"resource_id": a.o.ID, "resource_type": "api.organization"}
}

func pickRole(e *auditEvent, a, b string) string {
	if e.aux%3 == 0 {
		return b
	}
	return a
}

func keyScopes(e *auditEvent) []string {
	if e.aux%2 == 0 {
		return []string{"api.model.read", "api.model.request"}
	}
	return []string{"api.all"}
}
