//go:build !(386 || amd64 || arm || arm64 || loong64 || mips64le || mipsle || ppc64le || riscv64 || wasm)

package framebuffer

// The converters read words in native byte order, which is only the ABI's
// order on little-endian machines. Refuse to build elsewhere rather than
// show wrong colours.
var _ = framebufferNeedsALittleEndianArchitecture
