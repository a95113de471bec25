package sandbox

import (
	"fmt"
	"net/http"
)

// apiError is an error the sandbox answers with OpenAI's error envelope.
type apiError struct {
	status  int
	message string
	typ     string
	param   *string
	code    *string
	header  http.Header // extra response headers (Retry-After, Allow)
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.typ, e.message) }

// errorEnvelope is components.schemas.ErrorResponse: all four keys always present.
type errorEnvelope struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func (e *apiError) envelope() errorEnvelope {
	return errorEnvelope{Error: errorBody{Message: e.message, Type: e.typ, Param: e.param, Code: e.code}}
}

// optional turns "" into a JSON null.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// invalidRequest is a 400 invalid_request_error about one parameter.
func invalidRequest(param, code, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, message: fmt.Sprintf(format, args...),
		typ: "invalid_request_error", param: optional(param), code: optional(code)}
}

func notFound(format string, args ...any) *apiError {
	return &apiError{status: http.StatusNotFound, message: fmt.Sprintf(format, args...), typ: "invalid_request_error"}
}

// invalidURL is the 404 for a path the API does not have; path as the client sent it.
func invalidURL(method, path string) *apiError {
	return notFound("Invalid URL (%s %s)", method, path)
}

func methodNotAllowed(method, path string) *apiError {
	return &apiError{status: http.StatusMethodNotAllowed, typ: "invalid_request_error",
		message: fmt.Sprintf("Invalid method for URL (%s /v1%s): only GET is supported by the sandbox.", method, path),
		header:  http.Header{"Allow": {http.MethodGet}}}
}
