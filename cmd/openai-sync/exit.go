package main

import (
	"errors"
	"fmt"

	"github.com/openai-sync/openai-sync/extractor"
)

// Exit codes (DESIGN.md §8).
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitPartial     = 3
	exitAuth        = 4
	exitInterrupted = 130
)

// exitError carries an exit code up to Execute.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return exitFailure
}

// statusExit maps a run status to its exit code.
func statusExit(status string) int {
	switch status {
	case extractor.StatusSucceeded:
		return exitOK
	case extractor.StatusPartial:
		return exitPartial
	case extractor.StatusAuthFailed:
		return exitAuth
	case extractor.StatusInterrupted:
		return exitInterrupted
	}
	return exitFailure
}
