package apispec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	lowv3 "github.com/pb33f/libopenapi/datamodel/low/v3"
)

// ValidateResponse checks the status, headers and body of one exchange against the operation
// matching req's method and path (with or without the /v1 prefix). body is the full response
// body; resp.Body is not read. It returns every violation, each a *Violation.
//
// Error statuses (4xx, 5xx) the operation declares, such as 429 → ErrorResponse, are validated
// like any other; those it does not declare (most 401, 404, 5xx) are not validated (the
// Recorder keeps a note). A body that is not JSON is reported as KindMalformed whatever the
// status.
func (s *Spec) ValidateResponse(req *http.Request, resp *http.Response, body []byte) []error {
	e := newExchange(req)
	s.checkResponse(e, resp.StatusCode, resp.Header, body)
	return e.errors()
}

func (s *Spec) checkResponse(e *exchange, status int, header http.Header, body []byte) {
	route := s.resolve(e)
	if route == nil {
		return
	}

	if n := header.Get("Content-Length"); n != "" && n != strconv.Itoa(len(body)) {
		e.add(KindMalformed, "Content-Length is %s but the body has %d bytes", n, len(body))
		return
	}
	if len(body) > 0 && !json.Valid(body) {
		e.add(KindMalformed, "status %d body is not JSON (Content-Type %q, %d bytes)",
			status, header.Get("Content-Type"), len(body))
		return
	}

	declared, label := declaredResponse(route.Operation, status)
	if declared == nil {
		if status >= 400 {
			e.note("status %d is not declared (declared: %s); skipped, body not validated", status, codes(route.Operation))
			return
		}
		e.add(KindStatus, "status %d is not declared (declared: %s)", status, codes(route.Operation))
		return
	}
	if declared.Content != nil && declared.Content.Len() > 0 && len(body) == 0 {
		e.add(KindMalformed, "status %d (%s) declares a body but the response is empty", status, label)
		return
	}

	// The validator sees only what it needs: no Authorization header, no query.
	vreq, err := http.NewRequest(e.method, e.path, nil)
	if err != nil {
		e.add(KindRoute, "bad path: %v", err)
		return
	}
	vresp := &http.Response{
		StatusCode: status,
		Header:     header.Clone(),
		Body:       io.NopCloser(bytes.NewReader(body)),
		Request:    vreq,
	}
	_, errs := s.validator.ValidateHttpResponse(vreq, vresp)
	for _, ve := range errs {
		if ve.ValidationSubType == helpers.RequestBodyContentType {
			e.add(KindHeader, "Content-Type %q is not declared for status %s (declared: %s)",
				header.Get("Content-Type"), label, mediaTypes(declared))
			continue
		}
		addLibraryError(e, ve)
	}
}

func mediaTypes(r *v3.Response) string {
	if r.Content == nil || r.Content.Len() == 0 {
		return "none"
	}
	return strings.Join(slices.Collect(r.Content.KeysFromOldest()), ", ")
}

// declaredResponse finds the response the operation declares for status: the exact code,
// then its range ("4XX"), then default.
func declaredResponse(op *v3.Operation, status int) (*v3.Response, string) {
	if op.Responses == nil {
		return nil, ""
	}
	if op.Responses.Codes != nil {
		for _, code := range []string{strconv.Itoa(status), fmt.Sprintf("%dXX", status/100)} {
			if r := op.Responses.Codes.GetOrZero(code); r != nil {
				return r, code
			}
		}
	}
	if op.Responses.Default != nil {
		return op.Responses.Default, "default"
	}
	return nil, ""
}

func codes(op *v3.Operation) string {
	var out []string
	if op.Responses != nil && op.Responses.Codes != nil {
		for pair := op.Responses.Codes.First(); pair != nil; pair = pair.Next() {
			out = append(out, pair.Key())
		}
	}
	if op.Responses != nil && op.Responses.Default != nil {
		out = append(out, "default")
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// addLibraryError turns one validator error into violations: one per schema failure, naming
// the JSON path and the spec line of the schema, so a test failure points at both sides.
func addLibraryError(e *exchange, ve *liberrors.ValidationError) {
	kind := KindBody
	switch ve.ValidationSubType {
	case helpers.ResponseBodyResponseCode:
		kind = KindStatus
	case helpers.ParameterValidationHeader, lowv3.HeadersLabel:
		kind = KindHeader
	}
	where := ""
	if ve.SpecLine > 0 {
		where = fmt.Sprintf(" (schema at spec line %d)", ve.SpecLine)
	}
	if len(ve.SchemaValidationErrors) == 0 {
		e.add(kind, "%s: %s%s", ve.Message, ve.Reason, where)
		return
	}
	for _, f := range ve.SchemaValidationErrors {
		field := f.FieldPath
		if field == "" {
			field = "$"
		}
		if kind == KindHeader { // the field path of a header value is just "$"
			field = ve.Message
		}
		e.add(kind, "%s: %s%s", field, f.Reason, where)
	}
}
