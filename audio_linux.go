//go:build linux && !android

package main

import (
	"os"
	"path/filepath"
)

// audioAvailable guesses whether an audio device will open: a PulseAudio
// (or PipeWire) server to talk to, or an ALSA device or configuration.
func audioAvailable() bool {
	if os.Getenv("PULSE_SERVER") != "" {
		return true
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "pulse", "native")); err == nil {
			return true
		}
	}
	if pcm, _ := filepath.Glob("/dev/snd/pcm*"); len(pcm) > 0 {
		return true
	}
	home, _ := os.UserHomeDir()
	for _, conf := range []string{"/etc/asound.conf", filepath.Join(home, ".asoundrc")} {
		if _, err := os.Stat(conf); err == nil {
			return true
		}
	}
	return false
}
