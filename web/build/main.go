// Command build writes ebicart's browser version, a static site, to a
// folder (make web runs it):
//
//	go run ./web/build -o build/web
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/ebicart/ebicart/web"
)

func main() {
	out := flag.String("o", "build/web", "output `folder`")
	root := flag.String("root", ".", "the ebicart repository")
	flag.Parse()
	if err := web.Build(context.Background(), *root, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s: serve it with make serve, or copy the folder to any static host\n", *out)
}
