package wasm4

import (
	"encoding/binary"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/ebicart/ebicart/guest"
)

func TestIsqrt64(t *testing.T) {
	vals := []uint64{0, 1, 2, 3, 4, 15, 16, 17, 1<<52 - 1, 1 << 52, 1<<53 + 1, 1<<62 - 1,
		math.MaxUint32 * math.MaxUint32, math.MaxUint32*math.MaxUint32 - 1, math.MaxUint64, math.MaxUint64 - 1}
	for i := range uint64(2000) {
		vals = append(vals, i*i-1, i*i, i*i+1, (i<<31)*(i<<1))
	}
	for _, v := range vals {
		want := new(big.Int).Sqrt(new(big.Int).SetUint64(v)).Uint64()
		if got := isqrt64(v); got != want {
			t.Errorf("isqrt64(%d) = %d, want %d", v, got, want)
		}
	}
}

// TestIsqrt128 checks the root of 128-bit products against math/big:
// the squares of the largest oval's axes and their neighbours, powers of
// two, and a spread of sizes, as ellipse.bound forms them.
func TestIsqrt128(t *testing.T) {
	const m = math.MaxUint32 // the largest width an oval can have
	var pairs [][2]uint64
	for _, a := range []uint64{1, 2, 3, 1 << 16, 1<<16 + 1, 1<<31 - 1, 1 << 31, m - 2, m - 1, m} {
		for _, b := range []uint64{1, 2, 3, 1 << 16, 1<<16 + 1, 1<<31 - 1, 1 << 31, m - 2, m - 1, m} {
			pairs = append(pairs, [2]uint64{a * a, b*b - 1}, [2]uint64{a * a, b * b})
		}
	}
	for i := uint64(1); i < 3000; i++ {
		a, b := i*1433277+i*i*97, i*2654435761%m
		pairs = append(pairs, [2]uint64{a % m * (a % m), b * b})
	}
	for _, p := range pairs {
		v := new(big.Int).Mul(new(big.Int).SetUint64(p[0]), new(big.Int).SetUint64(p[1]))
		want := new(big.Int).Sqrt(v).Uint64()
		hi := new(big.Int).Rsh(v, 64).Uint64()
		lo := new(big.Int).And(v, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
		if got := isqrt128(hi, lo); got != want {
			t.Errorf("isqrt128(%d * %d) = %d, want %d", p[0], p[1], got, want)
		}
	}
}

func TestByteCount(t *testing.T) {
	for _, tt := range []struct{ rows, stride, last, bpp, want uint64 }{
		{0, 0, 1, 1, 1}, {0, 0, 8, 1, 1}, {0, 0, 9, 1, 2}, {0, 0, 4, 2, 1}, {0, 0, 5, 2, 2},
		{1, 8, 8, 1, 2}, {7, 8, 8, 1, 8}, {7, 8, 8, 2, 16},
		{1<<33 - 3, 1<<32 - 1, 1<<33 - 2, 1, 1<<62 - 3<<29 + 1},
		{1<<33 - 3, 1<<32 - 1, 1<<33 - 2, 2, 1<<63 - 3<<30 + 1},
	} {
		// Check the table against big arithmetic too.
		n := new(big.Int).SetUint64(tt.rows)
		n.Mul(n, new(big.Int).SetUint64(tt.stride))
		n.Add(n, new(big.Int).SetUint64(tt.last))
		n.Mul(n, new(big.Int).SetUint64(tt.bpp))
		n.Add(n, big.NewInt(7))
		n.Div(n, big.NewInt(8))
		if n.Uint64() != tt.want {
			t.Fatalf("table entry %+v: big says %v", tt, n)
		}
		if got := byteCount(tt.rows, tt.stride, tt.last, tt.bpp); got != tt.want {
			t.Errorf("byteCount(%+v) = %d, want %d", tt, got, tt.want)
		}
	}
}

func TestParseSheetRejects(t *testing.T) {
	for _, sheet := range []string{
		"........\n........\n",          // short band
		"...#...\n" + rows(7),           // narrow cell
		"........ ........\n" + rows(7), // uneven rows
		"...x....\n" + rows(7),          // bad character
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("parseSheet(%q) did not panic", sheet)
				}
			}()
			parseSheet(sheet)
		}()
	}
}

func rows(n int) string {
	s := ""
	for range n {
		s += "........\n"
	}
	return s
}

// TestTracefOutputCapped: a format of many %s of a long string makes no
// more than the log keeps of a message (guest.MaxLogMessage), whatever
// it would expand to.
func TestTracefOutputCapped(t *testing.T) {
	mem := make([]byte, 65536)
	for i := 32768; i < 65535; i++ {
		mem[i] = 'A' // a string of 32 KiB at 32768
	}
	f := []byte(strings.Repeat("%s", 4000))
	copy(mem, f) // the format at 0, and its arguments (4000 pointers) at 16384
	for i := range 4000 {
		binary.LittleEndian.PutUint32(mem[16384+4*i:], 32768)
	}
	out, err := tracef(mem, 0, 16384)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != guest.MaxLogMessage || strings.Trim(out, "A") != "" {
		t.Fatalf("tracef made %d bytes, want the first %d of the expansion", len(out), guest.MaxLogMessage)
	}
	// Past the cap, the arguments are still checked: a %d whose argument
	// is past memory traps.
	big := make([]byte, 200<<10)
	for i := 65536; i < 65536+100<<10; i++ {
		big[i] = 'A'
	}
	copy(big, "%s%d")
	args := uint32(len(big) - 6) // the string's address, then 2 bytes of memory left for the %d
	binary.LittleEndian.PutUint32(big[args:], 65536)
	if _, err := tracef(big, 0, args); err == nil || !strings.Contains(err.Error(), "past memory size") {
		t.Fatalf("a %%d past memory after the cap: %v, want the argument's error", err)
	}
}
