// Package sandbox is a deterministic in-process fake of the OpenAI
// Administration API: "the sandbox organisation", used by tests and by
// `openai-sync demo`. It serves every /organization/* list and settings
// endpoint the extractor syncs, and the project-scoped lists (/files,
// /batches, /fine_tuning/jobs, …) for each project's key, with the spec's
// paging styles, admin vs project vs restricted key checks, OpenAI's error
// envelope, and injectable faults.
package sandbox

import (
	"net/http"
	"slices"
	"sync"
	"time"
)

// Options shape the sandbox organisation. Zero values take the defaults.
type Options struct {
	Seed        int64            // deterministic data; same seed => same org
	Users       int              // default 60
	Projects    int              // default 5; the last one is archived
	AuditEvents int              // default 5000 (negative: none), over the 90 days before Clock() at New()
	Clock       func() time.Time // default time.Now; used for "now"
	Faults      Faults
}

// Request is one entry of the request log. KeyKind is "admin", "project",
// "restricted", "revoked", "none" or "unknown"; the key itself is never recorded.
type Request struct {
	Method, Path, RawQuery string
	Status                 int
	KeyKind                string
}

// Server is the sandbox organisation. It is safe for concurrent use.
type Server struct {
	clock func() time.Time
	mux   *http.ServeMux
	keys  keyring

	mu       sync.Mutex // guards everything below
	faults   Faults
	requests []Request
	served   int64
	reqIDs   *gen
	org      *org
	audit    *auditLog
	usage    usageMount
	papi     *projectAPI // the project-scoped API's objects
}

// New builds the sandbox organisation from opts.
func New(opts Options) *Server {
	if opts.Users <= 0 {
		opts.Users = 60
	}
	if opts.Projects <= 0 {
		opts.Projects = 5
	}
	switch {
	case opts.AuditEvents == 0:
		opts.AuditEvents = 5000
	case opts.AuditEvents < 0:
		opts.AuditEvents = 0
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	now := opts.Clock().Unix()
	s := &Server{
		clock:  opts.Clock,
		faults: opts.Faults,
		reqIDs: newGen(opts.Seed, rngRequestIDs),
		org:    buildOrg(opts.Seed, opts.Users, opts.Projects, now),
	}
	s.keys = newKeyring(s.org)
	s.papi = buildProjectAPI(opts.Seed, s.org, now)
	s.audit = newAuditLog(s.org, newGen(opts.Seed, rngAudit), opts.AuditEvents, now)
	s.usage = s.newUsageMount(opts.Seed)
	s.mux = s.routes()
	return s
}

// Handler serves the sandbox under "/v1", as https://api.openai.com/v1 does.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path, ok := trimV1(r.URL.Path)
		if !ok {
			s.serve(w, r, r.URL.Path, true)
			return
		}
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path = path
		r2.URL = &u
		r2.URL.RawPath, _ = trimV1(r.URL.RawPath)
		s.ServeHTTP(w, r2)
	})
}

func trimV1(p string) (string, bool) {
	const prefix = "/v1"
	if len(p) > len(prefix) && p[:len(prefix)] == prefix && p[len(prefix)] == '/' {
		return p[len(prefix):], true
	}
	return "", false
}

// ServeHTTP serves paths without the /v1 prefix ("/organization/users").
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.serve(w, r, r.URL.Path, false)
}

// SetFaults replaces the fault configuration; safe while serving.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// ResetRequests empties the request log (the fault counter keeps counting).
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// ProjectIDs returns every project id, archived ones included, in list order.
func (s *Server) ProjectIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, p := range s.org.Projects {
		out = append(out, p.ID)
	}
	return out
}

// UserIDs returns the current organisation users' ids in list order.
func (s *Server) UserIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, u := range s.org.Users {
		out = append(out, u.ID)
	}
	return out
}
