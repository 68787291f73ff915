module github.com/ebicart/ebicart

go 1.26.0

require (
	github.com/ebitengine/purego v0.11.0
	github.com/elastic/go-seccomp-bpf v1.6.0
	github.com/fsnotify/fsnotify v1.10.1
	github.com/hajimehoshi/ebiten/v2 v2.10.4
	github.com/landlock-lsm/go-landlock v0.11.2
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/image v0.45.0
	golang.org/x/sys v0.49.0
)

require (
	github.com/ebitengine/gomobile v0.0.0-20260820040257-d11f821a26a6 // indirect
	github.com/ebitengine/hideconsole v1.0.0 // indirect
	github.com/ebitengine/oto/v3 v3.5.0 // indirect
	github.com/jfreymuth/pulse v0.1.3 // indirect
	golang.org/x/net v0.41.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	kernel.org/pub/linux/libs/security/libcap/psx v1.2.78 // indirect
)
