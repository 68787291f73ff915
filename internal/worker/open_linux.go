//go:build linux

package worker

func open(kind Kind) (link guestLink, stops bool, err error) {
	if kind == KindInProcess {
		return inProcess(), true, nil
	}
	p, err := Get()
	if err != nil {
		return nil, false, err
	}
	return p, false, nil
}
