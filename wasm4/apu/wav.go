package apu

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// wavHeaderSize is the size of the header EncodeWAV and WAVWriter write.
const wavHeaderSize = 44

// wavHeader returns the header of a WAV file of dataBytes bytes of
// SampleRate Hz, 16-bit stereo PCM.
func wavHeader(dataBytes uint32) []byte {
	b := make([]byte, 0, wavHeaderSize)
	b = append(b, "RIFF"...)
	b = binary.LittleEndian.AppendUint32(b, 36+dataBytes)
	b = append(b, "WAVEfmt "...)
	b = binary.LittleEndian.AppendUint32(b, 16) // the fmt chunk's size
	b = binary.LittleEndian.AppendUint16(b, 1)  // PCM
	b = binary.LittleEndian.AppendUint16(b, 2)  // channels
	b = binary.LittleEndian.AppendUint32(b, SampleRate)
	b = binary.LittleEndian.AppendUint32(b, SampleRate*4) // bytes a second
	b = binary.LittleEndian.AppendUint16(b, 4)            // bytes a frame
	b = binary.LittleEndian.AppendUint16(b, 16)           // bits a sample
	b = append(b, "data"...)
	return binary.LittleEndian.AppendUint32(b, dataBytes)
}

// EncodeWAV returns a WAV file of interleaved stereo samples (left, right,
// ...) at SampleRate, 16 bits each.
func EncodeWAV(samples []int16) []byte {
	b := wavHeader(uint32(2 * len(samples)))
	for _, s := range samples {
		b = binary.LittleEndian.AppendUint16(b, uint16(s))
	}
	return b
}

// DecodeWAV returns the interleaved samples of a WAV file of SampleRate
// Hz, 16-bit stereo PCM (what EncodeWAV and WAVWriter write), or an error
// saying how the file differs.
func DecodeWAV(b []byte) ([]int16, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, errors.New("apu: not a WAV file")
	}
	b = b[12:]
	var format []byte
	for len(b) >= 8 {
		id, size := string(b[:4]), uint64(binary.LittleEndian.Uint32(b[4:]))
		b = b[8:]
		if id == "data" {
			if size > uint64(len(b)) {
				size = uint64(len(b)) // a file whose writer stopped before its sizes were set
			}
			if format == nil {
				return nil, errors.New("apu: WAV data before its format")
			}
			out := make([]int16, size/2)
			for i := range out {
				out[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
			}
			return out, nil
		}
		if size > uint64(len(b)) {
			return nil, fmt.Errorf("apu: WAV chunk %q runs past the end of the file", id)
		}
		if id == "fmt " {
			format = b[:size]
			if len(format) < 16 || binary.LittleEndian.Uint16(format) != 1 || binary.LittleEndian.Uint16(format[2:]) != 2 ||
				binary.LittleEndian.Uint32(format[4:]) != SampleRate || binary.LittleEndian.Uint16(format[14:]) != 16 {
				return nil, fmt.Errorf("apu: a WAV file of another format than %d Hz 16-bit stereo PCM", SampleRate)
			}
		}
		b = b[size+size%2:]
	}
	return nil, errors.New("apu: WAV file without data")
}

// WAVWriter writes a WAV file of SampleRate Hz, 16-bit stereo PCM as it
// comes: its header first, with sizes that Close sets (until then they say
// "as long as the file", which most players accept from a file whose
// writer was stopped). It is an io.Writer of the PCM bytes: interleaved
// signed 16-bit little-endian samples, left first.
type WAVWriter struct {
	w   io.WriteSeeker
	n   uint64 // data bytes written
	err error
}

// NewWAVWriter writes the header of a WAV file to w and returns a writer of
// its samples.
func NewWAVWriter(w io.WriteSeeker) (*WAVWriter, error) {
	if _, err := w.Write(wavHeader(0xffffffff - 36)); err != nil {
		return nil, fmt.Errorf("apu: writing a WAV header: %w", err)
	}
	return &WAVWriter{w: w}, nil
}

// Write writes PCM bytes. After an error every Write returns it.
func (w *WAVWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.Write(p)
	w.n += uint64(n)
	if err != nil {
		w.err = fmt.Errorf("apu: writing WAV samples: %w", err)
	}
	return n, w.err
}

// Close sets the header's sizes; it does not close the file. It returns
// the first error of a Write, if any.
func (w *WAVWriter) Close() error {
	if w.err != nil {
		return w.err
	}
	n := uint32(min(w.n, 0xffffffff-36))
	if _, err := w.w.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("apu: setting the WAV header's sizes: %w", err)
	}
	if _, err := w.w.Write(wavHeader(n)); err != nil {
		return fmt.Errorf("apu: setting the WAV header's sizes: %w", err)
	}
	_, err := w.w.Seek(0, io.SeekEnd)
	return err
}
