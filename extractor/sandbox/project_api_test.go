package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// projectStreamCase says how a plain client syncs one project-API stream
// with a project key: the endpoint (with {parent} for children), the parent
// stream, the field the ground-truth key uses, and the paging style.
type projectStreamCase struct {
	stream, path, parent string
	idField              string
	noLastID             bool // L1′: page with after=<last item's id>
	params               url.Values
}

func projectStreamCases() []projectStreamCase {
	return []projectStreamCase{
		{"files", "/files", "", "id", false, q("limit", "7")},
		{"batches", "/batches", "", "id", false, q("limit", "3")},
		{"fine_tuning_jobs", "/fine_tuning/jobs", "", "id", true, q("limit", "2")},
		{"fine_tuning_job_events", "/fine_tuning/jobs/{parent}/events", "fine_tuning_jobs", "id", true, q("limit", "9")},
		{"fine_tuning_job_checkpoints", "/fine_tuning/jobs/{parent}/checkpoints", "fine_tuning_jobs", "id", false, q("limit", "1")},
		{"vector_stores", "/vector_stores", "", "id", false, q("limit", "2")},
		{"vector_store_files", "/vector_stores/{parent}/files", "vector_stores", "id", false, q("limit", "4")},
		{"evals", "/evals", "", "id", false, q("limit", "1")},
		{"eval_runs", "/evals/{parent}/runs", "evals", "id", false, q("limit", "2")},
		{"containers", "/containers", "", "id", false, q("limit", "1")},
		{"container_files", "/containers/{parent}/files", "containers", "id", false, q("limit", "2")},
		{"skills", "/skills", "", "id", false, q("limit", "1")},
		{"skill_versions", "/skills/{parent}/versions", "skills", "version", false, q("limit", "1")},
		{"assistants", "/assistants", "", "id", false, q("limit", "2")},
	}
}

// ofProject returns the ids under one project in a ground-truth key list
// (the part after "project_id/").
func ofProject(keys []string, projectID string) []string {
	var out []string
	for _, k := range keys {
		if rest, ok := strings.CutPrefix(k, projectID+"/"); ok {
			out = append(out, rest)
		}
	}
	return out
}

// walkNoLastID pages an L1′ list (no first_id/last_id) with after=<last item's id>.
func (c *client) walkNoLastID(path string, params url.Values, idField string) []string {
	c.t.Helper()
	var ids []string
	params = clone(params)
	for range maxPages {
		var p map[string]json.RawMessage
		c.getOK(path, params, &p)
		for _, k := range []string{"first_id", "last_id"} {
			if _, ok := p[k]; ok {
				c.t.Fatalf("%s: %s in a list whose schema has none", path, k)
			}
		}
		var page l1Page
		raw, _ := json.Marshal(p)
		_ = json.Unmarshal(raw, &page)
		for _, d := range page.Data {
			ids = append(ids, field(c.t, d, idField))
		}
		if !page.HasMore {
			return ids
		}
		last := field(c.t, page.Data[len(page.Data)-1], "id")
		if last == params.Get("after") {
			c.t.Fatalf("%s: cursor does not advance", path)
		}
		params.Set("after", last)
	}
	c.t.Fatalf("%s: more than %d pages", path, maxPages)
	return nil
}

// walkProjectStream fetches every key of a stream with each project's key.
func walkProjectStream(c *client, s *Server, sc projectStreamCase) []string {
	var out []string
	for _, p := range s.ProjectIDs() {
		pc := c.with(s.ProjectKey(p))
		parents := []string{""}
		if sc.parent != "" {
			parents = ofProject(s.IDs(sc.parent), p)
		}
		for _, parent := range parents {
			path := strings.Replace(sc.path, "{parent}", parent, 1)
			var ids []string
			if sc.noLastID {
				ids = pc.walkNoLastID(path, sc.params, sc.idField)
			} else {
				ids, _ = pc.walkL1(path, sc.params, sc.idField)
			}
			prefix := p + "/"
			if parent != "" {
				prefix += parent + "/"
			}
			for _, id := range ids {
				out = append(out, prefix+id)
			}
		}
	}
	return out
}

func TestProjectStreamsPaginateToGroundTruth(t *testing.T) {
	for _, opts := range []Options{
		{Seed: 42, AuditEvents: 10},
		{Seed: 1, Users: 1, Projects: 1, AuditEvents: -1},
		{Seed: 2, Projects: 9, AuditEvents: -1},
	} {
		s, c := start(t, opts)
		for _, sc := range projectStreamCases() {
			t.Run(fmt.Sprintf("projects=%d/%s", opts.Projects, sc.stream), func(t *testing.T) {
				c := c.with(c.key)
				c.t = t
				got := walkProjectStream(c, s, sc)
				want := s.IDs(sc.stream)
				if len(want) == 0 {
					t.Fatalf("IDs(%q) is empty", sc.stream)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("walked %d keys, IDs has %d\n got %v\nwant %v", len(got), len(want), got, want)
				}
				if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
					t.Fatal("duplicate keys")
				}
			})
		}
		t.Run(fmt.Sprintf("projects=%d/models", opts.Projects), func(t *testing.T) {
			var got []string
			for _, p := range s.ProjectIDs() {
				var list struct {
					Object string            `json:"object"`
					Data   []json.RawMessage `json:"data"`
				}
				c.with(s.ProjectKey(p)).getOK("/models", nil, &list)
				if list.Object != "list" {
					t.Fatalf("object %q", list.Object)
				}
				for _, d := range list.Data {
					got = append(got, p+"/"+field(t, d, "id"))
				}
			}
			if want := s.IDs("models"); !slices.Equal(got, want) {
				t.Fatalf("models: got %v\nwant %v", got, want)
			}
		})
	}
}

func TestProjectAPIVolumes(t *testing.T) {
	s, c := start(t, Options{Seed: 5, AuditEvents: -1})
	projects := s.ProjectIDs()
	count := func(stream, p string) int { return len(ofProject(s.IDs(stream), p)) }
	for i, p := range projects {
		files := count("files", p)
		switch {
		case i == 0 && files <= 100:
			t.Errorf("project 0 has %d files, want > 100", files)
		case files < 20:
			t.Errorf("project %d has %d files, want a few dozen", i, files)
		}
		for _, stream := range []string{"batches", "fine_tuning_jobs", "fine_tuning_job_events", "vector_stores",
			"vector_store_files", "evals", "eval_runs", "containers", "container_files", "skills", "skill_versions",
			"assistants"} {
			if count(stream, p) == 0 {
				t.Errorf("project %d: %s is empty", i, stream)
			}
		}
		if n := count("models", p); n < 18 || n > 30 {
			t.Errorf("project %d sees %d models", i, n)
		}
	}
	if n := len(s.IDs("fine_tuning_job_events")) / len(s.IDs("fine_tuning_jobs")); n < 12 {
		t.Errorf("%d events per job on average, want dozens", n)
	}
	if len(s.IDs("fine_tuning_job_checkpoints")) == 0 {
		t.Error("no checkpoints")
	}

	// Every batch, job and run status occurs; project 0 pages its files.
	statuses := map[string]map[string]bool{"batches": {}, "fine_tuning_jobs": {}, "eval_runs": {}}
	for stream, seen := range statuses {
		for _, k := range s.IDs(stream) {
			parts := strings.Split(k, "/")
			seen[s.Status(stream, parts[0], parts[len(parts)-1])] = true
		}
	}
	for stream, want := range map[string][]string{
		"batches":          batchStatuses,
		"fine_tuning_jobs": ftStatuses,
		"eval_runs":        {"queued", "in_progress", "completed"},
	} {
		for _, st := range want {
			if !statuses[stream][st] {
				t.Errorf("no %s with status %q: %v", stream, st, statuses[stream])
			}
		}
	}
	pc := c.with(s.ProjectKey(projects[0]))
	var page l1Page
	pc.getOK("/files", nil, &page)
	if page.HasMore || len(page.Data) != count("files", projects[0]) {
		t.Fatalf("default limit (10000): %d files, has_more %v", len(page.Data), page.HasMore)
	}
	pc.getOK("/files", q("limit", "100"), &page)
	if !page.HasMore || len(page.Data) != 100 {
		t.Fatalf("limit=100: %d files, has_more %v", len(page.Data), page.HasMore)
	}
}

func TestProjectKeyScoping(t *testing.T) {
	s, c := start(t, Options{Seed: 3, AuditEvents: -1})
	projects := s.ProjectIDs()
	a, b := projects[0], projects[len(projects)-1] // b is archived: its key still reads
	ca, cb := c.with(s.ProjectKey(a)), c.with(s.ProjectKey(b))
	filesA, _ := ca.walkL1("/files", q("limit", "50"), "id")
	filesB, _ := cb.walkL1("/files", q("limit", "50"), "id")
	if len(filesA) == 0 || len(filesB) == 0 {
		t.Fatal("no files")
	}
	for _, f := range filesB {
		if slices.Contains(filesA, f) {
			t.Fatalf("project %s's key sees project %s's file %s", a, b, f)
		}
	}
	children := map[string]string{
		"/fine_tuning/jobs/%s/events":      "fine_tuning_jobs",
		"/fine_tuning/jobs/%s/checkpoints": "fine_tuning_jobs",
		"/vector_stores/%s/files":          "vector_stores",
		"/evals/%s/runs":                   "evals",
		"/containers/%s/files":             "containers",
		"/skills/%s/versions":              "skills",
	}
	for path, parent := range children {
		other := ofProject(s.IDs(parent), b)[0]
		r := ca.get(fmt.Sprintf(path, other), nil)
		if e := apiErr(t, r); r.status != http.StatusNotFound || !strings.Contains(e.Message, other) {
			t.Fatalf("%s with another project's parent: %d %s", path, r.status, r.body)
		}
		cb.getOK(fmt.Sprintf(path, other), nil, &l1Page{})
	}
	var models [2]string
	for i, pc := range []*client{ca, cb} {
		models[i] = string(pc.get("/models", nil).body)
	}
	if models[0] != models[1] {
		t.Fatal("models differ between project keys")
	}
}

func TestProjectAPIRefusesOtherKeys(t *testing.T) {
	s, c := start(t, Options{Seed: 3, AuditEvents: -1})
	p := s.ProjectIDs()[0]
	job := ofProject(s.IDs("fine_tuning_jobs"), p)[0]
	paths := []string{"/files", "/batches", "/fine_tuning/jobs", "/fine_tuning/jobs/" + job + "/events", "/vector_stores",
		"/evals", "/containers", "/skills", "/assistants", "/models"}
	for _, path := range paths {
		r := c.get(path, nil) // the admin key
		e := apiErr(t, r)
		if r.status != http.StatusUnauthorized || e.Type != "invalid_request_error" || e.Param != nil || e.Code != nil ||
			!strings.Contains(e.Message, "Admin API keys cannot be used for non-administration endpoints") {
			t.Fatalf("admin key on %s: %d %s", path, r.status, r.body)
		}
		for _, key := range []string{s.RevokedKey(), "sk-proj-sandbox-nope0123456789abcdefABCD"} {
			r := c.with(key).get(path, nil)
			if e := apiErr(t, r); r.status != http.StatusUnauthorized || e.Code == nil || *e.Code != "invalid_api_key" {
				t.Fatalf("bad key on %s: %d %s", path, r.status, r.body)
			}
		}
	}
	// Unknown paths stay 404 whatever the key; the admin key keeps its own endpoints.
	for _, key := range []string{s.AdminKey(), s.ProjectKey(p)} {
		if r := c.with(key).get("/files/"+job, nil); key == s.ProjectKey(p) && r.status != http.StatusNotFound {
			t.Fatalf("unserved project path: %d", r.status)
		}
		if r := c.with(key).get("/threads", nil); r.status != http.StatusNotFound {
			t.Fatalf("/threads: %d", r.status)
		}
	}
	c.getOK("/organization/users", nil, &l1Page{})
	r := c.with(s.ProjectKey(p)).get("/files", q("limit", "10001"))
	if e := apiErr(t, r); r.status != http.StatusBadRequest || e.Param == nil || *e.Param != "limit" {
		t.Fatalf("limit 10001: %d %s", r.status, r.body)
	}
}

func TestRestrictedKeys(t *testing.T) {
	s, c := start(t, Options{Seed: 4, AuditEvents: -1})
	p := s.ProjectIDs()[1]
	if s.RestrictedKey("proj_nope", "files") != "" || s.RestrictedKey(p, "teleporters") != "" {
		t.Fatal("RestrictedKey accepted an unknown project or group")
	}
	first := func(stream string) string { return ofProject(s.IDs(stream), p)[0] }
	groups := map[string][]string{ // group -> its endpoints
		"files":         {"/files"},
		"batches":       {"/batches"},
		"fine_tuning":   {"/fine_tuning/jobs", "/fine_tuning/jobs/" + first("fine_tuning_jobs") + "/events", "/fine_tuning/jobs/" + first("fine_tuning_jobs") + "/checkpoints"},
		"vector_stores": {"/vector_stores", "/vector_stores/" + first("vector_stores") + "/files"},
		"evals":         {"/evals", "/evals/" + first("evals") + "/runs"},
		"containers":    {"/containers", "/containers/" + first("containers") + "/files"},
		"skills":        {"/skills", "/skills/" + first("skills") + "/versions"},
		"assistants":    {"/assistants"},
		"models":        {"/models"},
	}
	scopes := map[string]string{"files": "api.files.read", "batches": "api.batch.read", "fine_tuning": "api.fine_tuning.jobs.read",
		"vector_stores": "api.vector_stores.read", "evals": "api.evals.read", "containers": "api.containers.read",
		"skills": "api.skills.read", "assistants": "api.assistants.read", "models": "api.model.read"}
	for allowed := range groups {
		rc := c.with(s.RestrictedKey(p, allowed, "models"))
		for group, paths := range groups {
			for _, path := range paths {
				r := rc.get(path, nil)
				if group == allowed || group == "models" {
					if r.status != http.StatusOK {
						t.Fatalf("key for %s on %s: %d %s", allowed, path, r.status, r.body)
					}
					continue
				}
				e := apiErr(t, r)
				want := "You have insufficient permissions for this operation. Missing scopes: " + scopes[group] + ". "
				if r.status != http.StatusUnauthorized || !strings.HasPrefix(e.Message, want) ||
					e.Type != "invalid_request_error" || e.Param != nil || e.Code != nil {
					t.Fatalf("key for %s on %s: %d %s", allowed, path, r.status, r.body)
				}
			}
		}
	}
	// The restricted key reads the same objects as the project key.
	all := c.with(s.RestrictedKey(p, "files"))
	got, _ := all.walkL1("/files", q("limit", "25"), "id")
	if !slices.Equal(got, ofProject(s.IDs("files"), p)) {
		t.Fatal("restricted key sees other files")
	}
	none := c.with(s.RestrictedKey(p))
	if r := none.get("/models", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("key without groups on /models: %d", r.status)
	}
	r := all.get("/organization/users", nil)
	if e := apiErr(t, r); r.status != http.StatusUnauthorized || !strings.Contains(e.Message, "Missing scopes: api.management.read.") {
		t.Fatalf("restricted key on /organization: %d %s", r.status, r.body)
	}
	r = all.get("/organization/costs", q("start_time", "1"))
	if e := apiErr(t, r); r.status != http.StatusUnauthorized || !strings.Contains(e.Message, "Missing scopes: api.usage.read.") {
		t.Fatalf("restricted key on costs: %d %s", r.status, r.body)
	}
	kinds := map[string]int{}
	for _, req := range s.Requests() {
		kinds[req.KeyKind]++
		if strings.Contains(req.Path+req.RawQuery, "sk-") {
			t.Fatalf("key in the request log: %+v", req)
		}
	}
	if kinds["restricted"] == 0 || kinds["project"] != 0 {
		t.Fatalf("key kinds logged: %v", kinds)
	}
}

func TestAssistantsBetaHeader(t *testing.T) {
	s, c := start(t, Options{Seed: 6, AuditEvents: -1})
	key := s.ProjectKey(s.ProjectIDs()[0])
	get := func(beta string) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, c.base+"/assistants", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		if beta != "" {
			req.Header.Set("OpenAI-Beta", beta)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(body)
	}
	st1, b1 := get("")
	st2, b2 := get("assistants=v2")
	if st1 != 200 || st2 != 200 || b1 != b2 {
		t.Fatalf("with and without the beta header: %d %d", st1, st2)
	}
	if st, body := get("assistants=v1"); st != http.StatusBadRequest || !strings.Contains(body, "invalid_beta") {
		t.Fatalf("v1: %d %s", st, body)
	}
}

func TestAdvanceJobs(t *testing.T) {
	var now atomic.Int64
	now.Store(testNow)
	s, c := start(t, Options{Seed: 7, AuditEvents: -1, Clock: func() time.Time { return time.Unix(now.Load(), 0) }})
	type job struct{ stream, project, id string }
	var pending []job
	for _, stream := range []string{"batches", "fine_tuning_jobs", "eval_runs"} {
		for _, k := range s.IDs(stream) {
			parts := strings.Split(k, "/")
			j := job{stream, parts[0], parts[len(parts)-1]}
			switch s.Status(stream, j.project, j.id) {
			case "validating", "in_progress", "finalizing", "cancelling", "validating_files", "queued", "running":
				pending = append(pending, j)
			}
		}
	}
	if len(pending) < 10 {
		t.Fatalf("only %d jobs in progress", len(pending))
	}
	filesBefore, eventsBefore, ckptsBefore := len(s.IDs("files")), len(s.IDs("fine_tuning_job_events")), len(s.IDs("fine_tuning_job_checkpoints"))

	later := now.Add(day) // work finishes when AdvanceJobs runs, never earlier
	s.AdvanceJobs()
	for _, j := range pending {
		got := s.Status(j.stream, j.project, j.id)
		want := map[string]string{"batches": "completed", "fine_tuning_jobs": "succeeded", "eval_runs": "completed"}[j.stream]
		if j.stream == "batches" && got == "cancelled" {
			continue // was cancelling
		}
		if got != want {
			t.Errorf("%s %s: status %q after AdvanceJobs, want %q", j.stream, j.id, got, want)
		}
		if j.stream == "fine_tuning_jobs" {
			var page l1Page
			c.with(s.ProjectKey(j.project)).getOK("/fine_tuning/jobs/"+j.id+"/events", q("limit", "1"), &page)
			var e ftEventJSON
			_ = json.Unmarshal(page.Data[0], &e)
			if e.CreatedAt != later || e.Message != "The job has successfully completed" {
				t.Errorf("job %s: newest event %q at %d, want at %d", j.id, e.Message, e.CreatedAt, later)
			}
		}
	}
	if len(s.IDs("files")) <= filesBefore || len(s.IDs("fine_tuning_job_events")) <= eventsBefore ||
		len(s.IDs("fine_tuning_job_checkpoints")) <= ckptsBefore {
		t.Fatal("AdvanceJobs added no output files, events or checkpoints")
	}
	// The lists show it: completed batches are whole, succeeded jobs have a model.
	for _, p := range s.ProjectIDs() {
		pc := c.with(s.ProjectKey(p))
		_, batches := pc.walkL1("/batches", q("limit", "100"), "id")
		for _, raw := range batches {
			var b batchJSON
			_ = json.Unmarshal(raw, &b)
			if !isTerminalBatch(b.Status) {
				t.Fatalf("batch %s still %s", b.ID, b.Status)
			}
			if b.Status == "completed" && (b.CompletedAt == nil || b.OutputFileID == "" ||
				b.RequestCounts.Completed+b.RequestCounts.Failed != b.RequestCounts.Total || *b.CompletedAt > later ||
				b.FinalizingAt == nil || *b.FinalizingAt > *b.CompletedAt) {
				t.Fatalf("completed batch %s: %s", b.ID, raw)
			}
		}
		for _, id := range pc.walkNoLastID("/fine_tuning/jobs", q("limit", "100"), "id") {
			var events l1Page
			pc.getOK("/fine_tuning/jobs/"+id+"/events", q("limit", "1"), &events)
			if s.Status("fine_tuning_jobs", p, id) == "succeeded" {
				if msg := field(t, events.Data[0], "message"); msg != "The job has successfully completed" {
					t.Fatalf("job %s: newest event %q", id, msg)
				}
			}
		}
	}
	again := fmt.Sprint(s.IDs("files"), s.IDs("fine_tuning_job_events"))
	s.AdvanceJobs()
	if fmt.Sprint(s.IDs("files"), s.IDs("fine_tuning_job_events")) != again {
		t.Fatal("a second AdvanceJobs changed data")
	}
	if s.Status("batches", "proj_nope", "batch_x") != "" || s.Status("teleporters", s.ProjectIDs()[0], "x") != "" {
		t.Fatal("Status of an unknown object")
	}
}

func projectPages(t *testing.T, c *client, s *Server) []string {
	var out []string
	for _, p := range s.ProjectIDs() {
		pc := c.with(s.ProjectKey(p))
		for _, path := range []string{"/files", "/batches", "/fine_tuning/jobs", "/vector_stores", "/evals", "/containers",
			"/skills", "/assistants", "/models", "/fine_tuning/jobs/" + ofProject(s.IDs("fine_tuning_jobs"), p)[0] + "/events"} {
			r := pc.get(path, q("limit", "100"))
			if path == "/models" {
				r = pc.get(path, nil)
			}
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, r.status, r.body)
			}
			out = append(out, string(r.body))
		}
	}
	return out
}

func TestProjectAPIDeterministic(t *testing.T) {
	s1, c1 := start(t, Options{Seed: 77, AuditEvents: -1})
	s2, c2 := start(t, Options{Seed: 77, AuditEvents: -1})
	if !slices.Equal(projectPages(t, c1, s1), projectPages(t, c2, s2)) {
		t.Fatal("same seed, different project objects")
	}
	s1.AdvanceJobs()
	s2.AdvanceJobs()
	if !slices.Equal(projectPages(t, c1, s1), projectPages(t, c2, s2)) {
		t.Fatal("same seed, different objects after AdvanceJobs")
	}
	s3, c3 := start(t, Options{Seed: 78, AuditEvents: -1})
	if a, b := projectPages(t, c1, s1), projectPages(t, c3, s3); a[0] == b[0] || a[1] == b[1] {
		t.Fatal("a different seed gave the same files or batches")
	}
}

func TestProjectListFilters(t *testing.T) {
	s, c := start(t, Options{Seed: 9, AuditEvents: -1})
	p := s.ProjectIDs()[0]
	pc := c.with(s.ProjectKey(p))

	_, files := pc.walkL1("/files", q("purpose", "fine-tune", "order", "asc", "limit", "4"), "id")
	var last int64
	for _, raw := range files {
		var f fileJSON
		_ = json.Unmarshal(raw, &f)
		if f.Purpose != "fine-tune" || f.CreatedAt < last {
			t.Fatalf("purpose=fine-tune&order=asc: %s", raw)
		}
		last = f.CreatedAt
	}
	var empty map[string]any
	pc.getOK("/files", q("purpose", "nothing"), &empty)
	if empty["first_id"] != "" || empty["last_id"] != "" || len(empty["data"].([]any)) != 0 {
		t.Fatalf("empty page: %v", empty)
	}

	// metadata[k]=v and metadata=null on fine-tuning jobs.
	var tagged, untagged int
	for _, raw := range pc.walkNoLastIDItems("/fine_tuning/jobs") {
		var j ftJobJSON
		_ = json.Unmarshal(raw, &j)
		topic := j.Metadata["topic"]
		if topic == "" {
			untagged++
			continue
		}
		tagged++
		if got := pc.walkNoLastID("/fine_tuning/jobs", q("metadata[topic]", topic), "id"); !slices.Contains(got, j.ID) {
			t.Fatalf("metadata[topic]=%s misses %s", topic, j.ID)
		}
	}
	if n := len(pc.walkNoLastID("/fine_tuning/jobs", q("metadata", "null"), "id")); n != untagged || tagged+untagged == 0 {
		t.Fatalf("metadata=null: %d jobs, want %d (of %d)", n, untagged, tagged+untagged)
	}

	// before= pages backwards on vector stores.
	all, _ := pc.walkL1("/vector_stores", nil, "id")
	var page l1Page
	pc.getOK("/vector_stores", q("before", all[len(all)-1], "limit", "1"), &page)
	if len(page.Data) != 1 || field(t, page.Data[0], "id") != all[len(all)-2] {
		t.Fatalf("before: %v", page.Data)
	}

	for _, bad := range []struct {
		path  string
		query url.Values
		param string
	}{
		{"/vector_stores/" + all[0] + "/files", q("filter", "done"), "filter"},
		{"/evals", q("order_by", "name"), "order_by"},
		{"/evals/" + ofProject(s.IDs("evals"), p)[0] + "/runs", q("status", "done"), "status"},
		{"/files", q("order", "sideways"), "order"},
		{"/batches", q("limit", "101"), "limit"},
		{"/batches", q("after", "batch_nope"), "after"},
	} {
		r := pc.get(bad.path, bad.query)
		if e := apiErr(t, r); r.status != 400 || e.Param == nil || *e.Param != bad.param {
			t.Fatalf("%s?%s: %d %s", bad.path, bad.query.Encode(), r.status, r.body)
		}
	}
	for _, e := range ofProject(s.IDs("evals"), p) {
		ids, _ := pc.walkL1("/evals/"+e+"/runs", q("status", "in_progress"), "id")
		for _, id := range ids {
			if s.Status("eval_runs", p, id) != "in_progress" {
				t.Fatalf("status filter returned run %s", id)
			}
		}
	}
	_, containers := pc.walkL1("/containers", nil, "id")
	name := field(t, containers[0], "name")
	if got, _ := pc.walkL1("/containers", q("name", name), "id"); len(got) == 0 {
		t.Fatalf("name=%s: nothing", name)
	}
	if got := pc.get("/skills", q("limit", "0")); got.status != 200 {
		t.Fatalf("skills limit=0: %d", got.status)
	}
}

// walkNoLastIDItems returns every item of an L1′ list.
func (c *client) walkNoLastIDItems(path string) []json.RawMessage {
	var out []json.RawMessage
	params := url.Values{}
	for range maxPages {
		var page l1Page
		c.getOK(path, params, &page)
		out = append(out, page.Data...)
		if !page.HasMore {
			return out
		}
		params.Set("after", field(c.t, page.Data[len(page.Data)-1], "id"))
	}
	return out
}
