package authoring

import (
	"os"
	"testing"

	"github.com/ebicart/ebicart/cart"
)

// TestMain: carts load in worker processes started from this test binary.
func TestMain(m *testing.M) {
	if cart.ServeWorker() {
		return
	}
	os.Exit(m.Run())
}
