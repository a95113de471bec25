package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/openai-sync/openai-sync/extractor"
)

// streamInfo is one line of the catalogue.
type streamInfo struct {
	Stream     string   `json:"stream"`
	Table      string   `json:"table"`
	Endpoint   string   `json:"endpoint"`
	Key        string   `json:"key"`
	Mode       string   `json:"mode"`
	PrimaryKey []string `json:"primary_key"`
	Cursor     string   `json:"cursor,omitempty"`
	Doc        string   `json:"description"`
}

func catalogInfo(cat extractor.Catalog) []streamInfo {
	out := make([]streamInfo, 0, len(cat))
	for _, s := range cat {
		out = append(out, streamInfo{Stream: s.Name, Table: s.Table.Name, Endpoint: s.Endpoint(), Key: s.Key.String(),
			Mode: s.Mode.String(), PrimaryKey: s.Table.PrimaryKey, Cursor: s.Cursor, Doc: s.Doc})
	}
	return out
}

func newStreamsCmd(io *IOStreams) *cobra.Command {
	var asJSON, markdown bool
	cmd := &cobra.Command{
		Use:   "streams",
		Short: "List the streams: table, endpoint, key, mode, primary key, cursor",
		Example: `  openai-sync streams
  openai-sync streams --json | jq -r '.[] | select(.mode=="buckets") | .stream'`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			info := catalogInfo(extractor.DefaultCatalog())
			switch {
			case asJSON:
				enc := json.NewEncoder(io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			case markdown:
				writeStreamsMarkdown(io.Out, info)
			default:
				t := newTable("STREAM", "ENDPOINT", "KEY", "MODE", "PRIMARY KEY", "CURSOR")
				for _, s := range info {
					t.add(s.Stream, s.Endpoint, s.Key, s.Mode, strings.Join(s.PrimaryKey, ","), s.Cursor)
				}
				t.write(io.Out)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print the README's stream table")
	cmd.MarkFlagsMutuallyExclusive("json", "markdown")
	return cmd
}

// writeStreamsMarkdown prints the README's stream table (a test keeps the
// README equal to it).
func writeStreamsMarkdown(w io.Writer, info []streamInfo) {
	fmt.Fprintln(w, "| stream (= table) | endpoint | key | mode | primary key | cursor | what |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range info {
		cursor := s.Cursor
		if cursor == "" {
			cursor = "–"
		}
		fmt.Fprintf(w, "| `%s` | `%s` | %s | %s | %s | %s | %s |\n", s.Stream, s.Endpoint, s.Key, s.Mode,
			strings.Join(s.PrimaryKey, ", "), cursor, s.Doc)
	}
}
