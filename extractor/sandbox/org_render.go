package sandbox

// Wire shapes, field for field from the OpenAPI schemas named in each comment.
// Pointers are nullable fields (anyOf [T, null]); omitempty only on optional
// fields the schema does not require.

// User (UserListResponse item).
type userJSON struct {
	Object           string        `json:"object"`
	ID               string        `json:"id"`
	Name             string        `json:"name"`
	Email            string        `json:"email"`
	Role             string        `json:"role"`
	AddedAt          int64         `json:"added_at"`
	IsDefault        bool          `json:"is_default"`
	IsServiceAccount bool          `json:"is_service_account"`
	IsSCIMManaged    bool          `json:"is_scim_managed"`
	KeyLastUsedAt    *int64        `json:"api_key_last_used_at"`
	Projects         *userProjects `json:"projects"`
}

type userProjects struct {
	Object string           `json:"object"`
	Data   []userProjectRef `json:"data"`
}

type userProjectRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

func (o *org) renderUser(u *user) userJSON {
	ps := &userProjects{Object: "list", Data: []userProjectRef{}}
	for _, p := range o.Projects {
		for _, m := range p.Members {
			if m.UserID == u.ID {
				ps.Data = append(ps.Data, userProjectRef{ID: p.ID, Name: p.Name, Role: m.Role})
			}
		}
	}
	return userJSON{Object: "organization.user", ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role,
		AddedAt: u.AddedAt, IsSCIMManaged: u.SCIM, KeyLastUsedAt: u.KeyLastUsedAt, Projects: ps}
}

// Invite.
type inviteJSON struct {
	Object     string          `json:"object"`
	ID         string          `json:"id"`
	Email      string          `json:"email"`
	Role       string          `json:"role"`
	Status     string          `json:"status"`
	CreatedAt  int64           `json:"created_at"`
	ExpiresAt  *int64          `json:"expires_at"`
	AcceptedAt *int64          `json:"accepted_at"`
	Projects   []inviteProject `json:"projects"`
}

func renderInvite(i invite) inviteJSON {
	return inviteJSON{Object: "organization.invite", ID: i.ID, Email: i.Email, Role: i.Role, Status: i.Status,
		CreatedAt: i.CreatedAt, ExpiresAt: i.ExpiresAt, AcceptedAt: i.AcceptedAt, Projects: i.Projects}
}

// Project.
type projectJSON struct {
	ID            string  `json:"id"`
	Object        string  `json:"object"`
	Name          string  `json:"name"`
	CreatedAt     int64   `json:"created_at"`
	ArchivedAt    *int64  `json:"archived_at"`
	Status        string  `json:"status"`
	ExternalKeyID *string `json:"external_key_id"`
	Residency     string  `json:"residency"`
}

func renderProject(p *project) projectJSON {
	return projectJSON{ID: p.ID, Object: "organization.project", Name: p.Name, CreatedAt: p.CreatedAt,
		ArchivedAt: p.ArchivedAt, Status: p.Status, Residency: p.Residency}
}

// AdminApiKey.
type adminKeyJSON struct {
	Object     string        `json:"object"`
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Redacted   string        `json:"redacted_value"`
	CreatedAt  int64         `json:"created_at"`
	ExpiresAt  *int64        `json:"expires_at"`
	LastUsedAt *int64        `json:"last_used_at"`
	Owner      adminKeyOwner `json:"owner"`
}

func renderAdminKey(k adminKey) adminKeyJSON {
	return adminKeyJSON{Object: "organization.admin_api_key", ID: k.ID, Name: k.Name, Redacted: k.Redacted,
		CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt, Owner: k.Owner}
}

// OrganizationCertificate / OrganizationProjectCertificate.
type certJSON struct {
	Object    string      `json:"object"`
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	CreatedAt int64       `json:"created_at"`
	Details   certDetails `json:"certificate_details"`
	Active    bool        `json:"active"`
}

type certDetails struct {
	ValidAt   int64 `json:"valid_at"`
	ExpiresAt int64 `json:"expires_at"`
}

func renderCert(c certificate, object string) certJSON {
	return certJSON{Object: object, ID: c.ID, Name: c.Name, CreatedAt: c.CreatedAt,
		Details: certDetails{ValidAt: c.ValidAt, ExpiresAt: c.ExpiresAt}, Active: c.Active}
}

// GroupResponse (the live list also carries "object": "group", per the spec example).
type groupJSON struct {
	Object        string `json:"object"`
	ID            string `json:"id"`
	Name          string `json:"name"`
	CreatedAt     int64  `json:"created_at"`
	IsSCIMManaged bool   `json:"is_scim_managed"`
	GroupType     string `json:"group_type"`
}

func renderGroup(g *group) groupJSON {
	return groupJSON{Object: "group", ID: g.ID, Name: g.Name, CreatedAt: g.CreatedAt, IsSCIMManaged: g.SCIM, GroupType: "group"}
}

// GroupUser.
type groupUserJSON struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Email *string `json:"email"`
}

// Role.
type roleJSON struct {
	Object       string   `json:"object"`
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Description  *string  `json:"description"`
	Permissions  []string `json:"permissions"`
	ResourceType string   `json:"resource_type"`
	Predefined   bool     `json:"predefined_role"`
}

func renderRole(r *role) roleJSON {
	return roleJSON{Object: "role", ID: r.ID, Name: r.Name, Description: ptr(r.Description),
		Permissions: r.Permissions, ResourceType: r.ResourceType, Predefined: r.Predefined}
}

// AssignedRoleDetails.
type assignedRoleJSON struct {
	ID                string             `json:"id"`
	Name              string             `json:"name"`
	Permissions       []string           `json:"permissions"`
	ResourceType      string             `json:"resource_type"`
	Predefined        bool               `json:"predefined_role"`
	Description       *string            `json:"description"`
	CreatedAt         *int64             `json:"created_at"`
	UpdatedAt         *int64             `json:"updated_at"`
	CreatedBy         *string            `json:"created_by"`
	CreatedByUserObj  map[string]any     `json:"created_by_user_obj"`
	Metadata          map[string]any     `json:"metadata"`
	AssignmentSources []assignmentSource `json:"assignment_sources"`
}

type assignmentSource struct {
	PrincipalID   string `json:"principal_id"`
	PrincipalType string `json:"principal_type"`
}

func renderAssignedRole(r *role, principalID, principalType string) assignedRoleJSON {
	a := assignedRoleJSON{ID: r.ID, Name: r.Name, Permissions: r.Permissions, ResourceType: r.ResourceType,
		Predefined: r.Predefined, Description: ptr(r.Description), Metadata: map[string]any{},
		AssignmentSources: []assignmentSource{{PrincipalID: principalID, PrincipalType: principalType}}}
	if r.CreatedBy != nil {
		a.CreatedAt, a.UpdatedAt, a.CreatedBy = ptr(r.CreatedAt), ptr(r.CreatedAt), ptr(r.CreatedBy.ID)
		a.CreatedByUserObj = map[string]any{"id": r.CreatedBy.ID, "name": r.CreatedBy.Name, "email": r.CreatedBy.Email}
	}
	return a
}

// OrganizationSpendAlert / ProjectSpendAlert.
type spendAlertJSON struct {
	ID           string              `json:"id"`
	Object       string              `json:"object"`
	Threshold    int64               `json:"threshold_amount"`
	Currency     string              `json:"currency"`
	Interval     string              `json:"interval"`
	Notification notificationChannel `json:"notification_channel"`
}

type notificationChannel struct {
	Type          string   `json:"type"`
	Recipients    []string `json:"recipients"`
	SubjectPrefix *string  `json:"subject_prefix"`
}

func renderAlert(a spendAlert, object string) spendAlertJSON {
	return spendAlertJSON{ID: a.ID, Object: object, Threshold: a.Threshold, Currency: "USD", Interval: "month",
		Notification: notificationChannel{Type: "email", Recipients: a.Recipients, SubjectPrefix: a.SubjectPrefix}}
}
