package guest

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/ebicart/ebicart/guest/engine"
	"github.com/ebicart/ebicart/internal/wasmbin"
)

// WASIModule is the import module name of the WASI preview 1 functions.
const WASIModule = "wasi_snapshot_preview1"

// wasiSignatures lists every function of wasi_snapshot_preview1 with its
// signature, i = i32 and I = i64, params then results. The core offers all
// of them, written once here for every engine (see wasiFuncs).
var wasiSignatures = map[string]string{
	"args_get":                "ii i",
	"args_sizes_get":          "ii i",
	"clock_res_get":           "ii i",
	"clock_time_get":          "iIi i",
	"environ_get":             "ii i",
	"environ_sizes_get":       "ii i",
	"fd_advise":               "iIIi i",
	"fd_allocate":             "iII i",
	"fd_close":                "i i",
	"fd_datasync":             "i i",
	"fd_fdstat_get":           "ii i",
	"fd_fdstat_set_flags":     "ii i",
	"fd_fdstat_set_rights":    "iII i",
	"fd_filestat_get":         "ii i",
	"fd_filestat_set_size":    "iI i",
	"fd_filestat_set_times":   "iIIi i",
	"fd_pread":                "iiiIi i",
	"fd_prestat_dir_name":     "iii i",
	"fd_prestat_get":          "ii i",
	"fd_pwrite":               "iiiIi i",
	"fd_read":                 "iiii i",
	"fd_readdir":              "iiiIi i",
	"fd_renumber":             "ii i",
	"fd_seek":                 "iIii i",
	"fd_sync":                 "i i",
	"fd_tell":                 "ii i",
	"fd_write":                "iiii i",
	"path_create_directory":   "iii i",
	"path_filestat_get":       "iiiii i",
	"path_filestat_set_times": "iiiiIIi i",
	"path_link":               "iiiiiii i",
	"path_open":               "iiiiiIIii i",
	"path_readlink":           "iiiiii i",
	"path_remove_directory":   "iii i",
	"path_rename":             "iiiiii i",
	"path_symlink":            "iiiii i",
	"path_unlink_file":        "iii i",
	"poll_oneoff":             "iiii i",
	"proc_exit":               "i ",
	"proc_raise":              "i i",
	"random_get":              "ii i",
	"sched_yield":             " i",
	"sock_accept":             "iii i",
	"sock_recv":               "iiiiii i",
	"sock_send":               "iiiii i",
	"sock_shutdown":           "ii i",
}

// Sig parses the compact signature notation of the import tables: i for
// i32, I for i64, the parameters, a space, the results.
func Sig(s string) wasmbin.FuncType {
	params, results, _ := strings.Cut(s, " ")
	conv := func(s string) []wasmbin.ValType {
		ts := make([]wasmbin.ValType, len(s))
		for i, c := range s {
			if c == 'I' {
				ts[i] = wasmbin.I64
			} else {
				ts[i] = wasmbin.I32
			}
		}
		return ts
	}
	return wasmbin.FuncType{Params: conv(params), Results: conv(results)}
}

// WASI error numbers.
const (
	errnoSuccess = 0
	errnoBadf    = 8
	errnoFault   = 21
	errnoInval   = 28
	errnoNosys   = 52
	errnoNotsup  = 58
	errnoPerm    = 63
	errnoSpipe   = 70
)

// WASI clock ids and poll event types.
const (
	clockRealtime  = 0
	clockMonotonic = 1

	eventClock   = 0
	eventFdRead  = 1
	eventFdWrite = 2

	subscriptionClockAbstime = 1
)

// wasiFuncs are the WASI functions as the core offers them. The policy:
// there are no files, no environment, no arguments and no preopened
// directories; what would reach outside returns a WASI error code
// (EBADF for a file descriptor that is not there, EPERM for an absolute or
// escaping path, ESPIPE for seeking a stream), never a trap. stdout and
// stderr go to the cart's log; stdin is empty. The clocks are virtual (see
// clock), random_get is seeded, and poll_oneoff's clock subscriptions
// advance the virtual clock instead of sleeping.
func (c *Core) wasiFuncs() []engine.HostFunc {
	impl := map[string]func(m engine.Memory, s []uint64){
		"args_get":          func(m engine.Memory, s []uint64) { s[0] = errnoSuccess },
		"args_sizes_get":    func(m engine.Memory, s []uint64) { s[0] = putZeros(m, u32(s[0]), u32(s[1])) },
		"environ_get":       func(m engine.Memory, s []uint64) { s[0] = errnoSuccess },
		"environ_sizes_get": func(m engine.Memory, s []uint64) { s[0] = putZeros(m, u32(s[0]), u32(s[1])) },
		"clock_res_get": func(m engine.Memory, s []uint64) {
			if id := u32(s[0]); id != clockRealtime && id != clockMonotonic {
				s[0] = errnoInval
				return
			}
			s[0] = put64(m, u32(s[1]), 1)
		},
		"clock_time_get": func(m engine.Memory, s []uint64) {
			var t uint64
			switch u32(s[0]) {
			case clockRealtime:
				t = c.clock.realtime()
			case clockMonotonic:
				t = c.clock.monotonic()
			default:
				s[0] = errnoInval
				return
			}
			s[0] = put64(m, u32(s[2]), t)
		},
		"fd_advise":             badfd,
		"fd_allocate":           badfd,
		"fd_close":              func(m engine.Memory, s []uint64) { s[0] = ifStdio(u32(s[0]), errnoSuccess, errnoBadf) },
		"fd_datasync":           badfd,
		"fd_fdstat_get":         fdstat,
		"fd_fdstat_set_flags":   badfd,
		"fd_fdstat_set_rights":  badfd,
		"fd_filestat_get":       badfd,
		"fd_filestat_set_size":  badfd,
		"fd_filestat_set_times": badfd,
		"fd_pread":              spipe,
		"fd_prestat_dir_name":   func(m engine.Memory, s []uint64) { s[0] = errnoBadf },
		"fd_prestat_get":        func(m engine.Memory, s []uint64) { s[0] = errnoBadf },
		"fd_pwrite":             spipe,
		"fd_read": func(m engine.Memory, s []uint64) {
			if u32(s[0]) != 0 {
				s[0] = errnoBadf
				return
			}
			if !inMemory(m, u32(s[1]), 8*uint64(u32(s[2]))) {
				s[0] = errnoFault
				return
			}
			s[0] = put32(m, u32(s[3]), 0) // stdin is empty
		},
		"fd_readdir":              badfd,
		"fd_renumber":             func(m engine.Memory, s []uint64) { s[0] = errnoBadf },
		"fd_seek":                 spipe,
		"fd_sync":                 badfd,
		"fd_tell":                 spipe,
		"fd_write":                c.fdWrite,
		"path_create_directory":   func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[1]), u32(s[2])) },
		"path_filestat_get":       func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[2]), u32(s[3])) },
		"path_filestat_set_times": func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[2]), u32(s[3])) },
		"path_link":               func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[2]), u32(s[3])) },
		"path_open":               func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[2]), u32(s[3])) },
		"path_readlink":           func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[1]), u32(s[2])) },
		"path_remove_directory":   func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[1]), u32(s[2])) },
		"path_rename":             func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[1]), u32(s[2])) },
		"path_symlink":            func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[0]), u32(s[1])) },
		"path_unlink_file":        func(m engine.Memory, s []uint64) { s[0] = pathErr(m, u32(s[1]), u32(s[2])) },
		"poll_oneoff":             c.pollOneoff,
		"proc_exit":               func(m engine.Memory, s []uint64) { panic(&engine.Exit{Code: u32(s[0])}) },
		"proc_raise":              func(m engine.Memory, s []uint64) { s[0] = errnoNosys },
		"random_get":              c.randomGet,
		"sched_yield":             func(m engine.Memory, s []uint64) { s[0] = errnoSuccess },
		"sock_accept":             badfd,
		"sock_recv":               badfd,
		"sock_send":               badfd,
		"sock_shutdown":           badfd,
	}
	fns := make([]engine.HostFunc, 0, len(impl))
	for name, f := range impl {
		fns = append(fns, engine.HostFunc{Module: WASIModule, Name: name, Type: Sig(wasiSignatures[name]), Call: f})
	}
	return fns
}

func u32(v uint64) uint32 { return uint32(v) }

func isStdio(fd uint32) bool { return fd <= 2 }

func ifStdio(fd uint32, stdio, other uint64) uint64 {
	if isStdio(fd) {
		return stdio
	}
	return other
}

// badfd answers a call on a file descriptor: there are no files, and the
// standard streams do not do what it asks.
func badfd(_ engine.Memory, s []uint64) { s[0] = ifStdio(u32(s[0]), errnoNotsup, errnoBadf) }

// spipe answers a positioned read or write, or a seek: the standard streams
// cannot seek.
func spipe(_ engine.Memory, s []uint64) { s[0] = ifStdio(u32(s[0]), errnoSpipe, errnoBadf) }

func put32(m engine.Memory, addr, v uint32) uint64 {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	if !m.Write(addr, b[:]) {
		return errnoFault
	}
	return errnoSuccess
}

func put64(m engine.Memory, addr uint32, v uint64) uint64 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	if !m.Write(addr, b[:]) {
		return errnoFault
	}
	return errnoSuccess
}

// putZeros writes two u32 zeros: no arguments or variables, no bytes.
func putZeros(m engine.Memory, a, b uint32) uint64 {
	if !inMemory(m, a, 4) || !inMemory(m, b, 4) || put32(m, a, 0) != errnoSuccess || put32(m, b, 0) != errnoSuccess {
		return errnoFault
	}
	return errnoSuccess
}

// pathErr answers every path call: an absolute or escaping path is EPERM,
// any other EBADF, there being no preopened directory.
func pathErr(m engine.Memory, ptr, n uint32) uint64 {
	if n > 4096 {
		n = 4096
	}
	b := make([]byte, n)
	if !m.Read(ptr, b) {
		return errnoFault
	}
	p := string(b)
	if strings.HasPrefix(p, "/") || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "/../") || strings.HasSuffix(p, "/..") {
		return errnoPerm
	}
	return errnoBadf
}

// fdstat describes the standard streams as character devices.
func fdstat(m engine.Memory, s []uint64) {
	fd := u32(s[0])
	if !isStdio(fd) {
		s[0] = errnoBadf
		return
	}
	var b [24]byte
	b[0] = 2            // character device
	rights := uint64(2) // fd_read
	if fd != 0 {
		binary.LittleEndian.PutUint16(b[2:], 1) // append
		rights = 64                             // fd_write
	}
	binary.LittleEndian.PutUint64(b[8:], rights)
	if !m.Write(u32(s[1]), b[:]) {
		s[0] = errnoFault
		return
	}
	s[0] = errnoSuccess
}

// fdWrite writes stdout and stderr to the log.
func (c *Core) fdWrite(m engine.Memory, s []uint64) {
	fd, iovs, n, nwritten := u32(s[0]), u32(s[1]), u32(s[2]), u32(s[3])
	if fd != 1 && fd != 2 {
		s[0] = errnoBadf
		return
	}
	// Every address is checked before a byte is written, so that a call
	// refused with EFAULT has written nothing.
	if !inMemory(m, iovs, 8*uint64(n)) || !inMemory(m, nwritten, 4) {
		s[0] = errnoFault
		return
	}
	var iov [8]byte
	var total uint64
	for i := range n {
		if i&4095 == 4095 {
			c.checkDeadline() // a million empty buffers cost time too
		}
		m.Read(iovs+8*i, iov[:])
		ptr, l := binary.LittleEndian.Uint32(iov[:]), binary.LittleEndian.Uint32(iov[4:])
		if !inMemory(m, ptr, uint64(l)) {
			s[0] = errnoFault
			return
		}
		total += uint64(l)
	}
	if total > math.MaxUint32 {
		s[0] = errnoInval // nwritten could not say how much was written
		return
	}
	for i := range n {
		if i&4095 == 4095 {
			c.checkDeadline()
		}
		m.Read(iovs+8*i, iov[:])
		c.writeStream(m, binary.LittleEndian.Uint32(iov[:]), binary.LittleEndian.Uint32(iov[4:]))
	}
	s[0] = put32(m, nwritten, uint32(total))
}

// inMemory says whether the n bytes at addr are all in memory.
func inMemory(m engine.Memory, addr uint32, n uint64) bool {
	return uint64(addr)+n <= m.Size()
}

// writeStream passes n bytes of memory at ptr to the log, a chunk at a
// time so that a huge write costs no huge buffer.
func (c *Core) writeStream(m engine.Memory, ptr, n uint32) {
	c.inChunks(m, ptr, n, true, func(b []byte) { c.log.Write(b) })
}

// inChunks calls f on the n bytes of memory at ptr, at most 1 MiB at a
// time with a deadline check before each. f gets the memory itself where
// the engine gives a view of it, else a 64 KiB scratch copy, read from
// memory before f (read) or written to it after.
func (c *Core) inChunks(m engine.Memory, ptr, n uint32, read bool, f func([]byte)) {
	if cap(c.ioBuf) < 64<<10 {
		c.ioBuf = make([]byte, 64<<10)
	}
	b := m.Bytes()
	for n > 0 {
		c.checkDeadline()
		k := min(n, 1<<20)
		if b != nil {
			f(b[ptr : ptr+k])
		} else {
			k = min(k, uint32(len(c.ioBuf)))
			if read {
				m.Read(ptr, c.ioBuf[:k])
			}
			f(c.ioBuf[:k])
			if !read {
				m.Write(ptr, c.ioBuf[:k])
			}
		}
		ptr += k
		n -= k
	}
}

// randomGet fills memory from the cart's seeded generator.
func (c *Core) randomGet(m engine.Memory, s []uint64) {
	ptr, n := u32(s[0]), u32(s[1])
	if uint64(ptr)+uint64(n) > m.Size() {
		s[0] = errnoFault
		return
	}
	c.inChunks(m, ptr, n, false, c.clock.random)
	s[0] = errnoSuccess
}

// maxSubscriptions bounds one poll_oneoff call: more is EINVAL, not read.
const maxSubscriptions = 1 << 16

// pollOneoff answers subscriptions at once. Standard streams are always
// ready and other descriptors are EBADF; when none is asked for, the
// virtual clock advances to the earliest clock subscription's time, which
// then fires (with every other that is due by then).
func (c *Core) pollOneoff(m engine.Memory, s []uint64) {
	in, out, nsubs, nevents := u32(s[0]), u32(s[1]), u32(s[2]), u32(s[3])
	if nsubs == 0 {
		s[0] = errnoInval
		return
	}
	// Every address first: a call refused with EFAULT neither writes nor
	// moves the clock.
	if !inMemory(m, in, 48*uint64(nsubs)) || !inMemory(m, out, 32*uint64(nsubs)) || !inMemory(m, nevents, 4) {
		s[0] = errnoFault
		return
	}
	if nsubs > maxSubscriptions {
		s[0] = errnoInval
		return
	}
	subs := make([]byte, 48*nsubs)
	m.Read(in, subs)
	// The time each clock subscription is due, and whether any descriptor
	// subscription is.
	due := make([]uint64, nsubs)
	fdReady := false
	earliest := ^uint64(0)
	for i := range nsubs {
		sub := subs[48*i:]
		switch sub[8] {
		case eventClock:
			id := binary.LittleEndian.Uint32(sub[16:])
			timeout := binary.LittleEndian.Uint64(sub[24:])
			flags := binary.LittleEndian.Uint16(sub[40:])
			due[i] = c.clock.deadline(id, timeout, flags&subscriptionClockAbstime != 0)
			earliest = min(earliest, due[i])
		case eventFdRead, eventFdWrite:
			fdReady = true
		}
	}
	if !fdReady && earliest != ^uint64(0) {
		c.clock.sleepUntil(earliest)
	}
	events := make([]byte, 0, 32*nsubs)
	for i := range nsubs {
		sub := subs[48*i:]
		var ev [32]byte
		copy(ev[:8], sub[:8]) // userdata
		ev[10] = sub[8]
		switch sub[8] {
		case eventClock:
			if due[i] > c.clock.mono {
				continue
			}
			if id := binary.LittleEndian.Uint32(sub[16:]); id != clockRealtime && id != clockMonotonic {
				binary.LittleEndian.PutUint16(ev[8:], errnoInval)
			}
		case eventFdRead, eventFdWrite:
			if fd := binary.LittleEndian.Uint32(sub[16:]); !isStdio(fd) {
				binary.LittleEndian.PutUint16(ev[8:], errnoBadf)
			}
		default:
			binary.LittleEndian.PutUint16(ev[8:], errnoInval)
		}
		events = append(events, ev[:]...)
	}
	if !m.Write(out, events) {
		s[0] = errnoFault
		return
	}
	s[0] = put32(m, nevents, uint32(len(events)/32))
}
