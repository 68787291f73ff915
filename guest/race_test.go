//go:build race

package guest

// raceEnabled: the race detector checks every byte wazero copies when it
// grows a cart's stack, so a cart that recurses until the stack runs out
// takes seconds under -race where it takes a few hundred milliseconds
// without it.
const raceEnabled = true
