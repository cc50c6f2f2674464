//go:build unix

package tempfile

import "os"

// mountFilter returns, for the scope opened as r, a test of whether the
// directory name in r is on another mount (a bind or FUSE mount inside
// the scope), which Scopes' size walk then skips: st_dev, and on Linux
// the mount id, as removeTree tells mounts apart. A directory that cannot
// be opened is skipped as well: its entries could not be read anyway.
func mountFilter(r *os.Root) func(name string) bool {
	top, ok := rootDirStat(r, ".")
	if !ok {
		return func(string) bool { return true }
	}
	return func(name string) bool {
		st, ok := rootDirStat(r, name)
		return !ok || !st.sameMount(top)
	}
}

func rootDirStat(r *os.Root, name string) (dirStat, bool) {
	f, err := r.Open(name)
	if err != nil {
		return dirStat{}, false
	}
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return dirStat{}, false
	}
	var st dirStat
	var serr error
	if err := rc.Control(func(fd uintptr) { st, serr = statDir(int(fd)) }); err != nil || serr != nil {
		return dirStat{}, false
	}
	return st, true
}
