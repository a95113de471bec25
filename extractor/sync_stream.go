package extractor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// streamRun is one stream's part of a run: it converts pages into Arrow
// batches and hands them to the writer.
type streamRun struct {
	r      *runner
	s      *Stream
	client *Client

	mu       sync.Mutex     // fan-out parents append concurrently
	base     schema.Context // context of every row (a project stream's project_id)
	project  string         // the project being read, for project streams
	b        *schema.Builder
	res      schema.StreamResult
	tally    tally
	pages    int
	from, to time.Time // buckets covered by the pending batch
	replaced time.Time // end of the buckets the run's batches have replaced
}

// syncStream reads one stream and returns its result and the tally of what
// its batches changed, which is final only once the writer has committed them.
func (r *runner) syncStream(ctx context.Context, s *Stream) (schema.StreamResult, *tally) {
	start := time.Now()
	sr := &streamRun{r: r, s: s, client: r.opts.Admin, res: schema.StreamResult{Stream: s.Name}}
	sr.b = schema.NewBuilder(r.opts.Allocator, s.Table)
	defer sr.b.Release()
	r.observe(sr, "running")
	var err error
	switch {
	case s.Key == ProjectKey:
		err = sr.eachProject(ctx)
	case sr.client == nil:
		err = errNoAdminKey
	case s.Mode == Buckets:
		err = sr.buckets(ctx)
	case s.Mode == Incremental:
		err = sr.incremental(ctx)
	case s.Parent != nil:
		err = sr.fanOut(ctx)
	default:
		err = sr.snapshot(ctx)
	}
	if err != nil && ctx.Err() == nil && sr.b.Len() > 0 {
		// Rows read before the failure are good rows: keep them, with no
		// deletions (nor a replaced bucket range: its last bucket may be
		// read in part) and no cursor move.
		sr.from, sr.to = time.Time{}, time.Time{}
		if ferr := sr.flush(ctx, nil, nil, true); ferr != nil {
			err = errors.Join(err, ferr)
		}
	}
	sr.res.Millis = time.Since(start).Milliseconds()
	sr.res.New, sr.res.Deleted = sr.tally.get()
	sr.finish(ctx, err)
	r.observe(sr, sr.res.Status)
	return sr.res, &sr.tally
}

var errNoProjectKey = errors.New("no project key: set OPENAI_API_KEY (one project) or list projects with their keys in openai-sync.yaml")

var errNoAdminKey = errors.New("no admin key: set OPENAI_ADMIN_KEY to an Admin key (sk-admin-…) created at https://platform.openai.com/settings/organization/admin-keys")

func (sr *streamRun) finish(ctx context.Context, err error) {
	log := sr.r.log.With("stream", sr.s.Name)
	var pe *projectErrors
	switch e, isAPI := IsAPIError(err); {
	case errors.As(err, &pe) && pe.done > 0:
		sr.res.Status, sr.res.Error = StatusSomeProjects, pe.Error()
	case errors.As(err, &pe) && pe.allAuth():
		sr.res.Status, sr.res.Error = StatusSkipped, pe.Error()
	case err == nil:
		sr.res.Status = StatusSucceeded
		log.Info("stream done", "status", sr.res.Status, "rows", sr.res.Rows, "requests", sr.res.Requests,
			"new", sr.res.New, "deleted", sr.res.Deleted, "duration_ms", sr.res.Millis)
		return
	case ctx.Err() != nil && sr.r.fatalErr() != nil:
		// The run was stopped by a write that failed (this stream's or another's).
		sr.res.Status, sr.res.Error = StatusFailed, "stopped: "+sr.r.fatalErr().Error()
	case ctx.Err() != nil:
		sr.res.Status, sr.res.Error = StatusInterrupted, "interrupted"
	case errors.Is(err, errNoAdminKey), errors.Is(err, errNoProjectKey):
		sr.res.Status, sr.res.Error = StatusSkipped, err.Error()
	case isAPI && e.IsAuth():
		sr.res.Status = StatusSkipped
		sr.res.Error = fmt.Sprintf("%v; fix: %s", err, e.Advice(strings.HasPrefix(sr.s.Path, "/organization")))
	default:
		sr.res.Status, sr.res.Error = StatusFailed, err.Error()
	}
	sr.res.Error = sr.client.scrub(sr.res.Error)
	log.Warn("stream "+sr.res.Status, "error", sr.res.Error, "rows", sr.res.Rows, "requests", sr.res.Requests)
}

func (r *runner) observe(sr *streamRun, status string) {
	if r.opts.Observe == nil {
		return
	}
	sr.mu.Lock()
	p := Progress{Stream: sr.s.Name, Pages: sr.pages, Rows: sr.res.Rows, Requests: sr.res.Requests, Status: status}
	sr.mu.Unlock()
	r.opts.Observe(p)
}

// add converts one item into a row of the pending batch.
func (sr *streamRun) add(item []byte, rowCtx schema.Context) error {
	if err := sr.b.Append(item, rowCtx); err != nil {
		return fmt.Errorf("stream %s: %w", sr.s.Name, err)
	}
	sr.res.Rows++
	return nil
}

// page records a page's requests and reports progress.
func (sr *streamRun) page(p Page) {
	sr.pages++
	sr.res.Requests += p.Attempts
	sr.r.log.Debug("page", "stream", sr.s.Name, "page", p.Number, "items", len(p.Items), "request_id", p.RequestID)
}

// flush hands the pending rows to the writer, with the sweep and cursor that
// commit with them. wait makes it block until the batch is committed.
func (sr *streamRun) flush(ctx context.Context, sweep *schema.Sweep, state *schema.State, wait bool) error {
	b := schema.Batch{Table: sr.s.Table, Stream: sr.s.Name, Sweep: sweep, State: state}
	rec := sr.b.NewRecordBatch()
	if rec.NumRows() > 0 {
		b.Record = rec
	} else {
		rec.Release()
	}
	if !sr.from.IsZero() {
		// A bucket the batch before already replaced (one that went on
		// over a page boundary) is merged into, not replaced again: that
		// would delete the rows the batch before wrote.
		if from := later(sr.from, sr.replaced); from.Before(sr.to) {
			b.Replace = &schema.Range{Column: "bucket_start", From: from, To: sr.to,
				Equal: map[string]string{"bucket_width": sr.r.widthOf(sr.s)}}
		}
		sr.replaced = later(sr.replaced, sr.to)
		sr.from, sr.to = time.Time{}, time.Time{}
	}
	if b.Record == nil && b.Replace == nil && b.Sweep == nil && b.State == nil {
		return nil
	}
	req := writeReq{batch: b, tally: &sr.tally}
	if wait {
		req.done = make(chan error, 1)
	}
	select {
	case sr.r.writes <- req:
	case <-ctx.Done():
		if b.Record != nil {
			b.Record.Release()
		}
		return ctx.Err()
	}
	if !wait {
		return nil
	}
	return <-req.done
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func (sr *streamRun) maybeFlush(ctx context.Context) error {
	if sr.handOver() {
		return sr.flush(ctx, nil, nil, false)
	}
	return nil
}

// handOver reports whether the pending rows go to the writer now: a full
// batch always, and partRows of them when the writer is idle, so that its
// work keeps pace with the pages instead of waiting for full batches and
// piling up after the last page.
func (sr *streamRun) handOver() bool {
	n := sr.b.Len()
	return n >= sr.r.opts.BatchRows || n >= sr.r.partRows && sr.r.idle.Load()
}

// list reads a listing whole into the pending batch, every row with rowCtx.
// Fan-out parents call it concurrently: sr.mu guards the builder.
func (sr *streamRun) list(ctx context.Context, path string, rowCtx schema.Context) error {
	ctx = WithHeaders(ctx, sr.s.Headers)
	return sr.client.Pages(ctx, path, pageQuery(sr.s), sr.s.Paging, func(p Page) error {
		if err := sr.addPage(ctx, p, rowCtx); err != nil {
			return err
		}
		sr.r.observe(sr, "running") // takes sr.mu itself
		return nil
	})
}

func (sr *streamRun) addPage(ctx context.Context, p Page, rowCtx schema.Context) error {
	sr.mu.Lock()
	defer sr.mu.Unlock()
	sr.page(p)
	for _, item := range p.Items {
		if err := sr.add(item, rowCtx); err != nil {
			return err
		}
	}
	return sr.maybeFlush(ctx)
}

func (sr *streamRun) snapshot(ctx context.Context) error {
	if err := sr.list(ctx, sr.s.Path, nil); err != nil {
		return err
	}
	return sr.flush(ctx, &schema.Sweep{Since: sr.r.run.Started}, nil, true)
}

// fanOut reads the stream once per parent id, parents in parallel (the client
// bounds requests in flight). A parent that is gone (404) has no rows; one
// whose listing is refused with 400 (an archived project, for some
// endpoints) keeps the rows it had.
func (sr *streamRun) fanOut(ctx context.Context) error {
	refused, finished, err := sr.readParents(ctx)
	if err != nil {
		return err
	}
	kept := append(refused, finished...)
	return sr.flush(ctx, &schema.Sweep{Since: sr.r.run.Started, ParentColumn: sr.s.Parent.Column, KeepParents: kept}, nil, true)
}

// finishedMargin is how long before the cursor a parent must have finished
// for its children to be skipped, in seconds.
const finishedMargin = 24 * 60 * 60

// readParents reads the stream for every item of its parent stream. It
// returns the parents whose rows are kept as they were: those whose listing
// was refused, and those skipped because they finished before the stream's
// cursor (their append-only children are all stored already).
func (sr *streamRun) readParents(ctx context.Context) (refused, finished []string, err error) {
	parent, _ := sr.r.opts.Catalog.Lookup(sr.s.Parent.Stream)
	items, n, err := sr.r.parents.ids(WithHeaders(ctx, parent.Headers), sr.client, sr.project, parent, sr.s.Parent.DoneField)
	sr.mu.Lock()
	sr.res.Requests += n
	sr.mu.Unlock()
	if err != nil {
		return nil, nil, err
	}
	// The cursor is per project: a project read for the first time is read whole.
	cursor := parseCursorMap(sr.r.states[sr.s.Name].Cursor, "")[sr.project]
	if sr.r.opts.FullRefresh {
		cursor = 0
	}
	var ids []string
	for _, it := range items {
		// The cursor is this host's clock and finished_at OpenAI's: a day's
		// margin covers a host clock running ahead (which would skip a job
		// read while it ran, for good) and events written after "finished";
		// jobs finished within it are read again, which is cheap.
		if cursor > 0 && it.doneAt > 0 && it.doneAt < cursor-finishedMargin {
			finished = append(finished, it.id)
			continue
		}
		ids = append(ids, it.id)
	}
	var (
		wg    sync.WaitGroup
		errMu sync.Mutex
		errs  []error
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := sr.readParent(ctx, id)
			e, isAPI := IsAPIError(err)
			errMu.Lock()
			defer errMu.Unlock()
			switch {
			case err == nil, isAPI && e.Status == 404:
			case isAPI && e.Status == 400:
				refused = append(refused, id)
				sr.r.log.Warn("parent not readable, keeping its rows", "stream", sr.s.Name, "parent", id, "error", err)
			default:
				errs = append(errs, err)
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, nil, errs[0]
	}
	return refused, finished, nil
}

func (sr *streamRun) readParent(ctx context.Context, id string) error {
	path := strings.ReplaceAll(sr.s.Path, sr.s.Parent.Placeholder, url.PathEscape(id))
	rowCtx := schema.Context{sr.s.Parent.Column: []byte(strconv.Quote(id))}
	for k, v := range sr.base {
		rowCtx[k] = v
	}
	return sr.list(ctx, path, rowCtx)
}

// incremental reads the audit log from the stored effective_at cursor,
// inclusive (events of that second are read again and merged by id). The
// log is newest first, so the cursor moves only with the last batch.
func (sr *streamRun) incremental(ctx context.Context) error {
	q := pageQuery(sr.s)
	old := sr.r.states[sr.s.Name].Cursor
	if sr.r.opts.FullRefresh {
		old = ""
	}
	var from, newest int64 // newest: the cursor, which never moves back
	switch {
	case old != "":
		v, err := strconv.ParseInt(old, 10, 64)
		if err != nil {
			return fmt.Errorf("stream %s: stored cursor %q is not Unix seconds (reset it with `openai-sync state reset %s`)", sr.s.Name, old, sr.s.Name)
		}
		from, newest = v-int64(sr.s.Overlap/time.Second), v
	case !sr.r.opts.Since.IsZero():
		from = sr.r.opts.Since.Unix()
		newest = from
	}
	if from > 0 {
		q.Set("effective_at[gte]", strconv.FormatInt(from, 10))
	}
	err := sr.client.Pages(ctx, sr.s.Path, q, sr.s.Paging, func(p Page) error {
		sr.page(p)
		for _, item := range p.Items {
			if err := sr.add(item, nil); err != nil {
				return err
			}
			if t, err := strconv.ParseInt(string(sr.b.Member(sr.s.Cursor)), 10, 64); err == nil && t > newest {
				newest = t
			}
		}
		sr.r.observe(sr, "running")
		return sr.maybeFlush(ctx)
	})
	if err != nil {
		return err
	}
	var state *schema.State
	if newest > 0 {
		state = &schema.State{Stream: sr.s.Name, Cursor: strconv.FormatInt(newest, 10)}
	}
	return sr.flush(ctx, nil, state, true)
}
