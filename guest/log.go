package guest

import (
	"bytes"
	"fmt"

	"github.com/ebicart/ebicart/internal/safetext"
)

// maxLogLine bounds a log line; longer output is split into several lines.
const maxLogLine = 4096

// MaxLogMessage bounds what one call that logs a message (ebicart.log,
// WASM-4's trace functions) passes to the log: the rest is cut. The rate
// limit would drop nearly all of a longer one anyway, and reading it
// would cost the host time and memory of the cart's choosing.
const MaxLogMessage = 64 << 10

// Log rate limit: a cart may log logBurst lines at once and logRate lines
// a second of its own (virtual) time after that; the rest are counted and
// dropped, so a cart that prints megabytes a frame costs the host neither
// time nor memory. Counting the cart's time, not the host's, makes the log
// the same on every engine and in every replay.
const (
	logBurst = 200
	logRate  = 100
)

// lineWriter turns a byte stream (a cart's WASI stdout or stderr, and
// ebicart.log) into rate-limited log lines. A partial line waits for its
// newline, up to maxLogLine bytes.
type lineWriter struct {
	emit    func(string)
	buf     []byte
	tokens  float64
	started bool
	last    uint64 // the cart's time of the last line, in ns
	dropped int
	now     func() uint64 // the cart's time, in ns
}

func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		room := maxLogLine - len(w.buf)
		// The newline is looked for only as far as the line can grow:
		// scanning the rest of p for each piece of a long line without
		// one was quadratic (a 64 MiB line took minutes).
		window := p[:min(len(p), room+1)]
		i := bytes.IndexByte(window, '\n')
		if i < 0 {
			i = len(window)
		}
		if i > room {
			w.buf = append(w.buf, p[:room]...)
			w.flush()
			p = p[room:]
			continue
		}
		w.buf = append(w.buf, p[:i]...)
		if i == len(p) {
			break
		}
		w.flush()
		p = p[i+1:]
	}
	return n, nil
}

// Line emits one whole line. A partial line the stream left waiting is
// emitted first, as a line of its own: ebicart.log's line is never glued
// to the end of what stdout had not finished.
func (w *lineWriter) Line(b []byte) {
	if len(w.buf) > 0 {
		w.flush()
	}
	w.Write(b)
	if len(w.buf) > 0 || len(b) == 0 {
		w.flush()
	}
}

func (w *lineWriter) flush() {
	t := w.now()
	if !w.started {
		w.tokens, w.started = logBurst, true
	} else if t > w.last {
		w.tokens = min(logBurst, w.tokens+float64(t-w.last)/1e9*logRate)
	}
	w.last = max(w.last, t)
	if w.tokens < 1 {
		w.dropped++
		w.buf = w.buf[:0]
		return
	}
	if w.dropped > 0 {
		w.emit(fmt.Sprintf("[%d log lines dropped: the cart logs too fast]", w.dropped))
		w.dropped = 0
	}
	w.tokens--
	w.emit(safetext.Clean(string(w.buf)))
	w.buf = w.buf[:0]
}

// Close emits a pending partial line.
func (w *lineWriter) Close() error {
	if len(w.buf) > 0 {
		w.flush()
	}
	if w.dropped > 0 {
		w.emit(fmt.Sprintf("[%d log lines dropped: the cart logs too fast]", w.dropped))
		w.dropped = 0
	}
	return nil
}
