package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// The sandbox stands in for OpenAI's servers, whose CPU is not the client's.
// Sharing the machine's cores with it, the sync's extra work would also slow
// the sandbox's pages, which the real API never does. So when it can, the
// benchmark gives the sandbox the last CPU and runs itself (and the binary
// whose memory it measures) on the others: with 2 CPUs, the client has one
// core of its own, as in a one-vCPU container.
const pinnedEnv = "OPENAI_SYNC_BENCH_CPUS" // client/sandbox CPU lists, once pinned

// pinning is where the client and the sandbox run.
type pinning struct {
	client, server string // taskset CPU lists; "" runs unpinned
}

// pinClient runs the benchmark again on the CPUs it may use but the last,
// unless it already runs so, and returns the pinning. It does nothing when
// asked not to, with a single CPU, or without taskset.
func pinClient(want bool) (pinning, error) {
	if v, set := os.LookupEnv(pinnedEnv); set {
		client, server, ok := strings.Cut(v, "/")
		if !ok || client == "" || server == "" {
			return pinning{}, fmt.Errorf("%s=%q: want <client CPUs>/<sandbox CPU>", pinnedEnv, v)
		}
		return pinning{client: client, server: server}, nil // run again, pinned
	}
	cpus := allowedCPUs()
	taskset, err := exec.LookPath("taskset")
	if !want || len(cpus) < 2 || err != nil {
		return pinning{}, nil
	}
	last := len(cpus) - 1
	p := pinning{client: strings.Join(cpus[:last], ","), server: cpus[last]}
	self, err := os.Executable()
	if err != nil {
		return p, err
	}
	env := append(os.Environ(), pinnedEnv+"="+p.client+"/"+p.server)
	args := append([]string{taskset, "-c", p.client, self}, os.Args[1:]...)
	return p, syscall.Exec(taskset, args, env) // returns only on failure
}

// allowedCPUs lists the CPUs this process may run on (Linux's
// Cpus_allowed_list, e.g. "0-3,6"); none where it cannot tell.
func allowedCPUs() []string {
	list, ok := procStatus("self")["Cpus_allowed_list"]
	if !ok {
		return nil
	}
	var cpus []string
	for _, r := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(r, "-")
		a, errA := strconv.Atoi(lo)
		b := a
		var errB error
		if isRange {
			b, errB = strconv.Atoi(hi)
		}
		if errA != nil || errB != nil {
			return nil
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, strconv.Itoa(c))
		}
	}
	return cpus
}

// serverCommand runs name with args on the sandbox's CPU, when pinned.
func (p pinning) serverCommand(name string, args ...string) *exec.Cmd {
	if p.server == "" {
		return exec.Command(name, args...)
	}
	return exec.Command("taskset", append([]string{"-c", p.server, name}, args...)...)
}

func (p pinning) String() string {
	if p.server == "" {
		return "the sandbox and the client share every CPU (-pin=false, one CPU, or no taskset)"
	}
	return fmt.Sprintf("the client runs on CPUs %s, the sandbox on CPU %s (-pin=false to share them)", p.client, p.server)
}
