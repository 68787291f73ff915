package game

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/ebicart/ebicart/cart"
	"github.com/ebicart/ebicart/internal/ebitest"
	"github.com/ebicart/ebicart/internal/testcarts"
)

// quitWatch is a game that notes whether its Update ever ended the run.
type quitWatch struct {
	*Game
	quit bool
}

func (q *quitWatch) Update() error {
	err := q.Game.Update()
	if errors.Is(err, ebiten.Termination) {
		q.quit = true
	}
	return err
}

// TestNotRespondingPrompt: in a window, a cart stuck in update past its
// limit (cart.Options.Interactive) gets the "not responding" prompt over
// its last frame; Enter and the Wait button grant it another limit, after
// which it asks again; Esc stops it on the error screen, and does not
// close the window.
func TestNotRespondingPrompt(t *testing.T) {
	xdo := ebitest.NeedXdotool(t)
	wasm, err := os.ReadFile(testcarts.GuestTestdata("hostile/update_loop"))
	if err != nil {
		t.Fatal(err)
	}
	const limit = 300 * time.Millisecond
	load := func(ctx context.Context) (*cart.Cart, error) {
		return cart.LoadContext(ctx, wasm, &cart.Options{Interactive: true, CPULimit: limit, Engine: cart.EngineProcess})
	}
	g := &quitWatch{Game: New(load, "update_loop", Options{})}
	ebitest.Run(t, g, 10, func(tick int) {
		switch tick {
		case 1:
			ebiten.SetWindowTitle("ebicart game tests")
		case 9:
			ebitest.FocusWindow(xdo, "ebicart game tests", 10, 10)
		}
	})
	var waited time.Time // when the last answer was given
	for i, answer := range []func(){
		func() { xdo("key", "Return") },
		func() {
			r := g.prompt.wait
			c := r.Min.Add(r.Size().Div(2))
			xdo("search", "--name", "ebicart game tests", "mousemove", "--window", "%1", "--sync", fmt.Sprint(c.X), fmt.Sprint(c.Y), "click", "1")
		},
		func() { xdo("key", "Escape") },
	} {
		s := ebitest.RunUntil(t, g, 1200, func() bool { return g.Asking() })
		if !waited.IsZero() && time.Since(waited) < limit {
			t.Fatalf("prompt %d came %v after Wait, want another %v first", i, time.Since(waited), limit)
		}
		if got := s.At(g.prompt.wait.Min.X+2, g.prompt.wait.Min.Y+2); got != promptButton {
			t.Fatalf("prompt %d: the Wait button's corner is %v, want %v", i, got, promptButton)
		}
		answered := false
		ebitest.RunUntil(t, g, 1200, func() bool {
			if !answered {
				// The grant starts when the game sees the answer: after
				// this, never before.
				waited = time.Now()
				answer() // while the game runs, to see the key go down
				answered = true
			}
			return !g.Asking()
		})
		if i < 2 {
			if g.Err() != nil || g.Cart().Err() != nil {
				t.Fatalf("after Wait: %v, %v, want the cart still running", g.Err(), g.Cart().Err())
			}
			continue
		}
		var de *cart.DeadlineError
		if !errors.As(g.Err(), &de) || !strings.HasPrefix(de.Error(), "guest: update did not return within 300ms (cpu-limit; stopped after it ran ") {
			t.Fatalf("after Esc: %v, want the deadline's error", g.Err())
		}
	}
	s := ebitest.Run(t, g, 3, nil)
	if got := s.At(testW/2, testH-4); got != errorBackground || g.quit {
		t.Fatalf("after Stop the screen shows %v (quit %v), want the error screen %v and the window open", got, g.quit, errorBackground)
	}
}
