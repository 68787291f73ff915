// Package promise waits for JavaScript promises from Go, for the browser
// build (GOOS=js): the page's host, the cart's worker and the browser
// engine's harness all wait for fetches, compiles and digests the same way.
// Elsewhere it is empty.
package promise
