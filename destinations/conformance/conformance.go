// Package conformance is the test suite every destination passes: the same
// batches, the same expectations, whatever the storage. A destination's
// tests call Run with a function that opens it on a directory.
package conformance

import (
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/schema"
)

// Destination is what the suite drives: the runner's four methods, Close,
// and a reader of the current rows of a table (one row per primary key,
// deleted rows included with _deleted = true), values as Normalize accepts
// them.
type Destination interface {
	Write(ctx context.Context, b schema.Batch) (schema.WriteResult, error)
	States(ctx context.Context) (map[string]schema.State, error)
	StartRun(ctx context.Context, r schema.Run) error
	FinishRun(ctx context.Context, r schema.Run) error
	Close() error
	CurrentRows(ctx context.Context, t *schema.Table) ([]Row, error)
}

// Run runs the suite. open opens the destination kept in dir (a fresh
// directory per subtest, opened again after Close to check what persisted).
func Run(t *testing.T, open func(t *testing.T, dir string) Destination) {
	cases := []struct {
		name string
		fn   func(e *env)
	}{
		{"WriteCommitReopen", testWriteCommitReopen},
		{"RollbackLeavesNothing", testRollback},
		{"SameBatchTwice", testSameBatchTwice},
		{"MergeByTimeAndKey", testMergeByTimeAndKey},
		{"MergeAtTheEdgesOfStoredTimes", testMergeAtTheEdges},
		{"WideningKeepsData", testWidening},
		{"EmptyBatchMovesCursor", testEmptyBatch},
		{"SweepMarksDeleted", testSweep},
		{"SweepScope", testSweepScope},
		{"ReplaceRange", testReplace},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			e := &env{t: t, ctx: context.Background(), mem: mem, dir: t.TempDir(), open: open}
			e.d = open(t, e.dir)
			defer e.close()
			c.fn(e)
		})
	}
}

// env is one subtest's destination and allocator.
type env struct {
	t    *testing.T
	ctx  context.Context
	mem  *memory.CheckedAllocator
	dir  string
	open func(t *testing.T, dir string) Destination
	d    Destination
}

func (e *env) close() {
	if e.d == nil {
		return
	}
	if err := e.d.Close(); err != nil {
		e.t.Errorf("close: %v", err)
	}
	e.d = nil
}

func (e *env) reopen() {
	e.t.Helper()
	e.close()
	e.d = e.open(e.t, e.dir)
}

// batch builds a batch of tbl from JSON items.
func (e *env) batch(tbl *schema.Table, items ...string) schema.Batch {
	e.t.Helper()
	return Batch(e.t, e.mem, tbl, items...)
}

// Batch builds a batch of tbl from JSON items, allocated from mem (no record
// when there are no items). The caller releases the record.
func Batch(t testing.TB, mem memory.Allocator, tbl *schema.Table, items ...string) schema.Batch {
	t.Helper()
	b := schema.Batch{Table: tbl, Stream: tbl.Name}
	if len(items) == 0 {
		return b
	}
	bld := schema.NewBuilder(mem, tbl)
	defer bld.Release()
	for _, it := range items {
		if err := bld.Append([]byte(it), nil); err != nil {
			t.Fatal(err)
		}
	}
	b.Record = bld.NewRecordBatch()
	return b
}

// write writes b and releases its record, as the runner does.
func (e *env) write(b schema.Batch) schema.WriteResult {
	e.t.Helper()
	res, err := e.tryWrite(b)
	if err != nil {
		e.t.Fatalf("write %s: %v", b.Table.Name, err)
	}
	return res
}

func (e *env) tryWrite(b schema.Batch) (schema.WriteResult, error) {
	if b.Record != nil {
		defer b.Record.Release()
	}
	return e.d.Write(e.ctx, b)
}

// rows returns the current rows of tbl, normalized, by primary key.
func (e *env) rows(tbl *schema.Table) map[string]Row {
	e.t.Helper()
	rows, err := e.d.CurrentRows(e.ctx, tbl)
	if err != nil {
		e.t.Fatalf("current rows of %s: %v", tbl.Name, err)
	}
	out, err := Index(tbl, rows)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) cursor(stream string) string {
	e.t.Helper()
	st, err := e.d.States(e.ctx)
	if err != nil {
		e.t.Fatalf("states: %v", err)
	}
	return st[stream].Cursor
}

// files lists the data files (*.parquet) and leftovers (hidden *.tmp) under
// the destination's directory.
func (e *env) files() []string {
	e.t.Helper()
	var out []string
	err := filepath.WalkDir(e.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if !d.IsDir() && (strings.HasSuffix(name, ".parquet") || strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp")) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// expect checks one column of the rows with the given keys.
func (e *env) expect(rows map[string]Row, col string, want map[string]any) {
	e.t.Helper()
	for k, w := range want {
		r, ok := rows[k]
		if !ok {
			e.t.Errorf("no current row %s (have %v)", k, keys(rows))
			continue
		}
		if got := r[col]; got != w {
			e.t.Errorf("row %s: %s = %#v, want %#v", k, col, got, w)
		}
	}
}

func (e *env) expectKeys(rows map[string]Row, want ...string) {
	e.t.Helper()
	got := keys(rows)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		e.t.Errorf("current rows %v, want %v", got, want)
	}
}

func keys(rows map[string]Row) []string {
	out := make([]string, 0, len(rows))
	for k := range rows {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// tick makes sure the next write's time is after the previous one's.
func tick() time.Time {
	time.Sleep(2 * time.Millisecond)
	now := time.Now()
	time.Sleep(2 * time.Millisecond)
	return now
}
