package apispec

import (
	"bufio"
	"bytes"
	"errors"
	"maps"
	"net"
	"net/http"
	"sync"
)

// Middleware wraps a handler serving the API under /v1 (paths without the prefix work too)
// and checks every exchange passing through: the request's query against CheckQuery and the
// response against ValidateResponse. Responses pass through unchanged; the Recorder collects
// what was found.
func (s *Spec) Middleware(next http.Handler) (http.Handler, *Recorder) {
	rec := &Recorder{operations: map[string]int{}}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &captureWriter{ResponseWriter: w}
		e := newExchange(r)
		defer func() {
			p := recover()
			s.checkQuery(e, r.URL.Query())
			switch {
			case p != nil:
				e.add(KindMalformed, "handler aborted the response (%v) after %d body bytes", p, cw.body.Len())
			case cw.hijacked:
				e.add(KindMalformed, "handler hijacked the connection; the response was not observed")
			default:
				s.checkResponse(e, cw.statusCode(), cw.finalHeader(), cw.body.Bytes())
			}
			rec.record(e)
			if p != nil {
				panic(p) // let net/http abort the connection as the handler asked
			}
		}()
		next.ServeHTTP(cw, r)
	})
	return h, rec
}

// Recorder collects what Middleware found. It is safe for concurrent use.
type Recorder struct {
	mu         sync.Mutex
	exchanges  int
	operations map[string]int
	violations []Violation
	notes      []string
}

func (r *Recorder) record(e *exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exchanges++
	if e.operationID != "" {
		r.operations[e.operationID]++
	}
	for _, v := range e.violations {
		r.violations = append(r.violations, *v)
	}
	r.notes = append(r.notes, e.notes...)
}

// Violations returns one line per violation, each naming method, path, operation and problem.
func (r *Recorder) Violations() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.violations))
	for i := range r.violations {
		out[i] = r.violations[i].Error()
	}
	return out
}

// Details returns the violations as values, so tests can filter by Kind (KindMalformed is what
// injected faults produce).
func (r *Recorder) Details() []Violation {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Violation(nil), r.violations...)
}

// Notes returns exchanges that were not validated and why, e.g. a 404 the operation does
// not declare.
func (r *Recorder) Notes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.notes...)
}

// Exchanges returns how many requests passed through.
func (r *Recorder) Exchanges() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.exchanges
}

// Operations returns how many exchanges matched each operationId.
func (r *Recorder) Operations() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.operations)
}

// captureWriter passes a response through while keeping a copy of its status, headers and
// body.
type captureWriter struct {
	http.ResponseWriter
	status   int
	header   http.Header // as sent: snapshot taken when the status was written
	body     bytes.Buffer
	hijacked bool
}

func (w *captureWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
		w.header = w.ResponseWriter.Header().Clone()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// Flush supports streaming handlers.
func (w *captureWriter) Flush() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack lets fault-injecting handlers drop the connection.
func (w *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("apispec: underlying ResponseWriter cannot hijack")
	}
	w.hijacked = true
	return h.Hijack()
}

// Unwrap serves http.ResponseController.
func (w *captureWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *captureWriter) statusCode() int {
	if w.status == 0 {
		return http.StatusOK // a handler that writes nothing sends 200 with no body
	}
	return w.status
}

// finalHeader returns the headers the client saw, including the Content-Type net/http sniffs
// when the handler set none.
func (w *captureWriter) finalHeader() http.Header {
	h := w.header
	if h == nil {
		h = w.ResponseWriter.Header().Clone()
	}
	if _, set := h["Content-Type"]; !set && w.body.Len() > 0 {
		h.Set("Content-Type", http.DetectContentType(w.body.Bytes()))
	}
	return h
}
