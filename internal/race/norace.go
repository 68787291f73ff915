//go:build !race

// Package race tells tests whether the race detector is on, for the few
// measurements it changes: it keeps shadow memory, checks every byte a
// copy touches, and makes sync.Pool drop some of what is put back.
package race

// Enabled reports whether the program was built with -race.
const Enabled = false
