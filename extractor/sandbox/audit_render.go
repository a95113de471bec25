package sandbox

import "fmt"

// render is the wire form of an event (components.schemas.AuditLog, which
// allows additional properties). Like the live API it also carries
// "object": "organization.audit_log", and sessions carry user_agent.
func (a *auditLog) render(e *auditEvent) obj {
	k := &auditKinds[e.kind]
	return obj{
		"object":       "organization.audit_log",
		"id":           e.id,
		"type":         k.typ,
		"effective_at": e.at,
		"project":      obj{"id": e.project.ID, "name": e.project.Name},
		"actor":        renderActor(e.actor),
		k.typ:          k.detail(a, e),
	}
}

func renderActor(ac auditActor) obj {
	if ac.session {
		return obj{"type": "session", "session": obj{
			"user":       obj{"id": ac.user.ID, "email": ac.user.Email},
			"ip_address": ipv4(ac.ip),
			"user_agent": userAgents[ac.ip%uint32(len(userAgents))],
		}}
	}
	key := obj{"id": ac.keyID, "type": "user"}
	if ac.user != nil {
		key["user"] = obj{"id": ac.user.ID, "email": ac.user.Email}
	} else {
		key["type"] = "service_account"
		key["service_account"] = obj{"id": ac.saID}
	}
	return obj{"type": "api_key", "api_key": key}
}

// ipv4 spreads addresses over a few public-looking ranges.
func ipv4(n uint32) string {
	firsts := [...]int{34, 52, 81, 104, 143, 185, 203}
	return fmt.Sprintf("%d.%d.%d.%d", firsts[n%uint32(len(firsts))], n>>8&0xff, n>>16&0xff, 1+(n>>24)%254)
}
