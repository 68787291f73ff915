//go:build js

package main

import "syscall/js"

// In the browser the no-op game runs until the page closes.
const defaultFrames = 0

// firstFrame notes, as window.noopFirstFrame, when the first frame was
// drawn: milliseconds since the navigation began (performance.now).
func firstFrame() {
	js.Global().Set("noopFirstFrame", js.Global().Get("performance").Call("now"))
}

// report offers window.noopStats(): the ticks and draws so far. It also
// sets up the floor the page's query asks for.
func report(g *game) {
	g.floor.init()
	js.Global().Set("noopStats", js.FuncOf(func(js.Value, []js.Value) any {
		return map[string]any{"ticks": g.ticks, "draws": g.draws}
	}))
}
