package apispec

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCheckQuery(t *testing.T) {
	s := loaded(t)
	const (
		users      = "/v1/organization/users"
		auditLogs  = "/v1/organization/audit_logs"
		completion = "/v1/organization/usage/completions"
	)
	tests := []struct {
		name  string
		path  string
		query string
		want  []string // one substring per expected violation, in order
	}{
		{name: "users limit and after", path: users, query: "limit=100&after=user_abc"},
		{name: "users without prefix", path: "/organization/users", query: "limit=1"},
		{name: "users emails repeated", path: users, query: "emails=a@example.com&emails=b@example.com"},
		{name: "users bogus", path: users, query: "limit=2&bogus=1", want: []string{`undeclared query parameter "bogus"`}},
		{name: "users limit not integer", path: users, query: "limit=ten", want: []string{`limit="ten": not integer`}},
		{name: "users limit repeated", path: users, query: "limit=1&limit=2", want: []string{`"limit" sent 2 times`}},
		{name: "project users path", path: "/v1/organization/projects/proj_abc/users", query: "limit=20&after=user_x"},
		{
			name: "audit logs filters", path: auditLogs,
			query: "effective_at[gte]=1700000000&effective_at[lt]=1800000000&project_ids[]=proj_a&project_ids[]=proj_b&limit=100&after=audit_log-1",
		},
		{name: "audit logs event type enum", path: auditLogs, query: "event_types[]=project.created"},
		{
			name: "audit logs unknown event type", path: auditLogs, query: "event_types[]=project.exploded",
			want: []string{`event_types[]="project.exploded": not one of`},
		},
		{
			name: "audit logs undeclared property", path: auditLogs, query: "effective_at[foo]=1",
			want: []string{`"effective_at[foo]": "foo" is not a property of effective_at`},
		},
		{
			name: "audit logs property not integer", path: auditLogs, query: "effective_at[gte]=yesterday",
			want: []string{`effective_at[gte]="yesterday": not integer`},
		},
		{
			name: "audit logs object sent bare", path: auditLogs, query: "effective_at=1",
			want: []string{`object parameter "effective_at" must be sent as effective_at[<property>]`},
		},
		{
			name: "audit logs project_ids without brackets", path: auditLogs, query: "project_ids=proj_a",
			want: []string{`undeclared query parameter "project_ids"`},
		},
		{
			name: "audit logs tenant_only boolean", path: auditLogs, query: "tenant_only=yes",
			want: []string{`tenant_only="yes": not boolean`},
		},
		{
			name: "completions group_by repeated", path: completion,
			query: "start_time=1700000000&bucket_width=1d&group_by=project_id&group_by=model&limit=31&page=p1",
		},
		{
			name: "completions bucket_width 2d", path: completion, query: "start_time=1700000000&bucket_width=2d",
			want: []string{`bucket_width="2d": not one of 1m, 1h, 1d`},
		},
		{
			name: "completions group_by with brackets", path: completion, query: "start_time=1&group_by[]=model",
			want: []string{`undeclared query parameter "group_by[]"`},
		},
		{
			name: "completions missing start_time", path: completion, query: "bucket_width=1h",
			want: []string{`required query parameter "start_time" is missing`},
		},
		{
			name: "unknown path", path: "/v1/organization/nothing", query: "limit=1",
			want: []string{"no path in the spec matches"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got := violations(t, s.CheckQuery(http.MethodGet, tt.path, q))
			for _, v := range got {
				t.Log(v)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d violations %v, want %d (%q)", len(got), got, len(tt.want), tt.want)
			}
			for i, v := range got {
				if !strings.Contains(v.Error(), tt.want[i]) {
					t.Errorf("violation %d = %q, want it to mention %q", i, v.Error(), tt.want[i])
				}
			}
		})
	}
}

func TestCheckQueryKeyNeverLeaks(t *testing.T) {
	s := loaded(t)
	q := url.Values{"api_key": {secretKey}, "limit": {secretKey}}
	got := violations(t, s.CheckQuery(http.MethodGet, "/v1/organization/users", q))
	if len(got) != 2 {
		t.Fatalf("got %v, want 2 violations", got)
	}
}
