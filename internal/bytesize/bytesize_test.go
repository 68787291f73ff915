package bytesize

import "testing"

func TestText(t *testing.T) {
	for _, tc := range []struct {
		n    uint64
		want string
	}{
		{0, "0 bytes"},
		{1023, "1023 bytes"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{64 << 20, "64.0 MiB"},
		{4095 << 20, "4.0 GiB"},
		{1 << 30, "1.0 GiB"},
		{1536 << 30, "1.5 TiB"},
		{1 << 50, "1.0 PiB"},
		{1 << 62, "4.0 EiB"},
		{1<<64 - 1, "16.0 EiB"},
	} {
		if got := Text(tc.n); got != tc.want {
			t.Errorf("Text(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
