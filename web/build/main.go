// Command build writes ebicart's browser version, a static site, to a
// folder (make web runs it), with precompressed copies of its large files:
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
	gz := flag.Bool("gz", true, "write a .gz beside each wasm, JavaScript and HTML file, which make serve sends to browsers that accept it")
	flag.Parse()
	if err := web.Build(context.Background(), *root, *out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *gz {
		if err := web.Precompress(*out); err != nil {
			fmt.Fprintln(os.Stderr, "web: compressing the site:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("wrote %s: serve it with make serve, or copy the folder to any static host\n", *out)
}
