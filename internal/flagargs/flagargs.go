// Package flagargs parses a command line whose flags may come before or
// after its other arguments, as ebicart's commands take them
// (ebicart cart.wasm -frames 5, ebicart bundle cart.wasm -target all).
package flagargs

import "flag"

// Parse parses args with fs, flags before and after the arguments that
// are not flags, and returns those arguments. After "--" every argument
// is one.
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if n := len(args) - len(left); n > 0 && args[n-1] == "--" {
			return append(rest, left...), nil
		}
		rest, args = append(rest, left[0]), left[1:]
	}
}
