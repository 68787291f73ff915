//go:build !js

package guest

import "context"

// loadPlatform lets a platform take over Load; natively Load runs the cart
// itself (in a worker process or in-process, see Isolation).
func loadPlatform(context.Context, []byte, Config) (Cart, bool, error) { return nil, false, nil }
