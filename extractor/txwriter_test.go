package extractor

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/destinations/conformance"
	"github.com/openai-sync/openai-sync/extractor/sandbox"
	"github.com/openai-sync/openai-sync/schema"
)

// applied is what a transaction holds of a batch (the runner releases the
// record once Apply returns).
type applied struct {
	table string
	rows  int64
	state *schema.State
}

// txDest keeps one transaction open across Apply calls, like DuckDB.
type txDest struct {
	mu         sync.Mutex
	pending    []applied // applied, not committed
	rows       map[string]int64
	cursors    map[string]string
	applies    int
	commits    int
	failApply  int // the Apply call (1-based) that fails; 0: none
	applied    int64
	sizes      []int64     // rows of each batch applied
	onApply    func(n int) // called after each successful Apply
	failCommit bool
}

func newTxDest() *txDest {
	return &txDest{rows: map[string]int64{}, cursors: map[string]string{}}
}

func (d *txDest) Apply(_ context.Context, b schema.Batch) (schema.WriteResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.applies++
	if d.applies == d.failApply {
		d.pending = nil
		return schema.WriteResult{}, errors.New("disk full")
	}
	a := applied{table: b.Table.Name, state: b.State}
	if b.Record != nil {
		a.rows = b.Record.NumRows()
	}
	d.applied += a.rows
	if a.rows > 0 {
		d.sizes = append(d.sizes, a.rows)
	}
	d.pending = append(d.pending, a)
	if d.onApply != nil {
		d.onApply(d.applies)
	}
	return schema.WriteResult{New: a.rows}, nil
}

func (d *txDest) Commit(context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.failCommit {
		d.pending = nil
		return errors.New("disk full")
	}
	if len(d.pending) > 0 {
		d.commits++
	}
	for _, a := range d.pending {
		d.rows[a.table] += a.rows
		if a.state != nil {
			d.cursors[a.state.Stream] = a.state.Cursor
		}
	}
	d.pending = nil
	return nil
}

func (d *txDest) Rollback() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pending = nil
	return nil
}

func (d *txDest) Write(ctx context.Context, b schema.Batch) (schema.WriteResult, error) {
	res, err := d.Apply(ctx, b)
	if err != nil {
		return schema.WriteResult{}, err
	}
	return res, d.Commit(ctx)
}
func (d *txDest) States(context.Context) (map[string]schema.State, error) { return nil, nil }
func (d *txDest) StartRun(context.Context, schema.Run) error              { return nil }
func (d *txDest) FinishRun(context.Context, schema.Run) error             { return nil }

// auditRun syncs a sandbox's 3,000 audit events into d, in 500-row batches.
func auditRun(ctx context.Context, t *testing.T, d Destination, commitEvery time.Duration) (schema.Run, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sb := sandbox.New(sandbox.Options{AuditEvents: 3000})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	admin, err := NewClient(ClientOptions{BaseURL: srv.URL + "/v1", Key: Secret(sb.AdminKey())})
	if err != nil {
		t.Fatal(err)
	}
	audit, _ := DefaultCatalog().Lookup("audit_logs")
	return Run(ctx, RunOptions{Streams: Catalog{audit}, Admin: admin, Dest: d,
		Allocator: mem, BatchRows: 500, CommitEvery: commitEvery})
}

// interruptAtApply returns a context that is cancelled (an interrupt) when d
// has applied its nth batch, after calling also if it is set.
func interruptAtApply(t *testing.T, d *txDest, n int, also func()) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d.onApply = func(i int) {
		if i == n {
			if also != nil {
				also()
			}
			cancel()
		}
	}
	return ctx
}

// A backfill is applied batch by batch inside one transaction and committed
// once, when the stream hands over its last batch with the cursor and waits.
func TestBatchesShareOneTransactionUntilTheStreamWaits(t *testing.T) {
	d := newTxDest()
	run, err := auditRun(context.Background(), t, d, time.Hour)
	if err != nil || run.Status != StatusSucceeded {
		t.Fatalf("run %s: %v", run.Status, err)
	}
	if d.applies < 6 || d.commits != 1 {
		t.Errorf("%d applies, %d commits: want every 500-row batch applied and one commit", d.applies, d.commits)
	}
	if d.rows["audit_logs"] != 3000 || d.cursors["audit_logs"] == "" || run.Streams[0].New != 3000 {
		t.Errorf("committed %d rows, cursor %q, %d new", d.rows["audit_logs"], d.cursors["audit_logs"], run.Streams[0].New)
	}
}

// A destination that keeps its transaction open is handed what a stream has
// converted whenever the writer waits for work, from a quarter of a batch
// on: its work keeps pace with the pages instead of piling up after the last
// one, and fewer rows wait in memory.
func TestAnIdleWriterIsHandedPartBatches(t *testing.T) {
	d := newTxDest() // applies at once: the writer is idle at every page
	run, err := auditRun(context.Background(), t, d, time.Hour)
	if err != nil || run.Status != StatusSucceeded {
		t.Fatalf("run %s: %v", run.Status, err)
	}
	if len(d.sizes) == 0 || d.sizes[0] >= 500 {
		t.Fatalf("batches of %v rows: want the first one handed over before it is full (500 rows)", d.sizes)
	}
	for i, n := range d.sizes[:len(d.sizes)-1] {
		if n < 125 || n > 500 {
			t.Errorf("batch %d has %d rows: want 125 (a quarter of 500) to 500", i, n)
		}
	}
	if d.applied != 3000 || d.rows["audit_logs"] != 3000 {
		t.Errorf("applied %d, committed %d rows, want 3000", d.applied, d.rows["audit_logs"])
	}
}

// A destination that commits every batch (a Parquet file each) gets full
// batches only, however idle the writer.
func TestADestinationCommittingEachBatchGetsFullBatches(t *testing.T) {
	d := newTxDest()
	run, err := auditRun(context.Background(), t, eachWrite{d}, time.Hour)
	if err != nil || run.Status != StatusSucceeded {
		t.Fatalf("run %s: %v", run.Status, err)
	}
	if len(d.sizes) != 6 {
		t.Fatalf("batches of %v rows: want six of 500", d.sizes)
	}
	for i, n := range d.sizes {
		if n != 500 {
			t.Errorf("batch %d has %d rows, want 500", i, n)
		}
	}
}

// eachWrite is d seen only as a Destination: every Write its own transaction.
type eachWrite struct{ d *txDest }

func (w eachWrite) Write(ctx context.Context, b schema.Batch) (schema.WriteResult, error) {
	return w.d.Write(ctx, b)
}
func (w eachWrite) States(ctx context.Context) (map[string]schema.State, error) {
	return w.d.States(ctx)
}
func (w eachWrite) StartRun(ctx context.Context, r schema.Run) error  { return w.d.StartRun(ctx, r) }
func (w eachWrite) FinishRun(ctx context.Context, r schema.Run) error { return w.d.FinishRun(ctx, r) }

// A transaction older than CommitEvery commits before the next batch.
func TestALongTransactionCommitsEveryInterval(t *testing.T) {
	d := newTxDest()
	run, err := auditRun(context.Background(), t, d, time.Nanosecond)
	if err != nil || run.Status != StatusSucceeded {
		t.Fatalf("run %s: %v", run.Status, err)
	}
	if d.commits < 2 || d.rows["audit_logs"] != 3000 {
		t.Errorf("%d commits of %d rows: want the interval to commit before the end", d.commits, d.rows["audit_logs"])
	}
}

// When an Apply fails, the transaction is gone: the run fails, naming the
// write, and neither the rows applied before it nor the cursor are counted
// as committed.
func TestAFailedApplyFailsTheRunAndCommitsNothingOfTheTransaction(t *testing.T) {
	d := newTxDest()
	d.failApply = 3
	run, err := auditRun(context.Background(), t, d, time.Hour)
	if err == nil || run.Status != StatusFailed {
		t.Fatalf("run %s, err %v: want failed", run.Status, err)
	}
	if st := run.Streams[0]; st.Status != StatusFailed || !strings.Contains(st.Error, "disk full") {
		t.Errorf("stream %s: %q, want failed with the write's error", st.Status, st.Error)
	}
	if d.rows["audit_logs"] != 0 || d.cursors["audit_logs"] != "" || run.Streams[0].New != 0 {
		t.Errorf("after a failed transaction: %d rows, cursor %q, %d new", d.rows["audit_logs"], d.cursors["audit_logs"], run.Streams[0].New)
	}
}

// An interrupt stops the run after the batch being applied, and what was
// applied is committed, not thrown away: the next run starts from it.
func TestAnInterruptCommitsWhatWasApplied(t *testing.T) {
	d := newTxDest()
	run, _ := auditRun(interruptAtApply(t, d, 3, nil), t, d, time.Hour)
	if run.Status != StatusInterrupted {
		t.Fatalf("run %s, want interrupted", run.Status)
	}
	if d.applied == 0 || d.rows["audit_logs"] != d.applied || len(d.pending) != 0 {
		t.Errorf("applied %d rows, committed %d, %d batches left uncommitted", d.applied, d.rows["audit_logs"], len(d.pending))
	}
	if run.Streams[0].New != d.rows["audit_logs"] {
		t.Errorf("the run reports %d new rows, %d were committed", run.Streams[0].New, d.rows["audit_logs"])
	}
	if d.cursors["audit_logs"] != "" {
		t.Errorf("the audit cursor moved to %q on an interrupted read", d.cursors["audit_logs"])
	}
}

// The writer turns down a batch that arrives after an interrupt without
// losing the batches applied before it: those are committed.
func TestABatchAfterAnInterruptLeavesTheAppliedOnesCommitted(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	d := newTxDest()
	applied := make(chan int, 4)
	d.onApply = func(n int) { applied <- n }
	r := &runner{opts: RunOptions{Dest: d, CommitEvery: time.Hour}}
	r.writes = make(chan writeReq, 4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); r.writer(ctx, cancel) }()
	table := &schema.Table{Name: "t", Columns: []schema.Column{{Name: "id", Kind: schema.String}}, PrimaryKey: []string{"id"}}
	batch := func(id string) writeReq {
		return writeReq{batch: conformance.Batch(t, mem, table, `{"id":"`+id+`"}`)}
	}
	r.writes <- batch("a")
	r.writes <- batch("b")
	<-applied
	<-applied
	cancel()
	late := batch("c")
	late.done = make(chan error, 1)
	r.writes <- late
	close(r.writes)
	<-done
	if err := <-late.done; err == nil {
		t.Error("a batch after the interrupt was accepted")
	}
	if d.rows["t"] != 2 || len(d.pending) != 0 {
		t.Errorf("committed %d rows, %d left pending: want the 2 applied before the interrupt committed", d.rows["t"], len(d.pending))
	}
}

// A commit that fails after an interrupt is a failure of the run, not a
// quiet interruption: the rows it held are not in the destination.
func TestACommitFailingAfterAnInterruptIsReported(t *testing.T) {
	d := newTxDest()
	run, err := auditRun(interruptAtApply(t, d, 3, func() { d.failCommit = true }), t, d, time.Hour)
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(run.Error, "disk full") {
		t.Errorf("run %s, error %v, recorded %q: want the commit's failure", run.Status, err, run.Error)
	}
}
