package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// statusClientGone is logged when the client leaves during injected latency.
const statusClientGone = 499

// call is one request on its way through the pipeline.
type call struct {
	r         *http.Request
	path      string // without /v1
	noV1      bool   // reached Handler() without the /v1 prefix
	kind, key string // the bearer key and its kind
	n         int64  // 1-based request number, for faults
	faults    Faults
	reqID     string
}

// serve is the request pipeline: count, latency, faults, auth, route, log.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, path string, noV1 bool) {
	c := &call{r: r, path: path, noV1: noV1}
	c.kind, c.key = s.keys.classify(r.Header.Get("Authorization"))
	s.mu.Lock()
	s.served++
	c.n, c.faults, c.reqID = s.served, s.faults, "req_"+s.reqIDs.hex(32)
	s.mu.Unlock()

	status := s.respond(w, c)

	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: path, RawQuery: r.URL.RawQuery, Status: status, KeyKind: c.kind})
	s.mu.Unlock()
}

// respond writes the answer to c and returns its status.
func (s *Server) respond(w http.ResponseWriter, c *call) int {
	if !wait(c.r, c.faults.Latency) {
		return statusClientGone
	}
	h := w.Header()
	h.Set("X-Request-Id", c.reqID)
	h.Set("Openai-Version", "2020-10-01")
	h.Set("Openai-Organization", s.org.ID)
	fault := c.faults.pick(c.n)
	if fault != faultNone && fault != faultTruncated {
		return writeFault(w, fault, c.faults)
	}
	rec := &recorder{header: http.Header{}}
	switch err := authorize(c.path, c.kind, c.key); {
	case err != nil:
		writeError(rec, err)
	case c.noV1:
		writeError(rec, invalidURL(c.r.Method, c.path))
	default:
		s.mux.ServeHTTP(rec, c.r)
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	body := rec.body.Bytes()
	if fault == faultTruncated && rec.status == http.StatusOK {
		body = body[:len(body)/2]
	}
	for k, v := range rec.header {
		h[k] = v
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
	return rec.status
}

// recorder buffers a response so that faults can rewrite it and the log can record its status.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}

func writeError(w http.ResponseWriter, e *apiError) int {
	for k, v := range e.header {
		w.Header()[k] = v
	}
	body, _ := json.Marshal(e.envelope()) // cannot fail: strings and pointers to strings
	return writeJSON(w, e.status, body)
}
