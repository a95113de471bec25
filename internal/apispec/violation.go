package apispec

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/pb33f/libopenapi-validator/router"
)

// Kind classifies a violation.
type Kind string

const (
	// KindRoute: no operation in the spec matches the request's method and path.
	KindRoute Kind = "route"
	// KindQuery: the request uses an undeclared query parameter, a bad value, or misses a
	// required one.
	KindQuery Kind = "query"
	// KindStatus: the response status is not declared for the operation.
	KindStatus Kind = "status"
	// KindHeader: a response header (Content-Type included) breaks the spec.
	KindHeader Kind = "header"
	// KindBody: the JSON body does not match the declared schema.
	KindBody Kind = "body"
	// KindMalformed: the body is not JSON at all (HTML, truncated, empty where content is
	// declared), the handler aborted or hijacked the connection, or Content-Length disagrees
	// with the bytes written. This is what the sandbox's injected faults look like; contract
	// runs turn faults off, so any of these is a real problem there.
	KindMalformed Kind = "malformed"
)

// Violation is one way an exchange breaks the spec. Messages never carry the Authorization
// header or anything shaped like an API key.
type Violation struct {
	Method      string
	Path        string // request path, without the query
	OperationID string // "" when no operation matched
	Kind        Kind
	Problem     string
}

func (v *Violation) Error() string {
	op := ""
	if v.OperationID != "" {
		op = " (" + v.OperationID + ")"
	}
	return fmt.Sprintf("%s %s%s: %s: %s", v.Method, v.Path, op, v.Kind, v.Problem)
}

// keyShaped matches OpenAI keys (sk-…, sk-admin-…, sk-proj-…) and bearer credentials.
var keyShaped = regexp.MustCompile(`(?i)\b(sk-[A-Za-z0-9_\-]{3,}|bearer\s+\S+)`)

// redactor removes the request's credential, and anything key-shaped, from messages.
type redactor struct{ secrets []string }

func newRedactor(h http.Header) redactor {
	var r redactor
	for _, v := range h.Values("Authorization") {
		r.secrets = append(r.secrets, v)
		if _, token, ok := strings.Cut(v, " "); ok && len(strings.TrimSpace(token)) >= 4 {
			r.secrets = append(r.secrets, strings.TrimSpace(token))
		}
	}
	return r
}

func (r redactor) clean(s string) string {
	for _, secret := range r.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return keyShaped.ReplaceAllString(s, "[redacted]")
}

// exchange names one request while violations about it are collected.
type exchange struct {
	method, path, operationID string
	redact                    redactor
	resolved                  bool
	route                     *router.Route
	violations                []*Violation
	notes                     []string
}

func newExchange(req *http.Request) *exchange {
	return &exchange{method: req.Method, path: req.URL.Path, redact: newRedactor(req.Header)}
}

func (e *exchange) add(kind Kind, format string, args ...any) {
	e.violations = append(e.violations, &Violation{
		Method:      e.method,
		Path:        e.redact.clean(e.path),
		OperationID: e.operationID,
		Kind:        kind,
		Problem:     e.redact.clean(fmt.Sprintf(format, args...)),
	})
}

func (e *exchange) note(format string, args ...any) {
	op := ""
	if e.operationID != "" {
		op = " (" + e.operationID + ")"
	}
	e.notes = append(e.notes, e.redact.clean(fmt.Sprintf("%s %s%s: ", e.method, e.path, op)+fmt.Sprintf(format, args...)))
}

func (e *exchange) errors() []error {
	if len(e.violations) == 0 {
		return nil
	}
	out := make([]error, len(e.violations))
	for i, v := range e.violations {
		out[i] = v
	}
	return out
}
