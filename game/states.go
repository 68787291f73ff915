package game

import (
	"fmt"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
)

// The player's keys, kept in shipped games: F5 saves the cart's state in
// its quick slot, F8 loads it, and holding Backspace rewinds (when the cart
// keeps a history: cart.Options.Rewind), playing on from where it is let
// go.

// quickSlotKey names a cart's quick slot in Options.States.
func quickSlotKey(hash string) string { return hash[:24] + "-quick" }

// handlePlayerKeys reads the player's keys once per Update.
func (g *Game) handlePlayerKeys() {
	g.rewinding = false
	if g.cart == nil || g.err != nil {
		return
	}
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyF5):
		g.saveQuickSlot()
	case inpututil.IsKeyJustPressed(ebiten.KeyF8):
		g.loadQuickSlot()
	}
	g.rewinding = ebiten.IsKeyPressed(ebiten.KeyBackspace)
}

func (g *Game) saveQuickSlot() {
	if g.opts.States == nil {
		g.setNotice("no place to keep states here", true)
		return
	}
	state, err := g.cart.SaveState()
	if err == nil {
		err = g.opts.States.Store(quickSlotKey(g.cart.Hash()), state)
	}
	if err != nil {
		g.setNotice("state not saved: "+firstLine(err.Error()), true)
		return
	}
	g.setNotice(fmt.Sprintf("state saved at frame %d (F8 loads it)", g.cart.Frames()), false)
}

func (g *Game) loadQuickSlot() {
	if g.opts.States == nil {
		g.setNotice("no place to keep states here", true)
		return
	}
	state, err := g.opts.States.Load(quickSlotKey(g.cart.Hash()))
	if err == nil && len(state) == 0 {
		g.setNotice("no state saved for this cart yet: F5 saves one", true)
		return
	}
	if err == nil {
		err = g.cart.LoadState(state)
	}
	if err != nil {
		g.setNotice("state not loaded: "+firstLine(err.Error()), true)
		return
	}
	g.redraw = true
	g.setNotice(fmt.Sprintf("state loaded: frame %d", g.cart.Frames()), false)
}

// rewindTick steps the cart back one update while Backspace is held.
func (g *Game) rewindTick() {
	ok, err := g.cart.Rewind()
	switch {
	case err != nil:
		g.fail(err)
	case ok:
		g.redraw = true
		g.rewound = true
	case g.cart.RewindHistory() == 0 && !g.rewound:
		g.setNotice("nothing to rewind", false)
	}
}
