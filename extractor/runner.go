package extractor

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/schema"
)

// Destination is what a run writes to. Each Write is one transaction: the
// rows, the deletions and the cursor of a batch commit together or not at all.
type Destination interface {
	Write(ctx context.Context, b schema.Batch) (schema.WriteResult, error)
	States(ctx context.Context) (map[string]schema.State, error)
	StartRun(ctx context.Context, r schema.Run) error
	FinishRun(ctx context.Context, r schema.Run) error
}

// txWriter is a destination that can keep one transaction open across
// batches (DuckDB). The writer applies batches as they come and commits every
// CommitEvery, when a stream waits for its batch, and at the end, so a large
// backfill commits a few times instead of once per batch.
type txWriter interface {
	Apply(ctx context.Context, b schema.Batch) (schema.WriteResult, error)
	Commit(ctx context.Context) error
	Rollback() error
}

// eachBatch is a destination whose every Write is its own transaction
// (Parquet), seen as a txWriter: the writer commits it after every batch.
type eachBatch struct{ Destination }

func (d eachBatch) Apply(ctx context.Context, b schema.Batch) (schema.WriteResult, error) {
	return d.Write(ctx, b)
}

func (eachBatch) Commit(context.Context) error { return nil }
func (eachBatch) Rollback() error              { return nil }

// Run statuses, also stored in _sync_runs.
const (
	StatusSucceeded   = "succeeded"
	StatusPartial     = "partial"
	StatusFailed      = "failed"
	StatusAuthFailed  = "auth_failed"
	StatusInterrupted = "interrupted"
	StatusSkipped     = "skipped"
	// StatusSomeProjects: a project stream committed some projects' rows and
	// skipped or failed on others.
	StatusSomeProjects = "partial"
)

// RunOptions configure one sync run.
type RunOptions struct {
	Streams     Catalog         // the selected streams
	Catalog     Catalog         // every stream (parents of fan-outs are looked up here)
	Admin       *Client         // client with the admin key; nil when there is none
	Projects    []ProjectClient // one client per project key
	Dest        Destination
	Since       time.Time
	FullRefresh bool
	Lookback    time.Duration // 0: DefaultLookback of the width
	BucketWidth string        // default 1d
	BatchRows   int           // rows per batch handed to the destination; default 10,000
	// CommitEvery bounds how long a destination that can keep a transaction
	// open across batches (DuckDB) holds written batches before it commits
	// them; default 5s. A kill loses at most that much work.
	CommitEvery time.Duration
	Now         func() time.Time
	Logger      *slog.Logger
	Allocator   memory.Allocator
	// Observe, when set, is told of each stream's progress (pages, rows).
	Observe func(Progress)
}

// ProjectClient is a project's key, as a client.
type ProjectClient struct {
	ID     string
	Client *Client
	// Unusable, when set, says why the project cannot be read (its key is
	// not there): its streams skip it, with that reason, and go on.
	Unusable error
}

// Progress is a stream's state during a run.
type Progress struct {
	Stream   string
	Pages    int
	Rows     int64
	Requests int
	Status   string // running, or a final status
}

type runner struct {
	opts    RunOptions
	run     schema.Run
	states  map[string]schema.State
	writes  chan writeReq
	parents *parentCache
	log     *slog.Logger
	mu      sync.Mutex
	fatal   error
	// idle is set while the writer waits for a batch and none is queued;
	// a stream then hands over its pending rows from partRows on: a quarter
	// of a batch for a destination that applies batches inside a longer
	// transaction (DuckDB), a whole one for a destination that commits each
	// batch (Parquet: a file each). See handOver.
	idle     atomic.Bool
	partRows int
}

// Run syncs the selected streams into the destination and returns the run
// record. The error is non-nil only when the run could not start or the
// destination failed; stream failures are in the record.
func Run(ctx context.Context, opts RunOptions) (schema.Run, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Allocator == nil {
		opts.Allocator = memory.NewGoAllocator()
	}
	if opts.BatchRows <= 0 {
		opts.BatchRows = 10000
	}
	if opts.CommitEvery <= 0 {
		opts.CommitEvery = 5 * time.Second
	}
	if opts.BucketWidth == "" {
		opts.BucketWidth = "1d"
	}
	if opts.Catalog == nil {
		opts.Catalog = opts.Streams
	}
	r := &runner{opts: opts, log: opts.Logger, parents: newParentCache()}
	r.partRows = opts.BatchRows
	if _, ok := opts.Dest.(txWriter); ok {
		r.partRows = max(1, opts.BatchRows/4)
	}
	r.run = schema.Run{ID: newRunID(opts.Now()), Started: opts.Now().UTC(), Status: "running"}
	if err := opts.Dest.StartRun(ctx, r.run); err != nil {
		return r.run, err
	}
	states, err := opts.Dest.States(ctx)
	if err != nil {
		return r.run, err
	}
	r.states = states
	r.execute(ctx)
	r.run.Ended = opts.Now().UTC()
	r.run.Status = r.status(ctx)
	for _, s := range r.run.Streams {
		r.run.Rows += s.Rows
		r.run.Requests += s.Requests
	}
	if r.fatal != nil {
		r.run.Error = r.fatal.Error()
	}
	finishErr := opts.Dest.FinishRun(context.WithoutCancel(ctx), r.run)
	return r.run, errors.Join(r.fatal, finishErr)
}

func newRunID(t time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// execute runs every stream concurrently (the client bounds requests in
// flight) and writes their batches from one goroutine.
func (r *runner) execute(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.writes = make(chan writeReq, 2)
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		// Every destination call from one OS thread: glibc gives each
		// thread a malloc arena of its own, and DuckDB's C++ allocations
		// from a goroutine that hops threads spread over many arenas, each
		// keeping its freed memory (at 1M audit events: the C heap 33 →
		// 17 MiB, peak RSS −16 MiB).
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		r.writer(ctx, cancel)
	}()
	results := make([]schema.StreamResult, len(r.opts.Streams))
	tallies := make([]*tally, len(r.opts.Streams))
	var wg sync.WaitGroup
	for i, s := range r.opts.Streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], tallies[i] = r.syncStream(ctx, s)
		}()
	}
	wg.Wait()
	close(r.writes)
	<-writerDone
	// Batches a stream did not wait for may have committed after it returned.
	for i := range results {
		results[i].New, results[i].Deleted = tallies[i].get()
	}
	r.run.Streams = results
}

func (r *runner) status(ctx context.Context) string {
	if ctx.Err() != nil {
		return StatusInterrupted
	}
	if r.fatal != nil {
		return StatusFailed
	}
	ok, some, auth := 0, 0, 0
	for _, s := range r.run.Streams {
		switch s.Status {
		case StatusSucceeded:
			ok++
		case StatusSomeProjects:
			some++
		case StatusSkipped:
			auth++
		}
	}
	switch {
	case ok == len(r.run.Streams):
		return StatusSucceeded
	case auth == len(r.run.Streams):
		return StatusAuthFailed
	case ok == 0 && some == 0:
		return StatusFailed // nothing committed
	}
	return StatusPartial
}

// writeReq is a batch on its way to the destination. done, when set, receives
// the outcome once the batch is committed or has failed; the writer adds
// what it changed to tally.
type writeReq struct {
	batch schema.Batch
	done  chan error
	tally *tally
	res   schema.WriteResult // what the batch changed, once applied
}

// tally counts what a stream's batches changed in the destination.
type tally struct {
	mu           sync.Mutex
	new, deleted int64
}

func (t *tally) add(r schema.WriteResult) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.new += r.New
	t.deleted += r.Deleted
}

func (t *tally) get() (newRows, deleted int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.new, t.deleted
}

// writer is the only goroutine that touches the destination.
func (r *runner) writer(ctx context.Context, cancel context.CancelFunc) {
	tw, ok := r.opts.Dest.(txWriter)
	every := r.opts.CommitEvery
	if !ok {
		tw, every = eachBatch{r.opts.Dest}, 0
	}
	r.txWriter(ctx, cancel, tw, every)
}

// failed makes a failed write fatal for the run, unless it has already failed.
// Writes run without cancellation, so a failure is never the interrupt's doing.
func (r *runner) failed(err error, group []writeReq, cancel context.CancelFunc) {
	if err != nil && r.fatalErr() == nil {
		r.setFatal(fmt.Errorf("stream %s: write: %w", group[0].batch.Table.Name, err))
		cancel()
	}
}

// finish releases a group's records and tells its waiters the outcome.
func finish(group []writeReq, err error) {
	for _, q := range group {
		if q.batch.Record != nil {
			q.batch.Record.Release()
			q.batch.Record = nil
		}
		if q.done != nil {
			q.done <- err
		}
	}
}

// txWriter applies each batch as it arrives inside one open transaction and
// commits when a stream waits for its batch, when the transaction is every
// old, and at the end. Batches applied before an interrupt are committed:
// each is whole, with its own cursor.
func (r *runner) txWriter(ctx context.Context, cancel context.CancelFunc, tw txWriter, every time.Duration) {
	var pending []writeReq     // applied, not yet committed
	var timer <-chan time.Time // fires every after the transaction began, if no batch comes
	var begun time.Time
	commit := func() {
		timer = nil
		if len(pending) == 0 {
			return
		}
		err := tw.Commit(context.WithoutCancel(ctx))
		if err == nil {
			for _, q := range pending {
				if q.tally != nil {
					q.tally.add(q.res)
				}
			}
		}
		r.failed(err, pending, cancel)
		finish(pending, err)
		pending = pending[:0]
	}
	defer commit()
	for {
		var req writeReq
		var ok bool
		select {
		case req, ok = <-r.writes:
		default:
			r.idle.Store(true)
			select {
			case req, ok = <-r.writes:
			case <-timer:
				r.idle.Store(false)
				commit()
				continue
			}
			r.idle.Store(false)
		}
		if !ok {
			return
		}
		if err := errors.Join(r.fatalErr(), ctx.Err()); err != nil {
			// Interrupted or failed: this batch is not applied; what is
			// pending still commits at the end.
			finish([]writeReq{req}, err)
			continue
		}
		// Not cancelled midway: an interrupt stops after the batch.
		var err error
		req.res, err = tw.Apply(context.WithoutCancel(ctx), req.batch)
		if req.batch.Record != nil {
			req.batch.Record.Release()
			req.batch.Record = nil
		}
		if err != nil {
			// The transaction is gone, with the batches applied before this one.
			failed := append([]writeReq{req}, pending...) // named after the batch that failed
			r.failed(err, failed, cancel)
			finish(failed, err)
			pending, timer = pending[:0], nil
			continue
		}
		if len(pending) == 0 {
			begun = time.Now()
			timer = time.After(every)
		}
		pending = append(pending, req)
		if req.done != nil || time.Since(begun) >= every {
			commit()
		}
	}
}

func (r *runner) setFatal(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fatal == nil {
		r.fatal = err
	}
}

func (r *runner) fatalErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fatal
}
