//go:build !js && !linux

package guest

import (
	"context"
	"errors"
)

// processSupported: the worker process needs memfd shared memory, which
// this system lacks; carts run in-process here.
const processSupported = false

func startProcess(context.Context, []byte, Config, Mode) (instance, error) {
	return nil, errors.New("guest: process isolation is Linux only")
}
