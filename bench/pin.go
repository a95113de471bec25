package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
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

// pinClient runs the benchmark again on all CPUs but the last, unless it
// already runs so, and returns the pinning. It does nothing when asked not
// to, with a single CPU, or without taskset.
func pinClient(want bool) (pinning, error) {
	if client, server, ok := strings.Cut(os.Getenv(pinnedEnv), "/"); ok {
		return pinning{client: client, server: server}, nil // run again, pinned (its NumCPU is now the client's)
	}
	n := runtime.NumCPU()
	taskset, err := exec.LookPath("taskset")
	if !want || n < 2 || err != nil {
		return pinning{}, nil
	}
	p := pinning{client: fmt.Sprintf("0-%d", n-2), server: fmt.Sprint(n - 1)}
	self, err := os.Executable()
	if err != nil {
		return p, err
	}
	env := append(os.Environ(), pinnedEnv+"="+p.client+"/"+p.server)
	args := append([]string{taskset, "-c", p.client, self}, os.Args[1:]...)
	return p, syscall.Exec(taskset, args, env) // returns only on failure
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
