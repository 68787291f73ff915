//go:build !linux

package ebitest

import "syscall"

// deathSignal: only Linux can tie a child's life to its parent's.
func deathSignal() *syscall.SysProcAttr { return nil }
