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
	var serve string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Sync the built-in sandbox organisation into demo.duckdb (no key needed)",
		Long: `Start the built-in sandbox organisation (the fake OpenAI API the tests use: 60 users, 5 projects,
thousands of audit events, usage and costs) on a loopback port, and run a full sync of it.
Run it twice to see an incremental run.`,
		Example: `  openai-sync demo
  duckdb demo.duckdb -c "SELECT * FROM openai.daily_costs_by_project ORDER BY day DESC LIMIT 10"
  openai-sync demo --serve 127.0.0.1:8080   # a fake Admin API to point other tools at`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.destination == "parquet" && !cmd.Flags().Changed("path") {
				o.path = "demo-parquet"
			}
			sb := sandbox.New(sandbox.Options{Seed: 1, AuditEvents: events})
			addr := "127.0.0.1:0"
			if serve != "" {
				addr = serve
			}
			ln, err := net.Listen("tcp", addr)
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
			for _, id := range sb.ProjectIDs() {
				o.projects = append(o.projects, projectKey{id: id, key: extractor.Secret(sb.ProjectKey(id))})
			}
			if serve != "" {
				// The sandbox's keys are fake and public: printing them is the point.
				fmt.Fprintf(io.Out, "OPENAI_BASE_URL=%s\nOPENAI_ADMIN_KEY=%s\n", o.baseURL, sb.AdminKey())
				fmt.Fprintln(io.Err, "sandbox organisation serving until interrupted (Ctrl-C)")
				<-cmd.Context().Done()
				return nil
			}
			fmt.Fprintf(io.Err, "sandbox organisation listening on %s; syncing into %s\n", o.baseURL, o.path)
			err = runSync(cmd.Context(), io, g, o)
			if err == nil && !o.json && !o.dryRun {
				query := fmt.Sprintf("duckdb %s -c \"SELECT * FROM openai.daily_costs_by_project ORDER BY day DESC LIMIT 10\"", o.path)
				if o.destination == "parquet" {
					query = fmt.Sprintf("duckdb -c \"SELECT * FROM read_parquet('%s/users/**/*.parquet', hive_partitioning = true, union_by_name = true) QUALIFY row_number() OVER (PARTITION BY id ORDER BY _synced_at DESC) = 1\"", o.path)
				}
				fmt.Fprintf(io.Err, "\ndone. Try:\n  %s\n", query)
			}
			return err
		},
	}
	addRunFlags(cmd, o, "demo.duckdb")
	cmd.Flags().IntVar(&events, "audit-events", 5000, "audit events in the sandbox organisation")
	cmd.Flags().StringVar(&serve, "serve", "", "only serve the sandbox on this address (e.g. 127.0.0.1:8080) until interrupted, printing its base URL and admin key; no sync")
	return cmd
}
