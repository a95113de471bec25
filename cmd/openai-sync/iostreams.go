package main

import (
	"io"
	"log/slog"
	"strings"
)

// IOStreams is where a command reads its environment and writes: data to
// Out, progress and logs to Err. Tests fill it with buffers.
type IOStreams struct {
	Out, Err       io.Writer
	OutTTY, ErrTTY bool
	Getenv         func(string) string
}

func (s *IOStreams) env(name string) string {
	if s.Getenv == nil {
		return ""
	}
	return strings.TrimSpace(s.Getenv(name))
}

// newLogger builds the slog logger of --log-format and --log-level.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usageErrorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageErrorf("--log-format %q: want text or json", format)
}
