package sandbox

import (
	"cmp"
	"slices"
)

// AdvanceJobs finishes all work in progress, in every project, at Clock()
// time: batches validating, in progress or finalizing become completed (with
// finalizing_at, completed_at, full request counts, usage and an output file)
// and cancelling ones cancelled; fine-tuning jobs validating files, queued or
// running succeed (the rest of their events and checkpoints appear, with the
// fine-tuned model and a result file); queued and in-progress eval runs
// complete. Calling it again changes nothing until new work exists.
func (s *Server) AdvanceJobs() {
	now := s.clock().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.papi
	for _, p := range s.org.Projects {
		st := a.stores[p.ID]
		b := &projectBuilder{g: a.adv, st: st, now: now, orgID: s.org.ID, slug: a.slug}
		for _, bt := range st.batches {
			b.advanceBatch(bt, now)
		}
		for _, j := range st.jobs {
			if !isTerminalJob(j.wire.Status) {
				b.succeedJob(j, now)
			}
		}
		for _, e := range st.evals {
			for _, r := range e.runs {
				if r.wire.Status == "queued" || r.wire.Status == "in_progress" {
					r.wire.Status = "completed"
					r.settle(r.final)
				}
			}
		}
		slices.SortStableFunc(st.files, func(x, y *fileJSON) int { return cmp.Compare(x.CreatedAt, y.CreatedAt) })
	}
}

// advanceBatch finishes a batch that is not in a terminal status.
func (b *projectBuilder) advanceBatch(bt *batch, now int64) {
	w := &bt.wire
	end := max(now, w.CreatedAt, deref(w.InProgressAt), deref(w.FinalizingAt), deref(w.CancellingAt))
	switch w.Status {
	case "validating", "in_progress", "finalizing":
		b.completeBatch(bt, end)
	case "cancelling":
		w.Status, w.CancelledAt = "cancelled", ptr(end)
		b.finishBatch(bt, w.RequestCounts.Completed, end)
	}
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
