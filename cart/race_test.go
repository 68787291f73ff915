//go:build race

package cart_test

// raceEnabled: the race detector keeps shadow memory for freed heap, so
// RSS after a churn of allocations says little about leaks under -race.
const raceEnabled = true
