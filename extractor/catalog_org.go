package extractor

import (
	"net/url"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

var (
	projectParent = &Parent{Stream: "projects", Placeholder: "{project_id}", Column: "project_id"}
	groupParent   = &Parent{Stream: "groups", Placeholder: "{group_id}", Column: "group_id"}
	userParent    = &Parent{Stream: "users", Placeholder: "{user_id}", Column: "user_id"}
)

func snapshot(name, path string, paging Paging, limit int, params url.Values, t *schema.Table, doc string) *Stream {
	return &Stream{Name: name, Path: path, Paging: paging, Key: AdminKey, Mode: Snapshot, Limit: limit, Params: params, Table: t, Doc: doc}
}

func fanOut(p *Parent, s *Stream) *Stream {
	s.Parent = p
	s.Table.Columns = append([]schema.Column{str(p.Column, "@"+p.Column)}, s.Table.Columns...)
	if s.Paging == PagingNone {
		s.Table.PrimaryKey = []string{p.Column} // one settings object per parent
	} else {
		s.Table.PrimaryKey = append([]string{p.Column}, s.Table.PrimaryKey...)
	}
	return s
}

func certificateColumns() []schema.Column {
	return []schema.Column{str("id"), str("object"), str("name"), ts("created_at"), boolean("active"),
		ts("valid_at", "certificate_details.valid_at"), ts("expires_at", "certificate_details.expires_at"),
		js("certificate_details")}
}

func roleColumns() []schema.Column {
	return []schema.Column{str("id"), str("object"), str("name"), str("description"), js("permissions"),
		str("resource_type"), boolean("predefined_role")}
}

func assignedRoleColumns() []schema.Column {
	return append(roleColumns(), ts("created_at"), ts("updated_at"), str("created_by"),
		js("created_by_user_obj"), js("metadata"), js("assignment_sources"))
}

func spendAlertColumns() []schema.Column {
	return []schema.Column{str("id"), str("object"), i64("threshold_amount"), str("currency"), str("interval"),
		str("notification_type", "notification_channel.type"), js("notification_channel")}
}

func orgStreams() Catalog {
	all := url.Values{"include_archived": {"true"}}
	anyKey := url.Values{"owner_project_access": {"any"}}
	return Catalog{
		snapshot("users", "/organization/users", PagingCursor, 100, nil,
			table("users", []string{"id"}, str("id"), str("object"), str("name"), str("email"), str("role"),
				ts("added_at"), boolean("is_default"), boolean("is_service_account"), boolean("is_scim_managed"),
				boolean("is_scale_tier_authorized_purchaser"), ts("api_key_last_used_at"), ts("created"),
				str("technical_level"), str("developer_persona"), js("user"), js("projects")),
			"Members of the organisation."),
		snapshot("invites", "/organization/invites", PagingCursor, 100, nil,
			table("invites", []string{"id"}, str("id"), str("object"), str("email"), str("role"), str("status"),
				ts("invited_at"), ts("created_at"), ts("expires_at"), ts("accepted_at"), js("projects")),
			"Invitations, pending, accepted or expired."),
		snapshot("projects", "/organization/projects", PagingCursor, 100, all,
			table("projects", []string{"id"}, str("id"), str("object"), str("name"), ts("created_at"),
				ts("archived_at"), str("status"), str("external_key_id"), str("residency")),
			"Projects, archived ones included."),
		snapshot("admin_api_keys", "/organization/admin_api_keys", PagingCursor, 100, url.Values{"order": {"asc"}},
			table("admin_api_keys", []string{"id"}, str("id"), str("object"), str("name"), str("redacted_value"),
				ts("created_at"), ts("expires_at"), ts("last_used_at"), str("owner_type", "owner.type"),
				str("owner_id", "owner.id"), str("owner_name", "owner.name"), str("owner_role", "owner.role"), js("owner")),
			"Admin API keys (redacted values only)."),
		snapshot("certificates", "/organization/certificates", PagingCursor, 100, nil,
			table("certificates", []string{"id"}, certificateColumns()...),
			"Organisation mTLS certificates."),
		snapshot("groups", "/organization/groups", PagingNext, 1000, nil,
			table("groups", []string{"id"}, str("id"), str("object"), str("name"), ts("created_at"),
				boolean("is_scim_managed"), str("group_type")),
			"Groups of users."),
		snapshot("roles", "/organization/roles", PagingNext, 1000, nil,
			table("roles", []string{"id"}, roleColumns()...),
			"Organisation roles, predefined and custom."),
		fanOut(groupParent, snapshot("group_users", "/organization/groups/{group_id}/users", PagingNext, 1000, nil,
			table("group_users", []string{"id"}, str("id"), str("object"), str("name"), str("email")),
			"Members of every group.")),
		fanOut(groupParent, snapshot("group_roles", "/organization/groups/{group_id}/roles", PagingNext, 1000, nil,
			table("group_roles", []string{"id"}, assignedRoleColumns()...),
			"Roles assigned to every group.")),
		fanOut(userParent, snapshot("user_roles", "/organization/users/{user_id}/roles", PagingNext, 1000, nil,
			table("user_roles", []string{"id"}, assignedRoleColumns()...),
			"Roles assigned to every user (one request per user).")),
		fanOut(projectParent, snapshot("project_users", "/organization/projects/{project_id}/users", PagingCursor, 100, nil,
			table("project_users", []string{"id"}, str("id"), str("object"), str("name"), str("email"), str("role"),
				ts("added_at")),
			"Members of every project.")),
		fanOut(projectParent, snapshot("project_service_accounts", "/organization/projects/{project_id}/service_accounts", PagingCursor, 100, nil,
			table("project_service_accounts", []string{"id"}, str("id"), str("object"), str("name"), str("role"),
				ts("created_at")),
			"Service accounts of every project.")),
		fanOut(projectParent, snapshot("project_api_keys", "/organization/projects/{project_id}/api_keys", PagingCursor, 100, anyKey,
			table("project_api_keys", []string{"id"}, str("id"), str("object"), str("name"), str("redacted_value"),
				ts("created_at"), ts("last_used_at"), str("owner_project_access"), str("owner_type", "owner.type"),
				str("owner_id", "owner.user.id|owner.service_account.id"), str("owner_email", "owner.user.email"),
				str("owner_name", "owner.user.name|owner.service_account.name"), js("owner")),
			"API keys of every project, inactive ones included.")),
		fanOut(projectParent, snapshot("project_rate_limits", "/organization/projects/{project_id}/rate_limits", PagingCursor, 100, nil,
			table("project_rate_limits", []string{"id"}, str("id"), str("object"), str("model"),
				i64("max_requests_per_1_minute"), i64("max_tokens_per_1_minute"), i64("max_images_per_1_minute"),
				f64("max_audio_megabytes_per_1_minute"), i64("max_requests_per_1_day"), i64("batch_1_day_max_input_tokens")),
			"Per-model rate limits of every project.")),
		fanOut(projectParent, snapshot("project_certificates", "/organization/projects/{project_id}/certificates", PagingCursor, 100, nil,
			table("project_certificates", []string{"id"}, certificateColumns()...),
			"Certificates of every project.")),
		fanOut(projectParent, snapshot("project_groups", "/organization/projects/{project_id}/groups", PagingNext, 100, nil,
			table("project_groups", []string{"group_id"}, str("group_id"), str("object"), str("group_name"),
				str("group_type"), ts("created_at")),
			"Groups with access to every project.")),
		snapshot("spend_alerts", "/organization/spend_alerts", PagingCursor, 100, nil,
			table("spend_alerts", []string{"id"}, spendAlertColumns()...),
			"Organisation spend alerts."),
		fanOut(projectParent, snapshot("project_spend_alerts", "/organization/projects/{project_id}/spend_alerts", PagingCursor, 100, nil,
			table("project_spend_alerts", []string{"id"}, spendAlertColumns()...),
			"Spend alerts of every project.")),
		settings("data_retention", "/organization/data_retention",
			"The organisation's data retention setting (one row).", str("type")),
		settings("spend_limit", "/organization/spend_limit", "The organisation's monthly spend limit (one row).",
			i64("threshold_amount"), str("currency"), str("interval"),
			str("enforcement_status", "enforcement.status"), js("enforcement")),
		fanOut(projectParent, settings("project_data_retention", "/organization/projects/{project_id}/data_retention",
			"Data retention setting of every project.", str("type"))),
		fanOut(projectParent, settings("project_model_permissions", "/organization/projects/{project_id}/model_permissions",
			"Which models every project may use (allow or deny list).", str("mode"), js("model_ids"))),
		fanOut(projectParent, settings("project_hosted_tool_permissions", "/organization/projects/{project_id}/hosted_tool_permissions",
			"Which hosted tools every project may use.",
			boolean("file_search", "file_search.enabled"), boolean("web_search", "web_search.enabled"),
			boolean("image_generation", "image_generation.enabled"), boolean("mcp", "mcp.enabled"),
			boolean("code_interpreter", "code_interpreter.enabled"))),
		fanOut(projectParent, settings("project_spend_limit", "/organization/projects/{project_id}/spend_limit",
			"Monthly spend limit of every project.",
			i64("threshold_amount"), str("currency"), str("interval"),
			str("enforcement_status", "enforcement.status"), js("enforcement"))),
		auditLogs(),
	}
}

// settings declares a singleton settings object: one row, or one row per
// project when fanned out (its key is then the project id).
func settings(name, path, doc string, cols ...schema.Column) *Stream {
	t := table(name, []string{"object"}, append([]schema.Column{str("object")}, cols...)...)
	return snapshot(name, path, PagingNone, 0, nil, t, doc)
}

func auditLogs() *Stream {
	t := table("audit_logs", []string{"id"}, str("id"), str("object"), str("type"), ts("effective_at"),
		str("project_id", "project.id"), str("project_name", "project.name"),
		str("actor_type", "actor.type"),
		str("actor_email", "actor.session.user.email|actor.api_key.user.email"),
		str("actor_user_id", "actor.session.user.id|actor.api_key.user.id"),
		str("actor_api_key_id", "actor.api_key.id"),
		str("actor_api_key_type", "actor.api_key.type"),
		str("actor_service_account_id", "actor.api_key.service_account.id"),
		str("actor_ip_address", "actor.session.ip_address"),
		str("actor_user_agent", "actor.session.user_agent"),
		str("actor_ja3", "actor.session.ja3"),
		str("actor_ja4", "actor.session.ja4"),
		js("actor_ip_address_details", "actor.session.ip_address_details"),
		js("details", "{type}"))
	t.TimeColumn = "effective_at"
	return &Stream{Name: "audit_logs", Path: "/organization/audit_logs", Paging: PagingCursor, Key: AdminKey,
		Mode: Incremental, Limit: 100, Table: t, Cursor: "effective_at", Overlap: time.Hour,
		Doc: "Audit log events: actor and project flattened (what no column reads stays in _extra); the event-specific object is kept whole in details."}
}
