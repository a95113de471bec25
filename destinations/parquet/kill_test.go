package parquet

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/destinations/conformance"
	"github.com/openai-sync/openai-sync/schema"
)

const (
	killChildEnv = "OPENAI_SYNC_PARQUET_KILL_CHILD"
	eventsPerRun = 200
	members      = 2000
)

func membersTable() *schema.Table {
	return &schema.Table{
		Name:       "members",
		Columns:    []schema.Column{{Name: "id", Kind: schema.String}, {Name: "n", Kind: schema.Int64}},
		PrimaryKey: []string{"id"},
	}
}

// TestKillDuringWrites kills a process writing a dataset at random moments
// and checks what the next Open finds: no partial or uncommitted file
// visible, every named file readable, no cursor ahead of its rows.
func TestKillDuringWrites(t *testing.T) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		writeForever(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("kills child processes")
	}
	dir := t.TempDir()
	for round := range 6 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringWrites$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(50+rand.IntN(250)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		checkAfterKill(t, dir, round)
	}
}

func checkAfterKill(t *testing.T, dir string, round int) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	d, err := Open(context.Background(), Options{Dir: dir, Allocator: mem})
	if err != nil {
		t.Fatalf("round %d: open: %v", round, err)
	}
	defer d.Close()
	if err := d.EnsureTables(context.Background(), []*schema.Table{eventsTable(), membersTable()}); err != nil {
		t.Fatal(err)
	}
	named := append(manifestFiles(d, "events"), manifestFiles(d, "members")...)
	slices.Sort(named)
	if got := dataFiles(t, dir); !slices.Equal(got, named) {
		t.Fatalf("round %d: files on disk %v, manifest names %v", round, got, named)
	}
	for _, f := range listFiles(t, dir) {
		if isTempName(f[strings.LastIndex(f, "/")+1:]) {
			t.Fatalf("round %d: leftover %s", round, f)
		}
	}
	st, _ := d.States(context.Background())
	cursor, _ := strconv.Atoi(st["events"].Cursor)
	if cursor == 0 {
		return
	}
	events := currentByID(t, d, "events")
	for i := 1; i <= cursor; i++ {
		for j := range eventsPerRun {
			if _, ok := events[fmt.Sprintf("e%d-%d", i, j)]; !ok {
				t.Fatalf("round %d: cursor %d is ahead of the rows: e%d-%d missing", round, cursor, i, j)
			}
		}
	}
	if len(events) > (cursor+1)*eventsPerRun {
		t.Fatalf("round %d: %d events for cursor %d", round, len(events), cursor)
	}
	for id, r := range currentByID(t, d, "members") {
		if r[schema.DeletedColumn] != false {
			t.Fatalf("round %d: member %s deleted", round, id)
		}
	}
	t.Logf("round %d: cursor %d, %d files", round, cursor, len(named))
}

// writeForever is the child: it goes on from the stored cursor, each run an
// events batch with its cursor and a complete members snapshot with a sweep.
func writeForever(t *testing.T, dir string) {
	ctx := context.Background()
	mem := memory.NewGoAllocator()
	d, err := Open(ctx, Options{Dir: dir, Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := d.States(ctx)
	i, _ := strconv.Atoi(st["events"].Cursor)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for {
		i++
		items := make([]string, eventsPerRun)
		for j := range items {
			items[j] = fmt.Sprintf(`{"id":"e%d-%d","at":%d}`, i, j, base.Add(time.Duration(i)*7*time.Hour).Unix()+int64(j))
		}
		b := conformance.Batch(t, mem, eventsTable(), items...)
		b.State = &schema.State{Stream: "events", Cursor: strconv.Itoa(i)}
		write(t, d, b)
		since := time.Now()
		items = make([]string, members)
		for j := range items {
			items[j] = fmt.Sprintf(`{"id":"m%d","n":%d}`, j, i)
		}
		b = conformance.Batch(t, mem, membersTable(), items...)
		b.Sweep = &schema.Sweep{Since: since}
		write(t, d, b)
	}
}
