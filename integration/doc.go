// Package integration holds ebicart's tests that drive a real headless
// Chromium (through chromedp): the browser build's pages, and the cart
// core's conformance table over every engine, the browser's included. It is
// a module of its own so that ebicart's go.mod requires only what ebicart
// needs to run; make test runs its tests after the root module's.
package integration
