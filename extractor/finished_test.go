package extractor_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/schema"
)

// idsDest keeps the ids written per table and the cursors.
type idsDest struct {
	stateless // but for States below
	mu        sync.Mutex
	ids       map[string]map[string]bool
	states    map[string]schema.State
}

func (d *idsDest) Write(_ context.Context, b schema.Batch) (schema.WriteResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if b.Record != nil {
		idx := b.Record.Schema().FieldIndices("id")[0]
		col := b.Record.Column(idx).(*array.String)
		if d.ids[b.Table.Name] == nil {
			d.ids[b.Table.Name] = map[string]bool{}
		}
		for i := 0; i < col.Len(); i++ {
			d.ids[b.Table.Name][col.Value(i)] = true
		}
	}
	if b.State != nil {
		d.states[b.State.Stream] = *b.State
	}
	return schema.WriteResult{}, nil
}
func (d *idsDest) States(context.Context) (map[string]schema.State, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string]schema.State{}
	for k, v := range d.states {
		out[k] = v
	}
	return out, nil
}

// The host clock is five minutes ahead of OpenAI's. A job runs during the
// first run (one event so far), then finishes (server time) with a second
// event. The later runs must still read it: the cursor is this host's clock,
// finished_at OpenAI's.
func TestAHostClockAheadDoesNotSkipAJobReadWhileItRan(t *testing.T) {
	server := time.Unix(1_760_000_000, 0) // OpenAI's "now"
	var mu sync.Mutex
	finished := "null"
	events := []string{`{"object":"fine_tuning.job.event","id":"ev1","created_at":1760000000,"level":"info","message":"started"}`}
	c := serveClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.URL.Path == "/v1/fine_tuning/jobs":
			fmt.Fprintf(w, `{"object":"list","data":[{"object":"fine_tuning.job","id":"ftjob-1","created_at":1759990000,"finished_at":%s,"model":"m","status":"running"}],"has_more":false}`, finished)
		case strings.HasPrefix(r.URL.Path, "/v1/fine_tuning/jobs/ftjob-1/events"):
			fmt.Fprintf(w, `{"object":"list","data":[%s],"has_more":false}`, strings.Join(events, ","))
		default:
			w.WriteHeader(404)
		}
	}), "sk-proj-test-0123456789abcdef")
	cat := extractor.DefaultCatalog()
	ev, _ := cat.Lookup("fine_tuning_job_events")
	d := &idsDest{ids: map[string]map[string]bool{}, states: map[string]schema.State{}}
	skew := 5 * time.Minute
	run := func(serverNow time.Time) {
		local := serverNow.Add(skew)
		_, err := extractor.Run(context.Background(), extractor.RunOptions{Streams: extractor.Catalog{ev}, Catalog: cat, Dest: d,
			Projects: []extractor.ProjectClient{{ID: "proj_1", Client: c}}, Now: func() time.Time { return local }})
		if err != nil {
			t.Fatal(err)
		}
	}
	run(server) // job running: ev1
	mu.Lock()
	finished = fmt.Sprint(server.Add(30 * time.Second).Unix()) // finishes 30 s later
	events = append(events, `{"object":"fine_tuning.job.event","id":"ev2","created_at":1760000030,"level":"info","message":"The job has successfully completed"}`)
	mu.Unlock()
	run(server.Add(time.Hour))
	run(server.Add(2 * time.Hour))
	if !d.ids["fine_tuning_job_events"]["ev2"] {
		t.Fatalf("ev2 never synced: have %v, cursor %s", d.ids["fine_tuning_job_events"], d.states["fine_tuning_job_events"].Cursor)
	}
}
