//go:build !js

package guest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The protocol between the host and a cart's worker process (see
// process_linux.go). Requests and replies are little-endian binary
// messages on two pipes; the cart's linear memory is shared memory that
// both map, so no pixel or input byte crosses the pipes.
const (
	workerEnv = "EBICART_GUEST_WORKER" // set to 1 in a worker's environment

	opCompile     = 1 // u32 len + config JSON, u32 len + wasm
	opInstantiate = 2 // instantiate (runs the start section)
	opCall        = 3 // u32 fn
	opFrame       = 4 // 32-byte input block: input(), write it, update(), framebuffer()

	replyOK     = 0 // value: the call's result
	replyTrap   = 1 // msg: "func\x00message"
	replyExit   = 2 // value: exit code; msg: func
	replyFailed = 3 // msg: the error
)

// reply is a worker's answer: status, value, memory size and a message.
type reply struct {
	status  byte
	value   uint32
	memSize uint64
	msg     []byte
}

const replyHeader = 1 + 4 + 8 + 4

func writeReply(w io.Writer, buf []byte, r reply) error {
	buf = buf[:0]
	buf = append(buf, r.status)
	buf = binary.LittleEndian.AppendUint32(buf, r.value)
	buf = binary.LittleEndian.AppendUint64(buf, r.memSize)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(r.msg)))
	buf = append(buf, r.msg...)
	_, err := w.Write(buf)
	return err
}

// readReply reads a reply into r, reusing r.msg's storage.
func readReply(rd io.Reader, hdr *[replyHeader]byte, r *reply) error {
	if _, err := io.ReadFull(rd, hdr[:]); err != nil {
		return err
	}
	r.status = hdr[0]
	r.value = binary.LittleEndian.Uint32(hdr[1:])
	r.memSize = binary.LittleEndian.Uint64(hdr[5:])
	n := binary.LittleEndian.Uint32(hdr[13:])
	if n > 1<<20 {
		return fmt.Errorf("reply message of %d bytes", n)
	}
	r.msg = r.msg[:0]
	if n > 0 {
		r.msg = append(r.msg, make([]byte, n)...)
		if _, err := io.ReadFull(rd, r.msg); err != nil {
			return err
		}
	}
	return nil
}

// encodeTones packs tone() calls into a reply message, 16 bytes each.
func encodeTones(b []byte, tones []Tone) []byte {
	for _, t := range tones {
		b = binary.LittleEndian.AppendUint32(b, t.Frequency)
		b = binary.LittleEndian.AppendUint32(b, t.Duration)
		b = binary.LittleEndian.AppendUint32(b, t.Volume)
		b = binary.LittleEndian.AppendUint32(b, t.Flags)
	}
	return b
}

// decodeTones appends the tones packed in b to tones.
func decodeTones(tones []Tone, b []byte) []Tone {
	for ; len(b) >= 16; b = b[16:] {
		tones = append(tones, Tone{
			binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:]),
			binary.LittleEndian.Uint32(b[8:]), binary.LittleEndian.Uint32(b[12:]),
		})
	}
	return tones
}

// replyError turns a worker's failure reply into the error the in-process
// host would have returned.
func replyError(r *reply) error {
	switch r.status {
	case replyTrap:
		name, msg, _ := cutNul(r.msg)
		return &CallError{Func: name, Err: errors.New(msg)}
	case replyExit:
		return &ExitError{Func: string(r.msg), Code: r.value}
	case replyFailed:
		return errors.New(string(r.msg))
	}
	return nil
}

func cutNul(b []byte) (string, string, bool) {
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), string(b[i+1:]), true
		}
	}
	return string(b), "", false
}

// errorReply is the reply for err from the worker's cart.
func errorReply(err error, memSize uint64) reply {
	var ce *CallError
	var ee *ExitError
	switch {
	case errors.As(err, &ee):
		return reply{status: replyExit, value: ee.Code, memSize: memSize, msg: []byte(ee.Func)}
	case errors.As(err, &ce):
		return reply{status: replyTrap, memSize: memSize, msg: []byte(ce.Func + "\x00" + ce.Err.Error())}
	}
	return reply{status: replyFailed, memSize: memSize, msg: []byte(err.Error())}
}
