package extractor

import (
	"fmt"
	"strconv"
	"time"
)

// widthDuration is the length of a bucket of the given width.
func widthDuration(width string) (time.Duration, error) {
	switch width {
	case "1d":
		return 24 * time.Hour, nil
	case "1h":
		return time.Hour, nil
	case "1m":
		return time.Minute, nil
	}
	return 0, fmt.Errorf("bucket width %q: want 1d, 1h or 1m", width)
}

// DefaultLookback is how far back every run re-reads, because OpenAI revises
// buckets after they close: three days of daily buckets, half a day of hourly
// ones, an hour of minute ones.
func DefaultLookback(width string) time.Duration {
	switch width {
	case "1h":
		return 12 * time.Hour
	case "1m":
		return time.Hour
	}
	return 72 * time.Hour
}

// DefaultBackfill is how far back a first run reads usage and costs without --since.
const DefaultBackfill = 30 * 24 * time.Hour

// Window is the time range a bucket stream reads in one run.
type Window struct {
	Width    string
	Start    time.Time // inclusive, on a bucket boundary
	End      time.Time // exclusive, the end of the bucket holding now
	Limit    int       // buckets per request
	Requests int       // requests it takes
}

// bucketWindow plans the window of a bucket stream: from the stored cursor
// (the last bucket start committed) or now − lookback, whichever is earlier;
// on a first run or a full refresh from --since or 30 days back. Start is
// floored and end ceiled to bucket boundaries.
func bucketWindow(s *Stream, width string, now time.Time, cursor string, since time.Time, lookback time.Duration, full bool) (Window, error) {
	width = s.Usage.Width(width)
	limit, ok := s.Usage.Limits[width]
	if !ok {
		return Window{}, fmt.Errorf("stream %s: bucket width %q: want one of %v", s.Name, width, s.Usage.Limits)
	}
	w, err := widthDuration(width)
	if err != nil {
		return Window{}, err
	}
	if lookback <= 0 {
		lookback = DefaultLookback(width)
	}
	now = now.UTC()
	start := now.Add(-DefaultBackfill)
	if !since.IsZero() {
		start = since
	}
	if cursor != "" && !full {
		sec, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil {
			return Window{}, fmt.Errorf("stream %s: stored cursor %q is not Unix seconds (reset it with `openai-sync state reset %s`)", s.Name, cursor, s.Name)
		}
		start = time.Unix(sec, 0).UTC()
		if back := now.Add(-lookback); back.Before(start) {
			start = back
		}
	}
	win := Window{Width: width, Start: start.Truncate(w), End: now.Truncate(w).Add(w), Limit: limit}
	buckets := int(win.End.Sub(win.Start) / w)
	if buckets > 0 {
		win.Requests = (buckets + win.Limit - 1) / win.Limit
	}
	return win, nil
}
