//go:build wasip1

// Command demo is ebicart's default cart: a synthwave sunset with the
// ebicart name, a ship you fly with the keyboard, and fireworks where you
// click. It is written in plain Go against cart ABI v1 and shows the whole
// ABI: a 320x180 RGBA8888 premultiplied frame kept in a Go array (uploaded by
// the host without conversion), start, update and the input block.
//
// Build (the Makefile's carts target does this):
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath -ldflags=-buildid= -o assets/carts/demo.wasm ./examples/demo
package main

import (
	"math"
	"unsafe"
)

const (
	width   = 320
	height  = 180
	horizon = 112
)

// ABI v1 values.
const (
	formatRGBA8888Premultiplied = 1

	buttonLeft  = 1 << 0
	buttonRight = 1 << 1
	buttonUp    = 1 << 2
	buttonDown  = 1 << 3
	buttonA     = 1 << 4
	buttonB     = 1 << 5
	mouseLeft   = 1 << 0
)

// descriptor is the 32-byte frame descriptor the host reads every frame.
type descriptor struct {
	format, width, height, stride, pixels, palette uint32
	reserved                                       [2]uint32
}

// inputBlock is the layout the host writes before each update.
type inputBlock struct {
	buttons      uint32
	mouseX       int32
	mouseY       int32
	mouseButtons uint32
	frame        uint32
	wheelX       int32
	wheelY       int32
	_            uint32
}

var (
	pixels [width * height]uint32 // R | G<<8 | B<<16 | A<<24: bytes R, G, B, A
	desc   descriptor
	input  inputBlock
)

func addr[T any](p *T) uint32 { return uint32(uintptr(unsafe.Pointer(p))) }

//go:wasmexport framebuffer
func framebuffer() uint32 { return addr(&desc) }

//go:wasmexport input
func inputAddr() uint32 { return addr(&input) }

//go:wasmexport start
func start() {
	desc = descriptor{format: formatRGBA8888Premultiplied, width: width, height: height, pixels: addr(&pixels[0])}
	setTheme(0)
	seed := uint32(12345)
	for i := range stars {
		seed = seed*1664525 + 1013904223
		stars[i].x = int(seed>>8) % width
		seed = seed*1664525 + 1013904223
		stars[i].y = int(seed>>8) % (horizon - 30)
		stars[i].phase = float32(i) * 0.37
	}
	ship = vec{width / 2, 150}
	render()
}

//go:wasmexport update
func update() {
	t := float32(input.frame) / 60
	step(t)
	render()
}

func main() {}

type vec struct{ x, y float32 }

type particle struct {
	pos, vel vec
	life     float32
	color    uint32
}

type star struct {
	x, y  int
	phase float32
}

var (
	stars     [70]star
	ship      vec
	shots     [16]vec
	particles [400]particle
	nextPart  int
	rng       = uint32(2463534242)
	prevBtn   uint32
	prevMouse uint32
	theme     int
	cursor    vec
	showCur   bool
	scroll    float32
	clock     float32
)

func rand() float32 {
	rng ^= rng << 13
	rng ^= rng >> 17
	rng ^= rng << 5
	return float32(rng>>8) / (1 << 24)
}

func step(t float32) {
	clock = t
	b := input.buttons
	speed := float32(2)
	if b&buttonLeft != 0 {
		ship.x -= speed
	}
	if b&buttonRight != 0 {
		ship.x += speed
	}
	if b&buttonUp != 0 {
		ship.y -= speed
	}
	if b&buttonDown != 0 {
		ship.y += speed
	}
	ship.x = clamp(ship.x, 8, width-9)
	ship.y = clamp(ship.y, horizon+8, height-14)
	pressed := b &^ prevBtn
	prevBtn = b
	if pressed&buttonA != 0 {
		for i := range shots {
			if shots[i].y <= 0 {
				shots[i] = vec{ship.x, ship.y - 6}
				break
			}
		}
	}
	if pressed&buttonB != 0 {
		setTheme((theme + 1) % len(themes))
	}
	for i := range shots {
		if shots[i].y > 0 {
			shots[i].y -= 5
			if shots[i].y < 20+rand()*60 && shots[i].y > 0 {
				burst(shots[i], 40)
				shots[i].y = 0
			}
		}
	}

	mx, my := float32(input.mouseX), float32(input.mouseY)
	showCur = mx >= 0 && my >= 0 && mx < width && my < height
	cursor = vec{mx, my}
	click := input.mouseButtons &^ prevMouse
	prevMouse = input.mouseButtons
	if click&mouseLeft != 0 && showCur {
		burst(cursor, 70)
	}
	if input.mouseButtons&mouseLeft != 0 && showCur && input.frame%3 == 0 {
		burst(cursor, 6)
	}
	// A firework now and then, so the scene lives without input.
	if input.frame%75 == 40 {
		burst(vec{40 + rand()*240, 20 + rand()*50}, 50)
	}

	for i := range particles {
		p := &particles[i]
		if p.life <= 0 {
			continue
		}
		p.pos.x += p.vel.x
		p.pos.y += p.vel.y
		p.vel.y += 0.03
		p.vel.x *= 0.985
		p.vel.y *= 0.985
		p.life -= 1.0 / 90
	}
	scroll += 0.02
	if input.wheelY != 0 {
		scroll += float32(input.wheelY) * 0.2
	}
}

func burst(at vec, n int) {
	hue := rand()
	for range n {
		a := rand() * 2 * math.Pi
		s := 0.3 + rand()*1.6
		p := &particles[nextPart]
		nextPart = (nextPart + 1) % len(particles)
		*p = particle{
			pos:   at,
			vel:   vec{float32(math.Cos(float64(a))) * s, float32(math.Sin(float64(a)))*s - 0.4},
			life:  0.6 + rand()*0.4,
			color: hsv(hue+rand()*0.12, 0.7, 1),
		}
	}
}

func clamp(v, lo, hi float32) float32 { return max(lo, min(hi, v)) }

func rgb(r, g, b uint32) uint32 { return r | g<<8 | b<<16 | 0xff<<24 }

func hsv(h, s, v float32) uint32 {
	h -= float32(math.Floor(float64(h)))
	i := int(h * 6)
	f := h*6 - float32(i)
	p, q, t := v*(1-s), v*(1-f*s), v*(1-(1-f)*s)
	var r, g, b float32
	switch i {
	case 0:
		r, g, b = v, t, p
	case 1:
		r, g, b = q, v, p
	case 2:
		r, g, b = p, v, t
	case 3:
		r, g, b = p, q, v
	case 4:
		r, g, b = t, p, v
	default:
		r, g, b = v, p, q
	}
	return rgb(uint32(r*255), uint32(g*255), uint32(b*255))
}

// A theme is the colours of the scene: the sky from top to horizon, the
// sun from top to bottom, the grid and the mountains.
type palette struct {
	sky       [3][3]float32
	sunTop    [3]float32
	sunBottom [3]float32
	grid      [3]float32
	ground    [3]float32
	mountain  [3]float32
}

var themes = []palette{
	{ // sunset
		sky:       [3][3]float32{{18, 8, 48}, {120, 30, 110}, {255, 120, 80}},
		sunTop:    [3]float32{255, 230, 90},
		sunBottom: [3]float32{255, 60, 140},
		grid:      [3]float32{255, 70, 200},
		ground:    [3]float32{16, 4, 30},
		mountain:  [3]float32{40, 12, 60},
	},
	{ // ocean night
		sky:       [3][3]float32{{2, 10, 30}, {10, 60, 110}, {60, 190, 200}},
		sunTop:    [3]float32{230, 255, 255},
		sunBottom: [3]float32{80, 200, 255},
		grid:      [3]float32{40, 255, 220},
		ground:    [3]float32{2, 14, 24},
		mountain:  [3]float32{6, 30, 50},
	},
	{ // game boy
		sky:       [3][3]float32{{15, 56, 15}, {48, 98, 48}, {139, 172, 15}},
		sunTop:    [3]float32{155, 188, 15},
		sunBottom: [3]float32{139, 172, 15},
		grid:      [3]float32{139, 172, 15},
		ground:    [3]float32{15, 56, 15},
		mountain:  [3]float32{48, 98, 48},
	},
}

var (
	skyRows  [horizon]uint32
	sunRows  [horizon]uint32
	gridCol  [3]float32
	groundCl [3]float32
	mountCl  uint32
)

func lerp3(a, b [3]float32, t float32) [3]float32 {
	return [3]float32{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

func pack3(c [3]float32) uint32 {
	return rgb(uint32(clamp(c[0], 0, 255)), uint32(clamp(c[1], 0, 255)), uint32(clamp(c[2], 0, 255)))
}

func setTheme(i int) {
	theme = i
	p := themes[i]
	for y := range horizon {
		t := float32(y) / horizon
		var c [3]float32
		if t < 0.55 {
			c = lerp3(p.sky[0], p.sky[1], t/0.55)
		} else {
			c = lerp3(p.sky[1], p.sky[2], (t-0.55)/0.45)
		}
		skyRows[y] = pack3(c)
		sunRows[y] = pack3(lerp3(p.sunTop, p.sunBottom, clamp((float32(y)-40)/70, 0, 1)))
	}
	gridCol, groundCl, mountCl = p.grid, p.ground, pack3(p.mountain)
	buildGround()
	for x := range width {
		fx := float32(x)
		h := 10 + 7*float32(math.Sin(float64(fx*0.031+1.3))) + 4*float32(math.Sin(float64(fx*0.083+0.4))) + 2*float32(math.Sin(float64(fx*0.21)))
		ridge[x] = horizon - int(h)
	}
}

// ridge is the top of the mountains in each column.
var ridge [width]int

func render() {
	drawSky()
	drawGround()
	drawText()
	drawShip()
	drawParticles()
	if showCur {
		drawCursor()
	}
}

func drawSky() {
	const sunX, sunY, sunR = 160, 84, 44
	for y := 0; y < horizon; y++ {
		row := pixels[y*width : (y+1)*width]
		c := skyRows[y]
		for x := range row {
			row[x] = c
		}
		// The sun, cut by bands that drift down.
		dy := float32(y - sunY)
		if dy > -sunR && dy < sunR {
			band := y > sunY-8 && int(float32(y)+clock*8)%10 < int(float32(y-(sunY-8))/7)
			if !band {
				half := int(float32(math.Sqrt(float64(sunR*sunR - dy*dy))))
				for x := max(0, sunX-half); x < min(width, sunX+half); x++ {
					row[x] = sunRows[y]
				}
			}
		}
	}
	for _, s := range stars {
		tw := 0.5 + 0.5*float32(math.Sin(float64(clock*3+s.phase*7)))
		v := uint32(120 + tw*135)
		pixels[s.y*width+s.x] = rgb(v, v, v)
	}
	// Mountains: a ridge of summed sines in front of the sun.
	for x, top := range ridge {
		for y := max(0, top); y < horizon; y++ {
			pixels[y*width+x] = mountCl
		}
	}
}

// groundBase is the ground without its moving horizontal lines: the
// converging lines and the haze depend only on the pixel, so they are
// drawn once per theme (setTheme) and copied every frame.
var groundBase [(height - horizon) * width]uint32

// groundRow returns the depth of ground row y and how strongly its lines
// show: fade brightens near rows; close to the horizon the lines are
// denser than the pixels, so sharp blends them into an even haze there.
func groundRow(y int) (depth, fade, sharp, haze float32) {
	depth = 30 / float32(y-horizon+1)
	fade = clamp(1.6/depth, 0, 1)
	sharp = clamp(float32(y-horizon-3)/12, 0, 1)
	return depth, fade, sharp, (1 - sharp) * 0.3
}

func mix(k float32) uint32 {
	return pack3([3]float32{
		groundCl[0] + (gridCol[0]-groundCl[0])*k,
		groundCl[1] + (gridCol[1]-groundCl[1])*k,
		groundCl[2] + (gridCol[2]-groundCl[2])*k,
	})
}

func buildGround() {
	for y := horizon; y < height; y++ {
		depth, fade, sharp, haze := groundRow(y)
		row := groundBase[(y-horizon)*width : (y-horizon+1)*width]
		// Where a pixel spans more than a line's width, draw the lines'
		// average coverage instead of sampling them.
		footprint := depth * 0.05
		for x := range row {
			wx := float32(x-width/2) * footprint
			f := wx - float32(math.Floor(float64(wx)))
			var g float32
			if footprint > 0.12 {
				g = 0.12 / footprint
			} else if f < 0.06 || f > 0.94 {
				g = 1
			}
			row[x] = mix((g*sharp + haze) * fade)
		}
	}
}

func drawGround() {
	copy(pixels[horizon*width:], groundBase[:])
	for y := horizon; y < height; y++ {
		// A horizontal line lights the one row in which the depth crosses
		// a whole number, so lines stay one pixel thick at every distance.
		depth, fade, sharp, haze := groundRow(y)
		z := depth + scroll*4
		zNext := 30/float32(y-horizon+2) + scroll*4
		if math.Floor(float64(z)) != math.Floor(float64(zNext)) {
			c := mix((sharp + haze) * fade)
			row := pixels[y*width : (y+1)*width]
			for x := range row {
				row[x] = c
			}
		}
	}
	// The horizon line glows.
	for x := range width {
		pixels[horizon*width+x] = pack3(gridCol)
	}
}

// text draws s with its top-left corner at (x, y), each font pixel a
// scale x scale square.
func text(s string, x, y, scale int, color uint32) {
	for _, r := range s {
		g := glyph(r)
		for gy := range 7 {
			for gx := range 5 {
				if g[gy]&(1<<(4-gx)) == 0 {
					continue
				}
				rect(x+gx*scale, y+gy*scale, scale, scale, color)
			}
		}
		x += 6 * scale
	}
}

func rect(x, y, w, h int, color uint32) {
	for yy := max(0, y); yy < min(height, y+h); yy++ {
		for xx := max(0, x); xx < min(width, x+w); xx++ {
			pixels[yy*width+xx] = color
		}
	}
}

func drawText() {
	const title = "EBICART"
	const scale = 4
	x0 := (width - len(title)*6*scale + scale) / 2
	for i, r := range title {
		y := 18 + int(3*math.Sin(float64(clock*2.5+float32(i)*0.7)))
		x := x0 + i*6*scale
		text(string(r), x+2, y+3, scale, rgb(20, 6, 40))
		text(string(r), x, y, scale, hsv(0.83+float32(i)*0.025+0.03*float32(math.Sin(float64(clock))), 0.55, 1))
	}
	sub := "WASM CARTS - PIXELS STRAIGHT FROM MEMORY"
	text(sub, (width-len(sub)*6)/2+1, 55, 1, rgb(30, 10, 50))
	text(sub, (width-len(sub)*6)/2, 54, 1, rgb(255, 240, 250))
	hint := "ARROWS MOVE  Z FIRE  X THEME  CLICK!"
	text(hint, (width-len(hint)*6)/2, height-9, 1, rgb(200, 200, 230))
}

var shipSprite = [...]string{
	".....#.....",
	"....###....",
	"....#.#....",
	"...#####...",
	"..##.#.##..",
	".#########.",
	"##.#...#.##",
	"#..........",
}

func drawShip() {
	body := hsv(0.5+0.1*float32(theme), 0.4, 1)
	x0, y0 := int(ship.x)-5, int(ship.y)-4
	// Engine flame flickers.
	flame := hsv(0.08, 1, 1)
	if input.frame%4 < 2 {
		flame = hsv(0.15, 0.8, 1)
	}
	rect(x0+4, y0+8, 3, 2+int(input.frame%3), flame)
	for y, row := range shipSprite {
		for x, c := range row {
			if c == '#' {
				rect(x0+x, y0+y, 1, 1, body)
			}
		}
	}
	for _, s := range shots {
		if s.y > 0 {
			rect(int(s.x), int(s.y), 1, 4, rgb(255, 255, 200))
		}
	}
}

func drawParticles() {
	for _, p := range particles {
		if p.life <= 0 {
			continue
		}
		x, y := int(p.pos.x), int(p.pos.y)
		if x < 0 || y < 0 || x >= width || y >= height {
			continue
		}
		c := p.color
		if p.life < 0.3 && int(p.life*100)%2 == 0 {
			c = rgb(255, 255, 255)
		}
		pixels[y*width+x] = c
	}
}

func drawCursor() {
	x, y := int(cursor.x), int(cursor.y)
	c := rgb(255, 255, 255)
	rect(x-4, y, 3, 1, c)
	rect(x+2, y, 3, 1, c)
	rect(x, y-4, 1, 3, c)
	rect(x, y+2, 1, 3, c)
}
