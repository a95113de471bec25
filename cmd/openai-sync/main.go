// Command openai-sync syncs an OpenAI organisation into DuckDB.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

func main() { os.Exit(realMain(os.Args[1:])) }

// realMain runs the command line with the process's streams and signals:
// the first SIGINT or SIGTERM stops the run after its current batch and
// commits what was applied (exit 130), a second one exits at once (still
// consistent: an unfinished transaction is never committed).
func realMain(args []string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; !ok {
			return
		}
		fmt.Fprintln(os.Stderr, "interrupted: stopping after the current batch and committing what was written (press Ctrl-C again to exit at once)")
		cancel()
		if _, ok := <-sigs; ok {
			os.Exit(exitInterrupted)
		}
	}()
	streams := &IOStreams{
		Out: os.Stdout, Err: os.Stderr,
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())), ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		Getenv: os.Getenv,
	}
	return Execute(ctx, args, streams)
}
