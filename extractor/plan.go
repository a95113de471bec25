package extractor

import (
	"fmt"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// PlanEntry is what a run would do for one stream, computed without any
// request.
type PlanEntry struct {
	Stream   string    `json:"stream"`
	Mode     string    `json:"mode"`
	Key      string    `json:"key"`
	Cursor   string    `json:"cursor,omitempty"`
	From     time.Time `json:"from,omitzero"`
	To       time.Time `json:"to,omitzero"`
	Width    string    `json:"bucket_width,omitempty"`
	Requests int       `json:"requests"`
	// Exact is true when Requests is exact (bucket windows); otherwise it is
	// a lower bound (listings whose length is unknown until read).
	Exact bool   `json:"exact"`
	Note  string `json:"note,omitempty"`
}

// Plan says, per stream, what a run with these options would read.
func Plan(opts RunOptions, states map[string]schema.State) ([]PlanEntry, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BucketWidth == "" {
		opts.BucketWidth = "1d"
	}
	r := &runner{opts: opts, states: states}
	var out []PlanEntry
	for _, s := range opts.Streams {
		e := PlanEntry{Stream: s.Name, Mode: s.Mode.String(), Key: s.Key.String(), Cursor: states[s.Name].Cursor, Requests: 1}
		switch {
		case s.Key == ProjectKey:
			e.Requests = len(opts.Projects)
			e.Note = fmt.Sprintf("once per project key (%d)", len(opts.Projects))
			if s.Parent != nil && s.Parent.DoneField != "" {
				e.Note += "; children of " + s.Parent.Stream + " finished a day before the cursor are skipped"
			}
		case s.Mode == Buckets:
			w, err := r.plan(s)
			if err != nil {
				return nil, err
			}
			e.From, e.To, e.Width, e.Requests, e.Exact = w.Start, w.End, w.Width, w.Requests, true
			e.Note = fmt.Sprintf("%d buckets per request", w.Limit)
		case s.Mode == Incremental:
			if e.Cursor != "" && !opts.FullRefresh {
				e.Note = "from effective_at >= cursor"
				if s.Overlap > 0 {
					e.Note += fmt.Sprintf(" − %.0f min (late events)", s.Overlap.Minutes())
				}
			} else if !opts.Since.IsZero() {
				e.From = opts.Since.UTC()
				e.Note = "from --since"
			} else {
				e.Note = "everything the API keeps"
			}
		case s.Parent != nil:
			e.Note = "one listing per " + s.Parent.Column
		default:
			e.Note = "whole listing"
		}
		out = append(out, e)
	}
	return out, nil
}
