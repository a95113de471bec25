package sandbox

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// evals makes 2-4 evals with 1-5 runs each. In a live project the first
// eval's newest run is in progress and the second's is queued.
func (b *projectBuilder) evals() {
	g := b.g
	n := g.between(2, 4)
	for i, name := range g.sample(len(evalNames), n) {
		e := b.eval(evalNames[name])
		runs := g.between(1, 5)
		for r := range runs {
			status := g.pick([]string{"completed", "completed", "completed", "completed", "completed", "failed", "canceled"})
			if r == runs-1 && b.live && i < 2 {
				status = []string{"in_progress", "queued"}[i]
			}
			e.runs = append(e.runs, b.evalRun(e, status))
		}
		slices.SortStableFunc(e.runs, func(x, y *evalRun) int { return cmp.Compare(x.wire.CreatedAt, y.wire.CreatedAt) })
		b.st.evals = append(b.st.evals, e)
	}
	slices.SortStableFunc(b.st.evals, func(x, y *evalObj) int { return cmp.Compare(x.wire.CreatedAt, y.wire.CreatedAt) })
}

func (b *projectBuilder) eval(name string) *evalObj {
	g := b.g
	schema := map[string]any{"type": "object", "required": []string{"item"}, "properties": map[string]any{
		"item": map[string]any{"type": "object", "required": []string{"input", "expected"}, "properties": map[string]any{
			"input": map[string]any{"type": "string"}, "expected": map[string]any{"type": "string"}}}}}
	cfg := evalDataConfig{Type: "custom", Schema: schema}
	if g.chance(0.3) {
		cfg = evalDataConfig{Type: "logs", Schema: schema, Metadata: map[string]string{"usecase": "support"}}
	}
	criteria := []evalGrader{{Type: "string_check", Name: "Exact match", Input: "{{sample.output_text}}",
		Reference: "{{item.expected}}", Operation: "eq"}}
	if g.chance(0.5) {
		criteria = append(criteria, evalGrader{Type: "text_similarity", Name: "Similarity", Input: "{{sample.output_text}}",
			Reference: "{{item.expected}}", EvaluationMetric: "fuzzy_match", PassThreshold: ptr(0.8)})
	}
	return &evalObj{wire: evalJSON{Object: "eval", ID: "eval_" + g.hex(32), Name: name, DataSourceConfig: cfg,
		TestingCriteria: criteria, CreatedAt: b.past(3 * day), Metadata: map[string]string{}}}
}

func (b *projectBuilder) evalRun(e *evalObj, status string) *evalRun {
	g := b.g
	created := b.at(e.wire.CreatedAt, max(b.until-2*3600, e.wire.CreatedAt))
	if status == "in_progress" || status == "queued" {
		created = b.recent(2 * 3600)
	}
	rows := g.between(20, 500)
	slug := strings.ReplaceAll(strings.ToLower(e.wire.Name), " ", "-")
	data := b.addFile("user_data", fmt.Sprintf("eval-%s.jsonl", slug), int64(rows)*int64(g.between(200, 2000)), created-int64(g.between(10, 600)))
	model := g.pick(chatModels)
	id := "evalrun_" + g.hex(32)
	errored := rows * g.between(0, 2) / 100
	failed := rows * g.between(5, 35) / 100
	var graders []string
	for _, c := range e.wire.TestingCriteria {
		graders = append(graders, c.Name)
	}
	run := &evalRun{graders: graders, final: evalResultCounts{Total: rows, Errored: errored, Failed: failed, Passed: rows - errored - failed},
		wire: evalRunJSON{Object: "eval.run", ID: id, EvalID: e.wire.ID, Status: status, Model: model,
			Name: fmt.Sprintf("%s (%s)", e.wire.Name, model), CreatedAt: created,
			ReportURL: fmt.Sprintf("https://platform.openai.com/evaluations/%s?run_id=%s", e.wire.ID, id),
			DataSource: evalRunDataSource{Type: "completions", Model: model,
				InputMessages:  evalInputMessages{Type: "item_reference", ItemReference: "item.input"},
				SamplingParams: evalSamplingParams{Temperature: 1, MaxCompletionTokens: 2048, TopP: 1, Seed: 42},
				Source:         evalFileSource{Type: "file_id", ID: data.ID}},
			Metadata: map[string]string{}}}
	switch status {
	case "completed":
		run.settle(run.final)
	case "in_progress", "canceled":
		run.settle(run.final.scaled(g.between(10, 90)))
	case "failed":
		run.settle(evalResultCounts{})
		run.wire.Error = evalAPIError{Code: "invalid_data_source",
			Message: fmt.Sprintf("Row %d of file %s does not match the data source schema: missing 'expected'.", g.between(1, rows), data.ID)}
	default: // queued
		run.settle(evalResultCounts{})
	}
	return run
}

// scaled returns the counts after pct percent of the rows.
func (c evalResultCounts) scaled(pct int) evalResultCounts {
	out := evalResultCounts{Total: c.Total * pct / 100, Errored: c.Errored * pct / 100, Failed: c.Failed * pct / 100}
	out.Passed = out.Total - out.Errored - out.Failed
	return out
}

// settle sets a run's counts and what they imply: usage per model and
// results per grader. It draws no random numbers, so AdvanceJobs can call it.
func (r *evalRun) settle(c evalResultCounts) {
	w := &r.wire
	w.ResultCounts = c
	w.PerModelUsage, w.PerTestingCriteriaResults = []evalModelUsage{}, []evalCriteriaCount{}
	if c.Total == 0 {
		return
	}
	prompt, completion := int64(c.Total)*420, int64(c.Total)*96
	w.PerModelUsage = append(w.PerModelUsage, evalModelUsage{ModelName: w.Model, InvocationCount: c.Total,
		PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion, CachedTokens: prompt / 5})
	graded := c.Total - c.Errored
	for i, name := range r.graders {
		passed := min(graded, c.Passed+i*c.Failed/2)
		w.PerTestingCriteriaResults = append(w.PerTestingCriteriaResults,
			evalCriteriaCount{TestingCriteria: fmt.Sprintf("%s-%s", name, w.EvalID[5:13]), Passed: passed, Failed: graded - passed})
	}
}
