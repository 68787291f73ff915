package digest

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// TestSum256 checks the browser's SHA-256 against FIPS 180-4's examples
// and against crypto/sha256 at every length around the padding's edges
// and the chunk's.
func TestSum256(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	} {
		if got := sum256([]byte(tc.in)); hex.EncodeToString(got[:]) != tc.want {
			t.Errorf("sum256(%q) = %x, want %s", tc.in, got, tc.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 3*chunk+blockSize+9)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	var lengths []int
	for n := range 3 * blockSize {
		lengths = append(lengths, n)
	}
	for _, edge := range []int{chunk, 2 * chunk, 3 * chunk} {
		for d := -blockSize - 9; d <= blockSize+9; d++ {
			lengths = append(lengths, edge+d)
		}
	}
	for _, n := range lengths {
		if got, want := sum256(b[:n]), sha256.Sum256(b[:n]); got != want {
			t.Errorf("%d bytes: sum256 = %x, crypto/sha256 %x", n, got, want)
		}
	}
	if got, want := Sum256(b), sha256.Sum256(b); got != want {
		t.Errorf("Sum256 = %x, crypto/sha256 %x", got, want)
	}
}

// FuzzSum256 compares the browser's SHA-256 with crypto/sha256.
func FuzzSum256(f *testing.F) {
	f.Add([]byte("abc"))
	f.Add(make([]byte, 55))
	f.Add(make([]byte, 56))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := sum256(b), sha256.Sum256(b); got != want {
			t.Fatalf("%d bytes: sum256 = %x, crypto/sha256 %x", len(b), got, want)
		}
	})
}

// BenchmarkSum256 hashes 1 MiB with the browser's SHA-256 (plain Go),
// next to crypto/sha256 (natively its assembly; in the browser plain Go
// too) and a copy of the same bytes: compare their MB/s.
func BenchmarkSum256(b *testing.B) {
	buf := make([]byte, 1<<20)
	dst := make([]byte, len(buf))
	for _, bc := range []struct {
		name string
		f    func()
	}{
		{"copy", func() { copy(dst, buf) }},
		{"crypto", func() { sha256.Sum256(buf) }},
		{"sum256", func() { sum256(buf) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				bc.f()
			}
		})
	}
}

// TestNoted: a noted sum is returned for the very slice it was noted for,
// and for no other bytes, not even a copy or a shorter view of them; and
// once.
func TestNoted(t *testing.T) {
	b := []byte("a cart's bytes, hashed by the page")
	other := []byte("another cart")
	sum := Sum256(b)
	for _, tc := range []struct {
		name string
		b    []byte
		ok   bool
	}{
		{"the same slice", b, true},
		{"the same bytes, whole", b[:len(b):len(b)], true},
		{"a copy", append([]byte(nil), b...), false},
		{"a shorter view", b[:len(b)-1], false},
		{"a later start", b[1:], false},
		{"other bytes", other, false},
		{"nothing", nil, false},
	} {
		Note(b, sum)
		Note(nil, [Size]byte{1}) // nothing to note: the last note stays
		used := NotedUsed()
		got, ok := Noted(tc.b)
		if ok != tc.ok || ok && got != sum {
			t.Errorf("%s: Noted = %x, %t; want %t", tc.name, got, ok, tc.ok)
		}
		if n := NotedUsed() - used; n != map[bool]int64{true: 1}[tc.ok] {
			t.Errorf("%s: NotedUsed went up by %d", tc.name, n)
		}
	}
	Note(b, sum)
	Noted(b)
	if _, ok := Noted(b); ok {
		t.Error("Noted returned a sum twice")
	}
	Note(b, sum)
	Note(other, Sum256(other))
	if _, ok := Noted(b); ok {
		t.Error("Noted returned the sum of a slice noted before the last")
	}
}
