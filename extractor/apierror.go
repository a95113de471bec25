package extractor

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// APIError is a non-2xx answer from the API, decoded from OpenAI's error
// envelope {"error":{"message","type","param","code"}} when there is one.
type APIError struct {
	Status    int
	Type      string
	Code      string
	Param     string
	Message   string
	RequestID string
	Method    string
	Path      string // path and query, never a key
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.Status)
	if e.Type != "" || e.Code != "" {
		fmt.Fprintf(&b, " (%s", e.Type)
		if e.Code != "" {
			fmt.Fprintf(&b, "/%s", e.Code)
		}
		b.WriteString(")")
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request %s]", e.RequestID)
	}
	return b.String()
}

// IsAuth reports whether the error means the key cannot read this endpoint:
// invalid, revoked, the wrong kind or missing a scope. OpenAI answers missing
// scopes with 401, so 401 and 403 are both auth.
func (e *APIError) IsAuth() bool { return e.Status == 401 || e.Status == 403 }

var scopeRE = regexp.MustCompile(`Missing scopes?: ([a-z0-9_.]+(?:, ?[a-z0-9_.]+)*)`)

// MissingScope returns the scope named in the message, if any.
func (e *APIError) MissingScope() string {
	if m := scopeRE.FindStringSubmatch(e.Message); m != nil {
		return strings.TrimRight(m[1], ".")
	}
	return ""
}

// Advice says in one line what the user can do about an auth error.
func (e *APIError) Advice(adminEndpoint bool) string {
	switch {
	case e.Code == "invalid_api_key":
		return "the key is invalid or revoked: create a new one and update its environment variable or key file"
	case adminEndpoint && e.MissingScope() != "":
		return "organisation endpoints need an Admin key (sk-admin-…): an organisation owner creates one at https://platform.openai.com/settings/organization/admin-keys; a project key or a key without " + e.MissingScope() + " cannot read them"
	case e.MissingScope() != "":
		return "the key lacks the scope " + e.MissingScope() + ": give the restricted key that permission, or use a key with full access"
	case e.Status == 403:
		return "the key is not allowed to read this endpoint: check its role and permissions"
	case !adminEndpoint:
		return "the key was refused: a project endpoint needs that project's own key (an admin key only reads /organization endpoints; Settings → Project → API keys)"
	}
	return "check the key: it was refused"
}

func decodeAPIError(status int, body []byte) *APIError {
	e := &APIError{Status: status}
	var env struct {
		Error *struct {
			Message string          `json:"message"`
			Type    string          `json:"type"`
			Param   *string         `json:"param"`
			Code    json.RawMessage `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil && env.Error != nil {
		e.Message, e.Type = env.Error.Message, env.Error.Type
		if env.Error.Param != nil {
			e.Param = *env.Error.Param
		}
		var code string
		if json.Unmarshal(env.Error.Code, &code) == nil {
			e.Code = code
		} else if len(env.Error.Code) > 0 && string(env.Error.Code) != "null" {
			e.Code = string(env.Error.Code)
		}
		return e
	}
	text := strings.TrimSpace(string(body))
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	if text != "" {
		e.Message = "non-JSON error body: " + strings.Join(strings.Fields(text), " ")
	}
	return e
}
