package sandbox

import (
	"net/http"
	"slices"
)

// Handlers for /organization/{users,invites,projects,admin_api_keys,certificates,
// spend_alerts} and the organisation singletons. They run with s.mu held.

func (s *Server) listUsers(r *http.Request) (any, *apiError) {
	q := r.URL.Query()
	emails := slices.Concat(q["emails"], q["emails[]"])
	var out []entry
	for _, u := range s.org.Users {
		if len(emails) == 0 || slices.Contains(emails, u.Email) {
			out = append(out, entry{u.ID, s.org.renderUser(u)})
		}
	}
	return pageL1(q, out, l1Default)
}

func (s *Server) listInvites(r *http.Request) (any, *apiError) {
	return pageL1(r.URL.Query(), s.inviteEntries(), l1Default)
}

func (s *Server) inviteEntries() []entry {
	var out []entry
	for _, i := range s.org.Invites {
		out = append(out, entry{i.ID, renderInvite(i)})
	}
	return out
}

// listProjects hides archived projects unless include_archived=true.
func (s *Server) listProjects(r *http.Request) (any, *apiError) {
	q := r.URL.Query()
	all, err := boolParam(q.Get("include_archived"), "include_archived")
	if err != nil {
		return nil, err
	}
	return pageL1(q, s.projectEntries(all), l1Default)
}

func (s *Server) projectEntries(includeArchived bool) []entry {
	var out []entry
	for _, p := range s.org.Projects {
		if includeArchived || p.ArchivedAt == nil {
			out = append(out, entry{p.ID, renderProject(p)})
		}
	}
	return out
}

func (s *Server) listAdminKeys(r *http.Request) (any, *apiError) {
	return pageL1(r.URL.Query(), s.adminKeyEntries(), l1Asc)
}

func (s *Server) adminKeyEntries() []entry {
	var out []entry
	for _, k := range s.org.AdminKeys {
		out = append(out, entry{k.ID, renderAdminKey(k)})
	}
	return out
}

// listCertificates lists newest first by default (order=desc).
func (s *Server) listCertificates(r *http.Request) (any, *apiError) {
	return pageL1(r.URL.Query(), s.certEntries(), l1Desc)
}

func (s *Server) certEntries() []entry {
	var out []entry
	for _, c := range s.org.Certs {
		out = append(out, entry{c.ID, renderCert(c, "organization.certificate")})
	}
	return out
}

func (s *Server) listSpendAlerts(r *http.Request) (any, *apiError) {
	return pageL1(r.URL.Query(), alertEntries(s.org.Alerts, "organization.spend_alert"), l1Alerts)
}

func alertEntries(alerts []spendAlert, object string) []entry {
	var out []entry
	for _, a := range alerts {
		out = append(out, entry{a.ID, renderAlert(a, object)})
	}
	return out
}

func (s *Server) getDataRetention(*http.Request) (any, *apiError) {
	return dataRetentionJSON{Object: "organization.data_retention", Type: s.org.Retention}, nil
}

func (s *Server) getSpendLimit(*http.Request) (any, *apiError) {
	return spendLimitJSON{Object: "organization.spend_limit", Threshold: s.org.SpendLimit, Currency: "USD",
		Interval: "month", Enforcement: spendEnforcement{Status: s.org.Enforcement}}, nil
}

func boolParam(v, name string) (bool, *apiError) {
	switch v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, invalidRequest(name, "invalid_type", "Invalid '%s': expected a boolean, but got %q instead.", name, v)
}
