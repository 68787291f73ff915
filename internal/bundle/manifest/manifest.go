// Package manifest describes a game that ebicart bundle made: its name,
// version, the cart it carries and how to run it. A bundled executable
// sets one when it starts (a file the bundle adds to package main does);
// the bundled web page gives the browser host the same facts.
package manifest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Game is a bundled game.
type Game struct {
	// Name is the game's name as its players see it: the window's title.
	Name string
	// Slug is Name made into a file name (see Slug): the executables'
	// names and the key of the game's saves.
	Slug string
	// Version is the game's version, as its author gave it.
	Version string
	// Mode and Palette are the run flags the game runs with by default
	// (-mode, -palette); Scale the window's scale (0: the largest that
	// fits).
	Mode, Palette string
	Scale         int
	// Dev keeps the author's keys and flags (ebicart bundle -dev).
	Dev bool
	// Cart is the cart's wasm.
	Cart []byte
	// Credits is the text of the game's credits and licences.
	Credits string
	// Stamp says what the executable is, on one line: the game, its
	// version, the cart's hash, when it was built and by which ebicart.
	Stamp string
}

// SaveKey is the key the game's saves (and quick slot) are kept under: its
// slug, so that an update of the game, with another cart, finds them.
func (g *Game) SaveKey() string { return "game-" + g.Slug }

// Slug makes a game's name into a file name: lower-case letters and
// digits (of any script), words joined by dashes ("Space Duck!" is
// "space-duck"), at most 200 bytes; "game" when nothing is left.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "game"
	}
	// Its files' names add a target ("-windows-amd64.exe") to it, and a
	// file's name has at most 255 bytes: past maxSlug it is cut at a
	// word's end in its second half, else at a character's. (A slug is
	// the game's save key: every slug a bundle could be made with stays
	// as it was.)
	slug := b.String()
	if len(slug) > maxSlug {
		cut := strings.LastIndexByte(slug[:maxSlug+1], '-')
		if cut < maxSlug/2 {
			for cut = maxSlug; !utf8.RuneStart(slug[cut]); cut-- {
			}
		}
		slug = slug[:cut]
	}
	return slug
}

// maxSlug is the longest Slug, in bytes: 255 less the longest name added
// to it ("-windows-amd64.exe", 18) and room to spare.
const maxSlug = 200

// ParsePalette reads a WASM-4 palette, four comma-separated RRGGBB
// colours ("" is none), as -palette takes it.
func ParsePalette(s string) (*[4]uint32, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return nil, fmt.Errorf("%q: want four colours such as e0f8cf,86c06c,306850,071821", s)
	}
	var p [4]uint32
	for i, part := range parts {
		part = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(part), "#"), "0x")
		v, err := strconv.ParseUint(part, 16, 32)
		if err != nil || len(part) != 6 {
			return nil, fmt.Errorf("colour %q: want six hex digits RRGGBB", parts[i])
		}
		p[i] = uint32(v)
	}
	return &p, nil
}
