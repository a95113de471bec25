package apispec

import (
	"net/http"
	"strings"
	"testing"
)

// usersList is the documented example of GET /organization/users, with the users' nested
// fields the current spec adds.
const usersList = `{
  "object": "list",
  "data": [
    {
      "object": "organization.user",
      "id": "user_abc",
      "name": "First Last",
      "email": "user@example.com",
      "role": "owner",
      "added_at": 1711471533
    },
    {
      "object": "organization.user",
      "id": "user_def",
      "name": null,
      "email": null,
      "role": "reader",
      "added_at": 1711471534
    }
  ],
  "first_id": "user_abc",
  "last_id": "user_def",
  "has_more": false
}`

func TestValidateResponse(t *testing.T) {
	s := loaded(t)
	errorBody := `{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}`
	tests := []struct {
		name      string
		target    string
		status    int
		header    http.Header
		body      string
		wantKinds []Kind
		wantText  string
	}{
		{name: "valid users list", target: "/v1/organization/users?limit=2", status: 200, body: usersList},
		{name: "path without /v1", target: "/organization/users", status: 200, body: usersList},
		{
			name: "added_at as string", target: "/v1/organization/users", status: 200,
			body:      strings.Replace(usersList, `"added_at": 1711471533`, `"added_at": "1711471533"`, 1),
			wantKinds: []Kind{KindBody}, wantText: "$.data[0].added_at: got string, want integer",
		},
		{
			name: "missing required has_more", target: "/v1/organization/users", status: 200,
			body:      `{"object":"list","data":[]}`,
			wantKinds: []Kind{KindBody}, wantText: "has_more",
		},
		{
			name: "wrong enum", target: "/v1/organization/users", status: 200,
			body:      `{"object":"page","data":[],"has_more":false}`,
			wantKinds: []Kind{KindBody}, wantText: "$.object",
		},
		{
			name: "templated path", target: "/v1/organization/users/user_abc", status: 200,
			body: `{"object":"organization.user","id":"user_abc","name":"A","email":"a@example.com","role":"owner","added_at":1}`,
		},
		{
			name: "declared 429 with ErrorResponse", target: "/v1/organization/usage/completions", status: 429,
			header: http.Header{"Retry-After": {"7"}}, body: errorBody,
		},
		{
			name: "declared 429 with a bad error body", target: "/v1/organization/usage/completions", status: 429,
			body: `{"error":{"message":"slow down"}}`, wantKinds: []Kind{KindBody}, wantText: "$.error",
		},
		{
			name: "declared 429 with a bad Retry-After", target: "/v1/organization/usage/completions", status: 429,
			header: http.Header{"Retry-After": {"soon"}}, body: errorBody,
			wantKinds: []Kind{KindHeader}, wantText: "retry-after",
		},
		{name: "undeclared 404 is skipped", target: "/v1/organization/users/user_x", status: 404, body: errorBody},
		{
			name: "undeclared success status", target: "/v1/organization/users", status: 201, body: usersList,
			wantKinds: []Kind{KindStatus}, wantText: "status 201 is not declared",
		},
		{
			name: "HTML 502", target: "/v1/organization/users", status: 502,
			header:    http.Header{"Content-Type": {"text/html"}},
			body:      "<html><body>502 Bad Gateway</body></html>",
			wantKinds: []Kind{KindMalformed}, wantText: "not JSON",
		},
		{
			name: "truncated body", target: "/v1/organization/users", status: 200, body: usersList[:40],
			wantKinds: []Kind{KindMalformed}, wantText: "not JSON",
		},
		{
			name: "empty body", target: "/v1/organization/users", status: 200,
			wantKinds: []Kind{KindMalformed}, wantText: "empty",
		},
		{
			name: "JSON served as text/plain", target: "/v1/organization/users", status: 200,
			header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, body: usersList,
			wantKinds: []Kind{KindHeader}, wantText: "text/plain",
		},
		{
			name: "unknown path", target: "/v1/organization/nothing_here", status: 200, body: `{}`,
			wantKinds: []Kind{KindRoute},
		},
		{
			name: "unknown method", target: "/v1/organization/usage/completions", status: 200, body: `{}`,
			wantKinds: []Kind{KindRoute}, wantText: "no DELETE operation",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := http.MethodGet
			if tt.name == "unknown method" {
				method = http.MethodDelete
			}
			req := adminRequest(t, method, tt.target)
			resp := jsonResponse(tt.status, tt.body)
			for k, v := range tt.header {
				resp.Header[k] = v
			}
			got := violations(t, s.ValidateResponse(req, resp, []byte(tt.body)))
			for _, v := range got {
				t.Log(v)
			}
			if len(got) != len(tt.wantKinds) {
				t.Fatalf("got %d violations %v, want kinds %v", len(got), got, tt.wantKinds)
			}
			for i, v := range got {
				if v.Kind != tt.wantKinds[i] {
					t.Errorf("violation %d kind = %s, want %s: %v", i, v.Kind, tt.wantKinds[i], v)
				}
			}
			if tt.wantText != "" && !strings.Contains(got[0].Error(), tt.wantText) {
				t.Errorf("violation %q does not mention %q", got[0].Error(), tt.wantText)
			}
		})
	}
}

// TestNullable checks the fix for the spec's `nullable: true` in a 3.1 document (openai-openapi
// issue #483): RunObject.expires_at is `type: integer, nullable: true`, created_at is not
// nullable. Without the fix the schema does not even compile.
func TestNullable(t *testing.T) {
	s := loaded(t)
	const run = `{
	  "id": "run_abc123", "object": "thread.run", "created_at": 1699075072,
	  "assistant_id": "asst_abc123", "thread_id": "thread_abc123", "status": "completed",
	  "required_action": null, "last_error": null, "expires_at": null, "started_at": 1699075072,
	  "cancelled_at": null, "failed_at": null, "completed_at": 1699075073, "model": "gpt-4o",
	  "instructions": "", "incomplete_details": null, "tools": [], "metadata": {},
	  "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
	  "temperature": null, "top_p": 1.0, "max_prompt_tokens": null, "max_completion_tokens": 1000,
	  "truncation_strategy": {"type": "auto", "last_messages": null},
	  "response_format": "auto", "tool_choice": "auto", "parallel_tool_calls": true
	}`
	validate := func(body string) []*Violation {
		req := adminRequest(t, http.MethodGet, "/v1/threads/thread_abc123/runs/run_abc123")
		return violations(t, s.ValidateResponse(req, jsonResponse(200, body), []byte(body)))
	}
	if got := validate(run); len(got) != 0 {
		t.Fatalf("nullable fields set to null: %v", got)
	}
	got := validate(strings.Replace(run, `"created_at": 1699075072`, `"created_at": null`, 1))
	if len(got) != 1 || !strings.Contains(got[0].Problem, "$.created_at") {
		t.Fatalf("non-nullable created_at set to null: got %v, want one violation on $.created_at", got)
	}
}
