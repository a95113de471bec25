package sandbox

import "net/http"

// Per-project singleton settings. They run with s.mu held.

func (s *Server) getProjectDataRetention(r *http.Request) (any, *apiError) {
	p, err := s.projectOr404(r)
	if err != nil {
		return nil, err
	}
	return dataRetentionJSON{Object: "project.data_retention", Type: p.Retention}, nil
}

func (s *Server) getProjectModelPermissions(r *http.Request) (any, *apiError) {
	p, err := s.projectOr404(r)
	if err != nil {
		return nil, err
	}
	return modelPermissionsJSON{Object: "project.model_permissions", Mode: p.ModelMode, ModelIDs: p.ModelIDs}, nil
}

func (s *Server) getProjectToolPermissions(r *http.Request) (any, *apiError) {
	p, err := s.projectOr404(r)
	if err != nil {
		return nil, err
	}
	return renderTools(p.Tools), nil
}

func (s *Server) getProjectSpendLimit(r *http.Request) (any, *apiError) {
	p, err := s.projectOr404(r)
	if err != nil {
		return nil, err
	}
	return spendLimitJSON{Object: "project.spend_limit", Threshold: p.SpendLimit, Currency: "USD",
		Interval: "month", Enforcement: spendEnforcement{Status: p.Enforcement}}, nil
}
