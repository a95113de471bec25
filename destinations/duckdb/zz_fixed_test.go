package duckdb

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/openai-sync/openai-sync/schema"
)

func TestZZFixed(t *testing.T) {
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		path := filepath.Join(t.TempDir(), "f.duckdb")
		t0 := time.Now()
		d, _ := Open(ctx, Options{Path: path})
		t1 := time.Now()
		d.StartRun(ctx, schema.Run{ID: "r", Started: time.Now(), Status: "running"})
		d.States(ctx)
		t2 := time.Now()
		d.conn.ExecContext(ctx, "BEGIN")
		d.ensureTable(ctx, usersTable)
		t3 := time.Now()
		d.spanOf(ctx, usersTable)
		t4 := time.Now()
		b := record(t, memory.NewGoAllocator(), usersTable, `{"id":"u1"}`)
		d.merge(ctx, usersTable, b.Record, time.Now())
		t5 := time.Now()
		d.conn.ExecContext(ctx, "DROP VIEW IF EXISTS _openai_sync_rows")
		d.conn.ExecContext(ctx, "COMMIT")
		t6 := time.Now()
		d.FinishRun(ctx, schema.Run{ID: "r", Started: time.Now(), Status: "succeeded"})
		t7 := time.Now()
		d.Close()
		t8 := time.Now()
		t.Logf("open %v startrun+states %v ensure %v span %v merge %v commit %v finish %v close %v", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), t5.Sub(t4), t6.Sub(t5), t7.Sub(t6), t8.Sub(t7))
	}
}
