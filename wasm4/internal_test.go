package wasm4

import (
	"math"
	"math/big"
	"testing"
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
