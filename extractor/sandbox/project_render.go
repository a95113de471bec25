package sandbox

// Wire shapes of the /organization/projects/{project_id}/… objects.

// ProjectUser.
type projectUserJSON struct {
	Object  string `json:"object"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	Role    string `json:"role"`
	AddedAt int64  `json:"added_at"`
}

// ProjectServiceAccount.
type serviceAccountJSON struct {
	Object    string `json:"object"`
	ID        string `json:"id"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	CreatedAt int64  `json:"created_at"`
}

func renderServiceAccount(sa *serviceAccount) serviceAccountJSON {
	return serviceAccountJSON{Object: "organization.project.service_account", ID: sa.ID, Name: sa.Name, Role: sa.Role, CreatedAt: sa.CreatedAt}
}

// ProjectApiKey.
type projectKeyJSON struct {
	Object             string          `json:"object"`
	Redacted           string          `json:"redacted_value"`
	Name               string          `json:"name"`
	CreatedAt          int64           `json:"created_at"`
	LastUsedAt         *int64          `json:"last_used_at"`
	ID                 string          `json:"id"`
	OwnerProjectAccess string          `json:"owner_project_access"`
	Owner              projectKeyOwner `json:"owner"`
}

type projectKeyOwner struct {
	Type           string            `json:"type"`
	User           *keyOwnerUser     `json:"user,omitempty"`
	ServiceAccount *keyOwnerSAccount `json:"service_account,omitempty"`
}

// ProjectApiKeyOwnerUser.
type keyOwnerUser struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	Name      string `json:"name"`
	CreatedAt int64  `json:"created_at"`
	Role      string `json:"role"`
}

// ProjectApiKeyOwnerServiceAccount.
type keyOwnerSAccount struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt int64  `json:"created_at"`
	Role      string `json:"role"`
}

func (o *org) renderProjectKey(p *project, k *projectKey) projectKeyJSON {
	out := projectKeyJSON{Object: "organization.project.api_key", Redacted: k.Redacted, Name: k.Name,
		CreatedAt: k.CreatedAt, LastUsedAt: k.LastUsedAt, ID: k.ID, OwnerProjectAccess: o.keyAccess(p, k)}
	if sa := k.OwnerSA; sa != nil {
		out.Owner = projectKeyOwner{Type: "service_account",
			ServiceAccount: &keyOwnerSAccount{ID: sa.ID, Name: sa.Name, CreatedAt: sa.CreatedAt, Role: sa.Role}}
		return out
	}
	u := o.people[k.OwnerUserID]
	out.Owner = projectKeyOwner{Type: "user",
		User: &keyOwnerUser{ID: u.ID, Email: u.Email, Name: u.Name, CreatedAt: u.AddedAt, Role: k.OwnerRole}}
	return out
}

// ProjectRateLimit.
type rateLimitJSON struct {
	Object   string `json:"object"`
	ID       string `json:"id"`
	Model    string `json:"model"`
	RPM      int    `json:"max_requests_per_1_minute"`
	TPM      int    `json:"max_tokens_per_1_minute"`
	Images   *int   `json:"max_images_per_1_minute,omitempty"`
	AudioMB  *int   `json:"max_audio_megabytes_per_1_minute,omitempty"`
	RPD      *int   `json:"max_requests_per_1_day,omitempty"`
	BatchTok *int   `json:"batch_1_day_max_input_tokens,omitempty"`
}

func renderRateLimit(r rateLimit) rateLimitJSON {
	return rateLimitJSON{Object: "project.rate_limit", ID: r.ID, Model: r.Model, RPM: r.RPM, TPM: r.TPM,
		Images: r.Images, AudioMB: r.AudioMB, RPD: r.RPD, BatchTok: r.BatchTok}
}

// ProjectGroup.
type projectGroupJSON struct {
	Object    string `json:"object"`
	ProjectID string `json:"project_id"`
	GroupID   string `json:"group_id"`
	GroupName string `json:"group_name"`
	GroupType string `json:"group_type"`
	CreatedAt int64  `json:"created_at"`
}

// Singletons: OrganizationDataRetention / ProjectDataRetention.
type dataRetentionJSON struct {
	Object string `json:"object"`
	Type   string `json:"type"`
}

// OrganizationSpendLimitResource / ProjectSpendLimitResource.
type spendLimitJSON struct {
	Object      string           `json:"object"`
	Threshold   int64            `json:"threshold_amount"`
	Currency    string           `json:"currency"`
	Interval    string           `json:"interval"`
	Enforcement spendEnforcement `json:"enforcement"`
}

type spendEnforcement struct {
	Status string `json:"status"`
}

// ProjectModelPermissions.
type modelPermissionsJSON struct {
	Object   string   `json:"object"`
	Mode     string   `json:"mode"`
	ModelIDs []string `json:"model_ids"`
}

// ProjectHostedToolPermissions.
type toolPermissionsJSON struct {
	FileSearch      toolPermission `json:"file_search"`
	WebSearch       toolPermission `json:"web_search"`
	ImageGeneration toolPermission `json:"image_generation"`
	MCP             toolPermission `json:"mcp"`
	CodeInterpreter toolPermission `json:"code_interpreter"`
}

type toolPermission struct {
	Enabled bool `json:"enabled"`
}

func renderTools(t map[string]bool) toolPermissionsJSON {
	return toolPermissionsJSON{FileSearch: toolPermission{t["file_search"]}, WebSearch: toolPermission{t["web_search"]},
		ImageGeneration: toolPermission{t["image_generation"]}, MCP: toolPermission{t["mcp"]},
		CodeInterpreter: toolPermission{t["code_interpreter"]}}
}
