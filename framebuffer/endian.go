//go:build 386 || amd64 || arm || arm64 || loong64 || mips64le || mipsle || ppc64le || riscv64 || wasm

package framebuffer

// The converters load and store little-endian words in native byte order
// (pack_direct.go). This file lists the little-endian architectures; on any
// other the package does not build, see endian_other.go.
