package usage

import (
	"encoding/json"
	"fmt"
	"net/http"
)

type pageJSON struct {
	Object   string       `json:"object"`
	Data     []bucketJSON `json:"data"`
	HasMore  bool         `json:"has_more"`
	NextPage *string      `json:"next_page"`
}

type bucketJSON struct {
	Object    string    `json:"object"`
	StartTime int64     `json:"start_time"`
	EndTime   int64     `json:"end_time"`
	Results   []ordered `json:"results"`
}

// ServeHTTP serves GET /organization/usage/{family} and /organization/costs
// (paths without /v1).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := s.byPath[r.URL.Path]
	if f == nil {
		writeError(w, &apiError{status: http.StatusNotFound,
			message: fmt.Sprintf("Invalid URL (%s /v1%s)", r.Method, r.URL.Path)})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, &apiError{status: http.StatusMethodNotAllowed,
			message: fmt.Sprintf("Invalid method for URL (%s /v1%s)", r.Method, r.URL.Path)})
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	now := s.now()
	req, e := parseRequest(f, r.URL.Query(), now)
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, s.render(f, s.page(f, req, now)))
}

func (s *Server) render(f *family, p pageOut) pageJSON {
	out := pageJSON{Object: "page", Data: make([]bucketJSON, 0, len(p.buckets)), HasMore: p.more}
	if p.more {
		tok := encodePage(p.next)
		out.NextPage = &tok
	}
	for _, b := range p.buckets {
		bj := bucketJSON{Object: "bucket", StartTime: b.start, EndTime: b.end, Results: make([]ordered, 0, len(b.rows))}
		for _, r := range b.rows {
			if f.costs {
				bj.Results = append(bj.Results, s.costJSON(f, r, s.stringAmounts))
			} else {
				bj.Results = append(bj.Results, usageJSON(f, r))
			}
		}
		out.Data = append(out.Data, bj)
	}
	return out
}

// usageJSON renders a usage result: object, every metric, then every
// dimension (null unless grouped).
func usageJSON(f *family, r row) ordered {
	o := make(ordered, 0, 1+len(f.metrics)+len(f.dims))
	o = append(o, field{"object", f.object})
	for i, m := range f.metrics {
		o = append(o, field{m, r.m[i]})
	}
	for i, d := range f.dims {
		var v any = nullable(r.dims[i])
		if d.isBool && v != nil {
			v = r.dims[i] == "true"
		}
		o = append(o, field{d.name, v})
	}
	return o
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, ordered{{"error", ordered{
		{"message", e.message},
		{"type", "invalid_request_error"},
		{"param", nullable(e.param)},
		{"code", nil},
	}}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":{"message":"internal error","type":"server_error","param":null,"code":null}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
