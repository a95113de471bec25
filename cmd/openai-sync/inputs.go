package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/internal/config"
)

// projectKey is one project to read with its own key.
type projectKey struct {
	id       string
	key      extractor.Secret
	unusable error // the key is not there (an unset variable, a missing file)
}

// loadConfig reads --config, or openai-sync.yaml when present.
func loadConfig(path string) (*config.File, error) {
	if path == "" {
		if _, err := os.Stat(config.DefaultPath); errors.Is(err, fs.ErrNotExist) {
			return &config.File{}, nil
		}
		path = config.DefaultPath
	}
	f, err := config.Load(path)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	return f, nil
}

// resolveInputs fills the keys, base URL and flag defaults of a run from,
// in order of precedence: flags, the environment, the config file.
func resolveInputs(cmd *cobra.Command, io *IOStreams, g *globalOptions, o *runOptions) error {
	cfg, err := loadConfig(g.configPath)
	if err != nil {
		return err
	}
	applyRunDefaults(cmd, o, cfg.Run)
	if o.baseURL == "" {
		o.baseURL = firstOf(io.env("OPENAI_BASE_URL"), cfg.BaseURL)
	}
	o.orgID = firstOf(io.env("OPENAI_ORG_ID"), cfg.Organization)
	admin := io.env("OPENAI_ADMIN_KEY")
	if admin == "" {
		if admin, err = cfg.Admin.Resolve(io.env); err != nil {
			return usageErrorf("admin key: %v", err)
		}
	}
	o.adminKey = extractor.Secret(admin)
	for _, p := range cfg.Projects {
		key, err := p.Resolve(io.env)
		switch {
		case errors.Is(err, config.ErrNoKey):
			// Its streams skip it with the reason; the rest of the run goes on.
			o.projects = append(o.projects, projectKey{id: p.ID, unusable: err})
			continue
		case err != nil:
			return usageErrorf("project %s: %v", p.ID, err)
		}
		o.projects = append(o.projects, projectKey{id: p.ID, key: extractor.Secret(key)})
	}
	if key := io.env("OPENAI_API_KEY"); key != "" {
		id := io.env("OPENAI_PROJECT_ID")
		if id == "" {
			return usageErrorf("OPENAI_API_KEY is set but OPENAI_PROJECT_ID is not: set it to the key's project id (proj_…) so its rows can be tagged, or list projects in %s", config.DefaultPath)
		}
		listed := false
		for i, p := range o.projects {
			if p.id == id {
				o.projects[i].key, o.projects[i].unusable, listed = extractor.Secret(key), nil, true // the environment wins over the file
			}
		}
		if !listed {
			o.projects = append(o.projects, projectKey{id: id, key: extractor.Secret(key)})
		}
	}
	return nil
}

// applyRunDefaults copies the config's run defaults into flags the command
// line did not set.
func applyRunDefaults(cmd *cobra.Command, o *runOptions, r config.Run) {
	unset := func(name string) bool { return !cmd.Flags().Changed(name) }
	destinationDefaults(cmd, o.destination, &o.path, &o.schema, r)
	if len(r.Streams) > 0 && unset("streams") {
		o.streams = r.Streams
	}
	if len(r.Exclude) > 0 && unset("exclude") {
		o.exclude = r.Exclude
	}
	if r.Since != "" && unset("since") {
		o.since = r.Since
	}
	if r.Lookback != "" && unset("lookback") {
		o.lookback = r.Lookback
	}
	if r.BucketWidth != "" && unset("bucket-width") {
		o.bucketWidth = r.BucketWidth
	}
	if r.Concurrency > 0 && unset("concurrency") {
		o.concurrency = r.Concurrency
	}
}

// destinationDefaults sets the destination's path and schema from the
// config's run section where their flags are not given (run and state
// alike), and a Parquet destination's default path.
func destinationDefaults(cmd *cobra.Command, kind string, path, schema *string, r config.Run) {
	unset := func(name string) bool { return !cmd.Flags().Changed(name) }
	switch {
	case !unset("path"):
	case r.Path != "":
		*path = r.Path
	case kind == "parquet":
		*path = defaultParquetPath
	}
	if r.Schema != "" && unset("schema") {
		*schema = r.Schema
	}
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
