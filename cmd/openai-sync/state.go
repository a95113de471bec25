package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/schema"
)

func newStateCmd(io *IOStreams, g *globalOptions) *cobra.Command {
	var path, dbSchema, kind string
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "state",
		Short:   "Show or reset stored cursors",
		Example: "  openai-sync state show --path openai-sync.duckdb\n  openai-sync state reset usage_completions costs",
	}
	cmd.PersistentFlags().StringVar(&kind, "destination", "duckdb", "duckdb or parquet")
	cmd.PersistentFlags().StringVar(&path, "path", defaultPath, "DuckDB file or Parquet directory")
	cmd.PersistentFlags().StringVar(&dbSchema, "schema", "openai", "destination schema")
	// open checks the stream names and opens the destination.
	open := func(cmd *cobra.Command, streams []string) (destination, func() error, error) {
		if err := checkStreams(streams); err != nil {
			return nil, nil, err
		}
		cfg, err := loadConfig(g.configPath) // its run.path and run.schema, as run uses them
		if err != nil {
			return nil, nil, err
		}
		destinationDefaults(cmd, kind, &path, &dbSchema, cfg.Run)
		// Reading or clearing cursors never creates a destination.
		if !exists(path) {
			return nil, nil, usageErrorf("no %s destination at %s: nothing has been synced there (--path names what a run wrote)", kind, path)
		}
		return openDestination(cmd.Context(), io, destOptions{kind: kind, path: path, schema: dbSchema, memoryLimit: "64MB"})
	}
	show := &cobra.Command{
		Use:               "show [STREAM…]",
		Short:             "Print stored cursors (all streams, or the ones named)",
		Example:           "  openai-sync state show\n  openai-sync state show audit_logs --json",
		ValidArgsFunction: completeStreams,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, closeDB, err := open(cmd, args)
			if err != nil {
				return err
			}
			defer closeDB()
			states, err := db.States(cmd.Context())
			if err != nil {
				return err
			}
			var list []schema.State
			for _, s := range states {
				if len(args) == 0 || slices.Contains(args, s.Stream) {
					list = append(list, s)
				}
			}
			slices.SortFunc(list, func(a, b schema.State) int { return strings.Compare(a.Stream, b.Stream) })
			if asJSON {
				enc := json.NewEncoder(io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(stateJSON(list))
			}
			t := newTable("STREAM", "CURSOR", "MEANING", "UPDATED")
			for _, s := range list {
				for i, c := range cursorParts(s.Cursor) {
					stream, updated := s.Stream, s.UpdatedAt.UTC().Format(time.RFC3339)
					if i > 0 {
						stream, updated = "", ""
					}
					t.add(stream, c.cursor, c.meaning, updated)
				}
			}
			t.write(io.Out)
			return nil
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	reset := &cobra.Command{
		Use:   "reset [STREAM…]",
		Short: "Clear stored cursors (all streams, or the ones named); rows are kept",
		Long: `Clear stored cursors so the next run starts those streams from --since (or the default
window). Synced rows are kept and later merged by key, so nothing is duplicated.`,
		Example:           "  openai-sync state reset audit_logs",
		ValidArgsFunction: completeStreams,
		RunE: func(cmd *cobra.Command, args []string) error {
			db, closeDB, err := open(cmd, args)
			if err != nil {
				return err
			}
			defer closeDB()
			n, err := db.ResetStates(cmd.Context(), args)
			if err != nil {
				return err
			}
			fmt.Fprintf(io.Err, "cleared %d cursor(s)\n", n)
			return nil
		},
	}
	cmd.AddCommand(show, reset)
	return cmd
}

func checkStreams(names []string) error {
	if _, err := extractor.DefaultCatalog().Select(names, nil); err != nil {
		return usageErrorf("%v", err)
	}
	return nil
}

type stateLine struct {
	Stream    string    `json:"stream"`
	Cursor    string    `json:"cursor"`
	UpdatedAt time.Time `json:"updated_at"`
}

func stateJSON(list []schema.State) []stateLine {
	out := make([]stateLine, 0, len(list))
	for _, s := range list {
		out = append(out, stateLine{s.Stream, s.Cursor, s.UpdatedAt.UTC()})
	}
	return out
}

// cursorPart is one line of a stored cursor as state show prints it.
type cursorPart struct{ cursor, meaning string }

// cursorParts splits a cursor into lines: a JSON object of Unix seconds (per
// bucket width or per project) gives one line per key, "key=seconds" with
// its time; a cursor of Unix seconds one line with its time; anything else
// one line as it is.
func cursorParts(c string) []cursorPart {
	var parts map[string]int64
	if json.Unmarshal([]byte(c), &parts) == nil && len(parts) > 0 {
		var out []cursorPart
		for _, k := range slices.Sorted(maps.Keys(parts)) {
			out = append(out, cursorPart{fmt.Sprintf("%s=%d", k, parts[k]), unixTime(parts[k])})
		}
		return out
	}
	var sec int64
	if _, err := fmt.Sscan(c, &sec); err != nil || sec <= 0 {
		return []cursorPart{{c, ""}}
	}
	return []cursorPart{{c, unixTime(sec)}}
}

func unixTime(sec int64) string { return time.Unix(sec, 0).UTC().Format(time.RFC3339) }
