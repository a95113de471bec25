//go:build !race

package sandbox

// raceEnabled relaxes timing assertions: the race detector slows code 5-10x.
const raceEnabled = false
