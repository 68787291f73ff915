//go:build js

package main

import (
	"strconv"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
)

// floor is the least a cart's frame costs the page, with no cart and no
// core: the page's query picks it (see the package's doc).
//
//   - upload: each update writes a new w x h RGBA frame to an image
//     (WritePixels, as the host does) and each draw draws it on the
//     screen;
//   - worker: each update first asks a Web Worker for that frame, as the
//     host asks its cart's worker for a tick: one buffer goes to the
//     worker and comes back, transferred, and the update waits for it;
//     the frame is then copied into Go and written as above.
type floor struct {
	mode   string
	pix    []byte
	img    *ebiten.Image
	op     ebiten.DrawImageOptions
	worker js.Value
	buf    js.Value // the buffer's view, here between round trips
	got    chan js.Value
}

// floorWorker answers each message with the buffer it carries, one byte
// changed, as a cart's worker answers a tick with the frame. It says when
// its handler is set: a message posted to a worker as it starts can be
// lost (assets/web/cartworker.js).
const floorWorker = `onmessage = (e) => { const v = e.data; v[0]++; postMessage(v, [v.buffer]); }; postMessage('ready');`

func (f *floor) init() {
	q := js.Global().Get("URLSearchParams").New(js.Global().Get("location").Get("search"))
	f.mode = q.Call("get", "floor").String()
	if f.mode != "upload" && f.mode != "worker" {
		f.mode = ""
		return
	}
	w, _ := strconv.Atoi(q.Call("get", "w").String())
	h, _ := strconv.Atoi(q.Call("get", "h").String())
	w, h = max(w, 1), max(h, 1)
	f.pix = make([]byte, w*h*4)
	f.img = ebiten.NewImage(w, h)
	if f.mode == "worker" {
		blob := js.Global().Get("Blob").New([]any{floorWorker}, map[string]any{"type": "text/javascript"})
		f.worker = js.Global().Get("Worker").New(js.Global().Get("URL").Call("createObjectURL", blob))
		f.got = make(chan js.Value, 1)
		f.worker.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
			f.got <- args[0].Get("data")
			return nil
		}))
		f.buf = js.Global().Get("Uint8Array").New(len(f.pix))
		<-f.got // its "ready"
	}
}

func (f *floor) update() {
	if f.mode == "" {
		return
	}
	if f.mode == "worker" {
		f.worker.Call("postMessage", f.buf, []any{f.buf.Get("buffer")})
		f.buf = <-f.got
		js.CopyBytesToGo(f.pix, f.buf)
	} else {
		f.pix[0]++
	}
	f.img.WritePixels(f.pix)
}

func (f *floor) draw(screen *ebiten.Image) {
	if f.img == nil {
		return
	}
	sw, sh := screen.Bounds().Dx(), screen.Bounds().Dy()
	iw, ih := f.img.Bounds().Dx(), f.img.Bounds().Dy()
	f.op.GeoM.Reset()
	f.op.GeoM.Scale(float64(sw)/float64(iw), float64(sh)/float64(ih))
	screen.DrawImage(f.img, &f.op)
}
