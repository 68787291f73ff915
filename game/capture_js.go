//go:build js

package game

import (
	"errors"
	"fmt"
	"image"
	"path"
	"sync"
	"syscall/js"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/promise"
)

// In the browser, captures are encoded by the browser: a screenshot is a
// canvas's PNG, a recording a WebM video of a canvas (MediaRecorder). Go's
// PNG and GIF encoders would add 0.35 MB to the page's download.

// recordingKind names what F9 records here, recordingExt ends its file's
// name.
const (
	recordingKind = "a video"
	recordingExt  = ".webm"
)

// capturesSource is the JavaScript half: png draws straight-alpha RGBA
// pixels (4x too) and downloads each as a PNG; record starts a video of
// frames drawn 4x, whose stop downloads it.
const capturesSource = `
const download = (blob, name) => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
};
const canvasOf = (w, h) => {
  const c = document.createElement('canvas');
  c.width = w; c.height = h;
  return c;
};
const scaled = (w, h) => Math.max(1, Math.min(4, Math.floor(1280 / Math.max(w, h))));
return {
  png(pix, w, h, names) {
    const small = canvasOf(w, h);
    small.getContext('2d').putImageData(new ImageData(pix, w, h), 0, 0);
    [1, 4].forEach((k, i) => {
      const c = canvasOf(w * k, h * k), ctx = c.getContext('2d');
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(small, 0, 0, w * k, h * k);
      c.toBlob((blob) => download(blob, names[i]), 'image/png');
    });
  },
  record(w, h, fps) {
    const k = scaled(w, h), small = canvasOf(w, h), big = canvasOf(w * k, h * k);
    const ctx = big.getContext('2d'), sctx = small.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    const type = ['video/webm;codecs=vp9', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t)) || '';
    const rec = new MediaRecorder(big.captureStream(fps), type ? {mimeType: type} : {});
    const chunks = [];
    rec.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
    rec.start();
    return {
      frame(pix) {
        sctx.putImageData(new ImageData(pix, w, h), 0, 0);
        ctx.drawImage(small, 0, 0, w * k, h * k);
      },
      stop(name) {
        return new Promise((ok) => {
          rec.onstop = () => { download(new Blob(chunks, {type: 'video/webm'}), name); ok(true); };
          rec.stop();
        });
      },
    };
  },
};
`

var captures = sync.OnceValue(func() js.Value { return js.Global().Get("Function").New(capturesSource).Invoke() })

// straight returns img's pixels with straight alpha, as a canvas takes
// them, in a JavaScript array.
func straight(img *image.RGBA) js.Value {
	pix := make([]byte, len(img.Pix))
	for i := 0; i+3 < len(pix); i += 4 {
		r, g, b, a := img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3]
		if a != 0 && a != 255 {
			r, g, b = uint8(uint32(r)*255/uint32(a)), uint8(uint32(g)*255/uint32(a)), uint8(uint32(b)*255/uint32(a))
		}
		pix[i], pix[i+1], pix[i+2], pix[i+3] = r, g, b, a
	}
	u8 := js.Global().Get("Uint8ClampedArray").New(len(pix))
	js.CopyBytesToJS(u8, pix)
	return u8
}

// saveScreenshot downloads the frame as base.png, and 4x as base-x4.png.
func saveScreenshot(img *image.RGBA, base string) ([]string, error) {
	names := []string{path.Base(base) + screenshotExts[0], path.Base(base) + screenshotExts[1]}
	captures().Call("png", straight(img), img.Rect.Dx(), img.Rect.Dy(), []any{names[0], names[1]})
	return []string{names[0] + ", " + names[1] + " (downloaded)"}, nil
}

// videoRecorder records the cart's frames into a video the browser
// encodes as they come.
type videoRecorder struct {
	rec js.Value // capturesSource's record, once the first frame came
	n   int
}

func newRecorder() recorder { return &videoRecorder{} }

func (r *videoRecorder) frames() int { return r.n }

// add draws a frame into the video.
func (r *videoRecorder) add(img *image.RGBA) string {
	if !r.rec.Truthy() {
		r.rec = captures().Call("record", img.Rect.Dx(), img.Rect.Dy(), recordFPS)
	}
	r.rec.Call("frame", straight(img))
	r.n++
	if r.n >= maxRecordFrames {
		return fmt.Sprintf("at most %d s", maxRecordFrames/recordFPS)
	}
	return ""
}

// save stops the video and downloads it as base.webm.
func (r *videoRecorder) save(base string) (string, error) {
	if !r.rec.Truthy() {
		return "", errors.New("no frames recorded")
	}
	name := path.Base(base) + recordingExt
	if _, err := promise.Await(r.rec.Call("stop", name)); err != nil {
		return "", fmt.Errorf("the browser did not finish %s: %v", name, err)
	}
	return name + " (downloaded)", nil
}

// writeScreenshot: the page has no files to write (-screenshot is not one
// of its URL parameters).
func writeScreenshot(*cart.Cart, string) error {
	return errors.New("game: screenshots to a file are not in the browser: F12 downloads one")
}
