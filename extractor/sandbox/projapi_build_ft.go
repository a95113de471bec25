package sandbox

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

var ftStatuses = []string{"succeeded", "failed", "cancelled", "running", "queued", "validating_files"}

func isTerminalJob(s string) bool { return s == "succeeded" || s == "failed" || s == "cancelled" }

// fineTuningJobs makes 4-7 jobs; a live project has every status at least once.
func (b *projectBuilder) fineTuningJobs() {
	n := b.g.between(4, 7)
	var statuses []string
	if b.live {
		statuses = slices.Clone(ftStatuses)
	}
	for len(statuses) < n {
		statuses = append(statuses, []string{"succeeded", "succeeded", "failed", "cancelled"}[b.g.r.IntN(4)])
	}
	for _, status := range statuses {
		b.st.jobs = append(b.st.jobs, b.job(status))
	}
	slices.SortStableFunc(b.st.jobs, func(x, y *ftJob) int { return cmp.Compare(x.wire.CreatedAt, y.wire.CreatedAt) })
}

// jobPlan is the timeline of a successful run, in seconds from creation.
type jobPlan struct {
	queued, started, end int64 // "moving to queued", "job started", model created
}

func (b *projectBuilder) job(status string) *ftJob {
	g := b.g
	hp := ftHyperparameters{BatchSize: []int{1, 2, 4, 8, 16}[g.r.IntN(5)],
		LearningRateMultiplier: []float64{0.1, 0.5, 1, 1.8, 2}[g.r.IntN(5)], NEpochs: g.between(1, 4)}
	examples := g.between(50, 1500)
	perEpoch := (examples + hp.BatchSize - 1) / hp.BatchSize
	steps := perEpoch * hp.NEpochs
	secPerStep := int64(g.between(2, 12))
	plan := jobPlan{queued: int64(g.between(30, 300))}
	plan.started = plan.queued + int64(g.between(60, 1800))
	plan.end = plan.started + int64(steps)*secPerStep + 60

	var t0 int64
	switch status {
	case "running":
		t0 = b.now - b.at(plan.started+1, plan.end-1)
	case "queued":
		t0 = b.now - b.at(plan.queued+1, plan.started-1)
	case "validating_files":
		t0 = b.now - b.at(2, plan.queued-1)
	default:
		t0 = b.past(plan.end + 600)
	}
	topic := g.pick(tuneTopics)
	train := b.addFile("fine-tune", fmt.Sprintf("train-%s-v%d.jsonl", topic, g.between(1, 5)), int64(examples)*int64(g.between(800, 4000)), t0-int64(g.between(60, 3600)))
	base := g.pick(tuneBaseModels)
	j := &ftJob{
		wire: ftJobJSON{Object: "fine_tuning.job", ID: "ftjob-" + g.alnum(24), CreatedAt: t0, Hyperparameters: hp,
			Model: base, OrganizationID: b.orgID, ResultFiles: []string{}, Status: status, TrainingFile: train.ID,
			Seed: int64(g.r.Int32()), Method: ftMethod{Type: "supervised", Supervised: &ftMethodParams{hp}},
			Metadata: map[string]string{}},
		finalModel:     fmt.Sprintf("ft:%s:%s::%s", base, b.slug, g.alnum(8)),
		trainedTokens:  int64(examples) * int64(g.between(200, 1500)) * int64(hp.NEpochs),
		resultFileName: "step_metrics.csv",
	}
	if g.chance(0.25) {
		j.wire.Method = ftMethod{Type: "dpo", DPO: &ftMethodParams{hp}}
	}
	if g.chance(0.4) {
		j.wire.Metadata["topic"] = topic
	}
	validate := "Validating training file: " + train.ID
	if g.chance(0.5) {
		v := b.addFile("fine-tune", fmt.Sprintf("valid-%s.jsonl", topic), int64(examples/10+1)*int64(g.between(800, 4000)), train.CreatedAt)
		j.wire.ValidationFile = &v.ID
		validate += " and validation file: " + v.ID
	}
	if status == "failed" {
		b.failJob(j, validate, t0)
		return j
	}
	b.planRun(j, plan, validate, steps, perEpoch, secPerStep)
	switch status {
	case "succeeded":
		j.reveal(b.now)
		b.succeedJob(j, b.now)
	case "cancelled":
		j.reveal(t0 + b.at(plan.started+1, plan.end-1))
		j.pendingEvents, j.pendingCkpts = nil, nil
		at := j.events[len(j.events)-1].CreatedAt + int64(g.between(1, 30))
		j.events = append(j.events, b.event(at, "info", "Fine-tuning job was cancelled", nil))
		j.wire.FinishedAt = &at
	default:
		j.reveal(b.now)
		if j.wire.Status == "running" {
			j.wire.EstimatedFinish = ptr(t0 + plan.end + 120)
		}
	}
	return j
}

// failJob makes a job that failed validating its training file.
func (b *projectBuilder) failJob(j *ftJob, validate string, t0 int64) {
	line := b.g.between(2, 400)
	msg := fmt.Sprintf("The job failed due to an invalid training file. Invalid file format. Example %d: "+
		"'messages' must contain at least one message with role 'assistant'.", line)
	at := t0 + int64(b.g.between(10, 120))
	j.events = []ftEventJSON{b.event(t0+1, "info", validate, nil), b.event(at, "error", msg, nil)}
	j.wire.Error = &ftJobError{Code: "invalid_training_file", Message: msg, Param: ptr("training_file")}
	j.wire.FinishedAt = &at
}

// planRun lays out a whole successful run as pending events and checkpoints;
// reveal and succeedJob then show what has happened so far.
func (b *projectBuilder) planRun(j *ftJob, plan jobPlan, validate string, steps, perEpoch int, secPerStep int64) {
	t0 := j.wire.CreatedAt
	ev := func(at int64, level, msg string, data map[string]any) {
		j.pendingEvents = append(j.pendingEvents, b.event(t0+at, level, msg, data))
	}
	ev(1, "info", validate, nil)
	ev(plan.queued, "info", "Files validated, moving job to queued state", nil)
	ev(plan.started, "info", "Fine-tuning job started", nil)
	stride := max(1, steps/b.g.between(20, 40))
	epochs := steps / perEpoch
	for step := 1; step <= steps; step++ {
		at := plan.started + int64(step)*secPerStep
		loss := 2.4*math.Exp(-3*float64(step)/float64(steps)) + 0.05 + b.g.r.Float64()*0.1
		acc := math.Min(0.99, 1-loss/3)
		if step%stride == 0 || step == steps {
			ev(at, "info", fmt.Sprintf("Step %d/%d: training loss=%.2f", step, steps, loss),
				map[string]any{"step": step, "total_steps": steps, "train_loss": round3(loss), "train_mean_token_accuracy": round3(acc)})
		}
		if epoch := step / perEpoch; step%perEpoch == 0 && epoch > epochs-3 {
			j.pendingCkpts = append(j.pendingCkpts, ftCheckpointJSON{Object: "fine_tuning.job.checkpoint",
				ID: "ftckpt_" + b.g.alnum(24), CreatedAt: t0 + at + 5, StepNumber: step, FineTuningJob: j.wire.ID,
				Checkpoint: fmt.Sprintf("%s:ckpt-step-%d", j.finalModel, step),
				Metrics: ftCkptMetrics{Step: float64(step), TrainLoss: round3(loss), TrainMeanTokenAccuracy: round3(acc),
					ValidLoss: round3(loss * 1.1), ValidMeanTokenAccuracy: round3(acc * 0.97),
					FullValidLoss: round3(loss * 1.12), FullValidMeanTokenAccuracy: round3(acc * 0.96)}})
			ev(at+5, "info", fmt.Sprintf("Checkpoint created at step %d", step), nil)
		}
	}
	ev(plan.end, "info", "New fine-tuned model created", nil)
	ev(plan.end+30, "info", "Evaluating model against our usage policies", nil)
	ev(plan.end+90, "info", "Usage policy evaluations completed, model is now enabled for sampling", nil)
	ev(plan.end+120, "info", "The job has successfully completed", nil)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func (b *projectBuilder) event(at int64, level, msg string, data map[string]any) ftEventJSON {
	typ := "message"
	if data != nil {
		typ = "metrics"
	} else {
		data = map[string]any{}
	}
	return ftEventJSON{Object: "fine_tuning.job.event", ID: "ftevent-" + b.g.alnum(24), CreatedAt: at,
		Level: level, Message: msg, Type: typ, Data: data}
}

// reveal moves the pending events and checkpoints dated up to cut into view,
// and sets the status they imply.
func (j *ftJob) reveal(cut int64) {
	n := 0
	for n < len(j.pendingEvents) && j.pendingEvents[n].CreatedAt <= cut {
		n++
	}
	j.events, j.pendingEvents = append(j.events, j.pendingEvents[:n]...), j.pendingEvents[n:]
	n = 0
	for n < len(j.pendingCkpts) && j.pendingCkpts[n].CreatedAt <= cut {
		n++
	}
	j.checkpoints, j.pendingCkpts = append(j.checkpoints, j.pendingCkpts[:n]...), j.pendingCkpts[n:]
	if isTerminalJob(j.wire.Status) {
		return
	}
	switch len(j.events) {
	case 0, 1:
		j.wire.Status = "validating_files"
	case 2:
		j.wire.Status = "queued"
	default:
		j.wire.Status = "running"
	}
}

// succeedJob finishes a job's run: the rest of its events and checkpoints
// happen now (no earlier, since nobody can have seen them before), and the
// job gets its model and result file.
func (b *projectBuilder) succeedJob(j *ftJob, now int64) {
	last := j.wire.CreatedAt
	if n := len(j.events); n > 0 {
		last = j.events[n-1].CreatedAt
	}
	if len(j.pendingEvents) > 0 {
		last = max(last, now)
	}
	for _, e := range j.pendingEvents {
		e.CreatedAt = last
		j.events = append(j.events, e)
	}
	for _, c := range j.pendingCkpts {
		c.CreatedAt = last
		j.checkpoints = append(j.checkpoints, c)
	}
	j.pendingEvents, j.pendingCkpts = nil, nil
	w := &j.wire
	w.Status, w.FinishedAt, w.EstimatedFinish = "succeeded", ptr(last), nil
	w.FineTunedModel, w.TrainedTokens = ptr(j.finalModel), ptr(j.trainedTokens)
	f := b.addFile("fine-tune-results", j.resultFileName, int64(b.g.between(2_000, 90_000)), last)
	w.ResultFiles = []string{f.ID}
}
