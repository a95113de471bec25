package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Endpoint groups of the project-scoped API, as RestrictedKey names them,
// with the scope a restricted key needs to read each.
var apiGroups = []struct{ name, scope string }{
	{"files", "api.files.read"},
	{"batches", "api.batch.read"},
	{"fine_tuning", "api.fine_tuning.jobs.read"},
	{"vector_stores", "api.vector_stores.read"},
	{"evals", "api.evals.read"},
	{"containers", "api.containers.read"},
	{"skills", "api.skills.read"},
	{"assistants", "api.assistants.read"},
	{"models", "api.model.read"},
}

// groupBit returns the bit of a group name in a restricted key's mask, or -1.
func groupBit(name string) int {
	for i, g := range apiGroups {
		if g.name == name {
			return i
		}
	}
	return -1
}

// apiGroupOf returns the index in apiGroups of the project-API group a path
// belongs to (by its first segment), or -1 for any other path.
// /fine_tuning/checkpoints/… (checkpoint permissions) is an admin endpoint.
func apiGroupOf(path string) int {
	if strings.HasPrefix(path, "/fine_tuning/checkpoints/") {
		return -1
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return groupBit(first)
}

// restrictedPrefix starts every restricted key: the project key prefix, then
// "restricted-<mask, 3 hex digits>-<project id suffix>". The "-" keeps it
// apart from plain project keys, whose suffix is alphanumeric.
const restrictedPrefix = projectKeyPrefix + "restricted-"

// RestrictedKey returns a project key for projectID that may read only the
// named endpoint groups: "files", "batches", "fine_tuning", "vector_stores",
// "evals", "containers", "skills", "assistants", "models". Other groups answer
// 401 with "Missing scopes: api.<…>.read", and /organization/* answers as it
// does for any project key. No names gives a key that reads nothing. It
// returns "" for an unknown project or an unknown group name.
func (s *Server) RestrictedKey(projectID string, allowed ...string) string {
	if s.ProjectKey(projectID) == "" {
		return ""
	}
	mask := 0
	for _, name := range allowed {
		b := groupBit(name)
		if b < 0 {
			return ""
		}
		mask |= 1 << b
	}
	return fmt.Sprintf("%s%03x-%s", restrictedPrefix, mask, strings.TrimPrefix(projectID, "proj_"))
}

// parseRestricted splits a restricted key into its mask and project id; it
// does not check that the project exists.
func parseRestricted(key string) (mask int, projectID string, ok bool) {
	rest, ok := strings.CutPrefix(key, restrictedPrefix)
	if !ok {
		return 0, "", false
	}
	hex, suffix, ok := strings.Cut(rest, "-")
	m, err := strconv.ParseUint(hex, 16, 16)
	if !ok || err != nil || len(hex) != 3 || suffix == "" || m >= 1<<len(apiGroups) {
		return 0, "", false
	}
	return int(m), "proj_" + suffix, true
}

// isRestricted reports whether key is a restricted key of a sandbox project.
func (k keyring) isRestricted(key string) bool {
	_, p, ok := parseRestricted(key)
	return ok && k.projects[projectKeyFor(p)]
}

// projectOf returns the project a project or restricted key in an
// Authorization header belongs to, or "".
func (k keyring) projectOf(header string) string {
	kind, key := k.classify(header)
	switch kind {
	case keyProject:
		return "proj_" + strings.TrimPrefix(key, projectKeyPrefix)
	case keyRestricted:
		_, p, _ := parseRestricted(key)
		return p
	}
	return ""
}

// authorizeProjectAPI checks a valid key against a path of the project API
// (group is its index in apiGroups).
func authorizeProjectAPI(group int, kind, key string) *apiError {
	switch kind {
	case keyAdmin:
		return adminKeyRefused()
	case keyRestricted:
		if mask, _, _ := parseRestricted(key); mask&(1<<group) == 0 {
			return missingScope(apiGroups[group].scope)
		}
	}
	return nil
}

// adminKeyRefused is the answer to an admin key on a non-administration
// endpoint; the key is valid, hence no invalid_api_key code.
func adminKeyRefused() *apiError {
	return &apiError{status: http.StatusUnauthorized, typ: "invalid_request_error",
		message: "Admin API keys cannot be used for non-administration endpoints. " +
			"Use a project API key for this request."}
}
