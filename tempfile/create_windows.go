package tempfile

import (
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// accessMode maps the caller's flags to read-write, or write-only if asked.
func accessMode(flag int) int {
	if flag&(os.O_RDONLY|os.O_WRONLY|os.O_RDWR) == os.O_WRONLY {
		return os.O_WRONLY
	}
	return os.O_RDWR
}

// shareAll lets other handles read, write, rename and delete the file
// while it is open, as on Unix: without FILE_SHARE_DELETE, which
// os.OpenFile does not ask for, Persist (a rename), Close's remove and
// Scope.Cleanup fail with a sharing violation while any handle is open.
const shareAll = windows.FILE_SHARE_READ | windows.FILE_SHARE_WRITE | windows.FILE_SHARE_DELETE

// openShared is CreateFile with shareAll: createmode CREATE_NEW for an
// exclusive create, OPEN_EXISTING to reopen. It maps flag as os.OpenFile
// does (O_APPEND to FILE_APPEND_DATA without FILE_WRITE_DATA, so every
// write lands at the end; O_SYNC to write-through), never follows a
// reparse point (symbolic link or junction) at name, and makes a handle
// that children do not inherit (no SECURITY_ATTRIBUTES).
func openShared(name string, flag int, perm fs.FileMode, createmode, attrs uint32) (*os.File, error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var access uint32 = windows.GENERIC_READ | windows.GENERIC_WRITE
	if accessMode(flag) == os.O_WRONLY {
		access = windows.GENERIC_WRITE
	}
	if flag&os.O_APPEND != 0 {
		access &^= windows.GENERIC_WRITE
		access |= windows.FILE_APPEND_DATA | windows.FILE_WRITE_ATTRIBUTES | windows.FILE_WRITE_EA |
			windows.STANDARD_RIGHTS_WRITE | windows.SYNCHRONIZE
	}
	if attrs == 0 {
		attrs = windows.FILE_ATTRIBUTE_NORMAL
	}
	if createmode == windows.CREATE_NEW && perm&0o200 == 0 {
		attrs |= windows.FILE_ATTRIBUTE_READONLY
	}
	if flag&os.O_SYNC != 0 {
		attrs |= windows.FILE_FLAG_WRITE_THROUGH
	}
	attrs |= windows.FILE_FLAG_OPEN_REPARSE_POINT
	h, err := windows.CreateFile(p, access, shareAll, nil, createmode, attrs, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(h), name), nil
}

// openExcl creates name exclusively (CREATE_NEW fails if anything, even a
// dangling link, has the name), shared so that it can be renamed and
// removed while open.
func openExcl(name genName, flag int, perm fs.FileMode) (*os.File, error) {
	return openShared(name.s, flag, perm, windows.CREATE_NEW, 0)
}
