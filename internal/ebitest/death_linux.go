package ebitest

import "syscall"

// deathSignal kills a child when this process dies.
func deathSignal() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
