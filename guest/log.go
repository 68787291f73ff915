package guest

// maxLogLine bounds a log line; longer output is split into several lines.
const maxLogLine = 4096

// lineWriter turns a byte stream (a cart's WASI stdout or stderr) into log
// lines. A partial line waits for its newline, up to maxLogLine bytes.
type lineWriter struct {
	emit func(string)
	buf  []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := 0
		for i < len(p) && p[i] != '\n' {
			i++
		}
		room := maxLogLine - len(w.buf)
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

func (w *lineWriter) flush() {
	w.emit(string(w.buf))
	w.buf = w.buf[:0]
}

// Close emits a pending partial line.
func (w *lineWriter) Close() error {
	if len(w.buf) > 0 {
		w.flush()
	}
	return nil
}
