package sandbox

import "net/url"

// idStyle says how a list schema of the project API declares first_id and
// last_id; the spec varies from list to list.
type idStyle int

const (
	idsNullable idStyle = iota // required, string or null (checkpoints, skills)
	idsRequired                // required plain strings: "" on an empty page (files, vector stores, evals, …)
	idsOptional                // optional strings: omitted on an empty page (batches)
	idsNone                    // absent: page with after=<last item's id> (fine-tuning jobs and events)
)

// listIDs is an L1 list whose schema requires first_id and last_id as plain
// strings. The live API sends null on an empty page; the spec does not allow
// it, so the sandbox sends "".
type listIDs struct {
	Object  string `json:"object"`
	Data    []any  `json:"data"`
	FirstID string `json:"first_id"`
	LastID  string `json:"last_id"`
	HasMore bool   `json:"has_more"`
}

type listOptIDs struct {
	Object  string  `json:"object"`
	Data    []any   `json:"data"`
	FirstID *string `json:"first_id,omitempty"`
	LastID  *string `json:"last_id,omitempty"`
	HasMore bool    `json:"has_more"`
}

type listNoIDs struct {
	Object  string `json:"object"`
	Data    []any  `json:"data"`
	HasMore bool   `json:"has_more"`
}

// pageProject serves one page of a project-API list: L1 paging (after, and
// before where the operation has it), shaped as the schema wants.
func pageProject(q url.Values, entries []entry, ps pageSpec, style idStyle) (any, *apiError) {
	v, err := pageL1(q, entries, ps)
	if err != nil {
		return nil, err
	}
	l := v.(listL1)
	if l.Data == nil {
		l.Data = []any{}
	}
	switch style {
	case idsRequired:
		out := listIDs{Object: l.Object, Data: l.Data, HasMore: l.HasMore}
		if l.FirstID != nil {
			out.FirstID, out.LastID = *l.FirstID, *l.LastID
		}
		return out, nil
	case idsOptional:
		return listOptIDs(l), nil
	case idsNone:
		return listNoIDs{Object: l.Object, Data: l.Data, HasMore: l.HasMore}, nil
	}
	return l, nil
}
