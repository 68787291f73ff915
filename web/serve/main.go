// Command serve serves ebicart's browser build (make serve runs it):
//
//	go run ./web/serve -dir build/web -addr localhost:8080
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/ebicart/ebicart/web"
)

func main() {
	dir := flag.String("dir", "build/web", "the site `folder` make web wrote")
	addr := flag.String("addr", "localhost:8080", "listen `address`")
	flag.Parse()
	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		fmt.Fprintf(os.Stderr, "serve: no site in %s: run make web first\n", *dir)
		os.Exit(1)
	}
	// Listen first: an address in use is said as such, not after the
	// line that says the site is served.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "serve: %v: is another server there? Stop it, or give -addr another port (make serve ADDR=localhost:8081)\n", err)
		os.Exit(1)
	}
	fmt.Printf("ebicart: serving %s at http://%s/ (Ctrl-C stops)\n", *dir, ln.Addr())
	fmt.Printf("  a cart from the site:  http://%s/?cart=carts/seed.wasm\n", ln.Addr())
	log.Fatal(http.Serve(ln, web.Handler(*dir)))
}
