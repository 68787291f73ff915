//go:build !js

package wazero

import (
	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// memoryModule returns the binary of a module that defines the memory mi
// describes (its size fixed at mi.Pages) and exports it as mi.Name beside
// funcs, which it imports from the host module hostModule+mi.Module and
// re-exports under their own names. With lib set, the memory and the
// functions of mi.LibFuncs are imported from the module lib instead (mi's
// Lib, instantiated under that name).
func memoryModule(mi *engine.MemoryImport, funcs []engine.HostFunc, lib string) []byte {
	fromLib := map[string]bool{}
	if lib != "" {
		for _, n := range mi.LibFuncs {
			fromLib[n] = true
		}
	}
	var types []wasmbin.FuncType
	typeOf := func(f wasmbin.FuncType) int {
		for i, t := range types {
			if t.Equal(f) {
				return i
			}
		}
		types = append(types, f)
		return len(types) - 1
	}
	var imports, exports []byte
	nImports := len(funcs)
	if lib != "" {
		nImports++
	}
	imports = leb(imports, uint32(nImports))
	exports = leb(exports, uint32(len(funcs)+1))
	for i, f := range funcs {
		if fromLib[f.Name] {
			imports = name(imports, lib)
		} else {
			imports = name(imports, hostModule+mi.Module)
		}
		imports = name(imports, f.Name)
		imports = append(imports, 0x00)
		imports = leb(imports, uint32(typeOf(f.Type)))
		exports = name(exports, f.Name)
		exports = append(exports, 0x00)
		exports = leb(exports, uint32(i))
	}
	exports = name(exports, mi.Name)
	exports = append(exports, 0x02, 0x00)
	limits := []byte{0x01} // a minimum and a maximum
	limits = leb(limits, mi.Pages)
	limits = leb(limits, mi.Pages)
	if lib != "" {
		imports = name(imports, lib)
		imports = name(imports, "memory")
		imports = append(imports, 0x02)
		imports = append(imports, limits...)
	}

	var typeSec []byte
	typeSec = leb(typeSec, uint32(len(types)))
	for _, t := range types {
		typeSec = append(typeSec, 0x60)
		typeSec = leb(typeSec, uint32(len(t.Params)))
		for _, p := range t.Params {
			typeSec = append(typeSec, byte(p))
		}
		typeSec = leb(typeSec, uint32(len(t.Results)))
		for _, r := range t.Results {
			typeSec = append(typeSec, byte(r))
		}
	}
	memSec := append([]byte{1}, limits...) // one memory

	mod := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range []struct {
		id   byte
		body []byte
	}{{1, typeSec}, {2, imports}, {5, memSec}, {7, exports}} {
		if s.id == 5 && lib != "" {
			continue // the memory is lib's
		}
		mod = append(mod, s.id)
		mod = leb(mod, uint32(len(s.body)))
		mod = append(mod, s.body...)
	}
	return mod
}

func leb(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func name(b []byte, s string) []byte {
	b = leb(b, uint32(len(s)))
	return append(b, s...)
}
