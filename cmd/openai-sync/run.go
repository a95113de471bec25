package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openai-sync/openai-sync/destinations/duckdb"
	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/schema"
)

// defaultPath is the default DuckDB file. Not "openai.duckdb": DuckDB names
// the catalog after the file, and a catalog named like the "openai" schema
// makes every "openai.table" reference ambiguous.
const defaultPath = "openai-sync.duckdb"

// runOptions are the flags of `run` (and of `demo`, which runs the same sync).
type runOptions struct {
	destination string
	path        string
	schema      string
	streams     []string
	exclude     []string
	since       string
	fullRefresh bool
	lookback    string
	bucketWidth string
	baseURL     string
	json        bool
	dryRun      bool
	concurrency int
	maxRPS      float64
	batchRows   int
	memoryLimit string
	storage     string
	waitForFile time.Duration
	// commitInterval bounds how long DuckDB holds applied batches uncommitted.
	commitInterval time.Duration

	adminKey extractor.Secret // from the environment or a key file, never a flag
	orgID    string
	projects []projectKey
}

func addRunFlags(cmd *cobra.Command, o *runOptions, defaultPath string) {
	f := cmd.Flags()
	f.StringVar(&o.destination, "destination", "duckdb", "where to write: duckdb or parquet")
	f.StringVar(&o.path, "path", defaultPath, "DuckDB file, or Parquet directory (default "+defaultParquetPath+" with --destination parquet)")
	f.StringVar(&o.schema, "schema", "openai", "destination schema")
	f.StringSliceVar(&o.streams, "streams", nil, "streams to sync (default: all); see `openai-sync streams`")
	f.StringSliceVar(&o.exclude, "exclude", nil, "streams to leave out")
	f.StringVar(&o.since, "since", "", "first-run start for incremental streams: YYYY-MM-DD or RFC 3339 (default: 30 days for usage and costs, everything for audit logs)")
	f.BoolVar(&o.fullRefresh, "full-refresh", false, "ignore stored cursors and read from --since (rows are merged, never duplicated)")
	f.StringVar(&o.lookback, "lookback", "", "window of usage and costs re-read every run, e.g. 72h or 3d (default: 3d for 1d buckets, 12h for 1h, 1h for 1m)")
	f.StringVar(&o.bucketWidth, "bucket-width", "1d", "usage bucket width: 1d, 1h or 1m (costs are always 1d)")
	f.StringVar(&o.baseURL, "base-url", "", "API root (default $OPENAI_BASE_URL, else "+extractor.DefaultBaseURL+")")
	f.BoolVar(&o.json, "json", false, "print a machine-readable run summary on stdout")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the plan (streams, windows, requests) and exit without syncing")
	f.IntVar(&o.concurrency, "concurrency", 4, "most requests in flight at once")
	f.Float64Var(&o.maxRPS, "max-requests-per-second", 0, "client-side cap on the request rate (0: none)")
	f.IntVar(&o.batchRows, "batch-rows", 10000, "rows converted per batch at most (Parquet: a transaction of full batches; DuckDB applies batches inside a longer transaction, and takes one from a quarter full when it is idle)")
	f.DurationVar(&o.commitInterval, "commit-interval", 5*time.Second, "DuckDB: commit at least this often during a long stream (a kill loses at most this much work)")
	f.DurationVar(&o.waitForFile, "wait-for-file", time.Minute, "if another process has the DuckDB file open (e.g. a duckdb CLI), wait this long for it")
	f.StringVar(&o.memoryLimit, "memory-limit", "64MB", "DuckDB memory limit (its cache; the rest of the process needs about 100 MB more)")
	f.StringVar(&o.storage, "storage-version", duckdb.DefaultStorageVersion, "DuckDB storage format of a file the run creates (readable by that DuckDB version and later; v1.0.0 for older readers, at more CPU); a file that exists keeps its own")
	_ = cmd.RegisterFlagCompletionFunc("streams", completeStreams)
	_ = cmd.RegisterFlagCompletionFunc("exclude", completeStreams)
	_ = cmd.RegisterFlagCompletionFunc("bucket-width", cobra.FixedCompletions([]string{"1d", "1h", "1m"}, cobra.ShellCompDirectiveNoFileComp))
}

func completeStreams(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return extractor.DefaultCatalog().Names(), cobra.ShellCompDirectiveNoFileComp
}

func newRunCmd(io *IOStreams, g *globalOptions) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Sync the selected streams into the destination",
		Long: `Sync the selected streams into the DuckDB file. Snapshot streams are read whole and merged
(rows gone upstream get _deleted = true); the audit log resumes from its cursor; usage and
costs re-read a lookback window and replace it. Exit codes: 0 ok, 1 failure, 2 usage error,
3 partial (some streams skipped or failed), 4 authentication problem on every stream,
130 interrupted.`,
		Example: `  OPENAI_ADMIN_KEY=sk-admin-… openai-sync run
  openai-sync run --streams usage_completions,costs --bucket-width 1h --since 2026-01-01
  openai-sync run --dry-run
  openai-sync run --json > summary.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := resolveInputs(cmd, io, g, o); err != nil {
				return err
			}
			return runSync(cmd.Context(), io, g, o)
		},
	}
	addRunFlags(cmd, o, defaultPath)
	return cmd
}

// parseSince accepts a date or an RFC 3339 time.
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usageErrorf("--since %q: want YYYY-MM-DD or RFC 3339", s)
}

// parseLookback accepts Go durations and whole days ("3d").
func parseLookback(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, usageErrorf("--lookback %q: want a duration such as 72h or 3d", s)
	}
	return d, nil
}

func (o *runOptions) extractorOptions(g *globalOptions) (extractor.RunOptions, error) {
	cat := extractor.DefaultCatalog()
	sel, err := cat.Select(o.streams, o.exclude)
	if err != nil {
		return extractor.RunOptions{}, usageErrorf("%v", err)
	}
	since, err := parseSince(o.since)
	if err != nil {
		return extractor.RunOptions{}, err
	}
	lookback, err := parseLookback(o.lookback)
	if err != nil {
		return extractor.RunOptions{}, err
	}
	switch o.bucketWidth {
	case "1d", "1h", "1m":
	default:
		return extractor.RunOptions{}, usageErrorf("--bucket-width %q: want 1d, 1h or 1m", o.bucketWidth)
	}
	if o.concurrency < 1 {
		return extractor.RunOptions{}, usageErrorf("--concurrency must be at least 1")
	}
	return extractor.RunOptions{Streams: sel, Catalog: cat, Since: since, FullRefresh: o.fullRefresh,
		Lookback: lookback, BucketWidth: o.bucketWidth, BatchRows: o.batchRows, CommitEvery: o.commitInterval, Logger: g.logger}, nil
}

// projectClients are the projects to read, each with base's client on its
// key (no client when base is nil), or why it cannot be read.
func (o *runOptions) projectClients(base *extractor.Client) []extractor.ProjectClient {
	var out []extractor.ProjectClient
	for _, p := range o.projects {
		pc := extractor.ProjectClient{ID: p.id, Unusable: p.unusable}
		if base != nil && p.unusable == nil {
			pc.Client = base.WithKey(p.key)
		}
		out = append(out, pc)
	}
	return out
}

// checkLimits refuses the run flags that cannot be negative or zero.
func (o *runOptions) checkLimits() error {
	switch {
	case o.batchRows < 1:
		return usageErrorf("--batch-rows must be at least 1")
	case o.maxRPS < 0:
		return usageErrorf("--max-requests-per-second must be 0 (no cap) or more")
	case o.waitForFile < 0, o.commitInterval < 0:
		return usageErrorf("--wait-for-file and --commit-interval cannot be negative")
	case !memoryLimitSyntax.MatchString(o.memoryLimit):
		return usageErrorf("--memory-limit %q: want a size such as 64MB, 512MiB or 2GB (or none)", o.memoryLimit)
	case !storageVersionSyntax.MatchString(o.storage):
		return usageErrorf("--storage-version %q: want a DuckDB version such as v1.0.0 or %s, or latest", o.storage, duckdb.DefaultStorageVersion)
	}
	return nil
}

// memoryLimitSyntax is the sizes DuckDB's memory_limit reads (checked
// against DuckDB 1.5: a unit is required, "Mi" without the B is refused).
var memoryLimitSyntax = regexp.MustCompile(`(?i)^\s*((([0-9]+(\.[0-9]*)?|\.[0-9]+)(e[-+]?[0-9]+)?)\s*(b|bytes?|[kmgt]b?|[kmgt]ib|(kilo|mega|giga|tera)bytes?)|none|null|-1)\s*$`)

// storageVersionSyntax is the form of DuckDB's storage versions. DuckDB
// itself refuses one it does not know when it creates the file (a usage
// error too); a file that exists keeps its format and ignores the flag.
var storageVersionSyntax = regexp.MustCompile(`^(v[0-9]+\.[0-9]+\.[0-9]+|latest)$`)

func runSync(ctx context.Context, io *IOStreams, g *globalOptions, o *runOptions) error {
	if err := o.checkLimits(); err != nil {
		return err
	}
	ro, err := o.extractorOptions(g)
	if err != nil {
		return err
	}
	if o.dryRun {
		ro.Projects = o.projectClients(nil) // the plan needs the projects, not their clients
		return printPlan(ctx, io, o, ro)
	}
	db, closeDB, err := openDestination(ctx, io, o.destOptions())
	if err != nil {
		return err
	}
	defer closeDB()
	var disp *display
	if io.ErrTTY {
		// A live line per stream; logs print above it, and only warnings
		// unless a level was asked for (the lines already say what info would).
		disp = newDisplay(io.Err, ro.Streams.Names())
		defer disp.close()
		ro.Observe = disp.observe
		level := g.logLevel
		if !g.levelSet {
			level = "warn"
		}
		if ro.Logger, err = newLogger(disp, g.logFormat, level); err != nil {
			return err
		}
	}
	base, err := extractor.NewClient(extractor.ClientOptions{BaseURL: o.baseURL, Key: o.adminKey,
		Organization: o.orgID, UserAgent: "openai-sync/" + version, Logger: ro.Logger,
		Concurrency: o.concurrency, RequestsPerSecond: o.maxRPS})
	if err != nil {
		return usageErrorf("%v", err)
	}
	if o.adminKey != "" {
		ro.Admin = base
	}
	ro.Projects = o.projectClients(base)
	ro.Dest = db
	tables := make([]*schema.Table, len(ro.Catalog))
	for i, s := range ro.Catalog {
		tables[i] = s.Table
	}
	if err := db.EnsureTables(ctx, tables); err != nil {
		return err
	}
	if v, ok := db.(viewer); ok {
		if err := v.EnsureViews(ctx); err != nil {
			return err
		}
	}
	run, err := extractor.Run(ctx, ro)
	if disp != nil {
		disp.close()
	}
	if perr := printSummary(io, g, run, o.json); perr != nil {
		err = errors.Join(err, perr)
	}
	if err != nil {
		return &exitError{code: exitFailure, err: err}
	}
	if code := statusExit(run.Status); code != exitOK {
		return &exitError{code: code, err: fmt.Errorf("run %s ended %s", run.ID, run.Status)}
	}
	return nil
}

func (o *runOptions) destOptions() destOptions {
	return destOptions{kind: o.destination, path: o.path, schema: o.schema, memoryLimit: o.memoryLimit, storage: o.storage, waitForFile: o.waitForFile}
}

// waitNotice tells the user, every ten seconds, why the run is waiting.
func waitNotice(io *IOStreams, path string, limit time.Duration) func(error, time.Duration) {
	var last time.Duration = -time.Hour
	return func(err error, waited time.Duration) {
		if waited-last < 10*time.Second {
			return
		}
		last = waited
		fmt.Fprintf(io.Err, "waiting for %s: another process has it open; waited %s of %s (%v)\n",
			path, waited.Round(time.Second), limit, err)
	}
}

// printPlan prints what a run would read, from the stored cursors; a
// destination that does not exist yet has none, and a plan creates nothing.
func printPlan(ctx context.Context, io *IOStreams, o *runOptions, ro extractor.RunOptions) error {
	var states map[string]schema.State
	if d := o.destOptions(); exists(d.path) {
		db, closeDB, err := openDestination(ctx, io, d)
		if err != nil {
			return err
		}
		defer closeDB()
		if states, err = db.States(ctx); err != nil {
			return err
		}
	}
	plan, err := extractor.Plan(ro, states)
	if err != nil {
		return err
	}
	if o.json {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(plan)
	}
	total, exact := 0, true
	t := newTable("STREAM", "MODE", "WINDOW", "REQUESTS", "NOTE")
	for _, e := range plan {
		window := "-"
		if !e.From.IsZero() {
			window = e.From.Format(time.RFC3339) + " → "
			if !e.To.IsZero() {
				window += e.To.Format(time.RFC3339)
			}
		}
		req := strconv.Itoa(e.Requests)
		if !e.Exact {
			req = "≥" + req
			exact = false
		}
		total += e.Requests
		t.add(e.Stream, e.Mode, window, req, e.Note)
	}
	t.write(io.Out)
	prefix := ""
	if !exact {
		prefix = "at least "
	}
	fmt.Fprintf(io.Out, "\n%d streams, %s%d requests\n", len(plan), prefix, total)
	return nil
}

// summary is the --json output of a run: the run record and its exit code.
type summary struct {
	schema.Run
	ExitCode int `json:"exit_code"`
}

func printSummary(io *IOStreams, g *globalOptions, run schema.Run, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(summary{Run: run, ExitCode: statusExit(run.Status)})
	}
	if g.logFormat == "json" {
		// JSON log lines stay JSON to the end: the summary is records too,
		// whatever --log-level hides.
		l := slog.New(slog.NewJSONHandler(io.Err, nil))
		for _, s := range run.Streams {
			l.Info("stream result", "stream", s.Stream, "status", s.Status, "rows", s.Rows, "new", s.New,
				"deleted", s.Deleted, "requests", s.Requests, "duration_ms", s.Millis, "error", s.Error)
		}
		l.Info("run result", "run_id", run.ID, "status", run.Status, "rows", run.Rows, "requests", run.Requests,
			"duration_ms", run.Ended.Sub(run.Started).Milliseconds())
		return nil
	}
	t := newTable("STREAM", "STATUS", "ROWS", "NEW", "DELETED", "REQUESTS", "DURATION")
	var problems []string
	for _, s := range run.Streams {
		t.add(s.Stream, s.Status, strconv.FormatInt(s.Rows, 10), strconv.FormatInt(s.New, 10), strconv.FormatInt(s.Deleted, 10),
			strconv.Itoa(s.Requests), (time.Duration(s.Millis) * time.Millisecond).String())
		if s.Error != "" {
			problems = append(problems, fmt.Sprintf("  %s: %s", s.Stream, s.Error))
		}
	}
	t.write(io.Err)
	fmt.Fprintf(io.Err, "\nrun %s: %s, %d rows, %d requests in %s\n", run.ID, run.Status, run.Rows, run.Requests,
		run.Ended.Sub(run.Started).Round(time.Millisecond))
	for _, p := range problems {
		fmt.Fprintln(io.Err, p)
	}
	return nil
}

// exists reports whether something is at path.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
