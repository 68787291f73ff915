package guest

import (
	"slices"

	"github.com/ebicart/ebicart/internal/wasmbin"
)

// w4HostModule is the module the host's WASM-4 functions live in; the
// generated env module re-exports them beside the memory.
const w4HostModule = "ebicart_wasm4"

// w4FunctionNames lists w4Functions in a fixed order.
var w4FunctionNames = func() []string {
	names := make([]string, 0, len(w4Functions))
	for n := range w4Functions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}()

// envModule returns the binary of the module a WASM-4 cart imports as
// "env": it defines the 64 KiB memory (exactly one page) and re-exports
// the host's WASM-4 functions, imported from w4HostModule. A host
// function module cannot export a memory, hence this small wasm module.
func envModule() []byte {
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
	imports = leb(imports, uint32(len(w4FunctionNames)))
	exports = leb(exports, uint32(len(w4FunctionNames)+1))
	for i, name := range w4FunctionNames {
		imports = name_(imports, w4HostModule)
		imports = name_(imports, name)
		imports = append(imports, 0x00)
		imports = leb(imports, uint32(typeOf(w4Functions[name])))
		exports = name_(exports, name)
		exports = append(exports, 0x00)
		exports = leb(exports, uint32(i))
	}
	exports = name_(exports, "memory")
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
	memSec := []byte{1, 0x01, 1, 1} // one memory, min 1 page, max 1 page

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

func name_(b []byte, s string) []byte {
	b = leb(b, uint32(len(s)))
	return append(b, s...)
}
