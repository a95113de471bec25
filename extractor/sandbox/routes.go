package sandbox

import (
	"encoding/json"
	"net/http"
)

// handler answers one GET with a wire value or an API error. It runs with s.mu held.
type handler func(r *http.Request) (any, *apiError)

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	get := func(pattern string, h handler) { mux.Handle(pattern, s.locked(h)) }

	get("/organization/users", s.listUsers)
	get("/organization/invites", s.listInvites)
	get("/organization/projects", s.listProjects)
	get("/organization/admin_api_keys", s.listAdminKeys)
	get("/organization/certificates", s.listCertificates)
	get("/organization/groups", s.listGroups)
	get("/organization/groups/{group_id}/users", s.listGroupUsers)
	get("/organization/groups/{group_id}/roles", s.listGroupRoles)
	get("/organization/roles", s.listRoles)
	get("/organization/users/{user_id}/roles", s.listUserRoles)
	get("/organization/spend_alerts", s.listSpendAlerts)
	get("/organization/data_retention", s.getDataRetention)
	get("/organization/spend_limit", s.getSpendLimit)
	get("/organization/audit_logs", s.listAuditLogs)

	get("/organization/projects/{project_id}/users", s.listProjectUsers)
	get("/organization/projects/{project_id}/service_accounts", s.listProjectServiceAccounts)
	get("/organization/projects/{project_id}/api_keys", s.listProjectKeys)
	get("/organization/projects/{project_id}/rate_limits", s.listProjectRateLimits)
	get("/organization/projects/{project_id}/certificates", s.listProjectCertificates)
	get("/organization/projects/{project_id}/groups", s.listProjectGroups)
	get("/organization/projects/{project_id}/spend_alerts", s.listProjectSpendAlerts)
	get("/organization/projects/{project_id}/data_retention", s.getProjectDataRetention)
	get("/organization/projects/{project_id}/model_permissions", s.getProjectModelPermissions)
	get("/organization/projects/{project_id}/hosted_tool_permissions", s.getProjectToolPermissions)
	get("/organization/projects/{project_id}/spend_limit", s.getProjectSpendLimit)

	s.mountUsage(mux)
	s.projectAPIRoutes(get)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, invalidURL(r.Method, "/v1"+r.URL.Path))
	})
	return mux
}

// locked adapts a handler: GET only, s.mu held, JSON out.
func (s *Server) locked(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			writeError(w, methodNotAllowed(r.Method, r.URL.Path))
			return
		}
		s.mu.Lock()
		v, apiErr := h(r)
		var body []byte
		var err error
		if apiErr == nil {
			body, err = json.Marshal(v)
		}
		s.mu.Unlock()
		switch {
		case apiErr != nil:
			writeError(w, apiErr)
		case err != nil:
			writeError(w, serverError())
		default:
			writeJSON(w, http.StatusOK, body)
		}
	})
}
