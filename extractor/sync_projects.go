package extractor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/openai-sync/openai-sync/schema"
)

// projectErrors is how a project stream failed on some of its projects.
type projectErrors struct {
	done int              // projects whose rows committed
	errs map[string]error // project → why it was not read
}

func (e *projectErrors) Error() string {
	ids := make([]string, 0, len(e.errs))
	for id := range e.errs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		err := e.errs[id]
		msg := err.Error()
		if ae, ok := IsAPIError(err); ok && ae.IsAuth() {
			msg += "; fix: " + ae.Advice(false)
		}
		parts[i] = "project " + id + ": " + msg
	}
	return strings.Join(parts, "; ")
}

// allAuth reports whether every project failed for its key: refused, or
// not there.
func (e *projectErrors) allAuth() bool {
	for _, err := range e.errs {
		if ae, ok := IsAPIError(err); !errors.Is(err, errKeyMissing) && (!ok || !ae.IsAuth()) {
			return false
		}
	}
	return true
}

// errKeyMissing marks why a project was not read: ProjectClient.Unusable.
var errKeyMissing = errors.New("its key")

// eachProject reads a project stream with every project's key in turn. Each
// row carries its project's id; rows of projects that were read completely
// are swept for deletions, the others are left as they were.
func (sr *streamRun) eachProject(ctx context.Context) error {
	if len(sr.r.opts.Projects) == 0 {
		return errNoProjectKey
	}
	pe := &projectErrors{errs: map[string]error{}}
	var done, kept []string
	for _, p := range sr.r.opts.Projects {
		if p.Unusable != nil {
			pe.errs[p.ID] = fmt.Errorf("%w: %w", errKeyMissing, p.Unusable)
			continue
		}
		sr.client, sr.project = p.Client, p.ID
		sr.base = schema.Context{"project_id": []byte(strconv.Quote(p.ID))}
		var err error
		if sr.s.Parent != nil {
			var refused, finished []string
			refused, finished, err = sr.readParents(ctx)
			kept = append(kept, finished...)
			if err == nil && len(refused) > 0 {
				err = fmt.Errorf("%d %s could not be listed", len(refused), sr.s.Parent.Stream)
			}
		} else {
			err = sr.list(ctx, sr.s.Path, sr.base)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			pe.errs[p.ID] = err
			continue
		}
		done = append(done, p.ID)
	}
	pe.done = len(done)
	sweep := &schema.Sweep{Since: sr.r.run.Started, ScopeColumn: "project_id", Scope: done}
	if sr.s.Parent != nil {
		sweep.ParentColumn, sweep.KeepParents = sr.s.Parent.Column, kept
	}
	var state *schema.State
	if len(done) > 0 && sr.s.Parent != nil && sr.s.Parent.DoneField != "" {
		// For each project read completely, children of parents finished
		// before this run are all stored.
		m := parseCursorMap(sr.r.states[sr.s.Name].Cursor, "")
		for _, id := range done {
			m = m.with(id, sr.r.run.Started.Unix())
		}
		state = &schema.State{Stream: sr.s.Name, Cursor: m.String()}
	}
	if err := sr.flush(ctx, sweep, state, true); err != nil {
		return err
	}
	if len(pe.errs) > 0 {
		return pe
	}
	return nil
}
