package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type globalOptions struct {
	configPath string
	logFormat  string
	logLevel   string
	levelSet   bool // --log-level given explicitly
	logger     *slog.Logger
}

// Execute runs the command line and returns the process exit code.
func Execute(ctx context.Context, args []string, io *IOStreams) int {
	root, g := newRootCmd(io)
	root.SetArgs(args)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	err := root.ExecuteContext(ctx)
	if err != nil {
		code := exitCode(err)
		if code == exitOK {
			return code
		}
		var ee *exitError
		if !errors.As(err, &ee) && isFlagError(err) {
			code = exitUsage
		}
		if ctx.Err() != nil && code != exitUsage {
			code = exitInterrupted // whatever failed, it failed because it was stopped
		}
		if g.logger != nil && g.logFormat == "json" {
			g.logger.Error(err.Error(), "exit_code", code) // one JSON object per line, to the end
			return code
		}
		fmt.Fprintf(io.Err, "error: %v\n", err)
		if code == exitUsage {
			fmt.Fprintln(io.Err, "run 'openai-sync --help' for usage")
		}
		return code
	}
	return exitOK
}

func isFlagError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown flag", "unknown command", "unknown shorthand", "invalid argument", "flag needs an argument", "accepts ", "requires ", "flags in the group"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func newRootCmd(io *IOStreams) (*cobra.Command, *globalOptions) {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "openai-sync",
		Short: "Sync an OpenAI organisation (Admin API) into DuckDB",
		Long: `openai-sync reads everything an OpenAI organisation exposes through the Administration API
(users, projects, keys, audit logs, usage, costs…) and loads it into a DuckDB file,
resuming from incremental cursors. It only ever sends GET requests.

Keys come from the environment: OPENAI_ADMIN_KEY (an sk-admin-… key), OPENAI_ORG_ID,
OPENAI_BASE_URL.`,
		Example: `  openai-sync demo                       # try it on the built-in sandbox organisation
  export OPENAI_ADMIN_KEY=sk-admin-…
  openai-sync run                        # sync every stream into openai-sync.duckdb
  openai-sync run --streams users,audit_logs --json`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			l, err := newLogger(io.Err, g.logFormat, g.logLevel)
			if err != nil {
				return err
			}
			g.logger = l
			g.levelSet = cmd.Flags().Changed("log-level")
			return nil
		},
	}
	root.PersistentFlags().StringVar(&g.configPath, "config", "", "configuration file (default: "+"openai-sync.yaml if present)")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "text", "log line format on stderr: text or json")
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "least severe log level shown: debug, info, warn, error")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: err}
	})
	root.AddCommand(newRunCmd(io, g), newStreamsCmd(io), newStateCmd(io, g), newDemoCmd(io, g), newCheckCmd(io, g), newVersionCmd(io))
	return root, g
}

func newVersionCmd(io *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version",
		Example: "  openai-sync version",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(io.Out, "openai-sync %s\n", version)
			return nil
		},
	}
}
