package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/schema"
)

// Verdicts of one stream × key cell.
const (
	verdictOK          = "ok"
	verdictMissing     = "missing scope"
	verdictWrongKind   = "wrong key kind"
	verdictInvalid     = "invalid key"
	verdictNotFound    = "not found"
	verdictError       = "error"
	verdictUnavailable = "no key"
)

// keyReport is what check found out about one configured key.
type keyReport struct {
	Slot    string `json:"slot"` // "admin" or the project id
	Key     string `json:"key"`  // redacted
	Kind    string `json:"kind"` // admin key, project key, restricted project key, invalid or revoked, …
	Summary string `json:"summary"`
}

// cell is one stream × key verdict.
type cell struct {
	Stream  string `json:"stream"`
	Slot    string `json:"slot"`
	Verdict string `json:"verdict"`
	Scope   string `json:"missing_scope,omitempty"`
	Fix     string `json:"fix,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

type checkReport struct {
	Keys     []keyReport `json:"keys"`
	Cells    []cell      `json:"matrix"`
	Notices  []string    `json:"notices,omitempty"`
	Runnable bool        `json:"runnable"`
}

func newCheckCmd(io *IOStreams, g *globalOptions) *cobra.Command {
	o := &runOptions{}
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Save & Test: verify every configured key and what it can read",
		Long: `Verify each configured key: say what kind it is (admin key, project key, restricted key,
invalid or revoked), probe one cheap request per endpoint, and print a matrix of streams × keys
(ok, missing scope, wrong key kind, not found) with the fix for each failure. Only GET requests.
Exit code 0 only when every selected stream can run; 3 when some cannot; 4 when no key works.`,
		Example: `  OPENAI_ADMIN_KEY=sk-admin-… openai-sync check
  openai-sync check --config openai-sync.yaml --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := resolveInputs(cmd, io, g, o); err != nil {
				return err
			}
			ro, err := o.extractorOptions(g)
			if err != nil {
				return err
			}
			rep, err := runCheck(cmd.Context(), o, ro.Streams)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(io.Out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printCheck(io, rep)
			}
			return checkExit(rep)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.streams, "streams", nil, "streams to check (default: all)")
	f.StringSliceVar(&o.exclude, "exclude", nil, "streams to leave out")
	f.StringVar(&o.baseURL, "base-url", "", "API root (default $OPENAI_BASE_URL, else "+extractor.DefaultBaseURL+")")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	o.bucketWidth, o.concurrency = "1d", 4
	return cmd
}

func checkExit(rep checkReport) error {
	if rep.Runnable {
		return nil
	}
	working, refused, failed := false, false, false
	for _, c := range rep.Cells {
		working = working || c.Verdict == verdictOK
		refused = refused || c.Verdict != verdictError && c.Verdict != verdictUnavailable
		failed = failed || c.Verdict == verdictError
	}
	switch {
	case !working && !refused && failed:
		return &exitError{code: exitFailure, err: errors.New("no probe got an answer: the API failed or could not be reached (see the matrix)")}
	case !working:
		return &exitError{code: exitAuth, err: errors.New("no configured key can read any selected stream")}
	}
	return &exitError{code: exitPartial, err: errors.New("some selected streams cannot run with the configured keys")}
}

// runCheck probes every selected stream with every key that could read it.
func runCheck(ctx context.Context, o *runOptions, streams extractor.Catalog) (checkReport, error) {
	var rep checkReport
	base, err := extractor.NewClient(extractor.ClientOptions{BaseURL: o.baseURL, Key: o.adminKey, Organization: o.orgID,
		UserAgent: "openai-sync/" + version, MaxRetries: 2})
	if err != nil {
		return rep, usageErrorf("%v", err)
	}
	rep.Runnable = true
	var admin []extractor.Stream
	var project []extractor.Stream
	for _, s := range streams {
		if s.Key == extractor.AdminKey {
			admin = append(admin, *s)
		} else {
			project = append(project, *s)
		}
	}
	if len(admin) > 0 {
		if o.adminKey == "" {
			rep.Keys = append(rep.Keys, keyReport{Slot: "admin", Kind: "none", Summary: "no admin key: set OPENAI_ADMIN_KEY or admin.key_env / admin.key_file in the config"})
			for _, s := range admin {
				rep.Cells = append(rep.Cells, cell{Stream: s.Name, Slot: "admin", Verdict: verdictUnavailable,
					Fix: "create an Admin key at https://platform.openai.com/settings/organization/admin-keys and set OPENAI_ADMIN_KEY"})
			}
			rep.Runnable = false
		} else {
			kr, cells, notices := probeKey(ctx, base, "admin", admin, true)
			rep.Keys, rep.Cells, rep.Notices = append(rep.Keys, kr), append(rep.Cells, cells...), append(rep.Notices, notices...)
		}
	}
	if len(project) > 0 {
		if len(o.projects) == 0 {
			rep.Keys = append(rep.Keys, keyReport{Slot: "projects", Kind: "none", Summary: "no project key: set OPENAI_API_KEY and OPENAI_PROJECT_ID, or list projects in openai-sync.yaml"})
			for _, s := range project {
				rep.Cells = append(rep.Cells, cell{Stream: s.Name, Slot: "projects", Verdict: verdictUnavailable,
					Fix: "give each project's key in openai-sync.yaml (projects: - id: proj_… key_env: …)"})
			}
			rep.Runnable = false
		}
		for _, p := range o.projects {
			if p.unusable != nil {
				rep.Keys = append(rep.Keys, keyReport{Slot: p.id, Kind: "none", Summary: p.unusable.Error()})
				for _, s := range project {
					rep.Cells = append(rep.Cells, cell{Stream: s.Name, Slot: p.id, Verdict: verdictUnavailable,
						Fix: "set the environment variable or create the key file openai-sync.yaml names for " + p.id})
				}
				continue
			}
			kr, cells, notices := probeKey(ctx, base.WithKey(p.key), p.id, project, false)
			rep.Keys, rep.Cells, rep.Notices = append(rep.Keys, kr), append(rep.Cells, cells...), append(rep.Notices, notices...)
		}
	}
	for _, c := range rep.Cells {
		if c.Verdict != verdictOK {
			rep.Runnable = false
		}
	}
	return rep, nil
}

// probeKey classifies a key and probes each stream once with it.
func probeKey(ctx context.Context, c *extractor.Client, slot string, streams []extractor.Stream, adminSlot bool) (keyReport, []cell, []string) {
	kr := keyReport{Slot: slot, Key: c.KeyRedacted()}
	var cells []cell
	var notices []string
	parents := map[string]string{} // parent stream → first id, for child probes
	probed := map[string]cell{}    // stream → its verdict
	ok, denied, failed := 0, 0, 0
	for _, s := range streams {
		path := s.Path
		if s.Parent != nil {
			if pc, seen := probed[s.Parent.Stream]; seen && pc.Verdict != verdictOK {
				// A child is read through its parent: it cannot run either.
				pc.Stream, pc.Detail = s.Name, "needs "+s.Parent.Stream+": "+pc.Detail
				cells = append(cells, pc)
				probed[s.Name] = pc
				continue
			}
			id, found := parents[s.Parent.Stream]
			if !found {
				cl := cell{Stream: s.Name, Slot: slot, Verdict: verdictOK, Detail: "no " + s.Parent.Stream + " to probe it with"}
				cells = append(cells, cl)
				probed[s.Name] = cl
				continue
			}
			path = strings.ReplaceAll(path, s.Parent.Placeholder, url.PathEscape(id))
		}
		body, err := c.Get(extractor.WithHeaders(ctx, s.Headers), path, extractor.ProbeQuery(&s, time.Now()))
		cl := cell{Stream: s.Name, Slot: slot, Verdict: verdictOK}
		if err != nil {
			cl = verdictOf(s.Name, slot, err, adminSlot)
		}
		if cl.Verdict == verdictOK {
			ok++
			if id := firstID(body); id != "" {
				parents[s.Name] = id
			} else if s.Name == "audit_logs" {
				notices = append(notices, "the audit log is empty: audit logging may be off; an organisation owner turns it on under Settings → Organization → Data controls (it cannot be turned off again)")
			}
		} else if cl.Verdict == verdictMissing || cl.Verdict == verdictWrongKind {
			denied++
		} else if cl.Verdict == verdictError {
			failed++
		}
		cells = append(cells, cl)
		probed[s.Name] = cl
		if cl.Verdict == verdictInvalid {
			kr.Kind, kr.Summary = "invalid or revoked", cl.Fix
			for _, rest := range streams[len(cells):] {
				cells = append(cells, cell{Stream: rest.Name, Slot: slot, Verdict: verdictInvalid, Fix: cl.Fix})
			}
			return kr, cells, notices
		}
	}
	switch {
	case ok == 0 && denied == 0 && failed > 0:
		kr.Kind, kr.Summary = "not verified", "no probe got an answer about the key (the API failed or could not be reached): see the matrix"
	case adminSlot && ok == 0 && denied > 0:
		kr.Kind = "not an admin key"
		kr.Summary = "this is a project or user key: organisation endpoints need an Admin key (sk-admin-…) from https://platform.openai.com/settings/organization/admin-keys"
	case adminSlot && denied > 0:
		kr.Kind, kr.Summary = "restricted admin key", "some organisation endpoints are not permitted: see the matrix"
	case adminSlot:
		kr.Kind, kr.Summary = "admin key", "reads every organisation endpoint probed"
	case ok == 0 && denied > 0:
		kr.Kind, kr.Summary = "not a project key", "this key cannot read the project API (an admin key? admin keys only read /organization endpoints)"
	case denied > 0:
		kr.Kind, kr.Summary = "restricted project key", "some project endpoints are not permitted: see the matrix"
	default:
		kr.Kind, kr.Summary = "project key", "reads every project endpoint probed (configured for "+slot+")"
	}
	return kr, cells, notices
}

func firstID(resp *extractor.Response) string {
	if resp == nil {
		return ""
	}
	data, ok := schema.Member(resp.Body, "data")
	if !ok {
		return ""
	}
	id := ""
	_ = schema.ArrayElements(data, func(v []byte) error {
		if raw, ok := schema.Member(v, "id"); ok && id == "" {
			id, _ = schema.Str(raw)
		}
		return nil
	})
	return id
}

// verdictOf turns a probe's error into a verdict with its fix.
func verdictOf(stream, slot string, err error, adminSlot bool) cell {
	c := cell{Stream: stream, Slot: slot, Verdict: verdictError, Detail: err.Error()}
	e, ok := extractor.IsAPIError(err)
	if !ok {
		c.Fix = "check the base URL and the network"
		return c
	}
	if c.Detail = e.Message; c.Detail == "" {
		c.Detail = e.Error()
	}
	switch {
	case e.Code == "invalid_api_key":
		c.Verdict, c.Fix = verdictInvalid, e.Advice(adminSlot)
	case e.IsAuth() && e.MissingScope() != "":
		c.Scope = e.MissingScope()
		c.Verdict = verdictMissing
		if (adminSlot && strings.HasPrefix(c.Scope, "api.management")) || (adminSlot && strings.HasPrefix(c.Scope, "api.usage")) {
			c.Fix = e.Advice(true)
		} else {
			c.Fix = e.Advice(false)
		}
	case e.IsAuth():
		c.Verdict, c.Fix = verdictWrongKind, e.Advice(adminSlot)
		if !adminSlot {
			c.Fix = "admin keys only read /organization endpoints: give this project's own key (Settings → Project → API keys)"
		}
	case e.Status == 404:
		c.Verdict, c.Fix = verdictNotFound, "the endpoint or object does not exist for this key (a wrong base URL, or a project without this feature)"
	case e.Status == 429 || e.Status >= 500:
		c.Fix = fmt.Sprintf("the API answered HTTP %d (busy or failing), which says nothing about the key: run check again later (https://status.openai.com)", e.Status)
	}
	return c
}

func printCheck(io *IOStreams, rep checkReport) {
	fmt.Fprintln(io.Out, "KEYS")
	kt := newTable("SLOT", "KEY", "KIND", "SUMMARY")
	for _, k := range rep.Keys {
		kt.add(k.Slot, k.Key, k.Kind, k.Summary)
	}
	kt.write(io.Out)
	var slots []string
	seen := map[string]bool{}
	for _, c := range rep.Cells {
		if !seen[c.Slot] {
			seen[c.Slot] = true
			slots = append(slots, c.Slot)
		}
	}
	fmt.Fprintln(io.Out, "\nPERMISSIONS")
	mt := newTable(append([]string{"STREAM"}, slots...)...)
	var order []string
	grid := map[string]map[string]cell{}
	for _, c := range rep.Cells {
		if grid[c.Stream] == nil {
			grid[c.Stream] = map[string]cell{}
			order = append(order, c.Stream)
		}
		grid[c.Stream][c.Slot] = c
	}
	type fixKey struct{ slot, fix string }
	var fixOrder []fixKey
	fixStreams := map[fixKey][]string{}
	for _, s := range order {
		row := []string{s}
		for _, slot := range slots {
			c, ok := grid[s][slot]
			text := "-"
			if ok {
				text = c.Verdict
				if c.Scope != "" {
					text += " " + c.Scope
				}
				if c.Verdict != verdictOK && c.Fix != "" {
					k := fixKey{slot, c.Fix}
					if _, seen := fixStreams[k]; !seen {
						fixOrder = append(fixOrder, k)
					}
					fixStreams[k] = append(fixStreams[k], s)
				}
			}
			row = append(row, text)
		}
		mt.add(row...)
	}
	mt.write(io.Out)
	if len(fixOrder) > 0 {
		fmt.Fprintln(io.Out, "\nFIXES")
		for _, k := range fixOrder {
			fmt.Fprintf(io.Out, "  %s (%s): %s\n", k.slot, strings.Join(fixStreams[k], ", "), k.fix)
		}
	}
	for _, n := range rep.Notices {
		fmt.Fprintln(io.Out, "\nnote: "+n)
	}
}
