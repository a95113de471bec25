package extractor_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/extractor/sandbox"
	"github.com/openai-sync/openai-sync/schema"
)

// stateless is the part of a test destination that keeps no cursors and no
// run log.
type stateless struct{}

func (stateless) States(context.Context) (map[string]schema.State, error) { return nil, nil }
func (stateless) StartRun(context.Context, schema.Run) error              { return nil }
func (stateless) FinishRun(context.Context, schema.Run) error             { return nil }

// countingDest is an in-memory destination that counts rows per table.
type countingDest struct {
	stateless
	mu   sync.Mutex
	rows map[string]int64
}

func (d *countingDest) Write(_ context.Context, b schema.Batch) (schema.WriteResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if b.Record != nil {
		d.rows[b.Table.Name] += b.Record.NumRows()
	}
	return schema.WriteResult{}, nil
}

var _ extractor.Destination = (*countingDest)(nil)

// serveClient serves h for the test and returns a client of it with key.
func serveClient(t *testing.T, h http.Handler, key extractor.Secret) *extractor.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := extractor.NewClient(extractor.ClientOptions{BaseURL: srv.URL + "/v1", Key: key})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every stream, with progress observed (as on a terminal), finishes, reports
// its final status, and every Arrow record is released.
func TestRunWithProgressObservedFinishesEveryStream(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sb := sandbox.New(sandbox.Options{AuditEvents: 3000})
	admin := serveClient(t, sb.Handler(), extractor.Secret(sb.AdminKey()))
	cat := extractor.DefaultCatalog()
	opts := extractor.RunOptions{Streams: cat, Catalog: cat, Admin: admin, Dest: &countingDest{rows: map[string]int64{}},
		Allocator: mem, BatchRows: 50}
	for _, id := range sb.ProjectIDs() {
		opts.Projects = append(opts.Projects, extractor.ProjectClient{ID: id, Client: admin.WithKey(extractor.Secret(sb.ProjectKey(id)))})
	}
	var mu sync.Mutex
	final := map[string]string{}
	opts.Observe = func(p extractor.Progress) {
		mu.Lock()
		defer mu.Unlock()
		final[p.Stream] = p.Status
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := extractor.Run(ctx, opts)
	if err != nil || run.Status != extractor.StatusSucceeded {
		t.Fatalf("run %s: %v %+v", run.Status, err, run.Streams)
	}
	for _, s := range cat {
		if final[s.Name] != extractor.StatusSucceeded {
			t.Errorf("%s: last progress %q", s.Name, final[s.Name])
		}
	}
}
