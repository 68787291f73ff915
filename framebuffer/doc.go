// Package framebuffer decodes, validates and packs the pixel frames that
// ebicart cartridges keep in their linear memory.
//
// A cart describes its frame with a 32-byte [Descriptor] in its own memory:
// pixel format, size, row stride, and the addresses of its pixels and palette.
// The host reads the descriptor every frame, checks it once with
// [Descriptor.Validate], and converts the pixels into premultiplied RGBA, the
// layout Ebitengine's WritePixels takes, with a [Packer].
//
// The package is pure Go with no dependency outside the standard library, so
// the desktop host (wazero) and the browser host (syscall/js) share every line
// of it, and tests exercise it without a GPU. It assumes nothing about where
// the memory comes from: a wazero memory view, a copy of the bytes a browser
// cart exposes, or a plain slice in a test.
//
// The formats and their layouts are listed with the [Format] constants. For
// [RGBA8888Premultiplied] with a packed stride no conversion happens at all:
// [Packer.Frame] returns a view of the cart's memory, which the host uploads
// as it is.
package framebuffer
