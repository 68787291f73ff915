package webgl

import "syscall/js"

// NoGPUWait keeps Ebitengine's WebGL context from making the page's thread
// wait for the GPU once a frame. Before each texture upload that follows a
// draw, Ebitengine's OpenGL driver calls finish (its issue 3487: native
// drivers that let glTexSubImage2D overtake pending draws). A cart's frame
// is uploaded every frame, after the last frame's draws, so in a browser
// that finish is a round trip to the GPU process each frame, and where the
// GPU draws in software it waits for the last frame's drawing too. WebGL
// runs a context's commands in the order they were issued (the browser's
// command buffer orders them), so there the order the workaround is for
// holds without it, and the finish can go: even a flush in its place cost
// the page's thread 0.09 ms a frame.
//
// Ebitengine makes its context from its own canvas, which exists once its
// package has initialised, when RunGame starts: NoGPUWait wraps the
// getContext of the page's canvases so that the WebGL contexts they make
// have a finish that does nothing. Other contexts and canvases keep
// theirs. It may be called more than once (game.RunGame and cart.Load
// do): a canvas is wrapped once, and a context made before the first call
// keeps its finish. Where there is no document (a worker, Node.js) it does
// nothing.
func NoGPUWait() {
	doc := js.Global().Get("document")
	if !doc.Truthy() {
		return
	}
	wrapGetContext.Invoke(doc.Call("querySelectorAll", "canvas"))
}

var wrapGetContext = js.Global().Get("Function").New("canvases", `
for (const c of canvases) {
  if (c.ebicartNoGPUWait) continue;
  c.ebicartNoGPUWait = true;
  const get = c.getContext;
  c.getContext = function (type, ...rest) {
    const ctx = get.call(this, type, ...rest);
    if (ctx && (type === 'webgl2' || type === 'webgl') && !Object.hasOwn(ctx, 'finish')) {
      Object.defineProperty(ctx, 'finish', {value: () => {}, configurable: true, writable: true});
    }
    return ctx;
  };
}`)
