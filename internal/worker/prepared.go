package worker

import "github.com/ebicart/ebicart/guest"

// PrepareRewrite returns the rewrite a browser's worker makes of wasm as
// it boots it with the default settings, for a site or a bundled game to
// serve beside the cart (see guest.PrepareRewrite): the worker then takes
// it rather than rewrite the cart as the page starts. It fails for a cart
// too small to gain from it, and for one a boot refuses.
func PrepareRewrite(wasm []byte) ([]byte, error) { return guest.PrepareRewrite(wasm) }
