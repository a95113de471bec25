package sandbox

import "slices"

// projectAPIIDs lists a project-API stream's keys, project by project in
// ProjectIDs order, each in its endpoint's default list order (children:
// parent by parent in the parent list's default order). Keys are
// project_id/id, or project_id/parent_id/id for children; skill versions use
// the version string; models repeat the org-wide list under every project.
// It returns nil for a stream it does not know. s.mu is held.
func (s *Server) projectAPIIDs(stream string) []string {
	list := projectAPIStreams[stream]
	if list == nil {
		return nil
	}
	out := []string{}
	for _, p := range s.org.Projects {
		out = append(out, prefixed(p.ID, list(s.papi, s.papi.stores[p.ID]))...)
	}
	return out
}

var projectAPIStreams = map[string]func(a *projectAPI, st *projectStore) []string{
	"files": func(_ *projectAPI, st *projectStore) []string {
		return reversed(collect(st.files, func(f *fileJSON) []string { return []string{f.ID} }))
	},
	"batches": func(_ *projectAPI, st *projectStore) []string {
		return reversed(collect(st.batches, func(b *batch) []string { return []string{b.wire.ID} }))
	},
	"fine_tuning_jobs": func(_ *projectAPI, st *projectStore) []string {
		return newestJobs(st, func(j *ftJob) []string { return []string{j.wire.ID} })
	},
	"fine_tuning_job_events": func(_ *projectAPI, st *projectStore) []string {
		return newestJobs(st, func(j *ftJob) []string {
			return prefixed(j.wire.ID, reversed(collect(j.events, func(e ftEventJSON) []string { return []string{e.ID} })))
		})
	},
	"fine_tuning_job_checkpoints": func(_ *projectAPI, st *projectStore) []string {
		return newestJobs(st, func(j *ftJob) []string {
			return prefixed(j.wire.ID, reversed(collect(j.checkpoints, func(c ftCheckpointJSON) []string { return []string{c.ID} })))
		})
	},
	"vector_stores": func(_ *projectAPI, st *projectStore) []string {
		return reversed(collect(st.vectorStores, func(v *vectorStore) []string { return []string{v.wire.ID} }))
	},
	"vector_store_files": func(_ *projectAPI, st *projectStore) []string {
		return reversed(collect(st.vectorStores, func(v *vectorStore) []string {
			return prefixed(v.wire.ID, collect(v.files, func(f *vsFileJSON) []string { return []string{f.ID} }))
		}))
	},
	"evals": func(_ *projectAPI, st *projectStore) []string {
		return collect(st.evals, func(e *evalObj) []string { return []string{e.wire.ID} })
	},
	"eval_runs": func(_ *projectAPI, st *projectStore) []string {
		return collect(st.evals, func(e *evalObj) []string {
			return prefixed(e.wire.ID, collect(e.runs, func(r *evalRun) []string { return []string{r.wire.ID} }))
		})
	},
	"containers": func(_ *projectAPI, st *projectStore) []string {
		return reversed(collect(st.containers, func(c *container) []string { return []string{c.wire.ID} }))
	},
	"container_files": func(_ *projectAPI, st *projectStore) []string {
		return reversed(collect(st.containers, func(c *container) []string {
			return prefixed(c.wire.ID, collect(c.files, func(f containerFileJSON) []string { return []string{f.ID} }))
		}))
	},
	"skills": func(_ *projectAPI, st *projectStore) []string {
		return reversed(collect(st.skills, func(k *skill) []string { return []string{k.wire.ID} }))
	},
	"skill_versions": func(_ *projectAPI, st *projectStore) []string {
		return reversed(collect(st.skills, func(k *skill) []string {
			return prefixed(k.wire.ID, collect(k.versions, func(v skillVersionJSON) []string { return []string{v.Version} }))
		}))
	},
	"assistants": func(_ *projectAPI, st *projectStore) []string {
		return reversed(collect(st.assistants, func(a *assistantJSON) []string { return []string{a.ID} }))
	},
	"models": func(a *projectAPI, _ *projectStore) []string {
		return collect(a.models, func(m modelJSON) []string { return []string{m.ID} })
	},
}

// collect concatenates f over xs, in order. Lists served newest first are
// reversed whole: parents newest first, each one's children newest first.
func collect[T any](xs []T, f func(T) []string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, f(x)...)
	}
	return out
}

// newestJobs concatenates f over the jobs, newest first (the list's order).
func newestJobs(st *projectStore, f func(*ftJob) []string) []string {
	out := []string{}
	for _, j := range slices.Backward(st.jobs) {
		out = append(out, f(j)...)
	}
	return out
}

// Status returns the current status of a batch (stream "batches"), a
// fine-tuning job ("fine_tuning_jobs") or an eval run ("eval_runs", id = the
// run id) of a project, or "" when there is no such object.
func (s *Server) Status(stream, projectID, id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.papi.stores[projectID]
	if st == nil {
		return ""
	}
	switch stream {
	case "batches":
		for _, b := range st.batches {
			if b.wire.ID == id {
				return b.wire.Status
			}
		}
	case "fine_tuning_jobs":
		if j := st.job(id); j != nil {
			return j.wire.Status
		}
	case "eval_runs":
		for _, e := range st.evals {
			for _, r := range e.runs {
				if r.wire.ID == id {
					return r.wire.Status
				}
			}
		}
	}
	return ""
}
