package bundle

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// listFile is the file in a bundle's output folder that lists what the
// last bundle wrote there: the next bundle replaces those files, never
// another one (the author's own, in a folder of theirs), and lists those it
// did not write again as stale.
const listFile = ".ebicart-bundle"

// listHeader starts listFile.
const listHeader = "# ebicart bundle: the files the last bundle wrote in this folder, which the next one may replace\n"

// checkOut makes sure files can be written in the output folder out, or
// made where it would be, before any build: a folder that cannot be is
// said at once, not after minutes of builds. It writes nothing that
// stays.
func checkOut(out string) error {
	dir := out
	for {
		st, err := os.Stat(dir)
		if err == nil && !st.IsDir() {
			return fmt.Errorf("bundle: -o %s: %s is a file, not a folder", out, dir)
		}
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("bundle: -o %s: %w", out, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return fmt.Errorf("bundle: -o %s: %w", out, err)
		}
		dir = parent
	}
	f, err := os.CreateTemp(dir, ".ebicart-probe-*")
	if err != nil {
		return fmt.Errorf("bundle: -o %s: nothing can be written in %s: %w", out, dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// earlierList reads the files the last bundle in out wrote (listFile), by
// their slash-separated paths.
func earlierList(out string) map[string]bool {
	b, err := os.ReadFile(filepath.Join(out, listFile))
	if err != nil {
		return nil
	}
	list := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			list[line] = true
		}
	}
	return list
}

// writeOut writes files (and their modes) into out, where earlier is what
// the last bundle wrote there. A file there that no bundle wrote is not
// replaced: the bundle fails first, naming it, having written nothing.
// The files are written beside their places and renamed into them once
// all are written, so that a full disk leaves out as it was. It returns
// what earlier lists and this bundle did not write.
func writeOut(out string, files map[string][]byte, modes map[string]os.FileMode, earlier map[string]bool) (stale []string, err error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	var theirs []string
	for _, name := range names {
		p := filepath.Join(out, name)
		if st, err := os.Lstat(p); err == nil {
			if st.IsDir() {
				return nil, fmt.Errorf("bundle: %s is a folder, where the bundle writes a file: move it, or give -o another folder", p)
			}
			if !earlier[filepath.ToSlash(name)] {
				theirs = append(theirs, p)
			}
		}
	}
	if len(theirs) > 0 {
		return nil, fmt.Errorf("bundle: no bundle wrote %s, and this one would replace %s: move %s, or give -o another folder; nothing was written",
			strings.Join(theirs, ", "), map[bool]string{true: "it", false: "them"}[len(theirs) == 1], map[bool]string{true: "it", false: "them"}[len(theirs) == 1])
	}
	var temps []string
	defer func() {
		for _, t := range temps {
			os.Remove(t) // those not renamed, after a failure
		}
	}()
	for _, name := range names {
		p := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, fmt.Errorf("bundle: %w; nothing was replaced", err)
		}
		t := p + ".ebicart-new"
		temps = append(temps, t)
		mode := cmp.Or(modes[name], 0o644)
		if err := os.WriteFile(t, files[name], mode); err != nil {
			return nil, fmt.Errorf("bundle: %w; nothing was replaced", err)
		}
		if err := os.Chmod(t, mode); err != nil { // a file left by an earlier failure keeps its mode otherwise
			return nil, fmt.Errorf("bundle: %w; nothing was replaced", err)
		}
	}
	for i, name := range names {
		if err := os.Rename(temps[i], filepath.Join(out, name)); err != nil {
			return nil, fmt.Errorf("bundle: %w", err)
		}
	}
	temps = nil
	var list strings.Builder
	list.WriteString(listHeader)
	for _, name := range names {
		list.WriteString(filepath.ToSlash(name) + "\n")
	}
	for old := range earlier {
		if _, ok := files[filepath.FromSlash(old)]; !ok {
			if _, err := os.Lstat(filepath.Join(out, filepath.FromSlash(old))); err == nil {
				stale = append(stale, filepath.FromSlash(old))
				list.WriteString(old + "\n") // still a bundle's, for the next one
			}
		}
	}
	slices.Sort(stale)
	if err := os.WriteFile(filepath.Join(out, listFile), []byte(list.String()), 0o644); err != nil {
		return stale, fmt.Errorf("bundle: %w", err)
	}
	return stale, nil
}
