package sandbox

import (
	"net/http"
	"strings"
)

// Fixed sandbox keys: they unlock nothing but the sandbox, so they may appear
// in docs and demos.
const (
	sandboxAdminKey   = "sk-admin-sandbox-8f2c4e6a1b3d5f7091a2b3c4d5e6f708"
	sandboxRevokedKey = "sk-admin-sandbox-revoked-6b1d9e3f0a2c4e5f"
	projectKeyPrefix  = "sk-proj-sandbox-"
)

// Key kinds, as recorded in the request log.
const (
	keyAdmin      = "admin"
	keyProject    = "project"
	keyRestricted = "restricted" // a project key limited to some endpoint groups
	keyRevoked    = "revoked"
	keyNone       = "none"
	keyUnknown    = "unknown"
)

// keyring recognises the sandbox's keys. It is immutable after New.
type keyring struct {
	projects map[string]bool // project key -> valid
}

func newKeyring(o *org) keyring {
	k := keyring{projects: map[string]bool{}}
	for _, p := range o.Projects {
		k.projects[projectKeyFor(p.ID)] = true
	}
	return k
}

func projectKeyFor(projectID string) string {
	return projectKeyPrefix + strings.TrimPrefix(projectID, "proj_")
}

// AdminKey returns the sandbox's admin key, accepted on /organization/*.
func (s *Server) AdminKey() string { return sandboxAdminKey }

// RevokedKey returns a key that is refused with 401 invalid_api_key.
func (s *Server) RevokedKey() string { return sandboxRevokedKey }

// ProjectKey returns a valid project key for projectID: it reads that
// project's objects on the project API (/files, /batches, …; archived projects
// too) but lacks the admin scopes /organization/* needs. It returns "" for an
// unknown project.
func (s *Server) ProjectKey(projectID string) string {
	k := projectKeyFor(projectID)
	if !s.keys.projects[k] {
		return ""
	}
	return k
}

// classify returns the kind of the bearer key in an Authorization header, and the key.
func (k keyring) classify(header string) (kind, key string) {
	scheme, key, ok := strings.Cut(strings.TrimSpace(header), " ")
	key = strings.TrimSpace(key)
	switch {
	case !ok || !strings.EqualFold(scheme, "Bearer") || key == "":
		return keyNone, ""
	case key == sandboxAdminKey:
		return keyAdmin, key
	case key == sandboxRevokedKey:
		return keyRevoked, key
	case k.projects[key]:
		return keyProject, key
	case k.isRestricted(key):
		return keyRestricted, key
	}
	return keyUnknown, key
}

// authorize checks the key against the path's required scope: /organization/*
// needs the admin key, the project API (/files, …) a project or restricted key.
func authorize(path, kind, key string) *apiError {
	switch kind {
	case keyNone:
		return unauthorized("You didn't provide an API key. You need to provide your API key in an Authorization header " +
			"using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from " +
			"https://platform.openai.com/account/api-keys.")
	case keyRevoked, keyUnknown:
		return unauthorized("Incorrect API key provided: " + maskKey(key) +
			". You can find your API key at https://platform.openai.com/account/api-keys.")
	case keyProject, keyRestricted:
		if strings.HasPrefix(path, "/organization/") || path == "/organization" {
			return missingScope(scopeFor(path))
		}
	}
	if g := apiGroupOf(path); g >= 0 {
		return authorizeProjectAPI(g, kind, key)
	}
	return nil
}

func scopeFor(path string) string {
	if strings.HasPrefix(path, "/organization/usage/") || path == "/organization/costs" {
		return "api.usage.read"
	}
	return "api.management.read"
}

func unauthorized(msg string) *apiError {
	return &apiError{status: http.StatusUnauthorized, message: msg, typ: "invalid_request_error", code: optional("invalid_api_key")}
}

func missingScope(scope string) *apiError {
	return &apiError{status: http.StatusUnauthorized, typ: "invalid_request_error",
		message: "You have insufficient permissions for this operation. Missing scopes: " + scope +
			". Check that you have the correct role in your organization, and if you're using a restricted API key, " +
			"that it has the necessary scopes."}
}

// maskKey shows at most the last four characters of a key.
func maskKey(key string) string {
	prefix := ""
	if strings.HasPrefix(key, "sk-") {
		prefix = "sk-"
	}
	if len(key) < 12 {
		return prefix + "…"
	}
	return prefix + "…" + key[len(key)-4:]
}
