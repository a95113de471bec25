package sandbox

import "fmt"

// render is the wire form of an event (components.schemas.AuditLog, which
// allows additional properties). Like the live API it also carries
// "object": "organization.audit_log", and sessions carry user_agent, ja3,
// ja4 and ip_address_details, which the spec does not declare.
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
			"user":               obj{"id": ac.user.ID, "email": ac.user.Email},
			"ip_address":         ipv4(ac.ip),
			"user_agent":         userAgents[ac.ip%uint32(len(userAgents))],
			"ja3":                fmt.Sprintf("%016x%016x", uint64(ac.ip)*0x9e3779b97f4a7c15, uint64(ac.ip)*0xc2b2ae3d27d4eb4f),
			"ja4":                fmt.Sprintf("t13d1516h2_8daaf6152771_%012x", ac.ip),
			"ip_address_details": ipDetails(ac.ip),
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

// ipDetails is the geolocation the live API attaches to a session's address.
func ipDetails(n uint32) obj {
	places := [...][5]string{
		{"US", "San Francisco", "California", "CA", "37.77490"},
		{"DE", "Berlin", "Berlin", "BE", "52.52000"},
		{"GB", "London", "England", "ENG", "51.50740"},
		{"JP", "Tokyo", "Tokyo", "13", "35.68950"},
	}
	p := places[n%uint32(len(places))]
	return obj{"country": p[0], "city": p[1], "region": p[2], "region_code": p[3],
		"asn": fmt.Sprint(13000 + n%500), "latitude": p[4], "longitude": "-0.12780"}
}
