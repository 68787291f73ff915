//go:build js

package game

import (
	"path"
	"syscall/js"
)

// saveFile offers a capture as a download, named after path.
func saveFile(p string, data []byte, mime string) (string, error) {
	u8 := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u8, data)
	blob := js.Global().Get("Blob").New([]any{u8}, map[string]any{"type": mime})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	a := js.Global().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", path.Base(p))
	js.Global().Get("document").Get("body").Call("appendChild", a)
	a.Call("click")
	a.Call("remove")
	js.Global().Get("URL").Call("revokeObjectURL", url)
	return path.Base(p) + " (downloaded)", nil
}

// picturesDir: downloads go where the browser puts them.
func picturesDir() string { return "" }
