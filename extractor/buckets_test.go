package extractor_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/schema"
)

// replayDest applies batches as a destination does: a batch's Replace
// deletes the stored rows of its range, then its rows are stored.
type replayDest struct {
	stateless
	mu       sync.Mutex
	rows     map[string]int64 // project_id → bucket_start (Unix seconds)
	replaces int              // batches that replaced a range
}

func (d *replayDest) Write(_ context.Context, b schema.Batch) (schema.WriteResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r := b.Replace; r != nil {
		d.replaces++
		for k, start := range d.rows {
			if at := time.Unix(start, 0); !at.Before(r.From) && at.Before(r.To) {
				delete(d.rows, k)
			}
		}
	}
	if rec := b.Record; rec != nil {
		col := func(name string) arrow.Array { return rec.Column(rec.Schema().FieldIndices(name)[0]) }
		ids, starts := col("project_id").(*array.String), col("bucket_start").(*array.Timestamp)
		for i := range int(rec.NumRows()) {
			d.rows[ids.Value(i)] = starts.Value(i).ToTime(arrow.Microsecond).Unix()
		}
	}
	return schema.WriteResult{}, nil
}

// A bucket whose results go on over a page boundary, with a batch flushed
// between the two pages, keeps all its results: the second batch does not
// replace what the first wrote.
func TestABucketSplitAcrossPagesKeepsAllItsResults(t *testing.T) {
	day := func(d int) int64 { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC).Unix() }
	bucket := func(d int, projects ...string) string {
		res := ""
		for i, p := range projects {
			if i > 0 {
				res += ","
			}
			res += fmt.Sprintf(`{"object":"organization.usage.completions.result","input_tokens":1,"output_tokens":1,"num_model_requests":1,"project_id":%q}`, p)
		}
		return fmt.Sprintf(`{"object":"bucket","start_time":%d,"end_time":%d,"results":[%s]}`, day(d), day(d+1), res)
	}
	pages := map[string]string{
		"":    `{"object":"page","data":[` + bucket(20, "p1", "p2") + `,` + bucket(21, "p3") + `],"has_more":true,"next_page":"two"}`,
		"two": `{"object":"page","data":[` + bucket(21, "p4") + `,` + bucket(22, "p5") + `],"has_more":false,"next_page":null}`,
	}
	admin := serveClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, pages[r.URL.Query().Get("page")])
	}), "sk-admin-test-0123456789abcdef")
	cat := extractor.DefaultCatalog()
	usage, _ := cat.Lookup("usage_completions")
	d := &replayDest{rows: map[string]int64{}}
	run, err := extractor.Run(context.Background(), extractor.RunOptions{Streams: extractor.Catalog{usage}, Catalog: cat,
		Admin: admin, Dest: d, BatchRows: 3, Now: func() time.Time { return time.Unix(day(23), 0) },
		Since: time.Unix(day(20), 0)})
	if err != nil || run.Status != extractor.StatusSucceeded {
		t.Fatalf("run %s: %v %+v", run.Status, err, run.Streams)
	}
	want := map[string]int64{"p1": day(20), "p2": day(20), "p3": day(21), "p4": day(21), "p5": day(22)}
	if fmt.Sprint(d.rows) != fmt.Sprint(want) {
		t.Errorf("rows %v, want %v", d.rows, want)
	}

	// The second page fails for good: the rows of the first are kept, and
	// replace nothing (the bucket that went on is only partly read).
	pages["two"] = `{"error":{"message":"bad page","type":"invalid_request_error"}}`
	failing := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "two" {
			w.WriteHeader(http.StatusBadRequest)
		}
		fmt.Fprint(w, pages[r.URL.Query().Get("page")])
	})
	admin2 := serveClient(t, failing, "sk-admin-test-0123456789abcdef")
	d = &replayDest{rows: map[string]int64{"p9": day(21)}}
	run, _ = extractor.Run(context.Background(), extractor.RunOptions{Streams: extractor.Catalog{usage}, Catalog: cat,
		Admin: admin2, Dest: d, BatchRows: 100, Now: func() time.Time { return time.Unix(day(23), 0) },
		Since: time.Unix(day(20), 0)})
	if run.Status == extractor.StatusSucceeded || d.replaces != 0 || len(d.rows) != 4 {
		t.Errorf("failed run %s: %d replaces, rows %v; want p1, p2, p3 kept beside p9, nothing replaced", run.Status, d.replaces, d.rows)
	}
}
