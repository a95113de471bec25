// Command bench measures the audit-log pipeline against a fetch-only baseline
// on the sandbox organisation over loopback (make bench). It prints rows/s,
// the ratio between the two, the same for the pipeline with a destination
// that discards the batches (fetching and converting only: what the sync
// costs before DuckDB), and the peak memory of the real binary at each
// volume.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/openai-sync/openai-sync/destinations/duckdb"
	"github.com/openai-sync/openai-sync/extractor"
	"github.com/openai-sync/openai-sync/extractor/sandbox"
	"github.com/openai-sync/openai-sync/schema"
)

func main() {
	binary := flag.String("binary", "bin/openai-sync", "the openai-sync binary (for peak memory)")
	volumes := flag.String("events", "20000,200000,1000000", "audit events per measurement")
	rounds := flag.Int("rounds", 0, "timed rounds per volume, the best kept (0: 3, more for small volumes: 1M/events up to 15)")
	batchRows := flag.Int("batch-rows", 10000, "rows per batch")
	memLimit := flag.String("memory-limit", "64MB", "DuckDB memory limit")
	latency := flag.Duration("latency", 20*time.Millisecond, "latency injected for the concurrency measurement (0: skip it)")
	projects := flag.Int("projects", 25, "projects in the sandbox for the concurrency measurement")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole benchmark here")
	pin := flag.Bool("pin", true, "run the sandbox on a CPU of its own (see pin.go)")
	memoryOnly := flag.Bool("memory-only", false, "measure only the binary's peak memory at each volume (no timed rounds, no further measurements)")
	flag.Parse()
	pinned, err := pinClient(*pin)
	if err != nil {
		log.Fatalf("pin the benchmark to its CPUs: %v", err)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	fmt.Println(pinned)
	fmt.Printf("%-9s %12s %12s %7s %14s %7s %16s %16s %14s %15s\n", "events", "fetch rows/s", "sync rows/s", "ratio",
		"convert rows/s", "ratio", "fetch CPU µs/row", "sync CPU µs/row", "peak RSS (MiB)", "peak anon (MiB)")
	var results []result
	for _, v := range strings.Split(*volumes, ",") {
		n, err := strconv.Atoi(v)
		if err != nil {
			log.Fatalf("-events: %v", err)
		}
		rn := *rounds
		if rn <= 0 {
			rn = min(15, max(3, 1000000/n))
		}
		if *memoryOnly {
			rn = 0
		}
		r, err := measure(ctx, pinned, *binary, n, rn, *batchRows, *memLimit)
		if err != nil {
			log.Fatal(err)
		}
		results = append(results, r)
	}
	verdict(results)
	if *memoryOnly {
		return
	}
	if err := noChangeRun(ctx, *projects); err != nil {
		log.Fatal(err)
	}
	if *latency > 0 {
		for _, conc := range []int{1, 4, 8} {
			if err := measureLatency(ctx, *latency, *projects, conc); err != nil {
				log.Fatal(err)
			}
		}
	}
}

// serve starts the sandbox organisation with n audit events in its own
// process (`openai-sync demo --serve`), so that its work does not share this
// process's garbage collector, and returns its base URL and admin key.
func serve(pinned pinning, binary string, n int) (string, string, func(), error) {
	cmd := pinned.serverCommand(binary, "demo", "--serve", "127.0.0.1:0", "--audit-events", strconv.Itoa(n))
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", "", nil, fmt.Errorf("%s: %w (run make build first)", binary, err)
	}
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	vars := map[string]string{}
	sc := bufio.NewScanner(out)
	for len(vars) < 2 && sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			vars[k] = v
		}
	}
	if vars["OPENAI_BASE_URL"] == "" {
		stop()
		return "", "", nil, fmt.Errorf("the sandbox did not print its address")
	}
	return vars["OPENAI_BASE_URL"], vars["OPENAI_ADMIN_KEY"], stop, nil
}

// result is one volume's best round and the binary's peak memory.
type result struct {
	events            int
	fetch, sync       time.Duration // wall time of the best round
	convert           time.Duration // the best round with a discarding destination
	fetchCPU, syncCPU time.Duration // CPU time of this process in that round
	mem               memory
}

func measure(ctx context.Context, pinned pinning, binary string, n, rounds, batchRows int, memLimit string) (result, error) {
	r := result{events: n}
	url, key, stop, err := serve(pinned, binary, n)
	if err != nil {
		return r, err
	}
	defer stop()
	audit, _ := extractor.DefaultCatalog().Lookup("audit_logs")
	for round := 0; round < rounds; round++ {
		cpu0 := cpuTime()
		d, rows, err := fetchOnly(ctx, url, key, audit)
		if err != nil {
			return r, err
		}
		if rows != n {
			return r, fmt.Errorf("fetch-only read %d rows, want %d", rows, n)
		}
		if r.fetch == 0 || d < r.fetch {
			r.fetch, r.fetchCPU = d, cpuTime()-cpu0
		}
		cpu0 = cpuTime()
		d, written, err := pipeline(ctx, url, key, audit, batchRows, memLimit)
		if err != nil {
			return r, err
		}
		if written != int64(n) {
			return r, fmt.Errorf("the sync wrote %d rows, want %d", written, n)
		}
		if r.sync == 0 || d < r.sync {
			r.sync, r.syncCPU = d, cpuTime()-cpu0
		}
		if d, err = convertOnly(ctx, url, key, audit, batchRows); err != nil {
			return r, err
		}
		if r.convert == 0 || d < r.convert {
			r.convert = d
		}
	}
	if r.mem, err = medianRSS(binary, url, key, batchRows, memLimit); err != nil {
		return r, err
	}
	if rounds == 0 {
		fmt.Printf("%-9d %12s %12s %7s %14s %7s %16s %16s %14.1f %15.1f\n", n, "-", "-", "-", "-", "-", "-", "-",
			mib(r.mem.peakKiB), mib(r.mem.anonKiB))
		return r, nil
	}
	perRow := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(n) }
	fmt.Printf("%-9d %12.0f %12.0f %6.2fx %14.0f %6.2fx %16.1f %16.1f %14.1f %15.1f\n", n, float64(n)/r.fetch.Seconds(), float64(n)/r.sync.Seconds(),
		r.sync.Seconds()/r.fetch.Seconds(), float64(n)/r.convert.Seconds(), r.convert.Seconds()/r.fetch.Seconds(),
		perRow(r.fetchCPU), perRow(r.syncCPU), mib(r.mem.peakKiB), mib(r.mem.anonKiB))
	return r, nil
}

// verdict prints the figures against the targets: the sync within 1.5x of
// the fetch-only baseline, and peak memory that does not grow with the
// volume (each volume against the one before it).
func verdict(results []result) {
	var ratios, converts, peaks, anons []string
	for i, r := range results {
		ratios = append(ratios, fmt.Sprintf("%.2fx at %d events", r.sync.Seconds()/r.fetch.Seconds(), r.events))
		converts = append(converts, fmt.Sprintf("%.2fx at %d events", r.convert.Seconds()/r.fetch.Seconds(), r.events))
		peak, anon := fmt.Sprintf("%.1f MiB at %d", mib(r.mem.peakKiB), r.events), fmt.Sprintf("%.1f MiB at %d", mib(r.mem.anonKiB), r.events)
		if i > 0 {
			prev := results[i-1].mem
			peak += fmt.Sprintf(" (%+.0f%%)", 100*(float64(r.mem.peakKiB)/float64(prev.peakKiB)-1))
			anon += fmt.Sprintf(" (%+.0f%%)", 100*(float64(r.mem.anonKiB)/float64(prev.anonKiB)-1))
		}
		peaks, anons = append(peaks, peak), append(anons, anon)
	}
	if results[0].sync > 0 {
		fmt.Printf("\nsync/fetch-only (target ≤ 1.50x): %s\n", strings.Join(ratios, ", "))
		fmt.Printf("the same with a destination that discards the batches: %s\n", strings.Join(converts, ", "))
	}
	fmt.Printf("peak RSS: %s events\n", strings.Join(peaks, ", "))
	fmt.Printf("peak anonymous memory: %s events\n", strings.Join(anons, ", "))
}

func mib(kib int64) float64 { return float64(kib) / 1024 }

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func client(url, key string) (*extractor.Client, error) {
	return extractor.NewClient(extractor.ClientOptions{BaseURL: url, Key: extractor.Secret(key)})
}

// fetchOnly requests the same pages as the sync and discards them.
func fetchOnly(ctx context.Context, url, key string, s *extractor.Stream) (time.Duration, int, error) {
	c, err := client(url, key)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	rows := 0
	err = c.Pages(ctx, s.Path, map[string][]string{"limit": {strconv.Itoa(s.Limit)}}, s.Paging, func(p extractor.Page) error {
		rows += len(p.Items)
		return nil
	})
	return time.Since(start), rows, err
}

// pipeline runs the real sync of the audit log into a fresh DuckDB file.
func pipeline(ctx context.Context, url, key string, s *extractor.Stream, batchRows int, memLimit string) (time.Duration, int64, error) {
	dir, err := os.MkdirTemp("", "bench")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	c, err := client(url, key)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	db, err := duckdb.Open(ctx, duckdb.Options{Path: filepath.Join(dir, "b.duckdb"), MemoryLimit: memLimit})
	if err != nil {
		return 0, 0, err
	}
	run, err := syncAudit(ctx, c, s, db, batchRows)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return time.Since(start), run.Rows, err
}

// syncAudit runs the sync of stream s into dest and fails unless it
// succeeds.
func syncAudit(ctx context.Context, c *extractor.Client, s *extractor.Stream, dest extractor.Destination, batchRows int) (schema.Run, error) {
	run, err := extractor.Run(ctx, extractor.RunOptions{Streams: extractor.Catalog{s}, Admin: c, Dest: dest, BatchRows: batchRows})
	if err == nil && run.Status != extractor.StatusSucceeded {
		err = fmt.Errorf("run %s: %v", run.Status, run.Streams)
	}
	return run, err
}

// convertOnly runs the pipeline with a destination that discards the
// batches: what the sync costs before the destination.
func convertOnly(ctx context.Context, url, key string, s *extractor.Stream, batchRows int) (time.Duration, error) {
	c, err := client(url, key)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	_, err = syncAudit(ctx, c, s, discard{}, batchRows)
	return time.Since(start), err
}

// discard is a destination that keeps nothing.
type discard struct{}

func (discard) Write(context.Context, schema.Batch) (schema.WriteResult, error) {
	return schema.WriteResult{}, nil
}
func (discard) States(context.Context) (map[string]schema.State, error) { return nil, nil }
func (discard) StartRun(context.Context, schema.Run) error              { return nil }
func (discard) FinishRun(context.Context, schema.Run) error             { return nil }

// memory is what the real binary's resident memory did during a sync.
type memory struct {
	peakKiB int64 // VmHWM: the kernel's peak of the resident set
	anonKiB int64 // the peak of RssAnon, sampled every 2 ms
}

// medianRSS is peakRSS over three runs of the binary: the median of each
// figure (one run's peak varies by ±10 %).
func medianRSS(binary, url, key string, batchRows int, memLimit string) (memory, error) {
	var peaks, anons []int64
	for range 3 {
		m, err := peakRSS(binary, url, key, batchRows, memLimit)
		if err != nil {
			return m, err
		}
		peaks, anons = append(peaks, m.peakKiB), append(anons, m.anonKiB)
	}
	slices.Sort(peaks)
	slices.Sort(anons)
	return memory{peakKiB: peaks[1], anonKiB: anons[1]}, nil
}

// peakRSS runs the binary on the audit log and samples its memory from
// /proc/<pid>/status while it runs. The resident set also counts the pages of
// the binary's own file that the kernel has mapped, which depend on how the
// file sits in the page cache and not on the sync: the same binary's peak
// differs by 10–25 MiB when the kernel maps its code with 2 MiB pages
// (FilePmdMapped in /proc/<pid>/smaps_rollup). Anonymous memory (the Go
// heap, DuckDB's buffers and heaps, stacks) is what the sync itself holds.
func peakRSS(binary, url, key string, batchRows int, memLimit string) (memory, error) {
	var m memory
	dir, err := os.MkdirTemp("", "bench")
	if err != nil {
		return m, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command(binary, "run", "--streams", "audit_logs", "--path", filepath.Join(dir, "b.duckdb"), "--log-level", "error",
		"--batch-rows", strconv.Itoa(batchRows), "--memory-limit", memLimit)
	cmd.Env = append(os.Environ(), "OPENAI_ADMIN_KEY="+key, "OPENAI_BASE_URL="+url)
	if err := cmd.Start(); err != nil {
		return m, fmt.Errorf("%s: %w (run make build first)", binary, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		st := procStatus(strconv.Itoa(cmd.Process.Pid))
		m.peakKiB = max(m.peakKiB, kiB(st, "VmHWM"))
		m.anonKiB = max(m.anonKiB, kiB(st, "RssAnon"))
		select {
		case err := <-done:
			return m, err
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// procStatus reads the fields of /proc/<pid>/status (pid "self": this
// process); none where it cannot.
func procStatus(pid string) map[string]string {
	st := map[string]string{}
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return st
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			st[k] = strings.TrimSpace(v)
		}
	}
	return st
}

// kiB is a kB figure of procStatus (0 if absent).
func kiB(st map[string]string, field string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(st[field], " kB"), 10, 64)
	return n
}

// measureLatency syncs every stream of a sandbox with many projects and a
// fixed latency per request, and compares the wall time with the ideal
// requests × latency / concurrency.
func measureLatency(ctx context.Context, latency time.Duration, projects, concurrency int) error {
	o, err := startOrg(ctx, sandbox.Options{Seed: 3, Projects: projects, AuditEvents: 2000,
		Faults: sandbox.Faults{Latency: latency}}, concurrency)
	if err != nil {
		return err
	}
	defer o.close()
	start := time.Now()
	run, err := o.run(ctx)
	if err != nil {
		return err
	}
	wall := time.Since(start)
	ideal := time.Duration(run.Requests) * latency / time.Duration(concurrency)
	fmt.Printf("latency %s, %d projects, concurrency %d: %d requests in %s; ideal %s (%.2fx)\n",
		latency, projects, concurrency, run.Requests, wall.Round(time.Millisecond), ideal.Round(time.Millisecond),
		wall.Seconds()/ideal.Seconds())
	return nil
}

// org is a sandbox organisation served over loopback, a client for it and a
// fresh DuckDB file to sync it into.
type org struct {
	srv *httptest.Server
	dir string
	c   *extractor.Client
	db  *duckdb.DB
}

func startOrg(ctx context.Context, opts sandbox.Options, concurrency int) (*org, error) {
	sb := sandbox.New(opts)
	o := &org{srv: httptest.NewServer(sb.Handler())}
	var err error
	if o.dir, err = os.MkdirTemp("", "bench"); err == nil {
		o.c, err = extractor.NewClient(extractor.ClientOptions{BaseURL: o.srv.URL + "/v1", Key: extractor.Secret(sb.AdminKey()), Concurrency: concurrency})
	}
	if err == nil {
		o.db, err = duckdb.Open(ctx, duckdb.Options{Path: filepath.Join(o.dir, "o.duckdb")})
	}
	if err != nil {
		o.close()
		return nil, err
	}
	return o, nil
}

// run syncs every stream.
func (o *org) run(ctx context.Context) (schema.Run, error) {
	cat := extractor.DefaultCatalog()
	return extractor.Run(ctx, extractor.RunOptions{Streams: cat, Catalog: cat, Admin: o.c, Dest: o.db})
}

func (o *org) close() {
	if o.db != nil {
		o.db.Close()
	}
	o.srv.Close()
	if o.dir != "" {
		os.RemoveAll(o.dir)
	}
}

// noChangeRun syncs every stream of a sandbox twice into one file and reports
// the requests of the second run, which finds nothing new: the audit log
// resumes from its cursor, usage and costs re-read their lookback window, and
// snapshot streams are listed again (that is how they see deletions).
func noChangeRun(ctx context.Context, projects int) error {
	opts := sandbox.Options{Seed: 3, Projects: projects, AuditEvents: 20000}
	o, err := startOrg(ctx, opts, 0)
	if err != nil {
		return err
	}
	defer o.close()
	cat := extractor.DefaultCatalog()
	var runs [2]schema.Run
	for i := range runs {
		if runs[i], err = o.run(ctx); err != nil {
			return err
		}
	}
	first := map[string]int{} // requests per stream in the first run
	for _, res := range runs[0].Streams {
		first[res.Stream] = res.Requests
	}
	perMode := map[extractor.Mode][2]int{}
	var changed int64
	for _, res := range runs[1].Streams {
		s, _ := cat.Lookup(res.Stream)
		m := perMode[s.Mode]
		perMode[s.Mode] = [2]int{m[0] + first[res.Stream], m[1] + res.Requests}
		changed += res.New + res.Deleted
	}
	fmt.Printf("\nno-change run, %d streams, %d audit events: %d requests after %d for the first run; rows new or deleted: %d\n",
		len(cat), opts.AuditEvents, runs[1].Requests, runs[0].Requests, changed)
	for _, m := range []extractor.Mode{extractor.Incremental, extractor.Buckets, extractor.Snapshot} {
		fmt.Printf("  %-11s %5d → %d requests\n", m, perMode[m][0], perMode[m][1])
	}
	return nil
}
