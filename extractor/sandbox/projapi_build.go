package sandbox

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// projectBuilder generates one project's objects. Objects live in [from,
// until]; until is now, or the archiving time of an archived project, whose
// objects are all finished.
type projectBuilder struct {
	g           *gen
	st          *projectStore
	from, until int64
	now         int64
	live        bool // the project can have work in progress
	orgID, slug string
}

// buildProjectAPI generates every project's objects and the model list.
func buildProjectAPI(seed int64, o *org, now int64) *projectAPI {
	a := &projectAPI{
		stores: map[string]*projectStore{},
		models: buildModels(),
		adv:    newGen(seed, rngProjectAPIAdvance),
		slug:   orgSlug(o),
	}
	for i, p := range o.Projects {
		b := &projectBuilder{
			g:     newGen(seed, rngProjectAPI+uint64(i)),
			st:    &projectStore{projectID: p.ID},
			from:  max(p.CreatedAt, now-180*day),
			until: now,
			now:   now,
			live:  p.ArchivedAt == nil,
			orgID: o.ID,
			slug:  a.slug,
		}
		if p.ArchivedAt != nil {
			b.until = *p.ArchivedAt
		}
		b.build(i == 0)
		a.stores[p.ID] = b.st
	}
	return a
}

// orgSlug is the org's name as fine-tuned model names show it ("northwind").
func orgSlug(o *org) string {
	name, _, _ := strings.Cut(o.Domain, ".")
	return name
}

func (b *projectBuilder) build(manyFiles bool) {
	n := b.g.between(15, 30)
	if manyFiles {
		n = b.g.between(105, 130) // more than one page of 100
	}
	b.baseFiles(n)
	b.batches()
	b.fineTuningJobs()
	b.vectorStores()
	b.evals()
	b.containers()
	b.skills()
	b.assistants()
	slices.SortStableFunc(b.st.files, func(x, y *fileJSON) int { return cmp.Compare(x.CreatedAt, y.CreatedAt) })
}

// at returns a time in [lo, hi].
func (b *projectBuilder) at(lo, hi int64) int64 { return lo + b.g.r.Int64N(max(hi-lo, 0)+1) }

// past returns a time in the project's window that leaves room for a job of
// length d to finish before until.
func (b *projectBuilder) past(d int64) int64 { return b.at(b.from, max(b.until-d-3600, b.from)) }

// recent returns a time in the last d seconds before now, for work in progress.
func (b *projectBuilder) recent(d int64) int64 { return b.at(b.now-d, b.now-60) }

func (b *projectBuilder) addFile(purpose, name string, bytes, at int64) *fileJSON {
	f := &fileJSON{ID: "file-" + b.g.alnum(22), Object: "file", Bytes: bytes, CreatedAt: at,
		Filename: name, Purpose: purpose, Status: "processed"}
	b.st.files = append(b.st.files, f)
	return f
}

// baseFiles uploads n documents, datasets and images (jobs add their own).
func (b *projectBuilder) baseFiles(n int) {
	kinds := []struct {
		purpose string
		names   []string
		lo, hi  int64
	}{
		{"assistants", docFiles, 20_000, 8_000_000},
		{"assistants", docFiles, 20_000, 8_000_000},
		{"assistants", docFiles, 20_000, 8_000_000},
		{"user_data", dataFiles, 5_000, 40_000_000},
		{"vision", imageFiles, 80_000, 4_000_000},
		{"assistants_output", outputFiles, 2_000, 900_000},
	}
	for i := range n {
		k := kinds[b.g.r.IntN(len(kinds))]
		if i < 6 {
			k = kinds[i%3] // documents for the vector stores
		}
		b.addFile(k.purpose, b.g.pick(k.names), b.g.r.Int64N(k.hi-k.lo)+k.lo, b.past(0))
	}
}

var batchStatuses = []string{"validating", "failed", "in_progress", "finalizing", "completed", "expired", "cancelling", "cancelled"}

func isTerminalBatch(s string) bool {
	return s == "failed" || s == "completed" || s == "expired" || s == "cancelled"
}

// batches makes 10-16 batches; a live project has every status at least once.
func (b *projectBuilder) batches() {
	n := b.g.between(10, 16)
	var statuses []string
	if b.live {
		statuses = slices.Clone(batchStatuses)
	}
	for len(statuses) < n {
		statuses = append(statuses, []string{"completed", "completed", "completed", "failed", "expired", "cancelled"}[b.g.r.IntN(6)])
	}
	for _, status := range statuses {
		b.st.batches = append(b.st.batches, b.batch(status))
	}
	slices.SortStableFunc(b.st.batches, func(x, y *batch) int { return cmp.Compare(x.wire.CreatedAt, y.wire.CreatedAt) })
}

func (b *projectBuilder) batch(status string) *batch {
	g := b.g
	endpoint := g.pick(batchEndpoints)
	model := g.pick(chatModels)
	if endpoint == "/v1/embeddings" {
		model = "text-embedding-3-small"
	}
	total := []int{20, 150, 1000, 4000, 25000}[g.r.IntN(5)] + g.between(0, 99)
	created := b.past(2 * day)
	if !isTerminalBatch(status) {
		created = b.recent(20 * 3600)
	}
	task := g.pick(batchTasks)
	in := b.addFile("batch", fmt.Sprintf("batch-%s-%s.jsonl", task, time.Unix(created, 0).UTC().Format("20060102")), int64(total)*int64(g.between(300, 2500)), created-int64(g.between(5, 300)))
	bt := &batch{total: total, failed: total * g.between(0, 3) / 100, wire: batchJSON{
		ID: "batch_" + g.hex(32), Object: "batch", Endpoint: endpoint, Model: model, InputFileID: in.ID,
		CompletionWindow: "24h", Status: status, CreatedAt: created, ExpiresAt: ptr(created + day),
		Metadata: map[string]string{},
	}}
	w := &bt.wire
	if g.chance(0.5) {
		w.Metadata["task"] = task
	}
	started := created + int64(g.between(5, 120))
	switch status {
	case "validating":
	case "failed":
		w.FailedAt = ptr(created + int64(g.between(5, 60)))
		line := g.between(1, total)
		w.Errors = &batchErrors{Object: "list", Data: []batchError{{Code: "invalid_json_line",
			Message: fmt.Sprintf("This line is not parseable as valid JSON (line %d).", line), Line: &line}}}
	case "in_progress", "cancelling":
		w.InProgressAt = ptr(started)
		w.RequestCounts = batchCounts{Total: total, Completed: g.between(0, total-bt.failed), Failed: bt.failed}
		if status == "cancelling" {
			w.CancellingAt = ptr(b.at(started, b.now-30))
		}
	case "finalizing":
		w.InProgressAt = ptr(started)
		w.FinalizingAt = ptr(b.at(started, b.now-30))
		w.RequestCounts = batchCounts{Total: total, Completed: total - bt.failed, Failed: bt.failed}
	case "expired":
		w.InProgressAt = ptr(started)
		end := created + day + int64(g.between(60, 900))
		w.ExpiredAt = ptr(end)
		b.finishBatch(bt, total*g.between(40, 95)/100, end)
	case "cancelled":
		w.InProgressAt = ptr(started)
		end := started + int64(g.between(600, 6*3600))
		w.CancellingAt = ptr(end - int64(g.between(60, 600)))
		w.CancelledAt = ptr(end)
		b.finishBatch(bt, total*g.between(5, 60)/100, end)
	default:
		w.InProgressAt = ptr(started)
		b.completeBatch(bt, started+int64(g.between(600, 12*3600)))
	}
	return bt
}

// completeBatch moves a batch to completed at end.
func (b *projectBuilder) completeBatch(bt *batch, end int64) {
	w := &bt.wire
	if w.InProgressAt == nil {
		w.InProgressAt = ptr(end)
	}
	if w.FinalizingAt == nil {
		w.FinalizingAt = ptr(max(end-int64(b.g.between(30, 300)), *w.InProgressAt))
	}
	w.Status, w.CompletedAt = "completed", ptr(end)
	b.finishBatch(bt, bt.total-bt.failed, end)
}

// finishBatch records a run that ended at end with done requests answered:
// counts, usage and the output (and error) files.
func (b *projectBuilder) finishBatch(bt *batch, done int, end int64) {
	g, w := b.g, &bt.wire
	w.RequestCounts = batchCounts{Total: bt.total, Completed: done, Failed: bt.failed}
	w.Usage = batchTokens(g, w.Model, done)
	out := b.addFile("batch_output", w.ID+"_output.jsonl", int64(done)*int64(g.between(400, 3000))+1, end)
	out.ExpiresAt = ptr(end + 30*day)
	w.OutputFileID = out.ID
	if bt.failed > 0 {
		ef := b.addFile("batch_output", w.ID+"_error.jsonl", int64(bt.failed)*int64(g.between(200, 600))+1, end)
		ef.ExpiresAt = ptr(end + 30*day)
		w.ErrorFileID = ef.ID
	}
}

func batchTokens(g *gen, model string, done int) *batchUsage {
	in := int64(done) * int64(g.between(200, 2000))
	out := int64(done) * int64(g.between(20, 600))
	if strings.HasPrefix(model, "text-embedding") {
		out = 0
	}
	u := &batchUsage{InputTokens: in, OutputTokens: out, TotalTokens: in + out,
		InputTokensDetails: cachedTokens{CachedTokens: in * int64(g.between(0, 40)) / 100}}
	if strings.HasPrefix(model, "o") || strings.HasPrefix(model, "gpt-5") {
		u.OutputTokensDetails.ReasoningTokens = out * int64(g.between(20, 70)) / 100
	}
	return u
}
