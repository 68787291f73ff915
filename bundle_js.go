//go:build js

package main

import (
	"syscall/js"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/game"
	"github.com/ebicart/ebicart/internal/bundle/manifest"
)

// pageBundle is the game a page made by ebicart bundle carries, from the
// page's window.ebicartGame: {cart, name, slug, mode, palette, dev}, the
// cart's URL, the game's name and slug, its -mode, its -palette as four
// numbers (or null), and whether it keeps the author's tools. It is nil
// on ebicart's own page.
type pageBundle struct {
	src, name, slug string
	mode            cart.Mode
	palette         *[4]uint32
	dev             bool
}

// readPageBundle reads window.ebicartGame, if the page has one.
func readPageBundle() *pageBundle {
	v := js.Global().Get("ebicartGame")
	if v.Type() != js.TypeObject {
		return nil
	}
	str := func(k string) string {
		if f := v.Get(k); f.Type() == js.TypeString {
			return f.String()
		}
		return ""
	}
	b := &pageBundle{src: str("cart"), name: str("name"), slug: manifest.Slug(str("slug")), dev: v.Get("dev").Truthy()}
	b.mode, _ = cart.ParseMode(str("mode"))
	if p := v.Get("palette"); p.Type() == js.TypeObject && p.Length() == 4 {
		b.palette = new([4]uint32)
		for i := range 4 {
			b.palette[i] = uint32(p.Index(i).Int())
		}
	}
	return b
}

var thisPage = readPageBundle()

// pageCart is the URL of the cart the page runs first: the bundled game's,
// else param, the ?cart= parameter's ("" for the demo).
func pageCart(param string) string {
	if thisPage != nil {
		return thisPage.src
	}
	return param
}

// pageCartName is the name of the cart at src: the bundled game's name,
// else the file's name.
func pageCartName(src string) string {
	if thisPage != nil && src == thisPage.src {
		return thisPage.name
	}
	return cartName(src)
}

// asPageCart gives a bundled game's cart its settings: its mode and
// palette, and saves kept under the game's name, so that an update of the
// game finds them. The author's carts opened on a -dev page keep theirs.
func asPageCart(o *cart.Options, name string) {
	if thisPage == nil || name != thisPage.name {
		return
	}
	o.Mode, o.Palette = thisPage.mode, thisPage.palette
	o.SaveKey = (&manifest.Game{Slug: thisPage.slug}).SaveKey()
}

// asPageGame makes the game's options those of a bundled page: its
// name as the title, and without -dev no author keys and no cart
// dropped or opened.
func asPageGame(o game.Options) game.Options {
	if thisPage == nil {
		return o
	}
	return asBundledGame(o, thisPage.name, thisPage.dev)
}
