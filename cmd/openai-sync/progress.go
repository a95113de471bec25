package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/openai-sync/openai-sync/extractor"
)

// display is the live per-stream progress on a terminal: one line per
// stream with its state, pages, rows and rate. Log lines written to it print
// above the lines. It is only used when stderr is a terminal.
type display struct {
	p      *mpb.Progress
	mu     sync.Mutex
	lines  map[string]*streamLine
	order  []string
	closed bool
}

type streamLine struct {
	bar      *mpb.Bar
	state    extractor.Progress
	started  time.Time
	finished time.Time
}

func newDisplay(w io.Writer, streams []string) *display {
	d := &display{
		p: mpb.New(mpb.WithOutput(w), mpb.WithRefreshRate(150*time.Millisecond), mpb.WithWidth(80),
			mpb.WithAutoRefresh()), // the caller has checked that w is a terminal
		lines: map[string]*streamLine{},
	}
	width := 0
	for _, s := range streams {
		width = max(width, len(s))
	}
	for _, s := range streams {
		l := &streamLine{state: extractor.Progress{Stream: s, Status: "waiting"}}
		l.bar = d.p.New(0, mpb.NopStyle(),
			mpb.PrependDecorators(decor.Any(func(decor.Statistics) string { return d.render(s, width) })))
		d.lines[s] = l
		d.order = append(d.order, s)
	}
	return d
}

// observe is the runner's progress callback. It never calls into mpb while
// holding d.mu: mpb's render goroutine takes d.mu (render) and a bar call
// waits for that goroutine.
func (d *display) observe(p extractor.Progress) {
	d.mu.Lock()
	l, ok := d.lines[p.Stream]
	if !ok {
		d.mu.Unlock()
		return
	}
	if l.started.IsZero() {
		l.started = time.Now()
	}
	l.state = p
	done := p.Status != "running" && l.finished.IsZero()
	if done {
		l.finished = time.Now()
	}
	d.mu.Unlock()
	if done {
		l.bar.SetTotal(-1, true)
	}
}

func (d *display) render(stream string, width int) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	l := d.lines[stream]
	s := l.state
	rate := ""
	if !l.started.IsZero() {
		end := l.finished
		if end.IsZero() {
			end = time.Now()
		}
		if secs := end.Sub(l.started).Seconds(); secs > 0.05 && s.Rows > 0 {
			rate = fmt.Sprintf("%8.0f rows/s", float64(s.Rows)/secs)
		}
	}
	return fmt.Sprintf("%-*s  %-11s %6d pages %9d rows %s", width, stream, s.Status, s.Pages, s.Rows, rate)
}

// Write prints log lines above the progress lines.
func (d *display) Write(b []byte) (int, error) { return d.p.Write(b) }

// close completes every line and waits for the last redraw. It may be
// called more than once.
func (d *display) close() {
	if d.closed {
		return
	}
	d.closed = true
	var open []*mpb.Bar
	d.mu.Lock()
	for _, l := range d.lines {
		if l.finished.IsZero() {
			l.finished = time.Now()
			open = append(open, l.bar)
		}
	}
	d.mu.Unlock()
	for _, b := range open {
		b.SetTotal(-1, true)
	}
	d.p.Wait()
}
