//go:build linux && !amd64

package worker

// Other architectures have only the calls of the common lists.
var allowedArch, allowedFilesArch []string
