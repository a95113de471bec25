package parquet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/openai-sync/openai-sync/destinations/conformance"
	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/internal/lock"
	"github.com/openai-sync/openai-sync/schema"
)

var (
	_ conformance.Destination = conformant{}
	_ extractor.Destination   = (*Dataset)(nil)
)

func TestLayoutAndFileFormat(t *testing.T) {
	d, mem := testDataset(t)
	d.rowGroupRows = 2
	write(t, d, conformance.Batch(t, mem, usersTable(), `{"id":"u1"}`, `{"id":"u2"}`, `{"id":"u3"}`))
	write(t, d, conformance.Batch(t, mem, eventsTable(), `{"id":"e1","at":1704067200}`, `{"id":"e2","at":1704153600}`, `{"id":"e3"}`))
	want := []string{
		"events/date=2024-01-01/part-0000000002.parquet",
		"events/date=2024-01-02/part-0000000003.parquet",
		"events/date=__HIVE_DEFAULT_PARTITION__/part-0000000004.parquet",
		"users/part-0000000001.parquet",
	}
	if got := dataFiles(t, d.dir); !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	if got := append(manifestFiles(d, "events"), manifestFiles(d, "users")...); !slices.Equal(got, want) {
		t.Fatalf("manifest names %v, want %v", got, want)
	}
	rdr, err := file.OpenParquetFile(filepath.Join(d.dir, want[3]), false)
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	if n := rdr.NumRowGroups(); n != 2 {
		t.Errorf("row groups = %d, want 2 of at most 2 rows", n)
	}
	if rdr.MetaData().KeyValueMetadata().FindValue("ARROW:schema") == nil {
		t.Error("no stored Arrow schema")
	}
	meta := rdr.MetaData().RowGroup(0)
	for i := range meta.NumColumns() {
		cc, err := meta.ColumnChunk(i)
		if err != nil {
			t.Fatal(err)
		}
		if cc.Compression() != compress.Codecs.Zstd {
			t.Errorf("column %s: compression %v", cc.PathInSchema(), cc.Compression())
		}
		if set, _ := cc.StatsSet(); !set {
			t.Errorf("column %s: no statistics", cc.PathInSchema())
		}
	}
}

func TestFailedCommitRemovesRenamedFiles(t *testing.T) {
	d, mem := testDataset(t)
	b := conformance.Batch(t, mem, eventsTable(), `{"id":"e1","at":1704067200}`)
	b.State = &schema.State{Stream: "events", Cursor: "1"}
	write(t, d, b)
	before := listFiles(t, d.dir)
	// The manifest's temporary name is taken: the data files are renamed
	// into place, then the commit fails.
	block := filepath.Join(d.dir, tempName(ManifestName))
	if err := os.Mkdir(block, 0o755); err != nil {
		t.Fatal(err)
	}
	b = conformance.Batch(t, mem, eventsTable(), `{"id":"e2","at":1704067200}`, `{"id":"e3","at":1704153600}`)
	b.State = &schema.State{Stream: "events", Cursor: "2"}
	_, err := d.Write(context.Background(), b)
	b.Record.Release()
	if err == nil {
		t.Fatal("write succeeded without a manifest")
	}
	os.Remove(block)
	if got := listFiles(t, d.dir); !slices.Equal(got, before) {
		t.Errorf("files %v, want %v", got, before)
	}
	d = reopen(t, d)
	if st, _ := d.States(context.Background()); st["events"].Cursor != "1" {
		t.Errorf("cursor %q, want 1", st["events"].Cursor)
	}
	if rows := currentByID(t, d, "events"); len(rows) != 1 {
		t.Errorf("rows %v, want e1 only", rows)
	}
}

// A manifest renamed into place whose directory then fails to sync is a
// commit readers already see: the write fails, but the files the manifest
// names stay, and the next write goes on from them.
func TestAManifestInPlaceKeepsItsFilesWhenItsDirectoryFailsToSync(t *testing.T) {
	d, mem := testDataset(t)
	write(t, d, conformance.Batch(t, mem, eventsTable(), `{"id":"e1","at":1704067200}`))
	before, err := os.ReadFile(filepath.Join(d.dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	d.syncDir = func(dir string) error { // fails once the new manifest is in place
		if now, _ := os.ReadFile(filepath.Join(d.dir, ManifestName)); dir == d.dir && string(now) != string(before) {
			return errors.New("input/output error")
		}
		return syncDir(dir)
	}
	b := conformance.Batch(t, mem, eventsTable(), `{"id":"e2","at":1704153600}`)
	_, err = d.Write(context.Background(), b)
	b.Record.Release()
	if !errors.Is(err, errInPlace) {
		t.Fatalf("write: %v, want the manifest in place but not durable", err)
	}
	d.syncDir = syncDir
	d = reopen(t, d)
	man, err := ReadManifest(d.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range man.Streams {
		for _, f := range st.Files {
			if _, err := os.Stat(filepath.Join(d.dir, f.Path)); err != nil {
				t.Errorf("the manifest names %s: %v", f.Path, err)
			}
		}
	}
	write(t, d, conformance.Batch(t, mem, eventsTable(), `{"id":"e3","at":1704153600}`))
	if rows := currentByID(t, d, "events"); len(rows) != 3 {
		t.Errorf("rows %v, want e1, e2 and e3", rows)
	}
}

func TestOpenRemovesLeftovers(t *testing.T) {
	d, mem := testDataset(t)
	write(t, d, conformance.Batch(t, mem, usersTable(), `{"id":"u1"}`))
	write(t, d, conformance.Batch(t, mem, eventsTable(), `{"id":"e1","at":1704067200}`))
	committed := listFiles(t, d.dir)
	data, err := os.ReadFile(filepath.Join(d.dir, "users", "part-0000000001.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	// What a killed write leaves: a data file renamed into place but never
	// committed, temporary files, an empty partition; and files not ours.
	leftovers := map[string][]byte{
		"users/part-0000000003.parquet":                       data,
		"users/.part-0000000004.parquet.tmp":                  data[:10],
		"events/date=2024-02-02/.part-0000000005.parquet.tmp": data[:10],
		tempName(ManifestName):                                []byte("{"),
		tempName(StateName):                                   []byte("{"),
	}
	mine := map[string][]byte{"notes.txt": []byte("x"), "users/README": []byte("x"), "users/part-1.parquet": data, "other/part-1.csv": []byte("x")}
	for name, content := range mine {
		leftovers[name] = content
	}
	for name, content := range leftovers {
		p := filepath.Join(d.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d = reopen(t, d)
	want := append(committed, "notes.txt", "other/part-1.csv", "users/README", "users/part-1.parquet")
	slices.Sort(want)
	if got := listFiles(t, d.dir); !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(d.dir, "events", "date=2024-02-02")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("empty partition kept: %v", err)
	}
	if rows := currentByID(t, d, "users"); len(rows) != 1 {
		t.Errorf("rows %v, want u1 only", rows)
	}
}

func TestSweepWritesNewGeneration(t *testing.T) {
	d, mem := testDataset(t)
	write(t, d, conformance.Batch(t, mem, usersTable(), `{"id":"u1"}`, `{"id":"u2"}`))
	time.Sleep(2 * time.Millisecond)
	since := time.Now()
	write(t, d, conformance.Batch(t, mem, usersTable(), `{"id":"u1","email":"a@x"}`))
	b := conformance.Batch(t, mem, usersTable(), `{"id":"u3"}`)
	b.Sweep = &schema.Sweep{Since: since}
	if res := write(t, d, b); res != (schema.WriteResult{New: 1, Deleted: 1}) {
		t.Errorf("write = %+v, want 1 new, 1 deleted", res)
	}
	want := []string{"users/part-0000000003.parquet"}
	if got := dataFiles(t, d.dir); !slices.Equal(got, want) {
		t.Errorf("files %v, want one generation %v", got, want)
	}
	rows := currentByID(t, d, "users")
	if len(rows) != 3 || rows["u2"][schema.DeletedColumn] != true || rows["u1"]["email"] != "a@x" {
		t.Errorf("rows %v", rows)
	}
}

func TestReplaceRewritesOnlyItsPartitions(t *testing.T) {
	d, mem := testDataset(t)
	write(t, d, conformance.Batch(t, mem, eventsTable(), `{"id":"a","at":1704067200}`, `{"id":"b","at":1704153600}`,
		`{"id":"c","at":1704157200}`, `{"id":"d","at":1704240000}`))
	b := conformance.Batch(t, mem, eventsTable(), `{"id":"b","at":1704153600}`)
	day2 := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	b.Replace = &schema.Range{Column: "at", From: day2, To: day2.Add(2 * time.Hour)}
	write(t, d, b)
	want := []string{
		"events/date=2024-01-01/part-0000000001.parquet",
		"events/date=2024-01-02/part-0000000004.parquet",
		"events/date=2024-01-03/part-0000000003.parquet",
	}
	if got := dataFiles(t, d.dir); !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	rows := currentByID(t, d, "events")
	if _, ok := rows["c"]; ok || len(rows) != 3 {
		t.Errorf("rows %v, want a, b, d", rows)
	}
}

func TestRunsAndInterruptedRuns(t *testing.T) {
	ctx := context.Background()
	d, _ := testDataset(t)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := d.StartRun(ctx, schema.Run{ID: "r1", Started: start}); err != nil {
		t.Fatal(err)
	}
	d = reopen(t, d) // r1's process was killed
	r2 := schema.Run{ID: "r2", Started: start.Add(time.Hour)}
	if err := d.StartRun(ctx, r2); err != nil {
		t.Fatal(err)
	}
	r2.Ended, r2.Status, r2.Rows = start.Add(2*time.Hour), "succeeded", 7
	r2.Streams = []schema.StreamResult{{Stream: "users", Status: "succeeded", Rows: 7}}
	if err := d.FinishRun(ctx, r2); err != nil {
		t.Fatal(err)
	}
	runs, err := d.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Status != "interrupted" || runs[1].Status != "succeeded" ||
		runs[1].Rows != 7 || !runs[1].Ended.Equal(r2.Ended) || len(runs[1].Streams) != 1 {
		t.Errorf("runs %+v", runs)
	}
}

func TestResetStates(t *testing.T) {
	ctx := context.Background()
	d, _ := testDataset(t)
	for _, s := range []string{"a", "b", "c"} {
		write(t, d, schema.Batch{Table: &schema.Table{Name: s, PrimaryKey: []string{"id"}}, State: &schema.State{Stream: s, Cursor: "1"}})
	}
	if n, err := d.ResetStates(ctx, []string{"a", "x"}); err != nil || n != 1 {
		t.Fatalf("reset a = %d, %v", n, err)
	}
	d = reopen(t, d)
	if st, _ := d.States(ctx); len(st) != 2 || st["b"].Cursor != "1" {
		t.Fatalf("states %v", st)
	}
	if n, err := d.ResetStates(ctx, nil); err != nil || n != 2 {
		t.Fatalf("reset all = %d, %v", n, err)
	}
	if dataFiles(t, d.dir) != nil {
		t.Error("a batch of no rows wrote a file")
	}
}

func TestOneWriterAtATime(t *testing.T) {
	d, _ := testDataset(t)
	_, err := Open(context.Background(), Options{Dir: d.dir})
	if !errors.Is(err, lock.ErrHeld) {
		t.Fatalf("second open: %v, want %v", err, lock.ErrHeld)
	}
}

func TestReadCurrentWithoutOpening(t *testing.T) {
	d, mem := testDataset(t)
	write(t, d, conformance.Batch(t, mem, usersTable(), `{"id":"u1","email":"a"}`))
	write(t, d, conformance.Batch(t, mem, usersTable(), `{"id":"u1","email":"b"}`, `{"id":"u2"}`))
	rec, err := ReadCurrent(context.Background(), d.dir, "users", mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	rows := conformance.RecordRows(rec)
	if len(rows) != 2 || rows[0]["email"] != "b" {
		t.Errorf("rows %v", rows)
	}
	if d.man.LastSyncedAt.IsZero() || !rows[0][schema.SyncedAtColumn].(time.Time).Equal(d.man.LastSyncedAt) {
		t.Errorf("_synced_at %v, last %v", rows[0][schema.SyncedAtColumn], d.man.LastSyncedAt)
	}
}

func TestManyAppendsCompact(t *testing.T) {
	d, mem := testDataset(t)
	for i := range compactFiles + 1 {
		write(t, d, conformance.Batch(t, mem, eventsTable(), fmt.Sprintf(`{"id":"e%d","at":1704067200}`, i), `{"id":"again","at":1704067200}`))
	}
	if files := dataFiles(t, d.dir); len(files) != 1 {
		t.Errorf("%d files after %d appends, want 1", len(files), compactFiles+1)
	}
	if rows := currentByID(t, d, "events"); len(rows) != compactFiles+2 {
		t.Errorf("%d rows, want %d", len(rows), compactFiles+2)
	}
}
