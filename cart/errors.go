package cart

import "errors"

var errClosed = errors.New("cart: closed")
