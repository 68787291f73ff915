//go:build !js

package guest

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/ebicart/ebicart/wasm4"
)

// mem returns a view of the whole memory of the module m.
func memView(m api.Module) []byte {
	b, _ := m.Memory().Read(0, m.Memory().Size())
	return b
}

// trap stops the cart with err from inside a host function: wazero turns
// the panic into the error the call returns.
func trap(err error) {
	if err != nil {
		panic(err)
	}
}

// instantiateHostModules adds the host's modules to the runtime: WASI,
// ebicart (log, disk), and in WASM-4 mode the WASM-4 functions and the env
// module with the cart's memory, which it sets to WASM-4's power-on state.
func (w *wazeroInstance) instantiateHostModules(cfg Config) error {
	ctx := w.ctx
	eb := w.rt.NewHostModuleBuilder(HostModule)
	eb.NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(w.log), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, nil).
		WithParameterNames("ptr", "len").Export("log")
	eb.NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, m api.Module, s []uint64) {
			n, err := w.disk.diskRead(memView(m), api.DecodeU32(s[0]), api.DecodeU32(s[1]))
			trap(err)
			s[0] = uint64(n)
		}), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		WithParameterNames("dest", "size").Export("disk_read")
	eb.NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, m api.Module, s []uint64) {
			n, err := w.disk.diskWrite(memView(m), api.DecodeU32(s[0]), api.DecodeU32(s[1]))
			trap(err)
			s[0] = uint64(n)
		}), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		WithParameterNames("src", "size").Export("disk_write")
	if _, err := eb.Instantiate(ctx); err != nil {
		return fmt.Errorf("guest: host module: %w", err)
	}
	if w.mode != ModeWASM4 {
		return nil
	}
	hb := w.rt.NewHostModuleBuilder(w4HostModule)
	for _, name := range w4FunctionNames {
		f := w.w4Func(name)
		t := w4Functions[name]
		params := make([]api.ValueType, len(t.Params))
		for i := range params {
			params[i] = api.ValueTypeI32
		}
		var results []api.ValueType
		if len(t.Results) > 0 {
			results = []api.ValueType{api.ValueTypeI32}
		}
		hb.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(f), params, results).Export(name)
	}
	if _, err := hb.Instantiate(ctx); err != nil {
		return fmt.Errorf("guest: WASM-4 host module: %w", err)
	}
	env, err := w.rt.InstantiateWithConfig(ctx, envModule(), wazero.NewModuleConfig().WithName(w4Module))
	if err != nil {
		return fmt.Errorf("guest: WASM-4 env module: %w", err)
	}
	mem := memView(env)
	wasm4.Reset(mem)
	if cfg.palette != nil {
		for i, c := range cfg.palette {
			env.Memory().WriteUint32Le(uint32(wasm4.AddrPalette+4*i), c)
		}
	}
	return nil
}

// w4Func returns the Go implementation of a WASM-4 env function.
func (w *wazeroInstance) w4Func(name string) func(context.Context, api.Module, []uint64) {
	i32 := func(v uint64) int32 { return api.DecodeI32(v) }
	u32 := func(v uint64) uint32 { return api.DecodeU32(v) }
	switch name {
	case "blit":
		return func(_ context.Context, m api.Module, s []uint64) {
			trap(wasm4.Blit(memView(m), u32(s[0]), i32(s[1]), i32(s[2]), u32(s[3]), u32(s[4]), u32(s[5])))
		}
	case "blitSub":
		return func(_ context.Context, m api.Module, s []uint64) {
			trap(wasm4.BlitSub(memView(m), u32(s[0]), i32(s[1]), i32(s[2]), u32(s[3]), u32(s[4]), u32(s[5]), u32(s[6]), u32(s[7]), u32(s[8])))
		}
	case "line":
		return func(_ context.Context, m api.Module, s []uint64) {
			wasm4.Line(memView(m), i32(s[0]), i32(s[1]), i32(s[2]), i32(s[3]))
		}
	case "hline":
		return func(_ context.Context, m api.Module, s []uint64) {
			wasm4.HLine(memView(m), i32(s[0]), i32(s[1]), u32(s[2]))
		}
	case "vline":
		return func(_ context.Context, m api.Module, s []uint64) {
			wasm4.VLine(memView(m), i32(s[0]), i32(s[1]), u32(s[2]))
		}
	case "oval":
		return func(_ context.Context, m api.Module, s []uint64) {
			wasm4.Oval(memView(m), i32(s[0]), i32(s[1]), u32(s[2]), u32(s[3]))
		}
	case "rect":
		return func(_ context.Context, m api.Module, s []uint64) {
			wasm4.Rect(memView(m), i32(s[0]), i32(s[1]), u32(s[2]), u32(s[3]))
		}
	case "text":
		return func(_ context.Context, m api.Module, s []uint64) {
			trap(wasm4.Text(memView(m), u32(s[0]), i32(s[1]), i32(s[2])))
		}
	case "textUtf8":
		return func(_ context.Context, m api.Module, s []uint64) {
			trap(wasm4.TextUTF8(memView(m), u32(s[0]), u32(s[1]), i32(s[2]), i32(s[3])))
		}
	case "textUtf16":
		return func(_ context.Context, m api.Module, s []uint64) {
			trap(wasm4.TextUTF16(memView(m), u32(s[0]), u32(s[1]), i32(s[2]), i32(s[3])))
		}
	case "tone":
		return func(_ context.Context, _ api.Module, s []uint64) {
			if len(w.tones) < maxTonesPerUpdate {
				w.tones = append(w.tones, Tone{u32(s[0]), u32(s[1]), u32(s[2]), u32(s[3])})
			}
		}
	case "diskr":
		return func(_ context.Context, m api.Module, s []uint64) {
			n, err := w.disk.diskRead(memView(m), u32(s[0]), u32(s[1]))
			trap(err)
			s[0] = uint64(n)
		}
	case "diskw":
		return func(_ context.Context, m api.Module, s []uint64) {
			n, err := w.disk.diskWrite(memView(m), u32(s[0]), u32(s[1]))
			trap(err)
			s[0] = uint64(n)
		}
	case "trace":
		return func(_ context.Context, m api.Module, s []uint64) {
			w.logw.Line([]byte(cString(memView(m), u32(s[0]))))
		}
	case "traceUtf8":
		return func(_ context.Context, m api.Module, s []uint64) {
			b, ok := memSlice(memView(m), u32(s[0]), u32(s[1]))
			if !ok {
				trap(fmt.Errorf("traceUtf8: string %w", outOfRange(u32(s[0]), int(u32(s[1])), uint64(len(memView(m))))))
			}
			w.logw.Line([]byte(latin1OrUTF8(b)))
		}
	case "traceUtf16":
		return func(_ context.Context, m api.Module, s []uint64) {
			b, ok := memSlice(memView(m), u32(s[0]), u32(s[1]))
			if !ok {
				trap(fmt.Errorf("traceUtf16: string %w", outOfRange(u32(s[0]), int(u32(s[1])), uint64(len(memView(m))))))
			}
			w.logw.Line([]byte(utf16String(b)))
		}
	case "tracef":
		return func(_ context.Context, m api.Module, s []uint64) {
			w.logw.Line([]byte(tracef(memView(m), u32(s[0]), u32(s[1]))))
		}
	}
	panic("guest: no WASM-4 function " + name)
}
