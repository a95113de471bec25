package conformance

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

func testWriteCommitReopen(e *env) {
	users := usersTable()
	run := schema.Run{ID: "run-1", Started: time.Now().UTC(), Status: "running"}
	if err := e.d.StartRun(e.ctx, run); err != nil {
		e.t.Fatal(err)
	}
	b := e.batch(users,
		`{"id":"u1","email":"a@x","added_at":1700000000,"amount":"0.130804380000000001"}`,
		`{"id":"u2","email":"b@x","added_at":1700000001,"amount":1.5,"new_field":{"x":1}}`,
		`{"id":"u1","email":"a2@x","added_at":1700000000,"amount":2}`)
	b.State = &schema.State{Stream: "users", Cursor: "c1"}
	if res := e.write(b); res != (schema.WriteResult{New: 2}) {
		e.t.Errorf("write = %+v, want 2 new", res)
	}
	run.Ended, run.Status, run.Rows = time.Now().UTC(), "succeeded", 3
	if err := e.d.FinishRun(e.ctx, run); err != nil {
		e.t.Fatal(err)
	}
	e.reopen()
	rows := e.rows(users)
	e.expectKeys(rows, "u1", "u2")
	e.expect(rows, "email", map[string]any{"u1": "a2@x", "u2": "b@x"})
	e.expect(rows, "amount", map[string]any{"u1": "2", "u2": "1.5"})
	e.expect(rows, "added_at", map[string]any{"u1": time.Unix(1700000000, 0).UTC()})
	e.expect(rows, schema.ExtraColumn, map[string]any{"u1": nil, "u2": `{"new_field":{"x":1}}`})
	e.expect(rows, schema.DeletedColumn, map[string]any{"u1": false, "u2": false})
	for k, r := range rows {
		if _, ok := r[schema.SyncedAtColumn].(time.Time); !ok {
			e.t.Errorf("row %s: _synced_at = %#v", k, r[schema.SyncedAtColumn])
		}
	}
	if c := e.cursor("users"); c != "c1" {
		e.t.Errorf("cursor = %q, want c1", c)
	}
}

func testRollback(e *env) {
	users := usersTable()
	b := e.batch(users, `{"id":"u1","email":"a@x"}`, `{"id":"u2","email":"b@x"}`)
	b.State = &schema.State{Stream: "users", Cursor: "c1"}
	e.write(b)
	files, rows := e.files(), e.rows(users)
	// The rows merge, then the sweep fails: nothing of the batch may stay.
	bad := e.batch(users, `{"id":"u1","email":"changed@x"}`, `{"id":"u3","email":"c@x"}`)
	bad.State = &schema.State{Stream: "users", Cursor: "c2"}
	bad.Sweep = &schema.Sweep{Since: time.Now(), ParentColumn: "no_such_column", KeepParents: []string{"p"}}
	if _, err := e.tryWrite(bad); err == nil {
		e.t.Fatal("a batch sweeping by a missing column was written")
	}
	check := func(when string) {
		e.t.Helper()
		if got := e.files(); !slices.Equal(got, files) {
			e.t.Errorf("%s: files %v, want %v", when, got, files)
		}
		if got := e.rows(users); !reflect.DeepEqual(got, rows) {
			e.t.Errorf("%s: rows %v, want %v", when, got, rows)
		}
		if c := e.cursor("users"); c != "c1" {
			e.t.Errorf("%s: cursor = %q, want c1", when, c)
		}
	}
	check("after the failed write")
	e.reopen()
	check("after reopening")
}

func testSameBatchTwice(e *env) {
	users := usersTable()
	for i, want := range []int64{2, 0} {
		b := e.batch(users, `{"id":"u1","email":"a@x"}`, `{"id":"u2","email":"b@x"}`)
		b.State = &schema.State{Stream: "users", Cursor: fmt.Sprint("c", i)}
		if res := e.write(b); res.New != want {
			e.t.Errorf("write %d: %d new, want %d", i+1, res.New, want)
		}
	}
	rows := e.rows(users)
	e.expectKeys(rows, "u1", "u2")
	// A key twice in one batch: the last row wins.
	if res := e.write(e.batch(users, `{"id":"u2","email":"first@x"}`, `{"id":"u2","email":"last@x"}`)); res.New != 0 {
		e.t.Errorf("a stored key twice: %d new, want 0", res.New)
	}
	e.reopen()
	rows = e.rows(users)
	e.expectKeys(rows, "u1", "u2")
	e.expect(rows, "email", map[string]any{"u1": "a@x", "u2": "last@x"})
}

// testMergeByTimeAndKey merges event batches whose times overlap what is
// stored only partly, at the edges, or in one instant: a stored key is found
// wherever its time lies, also in a batch where a row has no time, and a
// stored row whose time did not parse is found by its key.
func testMergeByTimeAndKey(e *env) {
	events := eventsTable()
	var items []string
	for i := range 6 {
		items = append(items, fmt.Sprintf(`{"id":"e%d","at":%d,"kind":"old"}`, i, 1700000000+i*3600))
	}
	items = append(items, `{"id":"e8","at":"not a time","kind":"untimed"}`)
	e.write(e.batch(events, items...))
	batches := []struct {
		items []string
		new   int64
	}{
		{[]string{`{"id":"e8","at":1900000000,"kind":"now timed"}`}, 0}, // later than every stored time
		{[]string{`{"id":"e2","at":1700007200,"kind":"one instant"}`}, 0},
		{[]string{`{"id":"e0","at":1700000000,"kind":"first"}`, `{"id":"e5","at":1700018000,"kind":"last"}`}, 0},
		{[]string{`{"id":"e3","at":1700010800,"kind":"overlap"}`, `{"id":"e9","at":1800000000,"kind":"new"}`}, 1},
		{[]string{`{"id":"e7","kind":"no time"}`, `{"id":"e1","at":1700003600,"kind":"timed"}`}, 1},
	}
	for i, b := range batches {
		if res := e.write(e.batch(events, b.items...)); res.New != b.new {
			e.t.Errorf("batch %d: %d new, want %d", i+1, res.New, b.new)
		}
	}
	e.reopen()
	// After a reopen: the key of a stored row that has no time, now with
	// one (the stored row is known only from the table), a batch older than
	// everything stored, then one at the earliest stored time.
	for i, b := range []struct {
		item string
		new  int64
	}{{`{"id":"e7","at":1700003600,"kind":"timed after reopen"}`, 0}, {`{"id":"e-1","at":1600000000,"kind":"older"}`, 1},
		{`{"id":"e0","at":1700000000,"kind":"again"}`, 0}} {
		if res := e.write(e.batch(events, b.item)); res.New != b.new {
			e.t.Errorf("after reopen, batch %d: %d new, want %d", i+1, res.New, b.new)
		}
	}
	rows := e.rows(events)
	e.expectKeys(rows, "e-1", "e0", "e1", "e2", "e3", "e4", "e5", "e7", "e8", "e9")
	e.expect(rows, "kind", map[string]any{"e-1": "older", "e0": "again", "e1": "timed", "e2": "one instant",
		"e3": "overlap", "e4": "old", "e5": "last", "e7": "timed after reopen", "e8": "now timed", "e9": "new"})
}

// testMergeAtTheEdges merges event batches into a table whose every row
// has a time, as a backfill's batches meet what is stored: a stored key is
// found at the earliest and the latest stored second, in a batch that
// reaches past either edge, and after a reopen.
func testMergeAtTheEdges(e *env) {
	events := eventsTable()
	var items []string
	for i := range 6 {
		items = append(items, fmt.Sprintf(`{"id":"e%d","at":%d,"kind":"old"}`, i, 1700000000+i*3600))
	}
	e.write(e.batch(events, items...))
	batches := []struct {
		items []string
		new   int64
	}{
		{[]string{`{"id":"e-1","at":1699999999,"kind":"older"}`, `{"id":"e0","at":1700000000,"kind":"earliest"}`}, 1},
		{[]string{`{"id":"e5","at":1700018000,"kind":"latest"}`, `{"id":"e6","at":1700018001,"kind":"newer"}`}, 1},
		{[]string{`{"id":"e-2","at":1600000000,"kind":"oldest"}`, `{"id":"e3","at":1700010800,"kind":"within"}`, `{"id":"e7","at":1800000000,"kind":"newest"}`}, 2},
	}
	for i, b := range batches {
		if res := e.write(e.batch(events, b.items...)); res.New != b.new {
			e.t.Errorf("batch %d: %d new, want %d", i+1, res.New, b.new)
		}
	}
	e.reopen()
	if res := e.write(e.batch(events, `{"id":"e-3","at":1599999999,"kind":"before all"}`, `{"id":"e-2","at":1600000000,"kind":"edge again"}`)); res.New != 1 {
		e.t.Errorf("after reopen: %d new, want 1", res.New)
	}
	rows := e.rows(events)
	e.expectKeys(rows, "e-3", "e-2", "e-1", "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7")
	e.expect(rows, "kind", map[string]any{"e-3": "before all", "e-2": "edge again", "e-1": "older", "e0": "earliest",
		"e1": "old", "e2": "old", "e3": "within", "e4": "old", "e5": "latest", "e6": "newer", "e7": "newest"})
}

func testWidening(e *env) {
	e.write(e.batch(usersTable(), `{"id":"u1","email":"a@x"}`, `{"id":"u2","email":"b@x"}`))
	e.reopen()
	wide := usersWideTable()
	if res := e.write(e.batch(wide, `{"id":"u2","email":"b2@x","nickname":"bee"}`, `{"id":"u3","email":"c@x","nickname":"cee"}`)); res.New != 1 {
		e.t.Errorf("%d new, want 1", res.New)
	}
	e.reopen()
	rows := e.rows(wide)
	e.expectKeys(rows, "u1", "u2", "u3")
	e.expect(rows, "email", map[string]any{"u1": "a@x", "u2": "b2@x", "u3": "c@x"})
	e.expect(rows, "nickname", map[string]any{"u1": nil, "u2": "bee", "u3": "cee"})
}

func testEmptyBatch(e *env) {
	users := usersTable()
	b := e.batch(users, `{"id":"u1","email":"a@x"}`)
	b.State = &schema.State{Stream: "users", Cursor: "c1"}
	e.write(b)
	files, rows := e.files(), e.rows(users)
	e.write(schema.Batch{Table: users, Stream: "users", State: &schema.State{Stream: "users", Cursor: "c2"}})
	if c := e.cursor("users"); c != "c2" {
		e.t.Errorf("cursor after a batch without a record = %q, want c2", c)
	}
	empty := e.batch(users, `{"id":"gone"}`)
	rec := empty.Record
	empty.Record = rec.NewSlice(0, 0)
	rec.Release()
	empty.State = &schema.State{Stream: "users", Cursor: "c3"}
	e.write(empty)
	e.reopen()
	if c := e.cursor("users"); c != "c3" {
		e.t.Errorf("cursor after a batch of no rows = %q, want c3", c)
	}
	if got := e.files(); !slices.Equal(got, files) {
		e.t.Errorf("files %v, want %v", got, files)
	}
	if got := e.rows(users); !reflect.DeepEqual(got, rows) {
		e.t.Errorf("rows %v, want %v", got, rows)
	}
}

func testSweep(e *env) {
	m := membersTable()
	e.write(e.batch(m, `{"project_id":"p1","id":"u1"}`, `{"project_id":"p1","id":"u2"}`, `{"project_id":"p2","id":"u3"}`))
	// A complete listing in two batches, the sweep with the last; project
	// p2 could not be listed, so its members stay.
	since := tick()
	e.write(e.batch(m, `{"project_id":"p1","id":"u1"}`))
	sw := e.batch(m)
	sw.Sweep = &schema.Sweep{Since: since, ParentColumn: "project_id", KeepParents: []string{"p2"}}
	if res := e.write(sw); res.Deleted != 1 {
		e.t.Errorf("deleted = %d, want 1", res.Deleted)
	}
	rows := e.rows(m)
	e.expect(rows, schema.DeletedColumn, map[string]any{"p1|u1": false, "p1|u2": true, "p2|u3": false})
	if at, _ := rows["p1|u2"][schema.SyncedAtColumn].(time.Time); at.Before(since.Truncate(time.Microsecond)) {
		e.t.Errorf("a deleted row's _synced_at = %v, before the sweep", at)
	}
	// A member listed again is current again.
	since = tick()
	sw = e.batch(m, `{"project_id":"p1","id":"u1"}`, `{"project_id":"p1","id":"u2"}`, `{"project_id":"p2","id":"u3"}`)
	sw.Sweep = &schema.Sweep{Since: since}
	if res := e.write(sw); res != (schema.WriteResult{}) {
		e.t.Errorf("write = %+v, want nothing new or deleted", res)
	}
	e.expect(e.rows(m), schema.DeletedColumn, map[string]any{"p1|u1": false, "p1|u2": false, "p2|u3": false})
	// Nothing kept: both missing members go, once.
	for _, want := range []int64{2, 0} {
		since = tick()
		sw = e.batch(m, `{"project_id":"p1","id":"u1","email":"a@x"}`)
		sw.Sweep = &schema.Sweep{Since: since}
		if res := e.write(sw); res.Deleted != want {
			e.t.Errorf("deleted = %d, want %d", res.Deleted, want)
		}
	}
	e.reopen()
	rows = e.rows(m)
	e.expectKeys(rows, "p1|u1", "p1|u2", "p2|u3")
	e.expect(rows, schema.DeletedColumn, map[string]any{"p1|u1": false, "p1|u2": true, "p2|u3": true})
	e.expect(rows, "email", map[string]any{"p1|u1": "a@x"})
}

func testReplace(e *env) {
	bk := bucketsTable()
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	item := func(t time.Time, width, project string, requests int) string {
		return fmt.Sprintf(`{"bucket_start":%d,"bucket_width":%q,"project_id":%q,"requests":%d}`, t.Unix(), width, project, requests)
	}
	key := func(t time.Time, width, project string) string {
		return keyText(bk, Row{"bucket_start": t, "bucket_width": width, "project_id": project})
	}
	b := e.batch(bk, item(day(1), "1d", "p1", 1), item(day(1), "1d", "p2", 2), item(day(2), "1d", "p1", 3),
		item(day(2), "1d", "p2", 4), item(day(3), "1d", "p1", 5), item(day(2).Add(time.Hour), "1h", "p1", 6))
	b.State = &schema.State{Stream: "buckets", Cursor: fmt.Sprint(day(3).Unix())}
	if res := e.write(b); res.New != 6 {
		e.t.Errorf("%d new, want 6", res.New)
	}
	// OpenAI revised day 2: p1 changed, p2 dropped. Hourly rows stay.
	b = e.batch(bk, item(day(2), "1d", "p1", 30))
	b.Replace = &schema.Range{Column: "bucket_start", From: day(2), To: day(3), Equal: map[string]string{"bucket_width": "1d"}}
	if res := e.write(b); res.New != 0 {
		e.t.Errorf("a revised bucket: %d new, want 0", res.New)
	}
	rows := e.rows(bk)
	e.expectKeys(rows, key(day(1), "1d", "p1"), key(day(1), "1d", "p2"), key(day(2), "1d", "p1"),
		key(day(2).Add(time.Hour), "1h", "p1"), key(day(3), "1d", "p1"))
	e.expect(rows, "requests", map[string]any{key(day(2), "1d", "p1"): int64(30), key(day(1), "1d", "p2"): int64(2)})
	// A window that came back empty replaces too.
	b = e.batch(bk)
	b.Replace = &schema.Range{Column: "bucket_start", From: day(3), To: day(4), Equal: map[string]string{"bucket_width": "1d"}}
	e.write(b)
	e.reopen()
	rows = e.rows(bk)
	e.expectKeys(rows, key(day(1), "1d", "p1"), key(day(1), "1d", "p2"), key(day(2), "1d", "p1"),
		key(day(2).Add(time.Hour), "1h", "p1"))
	e.expect(rows, "requests", map[string]any{key(day(2), "1d", "p1"): int64(30), key(day(2).Add(time.Hour), "1h", "p1"): int64(6)})
	// A revised bucket counts as new only the keys it did not hold: p1
	// stays, p3 is new (p2 went); then three results never stored.
	day2 := &schema.Range{Column: "bucket_start", From: day(2), To: day(3), Equal: map[string]string{"bucket_width": "1d"}}
	e.write(e.batch(bk, item(day(2), "1d", "p2", 2))) // day 2 holds p1 and p2
	b = e.batch(bk, item(day(2), "1d", "p1", 10), item(day(2), "1d", "p3", 30))
	b.Replace = day2
	if res := e.write(b); res.New != 1 {
		e.t.Errorf("bucket {p1,p2} re-read as {p1,p3}: %d new, want 1", res.New)
	}
	b = e.batch(bk, item(day(2), "1d", "p4", 1), item(day(2), "1d", "p5", 1), item(day(2), "1d", "p6", 1))
	b.Replace = day2
	if res := e.write(b); res.New != 3 {
		e.t.Errorf("bucket {p1,p3} re-read as {p4,p5,p6}: %d new, want 3", res.New)
	}
}

func testSweepScope(e *env) {
	m := membersTable()
	e.write(e.batch(m, `{"project_id":"p1","id":"u1"}`, `{"project_id":"p1","id":"u2"}`,
		`{"project_id":"p2","id":"u3"}`, `{"project_id":"p3","id":"u4"}`))
	// Projects p1 and p2 were read with their keys; p3 was not.
	since := tick()
	sw := e.batch(m, `{"project_id":"p1","id":"u1"}`)
	sw.Sweep = &schema.Sweep{Since: since, ScopeColumn: "project_id", Scope: []string{"p1", "p2"}}
	if res := e.write(sw); res.Deleted != 2 {
		e.t.Errorf("deleted = %d, want 2", res.Deleted)
	}
	// No project read: nothing is swept.
	since = tick()
	sw = e.batch(m)
	sw.Sweep = &schema.Sweep{Since: since, ScopeColumn: "project_id"}
	if res := e.write(sw); res.Deleted != 0 {
		e.t.Errorf("deleted = %d, want 0", res.Deleted)
	}
	e.expect(e.rows(m), schema.DeletedColumn, map[string]any{"p1|u1": false, "p1|u2": true, "p2|u3": true, "p3|u4": false})
}
