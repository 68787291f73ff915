//go:build !js

package bundle

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/ebicart/ebicart/internal/bundle/manifest"
)

// Windows resources reach a Go program as a COFF object file (.syso) in
// its main package, holding a .rsrc section: the Go linker copies that
// section into the executable and relocates the addresses in it. The
// section is the tree of the PE format's resource directory (type, then
// name, then language) over the resources' data.

// Resource types.
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
)

// langENUS is the language of the resources: English (United States),
// the one Windows falls back to.
const langENUS = 0x0409

// resource is one resource of a .rsrc section.
type resource struct {
	typ, id uint16
	data    []byte
}

// windowsResources is the .syso of a Windows executable of the game for
// arch: its icon (at icoSizes) and its version information.
func windowsResources(arch string, g *manifest.Game, ic *icons) ([]byte, error) {
	var res []resource
	var group bytes.Buffer
	binary.Write(&group, binary.LittleEndian, [3]uint16{0, 1, uint16(len(icoSizes))}) // GRPICONDIR
	for i, size := range icoSizes {
		data := icoImage(ic.at(size))
		id := uint16(i + 1)
		res = append(res, resource{rtIcon, id, data})
		dim := byte(size)
		if size >= 256 {
			dim = 0 // 0 means 256
		}
		group.Write([]byte{dim, dim, 0, 0})                          // width, height, colours, reserved
		binary.Write(&group, binary.LittleEndian, [2]uint16{1, 32})  // planes, bits per pixel
		binary.Write(&group, binary.LittleEndian, uint32(len(data))) // bytes
		binary.Write(&group, binary.LittleEndian, id)                // the RT_ICON resource
	}
	res = append(res, resource{rtGroupIcon, 1, group.Bytes()})
	res = append(res, resource{rtVersion, 1, versionInfo(g, arch)})
	var machine, relocType uint16
	switch arch {
	case "amd64":
		machine, relocType = 0x8664, 3 // IMAGE_FILE_MACHINE_AMD64, IMAGE_REL_AMD64_ADDR32NB
	case "arm64":
		machine, relocType = 0xaa64, 2 // IMAGE_FILE_MACHINE_ARM64, IMAGE_REL_ARM64_ADDR32NB
	case "386":
		machine, relocType = 0x14c, 7 // IMAGE_FILE_MACHINE_I386, IMAGE_REL_I386_DIR32NB
	default:
		return nil, fmt.Errorf("bundle: no Windows resources for %s", arch)
	}
	section, relocs := rsrcSection(res)
	return coffObject(machine, relocType, section, relocs), nil
}

// rsrcSection lays out a .rsrc section: the three levels of directories,
// the data entries, then the data. It returns the section and the offsets
// of the data entries' address fields, which the linker relocates (they
// hold offsets in the section until then).
func rsrcSection(res []resource) ([]byte, []uint32) {
	sort.Slice(res, func(i, j int) bool {
		if res[i].typ != res[j].typ {
			return res[i].typ < res[j].typ
		}
		return res[i].id < res[j].id
	})
	var types []uint16
	byType := map[uint16][]resource{}
	for _, r := range res {
		if len(byType[r.typ]) == 0 {
			types = append(types, r.typ)
		}
		byType[r.typ] = append(byType[r.typ], r)
	}
	const dirSize, entrySize, dataEntrySize = 16, 8, 16
	// Offsets: the root, a directory per type, one per resource (its
	// languages), the data entries, the data.
	off := dirSize + entrySize*len(types)
	typeDir := map[uint16]int{}
	for _, t := range types {
		typeDir[t] = off
		off += dirSize + entrySize*len(byType[t])
	}
	langDir := make([]int, len(res))
	for i := range res {
		langDir[i] = off
		off += dirSize + entrySize
	}
	dataEntry := make([]int, len(res))
	for i := range res {
		dataEntry[i] = off
		off += dataEntrySize
	}
	dataAt := make([]int, len(res))
	for i, r := range res {
		off = (off + 7) &^ 7
		dataAt[i] = off
		off += len(r.data)
	}
	sec := make([]byte, off)
	le := binary.LittleEndian
	dir := func(at, ids int) { le.PutUint16(sec[at+14:], uint16(ids)) } // counts of id entries
	entry := func(at int, id uint32, target int, sub bool) {
		le.PutUint32(sec[at:], id)
		t := uint32(target)
		if sub {
			t |= 1 << 31
		}
		le.PutUint32(sec[at+4:], t)
	}
	dir(0, len(types))
	for i, t := range types {
		entry(dirSize+entrySize*i, uint32(t), typeDir[t], true)
	}
	var relocs []uint32
	k := 0
	for _, t := range types {
		dir(typeDir[t], len(byType[t]))
		for j, r := range byType[t] {
			entry(typeDir[t]+dirSize+entrySize*j, uint32(r.id), langDir[k], true)
			dir(langDir[k], 1)
			entry(langDir[k]+dirSize, langENUS, dataEntry[k], false)
			le.PutUint32(sec[dataEntry[k]:], uint32(dataAt[k])) // made an address by the linker
			le.PutUint32(sec[dataEntry[k]+4:], uint32(len(r.data)))
			relocs = append(relocs, uint32(dataEntry[k]))
			copy(sec[dataAt[k]:], r.data)
			k++
		}
	}
	return sec, relocs
}

// coffObject wraps a .rsrc section in a COFF object file: a header, the
// section, its relocations (each against the section's own symbol) and a
// symbol table of that one symbol.
func coffObject(machine, relocType uint16, section []byte, relocs []uint32) []byte {
	const headerSize, sectionHeaderSize, relocSize = 20, 40, 10
	dataAt := uint32(headerSize + sectionHeaderSize)
	relocsAt := dataAt + uint32(len(section))
	symbolsAt := relocsAt + uint32(relocSize*len(relocs))
	var b bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&b, le, struct {
		Machine, Sections    uint16
		Time, Symbols, NSyms uint32
		OptHeader, Flags     uint16
	}{machine, 1, 0, symbolsAt, 1, 0, 0})
	binary.Write(&b, le, struct {
		Name                         [8]byte
		VirtualSize, VirtualAddress  uint32
		RawSize, RawAt, RelocsAt, LN uint32
		Relocs, LNs                  uint16
		Flags                        uint32
	}{[8]byte{'.', 'r', 's', 'r', 'c'}, 0, 0, uint32(len(section)), dataAt, relocsAt, 0, uint16(len(relocs)), 0,
		0x40000040}) // IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ
	b.Write(section)
	for _, r := range relocs {
		binary.Write(&b, le, struct {
			At, Symbol uint32
			Type       uint16
		}{r, 0, relocType})
	}
	binary.Write(&b, le, struct {
		Name          [8]byte
		Value         uint32
		Section       int16
		Type          uint16
		Class, NumAux uint8
	}{[8]byte{'.', 'r', 's', 'r', 'c'}, 0, 1, 0, 3, 0}) // IMAGE_SYM_CLASS_STATIC: the section's symbol
	binary.Write(&b, le, uint32(4)) // an empty string table
	return b.Bytes()
}

// versionInfo is the VS_VERSIONINFO resource Explorer shows in a file's
// properties: the game's name, version and file name.
func versionInfo(g *manifest.Game, arch string) []byte {
	nums := versionNumbers(g.Version)
	fixed := make([]byte, 52) // VS_FIXEDFILEINFO
	le := binary.LittleEndian
	le.PutUint32(fixed[0:], 0xfeef04bd)
	le.PutUint32(fixed[4:], 0x00010000)
	ms, ls := uint32(nums[0])<<16|uint32(nums[1]), uint32(nums[2])<<16|uint32(nums[3])
	le.PutUint32(fixed[8:], ms)  // file version
	le.PutUint32(fixed[12:], ls) //
	le.PutUint32(fixed[16:], ms) // product version
	le.PutUint32(fixed[20:], ls) //
	le.PutUint32(fixed[24:], 0x3f)
	le.PutUint32(fixed[32:], 0x40004) // VOS_NT_WINDOWS32
	le.PutUint32(fixed[36:], 1)       // VFT_APP
	var strs [][]byte
	for _, kv := range [][2]string{
		{"FileDescription", g.Name},
		{"FileVersion", g.Version},
		{"ProductName", g.Name},
		{"ProductVersion", g.Version},
		{"InternalName", g.Slug},
		{"OriginalFilename", g.Slug + "-windows-" + arch + ".exe"},
		{"Comments", "Made with ebicart. " + g.Stamp},
	} {
		v := utf16z(kv[1])
		strs = append(strs, versionBlock(kv[0], v, uint16(len(v)/2), 1, nil))
	}
	table := versionBlock("040904b0", nil, 0, 1, strs) // en-US, Unicode
	stringInfo := versionBlock("StringFileInfo", nil, 0, 1, [][]byte{table})
	translation := versionBlock("Translation", []byte{0x09, 0x04, 0xb0, 0x04}, 4, 0, nil)
	varInfo := versionBlock("VarFileInfo", nil, 0, 1, [][]byte{translation})
	return versionBlock("VS_VERSION_INFO", fixed, 52, 0, [][]byte{stringInfo, varInfo})
}

// versionBlock is one block of a version resource: its length, the
// length of its value (in bytes, or in characters for text), its type (1
// text, 0 binary), its key, its value and its children, each aligned to 4
// bytes from the resource's start (every block starts so aligned).
func versionBlock(key string, value []byte, valueLen, typ uint16, children [][]byte) []byte {
	b := make([]byte, 6)
	b = append(b, utf16z(key)...)
	pad := func() {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	pad()
	b = append(b, value...)
	for _, c := range children {
		pad()
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint16(b[0:], uint16(len(b)))
	binary.LittleEndian.PutUint16(b[2:], valueLen)
	binary.LittleEndian.PutUint16(b[4:], typ)
	return b
}

// utf16z is s in UTF-16, little-endian, with a terminating zero.
func utf16z(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return append(b, 0, 0)
}

// versionNumbers reads up to four numbers from a version such as 1.2.3 or
// v2.0-beta (2, 0, 0, 0): the numeric version Windows keeps.
func versionNumbers(v string) [4]uint16 {
	var n [4]uint16
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	for i, part := range strings.SplitN(v, ".", 4) {
		end := 0
		for end < len(part) && part[end] >= '0' && part[end] <= '9' {
			end++
		}
		x, err := strconv.ParseUint(part[:end], 10, 16)
		if err != nil {
			break
		}
		n[i] = uint16(x)
		if end < len(part) {
			break
		}
	}
	return n
}
