//go:build !race

package cart_test

const raceEnabled = false
