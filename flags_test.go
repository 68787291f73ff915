package main

import (
	"flag"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestPageParams: in the page, each run flag is a URL parameter of the
// same name, checked as on the command line; the flags that mean nothing
// in a page are refused with why, and every flag is one or the other.
func TestPageParams(t *testing.T) {
	flagSet(&config{}).VisitAll(func(f *flag.Flag) {
		if _, ok := notInPage[f.Name]; ok {
			return
		}
		// An empty default (a size's) is no value to set, but the name
		// must be known.
		if _, err := pageArgs(url.Values{f.Name: {f.DefValue}}); err != nil && (f.DefValue != "" || strings.Contains(err.Error(), "unknown")) {
			t.Errorf("flag -%s is neither a URL parameter nor in notInPage: %v", f.Name, err)
		}
	})
	for name := range notInPage {
		if flagSet(&config{}).Lookup(name) == nil {
			t.Errorf("notInPage names -%s, which is no flag", name)
		}
	}
	// A URL in error keeps the cart it names, for the error screen's
	// title, and the carts opened next run with the defaults.
	namesA := func(c config) bool {
		return c.cart == "carts/a.wasm" && c.cpuLimit == time.Second && c.startLimit == 10*time.Second && c.rewind && c.mode == "auto" && c.engine == "auto"
	}
	tests := []struct {
		query string
		check func(c config) bool
		err   string
	}{
		{"cart=carts/wasm4.wasm&palette=ff0000,00ff00,0000ff,ffffff&cpu-limit=2s&start-limit=20s", func(c config) bool {
			return c.cart == "carts/wasm4.wasm" && c.palette == "ff0000,00ff00,0000ff,ffffff" && c.cpuLimit == 2*time.Second && c.startLimit == 20*time.Second
		}, ""},
		{"", func(c config) bool { return c.cart == "" && c.cpuLimit == time.Second && c.rewind }, ""},
		{"cart=-h", func(c config) bool { return c.cart == "-h" }, ""}, // a cart, not a flag
		{"rewind=false&max-memory=64MiB&mode=wasm4", func(c config) bool {
			return !c.rewind && c.maxMemory == 64<<20 && c.mode == "wasm4"
		}, ""},
		{"rewind", func(c config) bool { return c.rewind }, ""},
		{"replay=walks/a.txt&load-state=s.state", func(c config) bool { return c.replay == "walks/a.txt" && c.loadState == "s.state" }, ""},
		{"cpu-limit=x&cart=carts/a.wasm", namesA, `URL parameter cpu-limit=x: want a duration such as 500ms`},
		{"start-limit=0s&cart=carts/a.wasm", namesA, "URL parameter start-limit=0s: want a duration of 1ms or more, such as 10s"},
		{"cpu-limit=1ns&cart=carts/a.wasm", namesA, "URL parameter cpu-limit=1ns: want a duration of 1ms or more"},
		{"palette=red&cart=carts/a.wasm", namesA, `URL parameter palette: "red": want four colours`},
		{"headless=1&cart=carts/a.wasm", namesA, "URL parameter headless: not in the browser: the page always draws"},
		{"frames=60", nil, "URL parameter frames: not in the browser"},
		{"nope=1&cart=carts/a.wasm", namesA, "URL parameter nope: unknown"},
		{"nope=1&cpu-limit=3s&rewind=false&cart=carts/a.wasm", namesA, "URL parameter nope: unknown"},
		// A value with no name (a stray "=" in a link): "URL parameter :"
		// named nothing.
		{"=x&cart=carts/a.wasm", namesA, "URL parameter =x: a value with no name: remove it from the URL"},
		{"=x&=y&cart=carts/a.wasm", namesA, "URL parameter =x: a value with no name: remove it from the URL"},
		{"cpu-limit=abc&cart=carts/a.wasm", namesA, `URL parameter cpu-limit=abc: want a duration such as 500ms`},
		{"rewind=maybe&cart=carts/a.wasm", namesA, `URL parameter rewind=maybe: want true or false (or rewind alone, for true)`},
		{"max-memory=5GiB&cart=carts/a.wasm", namesA, `URL parameter max-memory=5GiB: want a size between 64KiB and 4GiB`},
		{"max-memory=4GiB&cart=carts/a.wasm", namesA, `URL parameter max-memory=4096MiB: at most 4095.9375MiB`},
		{"cpu-limit=a%20b%1B&cart=carts/a.wasm", namesA, `URL parameter cpu-limit="a b\x1b": want a duration`},
		{"engine=inprocess&cart=carts/a.wasm", namesA, "URL parameter engine=inprocess: the page runs carts in a Web Worker: want auto or process"},
		{"engine=process", func(c config) bool { return c.engine == "process" }, ""},
		// A link shared on a social site comes back with its tracking.
		{"cart=carts/a.wasm&fbclid=IwAR0x&utm_source=x&utm_medium=social&gclid=1", namesA, ""},
		{"cart=carts/a.wasm&cart=http://%5B", namesA, "URL parameter cart: given 2 times: give it once"},
		{"cpu-limit=2s&cpu-limit=3s&cart=carts/a.wasm", namesA, "URL parameter cpu-limit: given 2 times: give it once"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			c, err := pageConfig(q)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if tc.check != nil && !tc.check(c) {
					t.Fatalf("config %+v with the error", c)
				}
			case err != nil:
				t.Fatal(err)
			case !tc.check(c):
				t.Fatalf("config %+v", c)
			}
		})
	}
}
