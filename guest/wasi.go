package guest

import (
	"strings"

	"github.com/ebicart/ebicart/internal/wasmbin"
)

// WASIModule is the import module name of the WASI preview 1 functions.
const WASIModule = "wasi_snapshot_preview1"

// wasiSignatures lists every function of wasi_snapshot_preview1 with its
// signature, i = i32 and I = i64, params then results. Both hosts offer all
// of them; the native host checks this table against wazero's own module in
// a test, the browser host implements each.
var wasiSignatures = map[string]string{
	"args_get":                "ii i",
	"args_sizes_get":          "ii i",
	"clock_res_get":           "ii i",
	"clock_time_get":          "iIi i",
	"environ_get":             "ii i",
	"environ_sizes_get":       "ii i",
	"fd_advise":               "iIIi i",
	"fd_allocate":             "iII i",
	"fd_close":                "i i",
	"fd_datasync":             "i i",
	"fd_fdstat_get":           "ii i",
	"fd_fdstat_set_flags":     "ii i",
	"fd_fdstat_set_rights":    "iII i",
	"fd_filestat_get":         "ii i",
	"fd_filestat_set_size":    "iI i",
	"fd_filestat_set_times":   "iIIi i",
	"fd_pread":                "iiiIi i",
	"fd_prestat_dir_name":     "iii i",
	"fd_prestat_get":          "ii i",
	"fd_pwrite":               "iiiIi i",
	"fd_read":                 "iiii i",
	"fd_readdir":              "iiiIi i",
	"fd_renumber":             "ii i",
	"fd_seek":                 "iIii i",
	"fd_sync":                 "i i",
	"fd_tell":                 "ii i",
	"fd_write":                "iiii i",
	"path_create_directory":   "iii i",
	"path_filestat_get":       "iiiii i",
	"path_filestat_set_times": "iiiiIIi i",
	"path_link":               "iiiiiii i",
	"path_open":               "iiiiiIIii i",
	"path_readlink":           "iiiiii i",
	"path_remove_directory":   "iii i",
	"path_rename":             "iiiiii i",
	"path_symlink":            "iiiii i",
	"path_unlink_file":        "iii i",
	"poll_oneoff":             "iiii i",
	"proc_exit":               "i ",
	"proc_raise":              "i i",
	"random_get":              "ii i",
	"sched_yield":             " i",
	"sock_accept":             "iii i",
	"sock_recv":               "iiiiii i",
	"sock_send":               "iiiii i",
	"sock_shutdown":           "ii i",
}

// sig parses the compact signature notation of wasiSignatures.
func sig(s string) wasmbin.FuncType {
	params, results, _ := strings.Cut(s, " ")
	conv := func(s string) []wasmbin.ValType {
		ts := make([]wasmbin.ValType, len(s))
		for i, c := range s {
			if c == 'I' {
				ts[i] = wasmbin.I64
			} else {
				ts[i] = wasmbin.I32
			}
		}
		return ts
	}
	return wasmbin.FuncType{Params: conv(params), Results: conv(results)}
}
