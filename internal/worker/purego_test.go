//go:build linux && !cgo && sandboxprobe

package worker

// A CGO_ENABLED=0 build of Ebitengine links purego, whose stand-in for cgo
// makes the runtime refuse AllThreadsSyscall, so that Landlock cannot be
// applied to every thread: make test runs TestLockdown in such a build
// too, as ebicart bundle's executables are.
import _ "github.com/ebitengine/purego"
