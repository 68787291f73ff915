//go:build race

package game

// raceEnabled: under the race detector sync.Pool drops some of what is put
// back, on purpose, so code that reuses through a pool (Ebitengine's
// images' sub-image pool) allocates where it otherwise does not.
const raceEnabled = true
