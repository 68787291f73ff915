package guest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// helloLink answers a handshake with a hello of its build.
type helloLink struct {
	build  string
	killed bool
}

func (l *helloLink) Engine() string           { return "test" }
func (l *helloLink) Send([]byte) error        { return nil }
func (l *helloLink) Prepare(BootConfig) error { return nil }
func (l *helloLink) SharesMemory() bool       { return false }
func (l *helloLink) Memory(uint64) []byte     { return nil }
func (l *helloLink) Calling() string          { return "" }
func (l *helloLink) Kill()                    { l.killed = true }
func (l *helloLink) Close() error             { return nil }
func (l *helloLink) Broken(during string, err error) error {
	return &WorkerError{During: during, Status: err.Error()}
}
func (l *helloLink) Recv(time.Duration) ([]byte, error) {
	return encodeHello(hello{version: ProtocolVersion, build: l.build}), nil
}

// TestHandshakeBuilds: a worker of another build is refused and killed;
// between two builds of a site (a page, a worker fetched after the site
// was deployed again) the error tells a player to reload the page.
func TestHandshakeBuilds(t *testing.T) {
	for _, tc := range []struct{ host, worker, want string }{
		{"web a1", "web a1", ""},
		{"web", "web a1", ""}, // a page that names no build (an example's) with the site's worker
		{"web a1", "web", ""},
		{"web a1", "web b2", fmt.Sprintf(`it speaks protocol %d of build "web b2", this host %d of build "web a1"): the site was updated since this page was opened: reload the page`, ProtocolVersion, ProtocolVersion)},
		{"linux abc", "linux def", fmt.Sprintf(`of build "linux def", this host %d of build "linux abc"): `, ProtocolVersion) + handshakeAdvice},
	} {
		l := &helloLink{build: tc.worker}
		err := NewClient(l, Output{}).Handshake(tc.host, time.Second)
		if tc.want == "" {
			if err != nil || l.killed {
				t.Errorf("%s with %s: %v (killed %v)", tc.host, tc.worker, err, l.killed)
			}
			continue
		}
		var we *WorkerError
		if !errors.As(err, &we) || !strings.HasSuffix(err.Error(), tc.want) || !l.killed {
			t.Errorf("%s with %s: %v (killed %v), want ...%s", tc.host, tc.worker, err, l.killed, tc.want)
		}
	}
}
