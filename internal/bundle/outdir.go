//go:build !js

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

// earlierList reads the files the last bundle in out wrote (listFile),
// by their slash-separated paths. A folder without the list that holds
// the game's own executable or zip (slug's, by name and by content:
// olderBundle) is one an ebicart from before the list wrote: its files
// of the names a bundle writes are taken as that bundle's. Any other
// folder's files are the author's.
func earlierList(out, slug string) map[string]bool {
	list := map[string]bool{}
	b, err := os.ReadFile(filepath.Join(out, listFile))
	if err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
				list[line] = true
			}
		}
		return list
	}
	names := map[string]bool{"web": true, "CREDITS.txt": true, slug + ".png": true, slug + "-web.zip": true}
	for _, t := range AllTargets {
		base := targetBase(slug, t)
		names[base+t.exeSuffix()], names[base+".desktop"], names[base+".app"] = true, true, true
	}
	entries, _ := os.ReadDir(out)
	if !slices.ContainsFunc(entries, func(e fs.DirEntry) bool { return olderBundle(out, slug, e) }) {
		return nil
	}
	for _, e := range entries {
		name := e.Name()
		if !names[name] {
			continue
		}
		filepath.WalkDir(filepath.Join(out, name), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if rel, err := filepath.Rel(out, p); err == nil {
					list[filepath.ToSlash(rel)] = true
				}
			}
			return nil
		})
	}
	return list
}

// olderBundle says whether e, in out, is what only a bundle of slug
// writes: an executable of one of AllTargets at its name (ELF, PE or
// Mach-O), a .app, or the page's zip. A file of the author's at such a
// name, or named like one (slug-linux-notes.txt), is not.
func olderBundle(out, slug string, e fs.DirEntry) bool {
	magic := func(prefixes ...string) bool {
		f, err := os.Open(filepath.Join(out, e.Name()))
		if err != nil {
			return false
		}
		defer f.Close()
		head := make([]byte, 4)
		n, _ := f.Read(head)
		return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(string(head[:n]), p) })
	}
	if e.Name() == slug+"-web.zip" {
		return e.Type().IsRegular() && magic("PK\x03\x04")
	}
	for _, t := range AllTargets {
		base := targetBase(slug, t)
		switch e.Name() {
		case base + ".app":
			return e.IsDir()
		case base + t.exeSuffix():
			return e.Type().IsRegular() && magic("\x7fELF", "MZ", "\xcf\xfa\xed\xfe", "\xce\xfa\xed\xfe")
		}
	}
	return false
}

// theirs refuses to let a bundle write names (paths in out) where a file
// is that no earlier bundle wrote, or a folder: the author's.
func theirs(out string, names []string, earlier map[string]bool) error {
	var found []string
	for _, name := range append(slices.Clone(names), listFile) { // the list too, where a folder will not do
		p := filepath.Join(out, name)
		if st, err := os.Lstat(p); err == nil {
			if st.IsDir() {
				return fmt.Errorf("bundle: %s is a folder, where the bundle writes a file: move it, or give -o another folder", p)
			}
			if name != listFile && !earlier[filepath.ToSlash(name)] {
				found = append(found, p)
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	it := map[bool]string{true: "it", false: "them"}[len(found) == 1]
	return fmt.Errorf("bundle: %s %s not a bundle's (no bundle listed %s in %s), and this one would replace %s: move %s, or give -o another folder; nothing was written",
		strings.Join(found, ", "), map[bool]string{true: "is", false: "are"}[len(found) == 1], it, filepath.Join(out, listFile), it, it)
}

// writeList writes listFile in out, naming names: beside it first, then
// renamed over it, so that a failure leaves the old list whole.
func writeList(out string, names []string) error {
	var list strings.Builder
	list.WriteString(listHeader)
	for _, name := range names {
		list.WriteString(filepath.ToSlash(name) + "\n")
	}
	p := filepath.Join(out, listFile)
	if err := os.WriteFile(p+".ebicart-new", []byte(list.String()), 0o644); err != nil {
		os.Remove(p + ".ebicart-new")
		return fmt.Errorf("bundle: %w", err)
	}
	if err := os.Rename(p+".ebicart-new", p); err != nil {
		os.Remove(p + ".ebicart-new")
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// writeOut writes files (and their modes) into out, where earlier is what
// the last bundle wrote there. A file there that no bundle wrote is not
// replaced: the bundle fails first, naming it, having written nothing
// (theirs). The files are written beside their places and renamed into
// them once all are written, so that a full disk leaves out as it was;
// the list names the old and the new before the renames, so that the
// next bundle may replace any of them whatever happened. It returns what
// earlier lists and this bundle did not write, and is still there.
func writeOut(out string, files map[string][]byte, modes map[string]os.FileMode, earlier map[string]bool) (stale []string, err error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	if err := theirs(out, names, earlier); err != nil {
		return nil, err
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
	for old := range earlier {
		if _, ok := files[filepath.FromSlash(old)]; !ok {
			if _, err := os.Lstat(filepath.Join(out, filepath.FromSlash(old))); err == nil {
				stale = append(stale, filepath.FromSlash(old))
			}
		}
	}
	slices.Sort(stale)
	if err := writeList(out, append(slices.Clone(names), stale...)); err != nil {
		return nil, fmt.Errorf("%w; nothing was replaced", err)
	}
	for i, name := range names {
		if err := os.Rename(temps[i], filepath.Join(out, name)); err != nil {
			return nil, fmt.Errorf("bundle: %w", err)
		}
	}
	temps = nil
	return stale, nil
}
