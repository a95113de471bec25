package sandbox

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Paging contracts of the project API, from the spec's parameters. Lists
// without an `order` parameter (batches, fine-tuning jobs, events,
// checkpoints) are served newest first; the spec does not say.
var (
	psFiles       = pageSpec{defLimit: 10000, minLimit: 1, maxLimit: 10000, order: "desc"}
	psNewest      = pageSpec{defLimit: 20, minLimit: 1, maxLimit: 100}
	psCheckpoints = pageSpec{defLimit: 10, minLimit: 1, maxLimit: 100}
	psDescBefore  = pageSpec{defLimit: 20, minLimit: 1, maxLimit: 100, order: "desc", before: true}
	psSkills      = pageSpec{defLimit: 20, minLimit: 0, maxLimit: 100, order: "desc"}
)

func (s *Server) projectAPIRoutes(get func(string, handler)) {
	get("/files", s.scoped(listFiles))
	get("/batches", s.scoped(listBatches))
	get("/fine_tuning/jobs", s.scoped(listJobs))
	get("/fine_tuning/jobs/{fine_tuning_job_id}/events", s.scoped(listJobEvents))
	get("/fine_tuning/jobs/{fine_tuning_job_id}/checkpoints", s.scoped(listJobCheckpoints))
	get("/vector_stores", s.scoped(listVectorStores))
	get("/vector_stores/{vector_store_id}/files", s.scoped(listVectorStoreFiles))
	get("/evals", s.scoped(listEvals))
	get("/evals/{eval_id}/runs", s.scoped(listEvalRuns))
	get("/containers", s.scoped(listContainers))
	get("/containers/{container_id}/files", s.scoped(listContainerFiles))
	get("/skills", s.scoped(listSkills))
	get("/skills/{skill_id}/versions", s.scoped(listSkillVersions))
	get("/assistants", s.scoped(listAssistants))
	get("/models", s.listModels)
}

// scoped answers with the objects of the project the request's key belongs
// to; authorize() has let only project and restricted keys through.
func (s *Server) scoped(h func(st *projectStore, r *http.Request) (any, *apiError)) handler {
	return func(r *http.Request) (any, *apiError) {
		st := s.papi.stores[s.keys.projectOf(r.Header.Get("Authorization"))]
		if st == nil {
			return nil, serverError()
		}
		return h(st, r)
	}
}

func listFiles(st *projectStore, r *http.Request) (any, *apiError) {
	q := r.URL.Query()
	purpose := q.Get("purpose")
	var out []entry
	for _, f := range st.files {
		if purpose == "" || f.Purpose == purpose {
			out = append(out, entry{f.ID, f})
		}
	}
	return pageProject(q, out, psFiles, idsRequired)
}

func listBatches(st *projectStore, r *http.Request) (any, *apiError) {
	var out []entry
	for _, b := range slices.Backward(st.batches) {
		out = append(out, entry{b.wire.ID, b.wire})
	}
	return pageProject(r.URL.Query(), out, psNewest, idsOptional)
}

// listJobs filters on metadata[k]=v, or metadata=null for jobs without metadata.
func listJobs(st *projectStore, r *http.Request) (any, *apiError) {
	q := r.URL.Query()
	var out []entry
	for _, j := range slices.Backward(st.jobs) {
		if metadataMatches(q, j.wire.Metadata) {
			out = append(out, entry{j.wire.ID, j.wire})
		}
	}
	return pageProject(q, out, psNewest, idsNone)
}

func metadataMatches(q url.Values, md map[string]string) bool {
	for k, vs := range q {
		switch {
		case k == "metadata":
			if vs[0] == "null" && len(md) > 0 {
				return false
			}
		case strings.HasPrefix(k, "metadata[") && strings.HasSuffix(k, "]"):
			if md[k[len("metadata["):len(k)-1]] != vs[0] {
				return false
			}
		}
	}
	return true
}

func jobOr404(st *projectStore, r *http.Request) (*ftJob, *apiError) {
	id := r.PathValue("fine_tuning_job_id")
	if j := st.job(id); j != nil {
		return j, nil
	}
	return nil, notFound("No fine-tuning job found with id '%s'.", id)
}

func listJobEvents(st *projectStore, r *http.Request) (any, *apiError) {
	j, err := jobOr404(st, r)
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, e := range slices.Backward(j.events) {
		out = append(out, entry{e.ID, e})
	}
	return pageProject(r.URL.Query(), out, psNewest, idsNone)
}

func listJobCheckpoints(st *projectStore, r *http.Request) (any, *apiError) {
	j, err := jobOr404(st, r)
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, c := range slices.Backward(j.checkpoints) {
		out = append(out, entry{c.ID, c})
	}
	return pageProject(r.URL.Query(), out, psCheckpoints, idsNullable)
}

func listVectorStores(st *projectStore, r *http.Request) (any, *apiError) {
	var out []entry
	for _, v := range st.vectorStores {
		out = append(out, entry{v.wire.ID, v.wire})
	}
	return pageProject(r.URL.Query(), out, psDescBefore, idsRequired)
}

// listVectorStoreFiles filters on the file status with `filter`.
func listVectorStoreFiles(st *projectStore, r *http.Request) (any, *apiError) {
	id := r.PathValue("vector_store_id")
	v := st.vectorStore(id)
	if v == nil {
		return nil, notFound("No vector store found with id '%s'.", id)
	}
	q := r.URL.Query()
	filter := q.Get("filter")
	if err := oneOf("filter", filter, "in_progress", "completed", "failed", "cancelled"); err != nil {
		return nil, err
	}
	var out []entry
	for _, f := range v.files {
		if filter == "" || f.Status == filter {
			out = append(out, entry{f.ID, f})
		}
	}
	return pageProject(q, out, psDescBefore, idsRequired)
}

// listEvals orders by created_at or, with order_by=updated_at, by the time
// of the newest run.
func listEvals(st *projectStore, r *http.Request) (any, *apiError) {
	q := r.URL.Query()
	orderBy := q.Get("order_by")
	if err := oneOf("order_by", orderBy, "created_at", "updated_at"); err != nil {
		return nil, err
	}
	evals := slices.Clone(st.evals)
	if orderBy == "updated_at" {
		slices.SortStableFunc(evals, func(x, y *evalObj) int { return cmp.Compare(x.updatedAt(), y.updatedAt()) })
	}
	var out []entry
	for _, e := range evals {
		out = append(out, entry{e.wire.ID, e.wire})
	}
	return pageProject(q, out, l1Asc, idsRequired)
}

func (e *evalObj) updatedAt() int64 {
	at := e.wire.CreatedAt
	for _, r := range e.runs {
		at = max(at, r.wire.CreatedAt)
	}
	return at
}

// listEvalRuns filters on the run status with `status`.
func listEvalRuns(st *projectStore, r *http.Request) (any, *apiError) {
	id := r.PathValue("eval_id")
	e := st.eval(id)
	if e == nil {
		return nil, notFound("No eval found with id '%s'.", id)
	}
	q := r.URL.Query()
	status := q.Get("status")
	if err := oneOf("status", status, "queued", "in_progress", "completed", "canceled", "failed"); err != nil {
		return nil, err
	}
	var out []entry
	for _, run := range e.runs {
		if status == "" || run.wire.Status == status {
			out = append(out, entry{run.wire.ID, run.wire})
		}
	}
	return pageProject(q, out, l1Asc, idsRequired)
}

// listContainers filters on the exact name with `name`.
func listContainers(st *projectStore, r *http.Request) (any, *apiError) {
	q := r.URL.Query()
	name := q.Get("name")
	var out []entry
	for _, c := range st.containers {
		if name == "" || c.wire.Name == name {
			out = append(out, entry{c.wire.ID, c.wire})
		}
	}
	return pageProject(q, out, l1Desc, idsRequired)
}

func listContainerFiles(st *projectStore, r *http.Request) (any, *apiError) {
	id := r.PathValue("container_id")
	c := st.container(id)
	if c == nil {
		return nil, notFound("No container found with id '%s'.", id)
	}
	var out []entry
	for _, f := range c.files {
		out = append(out, entry{f.ID, f})
	}
	return pageProject(r.URL.Query(), out, l1Desc, idsRequired)
}

func listSkills(st *projectStore, r *http.Request) (any, *apiError) {
	var out []entry
	for _, k := range st.skills {
		out = append(out, entry{k.wire.ID, k.wire})
	}
	return pageProject(r.URL.Query(), out, psSkills, idsNullable)
}

// listSkillVersions pages by version id (`after` takes a skillver_… id).
func listSkillVersions(st *projectStore, r *http.Request) (any, *apiError) {
	id := r.PathValue("skill_id")
	k := st.skill(id)
	if k == nil {
		return nil, notFound("No skill found with id '%s'.", id)
	}
	var out []entry
	for _, v := range k.versions {
		out = append(out, entry{v.ID, v})
	}
	return pageProject(r.URL.Query(), out, psSkills, idsNullable)
}

// listAssistants accepts requests with or without `OpenAI-Beta:
// assistants=v2`, and refuses the retired v1, as OpenAI does.
func listAssistants(st *projectStore, r *http.Request) (any, *apiError) {
	if strings.Contains(r.Header.Get("OpenAI-Beta"), "assistants=v1") {
		return nil, invalidRequest("", "invalid_beta", "The v1 Assistants API has been deprecated. "+
			"Please try the v2 Assistants API by setting the 'OpenAI-Beta: assistants=v2' header.")
	}
	var out []entry
	for _, a := range st.assistants {
		out = append(out, entry{a.ID, a})
	}
	return pageProject(r.URL.Query(), out, psDescBefore, idsRequired)
}

type modelList struct {
	Object string      `json:"object"`
	Data   []modelJSON `json:"data"`
}

// listModels is unpaged and the same for every project.
func (s *Server) listModels(*http.Request) (any, *apiError) {
	return modelList{Object: "list", Data: s.papi.models}, nil
}

// oneOf checks an optional enum parameter.
func oneOf(param, v string, allowed ...string) *apiError {
	if v == "" || slices.Contains(allowed, v) {
		return nil
	}
	return invalidRequest(param, "invalid_value", "Invalid '%s': expected one of '%s', but got %q instead.",
		param, strings.Join(allowed, "', '"), v)
}
