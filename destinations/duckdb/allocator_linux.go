//go:build linux

package duckdb

/*
#include <stddef.h>
#include <stdlib.h>
#include <sys/types.h>

// DuckDB's Linux builds allocate through their own jemalloc, whose symbols
// carry the duckdb_je_ prefix.
int duckdb_je_mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen);

static int set_ssize(const char *name, ssize_t v) {
	return duckdb_je_mallctl(name, NULL, NULL, &v, sizeof(v));
}

static unsigned narenas(void) {
	unsigned n = 0;
	size_t len = sizeof(n);
	if (duckdb_je_mallctl("arenas.narenas", &n, &len, NULL, 0) != 0) {
		return 0;
	}
	return n;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// returnFreedMemory makes DuckDB's allocator give freed pages back to the
// system at once instead of keeping them for up to ten seconds: over a long
// sync those kept pages were the part of the resident memory that kept
// growing. The setting is process-wide and idempotent.
func returnFreedMemory() error {
	names := []string{"arenas.dirty_decay_ms", "arenas.muzzy_decay_ms"} // arenas created from now on
	for i := range uint(C.narenas()) {
		names = append(names, fmt.Sprintf("arena.%d.dirty_decay_ms", i), fmt.Sprintf("arena.%d.muzzy_decay_ms", i))
	}
	for i, name := range names {
		cname := C.CString(name)
		rc := C.set_ssize(cname, 0)
		C.free(unsafe.Pointer(cname))
		if rc != 0 && i < 2 { // an arena index not in use answers EFAULT
			return fmt.Errorf("jemalloc %s: error %d", name, int(rc))
		}
	}
	return nil
}
