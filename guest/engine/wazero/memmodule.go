//go:build !js

package wazero

import (
	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// memoryModule returns the binary of a module that defines the memory mi
// describes (its size fixed at mi.Pages) and exports it as mi.Name beside
// funcs, which it imports from the host module hostModule+mi.Module and
// re-exports under their own names.
func memoryModule(mi *engine.MemoryImport, funcs []engine.HostFunc) []byte {
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
	imports = leb(imports, uint32(len(funcs)))
	exports = leb(exports, uint32(len(funcs)+1))
	for i, f := range funcs {
		imports = name(imports, hostModule+mi.Module)
		imports = name(imports, f.Name)
		imports = append(imports, 0x00)
		imports = leb(imports, uint32(typeOf(f.Type)))
		exports = name(exports, f.Name)
		exports = append(exports, 0x00)
		exports = leb(exports, uint32(i))
	}
	exports = name(exports, mi.Name)
	exports = append(exports, 0x02, 0x00)

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
	memSec := []byte{1, 0x01} // one memory with a minimum and a maximum
	memSec = leb(memSec, mi.Pages)
	memSec = leb(memSec, mi.Pages)

	mod := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range []struct {
		id   byte
		body []byte
	}{{1, typeSec}, {2, imports}, {5, memSec}, {7, exports}} {
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
