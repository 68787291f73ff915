//go:build js

package game

// picturesDir: downloads go where the browser puts them.
func picturesDir() string { return "" }
