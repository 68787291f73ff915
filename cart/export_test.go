package cart

// SoundFrames returns how many 1/60 s frames the cart's sound chip has
// been given, -1 when the cart is silent.
func SoundFrames(c *Cart) int64 {
	if c.sound == nil {
		return -1
	}
	return int64(c.sound.apu.Frames())
}

// RewindBefore runs the rewind history's work before update number frame.
func RewindBefore(c *Cart, frame uint32) { c.rewind.before(c, frame, c.input) }

// RewindBytes is the size of the rewind history's keyframes.
func RewindBytes(c *Cart) uint64 { return c.rewind.bytes }
