//go:build linux

package worker

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"syscall"

	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/sys/unix"

	"github.com/ebicart/ebicart/guest"
	"github.com/ebicart/ebicart/guest/engine/wazero"
)

// Serve makes this process a cart worker if the host started it as one
// (see Start): it serves the host's requests and exits, never returning.
// In any other process it returns false at once.
func Serve() bool {
	if len(os.Args) < 2 || len(os.Args) > 3 || os.Args[0] != argv0 || len(os.Args) == 3 && os.Args[2] != argUnlocked {
		return false
	}
	closeInherited()
	adviseHugeHeap()
	// Ctrl-C in a terminal signals the whole process group, and so may
	// SIGTERM and SIGHUP (kill -- -pgid, a closed terminal): the host
	// decides what they mean (a run writes its screenshot first, from this
	// worker's memory). The worker ends with its host anyway (Pdeathsig).
	signal.Ignore(os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	if v, err := strconv.Atoi(os.Args[1]); err != nil || v != guest.ProtocolVersion {
		fmt.Fprintf(os.Stderr, "ebicart worker: started for protocol %q, this program speaks %d\n", os.Args[1], guest.ProtocolVersion)
		os.Exit(3)
	}
	locked := len(os.Args) == 2
	if err := serve(os.NewFile(fdMemory, "cart-memory"), os.NewFile(fdRequests, "requests"), os.NewFile(fdReplies, "replies"), locked); err != nil {
		fmt.Fprintf(os.Stderr, "ebicart worker: %v\n", err)
		os.Exit(3)
	}
	os.Exit(0)
	return true
}

// closeInherited closes every descriptor the worker did not ask for: one
// its host opened without close-on-exec (a library's, a C dependency's)
// survives exec. Those are the ones above fdReplies without FD_CLOEXEC: Go
// opens all of its own with it.
func closeInherited() {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd <= fdReplies {
			continue
		}
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && flags&unix.FD_CLOEXEC == 0 {
			unix.Close(fd)
		}
	}
}

// serve answers requests until they end (nil) or one breaks the protocol.
func serve(mem, reqs, replies *os.File, locked bool) error {
	shm := &sharedMemory{file: mem}
	var wbuf []byte
	srv := &guest.Server{
		Engine:  &wazero.Engine{Allocator: shm, EngineName: "process"},
		Systems: systems(),
		Build:   Build(),
		Send: func(msg []byte) error {
			wbuf = binary.LittleEndian.AppendUint32(wbuf[:0], uint32(len(msg)))
			wbuf = append(wbuf, msg...)
			_, err := replies.Write(wbuf)
			return err
		},
		Calling: shm.calling,
		Rewrites: func(dir string) guest.RewriteCache {
			return guest.NewRewriteCache(dir, Build())
		},
	}
	if locked {
		srv.Lockdown = func(cfg *guest.BootConfig) (string, error) {
			dir, note, err := lockdown(cfg.CacheDir)
			cfg.CacheDir = dir
			return note, err
		}
	}
	defer srv.Close()
	var requests frameReader
	for {
		msg, err := requests.read(reqs)
		if errors.Is(err, io.EOF) {
			return nil // the host closed the cart
		}
		if err != nil {
			return fmt.Errorf("reading a request: %w", err)
		}
		if handled, err := probe(msg, replies); handled {
			if err != nil {
				return err
			}
			continue
		}
		if err := srv.Handle(msg); err != nil {
			return err
		}
	}
}

// sharedMemory backs the cart's linear memory with the memfd the host
// maps: the whole capped size is mapped once, so growing never moves it.
// The first page of the memfd is the control page.
//
// Every instance of the worker's cart gets the same buf: a state loaded
// into a cart whose memory has grown renews the instance. The bytes a
// memory grows over must read as zeros (memory.grow's promise), so those
// an earlier instance wrote are cleared as the new one reaches them:
// size is the current instance's memory, used the most any has had.
type sharedMemory struct {
	file       *os.File
	buf        []byte
	control    []byte
	size, used uint64
}

func (s *sharedMemory) Allocate(cap, max uint64) experimental.LinearMemory {
	if s.buf == nil {
		var st unix.Stat_t
		// Failing here leaves buf nil: Reallocate then fails, and the worker
		// reports it.
		if err := unix.Fstat(int(s.file.Fd()), &st); err == nil && st.Size > controlSize {
			if b, err := unix.Mmap(int(s.file.Fd()), controlSize, int(st.Size-controlSize), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err == nil {
				s.buf = b
			}
		}
	}
	s.size = 0 // a new instance: its first Reallocate is its initial size
	return s
}

func (s *sharedMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(s.buf)) {
		return nil
	}
	if size > s.size {
		if dirty := min(size, s.used); dirty > s.size {
			clear(s.buf[s.size:dirty])
		}
		s.size = size
		s.used = max(s.used, size)
	}
	return s.buf[:size]
}

func (s *sharedMemory) Free() {}

// calling records the export about to be called in the control page.
func (s *sharedMemory) calling(name string) {
	if s.control == nil {
		b, err := unix.Mmap(int(s.file.Fd()), 0, controlSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			return
		}
		s.control = b
	}
	s.control[0] = byte(max(0, slices.Index(callNames, name)))
}
