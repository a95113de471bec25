package sandbox

import (
	"net/http"

	"github.com/openai-sync/openai-sync/extractor/sandbox/usage"
)

// usageMount is the Usage and Costs fake (/organization/usage/*, /organization/costs).
type usageMount = *usage.Server

// newUsageMount builds the usage server over the organisation's projects,
// users and project API keys (archived projects and inactive keys included).
func (s *Server) newUsageMount(seed int64) usageMount {
	o := s.org
	opts := usage.Options{Seed: seed, Clock: s.clock}
	for _, u := range o.Users {
		opts.UserIDs = append(opts.UserIDs, u.ID)
	}
	for _, p := range o.Projects {
		opts.ProjectIDs = append(opts.ProjectIDs, p.ID)
		for _, k := range p.Keys {
			opts.APIKeyIDs = append(opts.APIKeyIDs, k.ID)
		}
	}
	return usage.New(opts)
}

// mountUsage delegates the usage paths; ServeHTTP has already done auth
// (scope api.usage.read), faults and logging. The usage server keeps its own lock.
func (s *Server) mountUsage(mux *http.ServeMux) {
	mux.Handle("/organization/usage/", s.usage)
	mux.Handle("/organization/costs", s.usage)
	mux.HandleFunc("/organization/usage", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, invalidURL(r.Method, "/v1"+r.URL.Path))
	})
}

// Usage returns the mounted Usage and Costs server, e.g. to record revisions.
func (s *Server) Usage() *usage.Server { return s.usage }
