package extractor

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/openai-sync/openai-sync/schema"
)

// plan computes the window a bucket stream reads this run.
func (r *runner) plan(s *Stream) (Window, error) {
	width := r.widthOf(s)
	cursor := ""
	if v, ok := parseCursorMap(r.states[s.Name].Cursor, "1d")[width]; ok {
		cursor = strconv.FormatInt(v, 10)
	}
	return bucketWindow(s, width, r.opts.Now(), cursor, r.opts.Since, r.opts.Lookback, r.opts.FullRefresh)
}

// widthOf is the bucket width a stream is read at.
func (r *runner) widthOf(s *Stream) string {
	return s.Usage.Width(r.opts.BucketWidth)
}

// bucketQuery is the query of the first page of a window: every other
// parameter stays the same on the following pages.
func bucketQuery(s *Stream, w Window) url.Values {
	q := url.Values{
		"start_time":   {strconv.FormatInt(w.Start.Unix(), 10)},
		"end_time":     {strconv.FormatInt(w.End.Unix(), 10)},
		"bucket_width": {w.Width},
		"limit":        {strconv.Itoa(w.Limit)},
	}
	q["group_by"] = append([]string(nil), s.Usage.GroupBy...)
	return q
}

// buckets reads the usage or cost window page by page. Each batch replaces
// the buckets it covers (so results dropped on revision go too) and moves the
// cursor to its last bucket start, in one transaction.
func (sr *streamRun) buckets(ctx context.Context) error {
	w, err := sr.r.plan(sr.s)
	if err != nil {
		return err
	}
	if w.Requests == 0 {
		return nil
	}
	stored := parseCursorMap(sr.r.states[sr.s.Name].Cursor, "1d")
	cursor := stored[w.Width]
	width := []byte(strconv.Quote(w.Width))
	err = sr.client.Pages(ctx, sr.s.Path, bucketQuery(sr.s, w), sr.s.Paging, func(p Page) error {
		sr.page(p)
		for _, bucket := range p.Items {
			start, end, err := sr.addBucket(bucket, width)
			if err != nil {
				return fmt.Errorf("stream %s page %d: %w (request %s)", sr.s.Name, p.Number, err, p.RequestID)
			}
			if sr.from.IsZero() {
				sr.from = time.Unix(start, 0)
			}
			sr.to = time.Unix(end, 0)
			cursor = max(cursor, start)
		}
		sr.r.observe(sr, "running")
		if sr.handOver() {
			return sr.flush(ctx, nil, sr.cursorState(stored, w.Width, cursor), false)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return sr.flush(ctx, nil, sr.cursorState(stored, w.Width, cursor), true)
}

// cursorState stores the last bucket start committed at this width, keeping
// the other widths' cursors.
func (sr *streamRun) cursorState(stored cursorMap, width string, cursor int64) *schema.State {
	if cursor <= 0 {
		return nil
	}
	return &schema.State{Stream: sr.s.Name, Cursor: stored.with(width, cursor).String()}
}

// addBucket adds the results of one bucket and returns its times.
func (sr *streamRun) addBucket(bucket, width []byte) (start, end int64, err error) {
	var startRaw, endRaw, results []byte
	err = schema.ObjectMembers(bucket, func(k string, v []byte) error {
		switch k {
		case "start_time":
			startRaw = v
		case "end_time":
			endRaw = v
		case "results", "result": // "result" in the 2024 spec
			results = v
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("bucket: %w", err)
	}
	if start, err = strconv.ParseInt(string(startRaw), 10, 64); err != nil {
		return 0, 0, fmt.Errorf("bucket without a start_time")
	}
	if end, err = strconv.ParseInt(string(endRaw), 10, 64); err != nil {
		return 0, 0, fmt.Errorf("bucket without an end_time")
	}
	if schema.IsNull(results) {
		return start, end, nil
	}
	rowCtx := schema.Context{"bucket_start": startRaw, "bucket_end": endRaw, "bucket_width": width}
	err = schema.ArrayElements(results, func(v []byte) error { return sr.add(v, rowCtx) })
	return start, end, err
}
