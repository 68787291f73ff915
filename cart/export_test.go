package cart

// SoundFrames returns how many 1/60 s frames the cart's sound chip has
// been given, -1 when the cart is silent.
func SoundFrames(c *Cart) int64 {
	if c.sound == nil {
		return -1
	}
	return int64(c.sound.apu.Frames())
}
