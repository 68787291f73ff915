package wasm4

// SetDrawModule makes carts loaded in this process bind their drawing
// imports to DrawModule (on, the default) or to the Go functions, and
// returns a function that restores the setting.
func SetDrawModule(on bool) (restore func()) {
	was := useDrawModule
	useDrawModule = on
	return func() { useDrawModule = was }
}
