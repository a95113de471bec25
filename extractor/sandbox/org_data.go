package sandbox

// The sandbox organisation's entities. All timestamps are Unix seconds.
// Slices are kept in each endpoint's default list order (creation order,
// oldest first); handlers reverse them for order=desc.

type user struct {
	ID, Name, Email string
	Role            string // owner | reader
	AddedAt         int64
	SCIM            bool
	KeyLastUsedAt   *int64
}

type invite struct {
	ID, Email, Role, Status string
	CreatedAt               int64
	ExpiresAt, AcceptedAt   *int64
	Projects                []inviteProject
}

type inviteProject struct {
	ID   string `json:"id"`
	Role string `json:"role"`
}

type member struct {
	UserID, Role string
	AddedAt      int64
}

type serviceAccount struct {
	ID, Name, Role string
	CreatedAt      int64
}

// projectKey is a project API key. Its owner_project_access is derived: a
// user-owned key is "inactive" when its owner is not (or no longer) a member
// of the project.
type projectKey struct {
	ID, Name, Redacted string
	CreatedAt          int64
	LastUsedAt         *int64
	OwnerUserID        string // set for user-owned keys
	OwnerRole          string // the owner's project role when the key was made
	OwnerSA            *serviceAccount
}

type rateLimit struct {
	ID, Model string
	RPM, TPM  int
	Images    *int
	AudioMB   *int
	RPD       *int
	BatchTok  *int
}

type certificate struct {
	ID, Name                      string
	CreatedAt, ValidAt, ExpiresAt int64
	Active                        bool
}

type adminKey struct {
	ID, Name, Redacted    string
	CreatedAt             int64
	ExpiresAt, LastUsedAt *int64
	Owner                 adminKeyOwner
}

type adminKeyOwner struct {
	Type      string `json:"type"`
	Object    string `json:"object"`
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt int64  `json:"created_at"`
	Role      string `json:"role"`
}

type group struct {
	ID, Name  string
	CreatedAt int64
	SCIM      bool
	Members   []member // Role unused
	RoleIDs   []string
}

type role struct {
	ID, Name, Description string
	Permissions           []string
	ResourceType          string
	Predefined            bool
	CreatedAt             int64
	CreatedBy             *user // nil for predefined roles
}

type spendAlert struct {
	ID            string
	Threshold     int64
	Recipients    []string
	SubjectPrefix *string
}

type projectGroup struct {
	GroupID   string
	CreatedAt int64
}

type project struct {
	ID, Name, Status string
	CreatedAt        int64
	ArchivedAt       *int64
	Residency        string

	Members     []member
	SAs         []*serviceAccount
	Keys        []*projectKey
	RateLimits  []rateLimit
	CertIDs     []string
	Groups      []projectGroup
	Alerts      []spendAlert
	Retention   string
	ModelMode   string
	ModelIDs    []string
	Tools       map[string]bool
	SpendLimit  int64
	Enforcement string
}

// org is the whole organisation. people holds every user ever generated
// (removed ones too), so keys and audit events can still name them.
type org struct {
	ID          string
	Domain      string
	Users       []*user
	people      map[string]*user
	Invites     []invite
	Projects    []*project
	AdminKeys   []adminKey
	Certs       []certificate
	Groups      []*group
	Roles       []*role
	UserRoles   map[string][]string // user id -> role ids
	Alerts      []spendAlert
	Retention   string
	SpendLimit  int64
	Enforcement string
}

func (o *org) project(id string) *project {
	for _, p := range o.Projects {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (o *org) group(id string) *group {
	for _, g := range o.Groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

func (o *org) role(id string) *role {
	for _, r := range o.Roles {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func (o *org) isMember(p *project, userID string) bool {
	for _, m := range p.Members {
		if m.UserID == userID {
			return true
		}
	}
	return false
}

func (o *org) keyAccess(p *project, k *projectKey) string {
	if k.OwnerSA != nil || o.isMember(p, k.OwnerUserID) {
		return "active"
	}
	return "inactive"
}
