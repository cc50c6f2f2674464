package tempfile

import (
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// openUnnamed creates a file that Windows deletes when its last handle is
// closed: a name cannot be removed while the file is open there.
func openUnnamed(r resolved) (*os.File, error) {
	return create("temporaryfile", r, func(gen genName) (*os.File, error) {
		name := gen.s
		p, err := windows.UTF16PtrFromString(name)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		access := uint32(windows.GENERIC_READ | windows.GENERIC_WRITE)
		if accessMode(r.flag) == os.O_WRONLY {
			access = windows.GENERIC_WRITE
		}
		h, err := windows.CreateFile(p, access,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil,
			windows.CREATE_NEW, windows.FILE_ATTRIBUTE_TEMPORARY|windows.FILE_FLAG_DELETE_ON_CLOSE, 0)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return os.NewFile(uintptr(h), name), nil
	})
}
