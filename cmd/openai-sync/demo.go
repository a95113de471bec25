package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/extractor/sandbox"
)

func newDemoCmd(io *IOStreams, g *globalOptions) *cobra.Command {
	o := &runOptions{}
	var events int
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Sync the built-in sandbox organisation into demo.duckdb (no key needed)",
		Long: `Start the built-in sandbox organisation (the fake OpenAI API the tests use: 60 users, 5 projects,
thousands of audit events, usage and costs) on a loopback port, and run a full sync of it.
Run it twice to see an incremental run.`,
		Example: `  openai-sync demo
  duckdb demo.duckdb -c "SELECT * FROM openai.daily_costs_by_project ORDER BY day DESC LIMIT 10"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sb := sandbox.New(sandbox.Options{Seed: 1, AuditEvents: events})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return fmt.Errorf("start the sandbox: %w", err)
			}
			srv := &http.Server{Handler: sb.Handler(), ReadHeaderTimeout: 10 * time.Second}
			go func() {
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					g.logger.Error("sandbox stopped", "error", err)
				}
			}()
			defer srv.Shutdown(context.WithoutCancel(cmd.Context()))
			o.baseURL = "http://" + ln.Addr().String() + "/v1"
			o.adminKey = extractor.Secret(sb.AdminKey())
			fmt.Fprintf(io.Err, "sandbox organisation listening on %s; syncing into %s\n", o.baseURL, o.path)
			err = runSync(cmd.Context(), io, g, o)
			if err == nil && !o.json && !o.dryRun {
				fmt.Fprintf(io.Err, "\ndone. Try:\n  duckdb %s -c \"SELECT * FROM openai.daily_costs_by_project ORDER BY day DESC LIMIT 10\"\n", o.path)
			}
			return err
		},
	}
	addRunFlags(cmd, o, "demo.duckdb")
	cmd.Flags().IntVar(&events, "audit-events", 5000, "audit events in the sandbox organisation")
	return cmd
}
