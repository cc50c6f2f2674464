package tempfile

import "os"

// TemporaryFile returns a new file for reading and writing (the seed's
// w+b), mode 0600, in [Dir], that nobody else can open and that vanishes
// when it is closed or the process dies:
//
//   - on Linux it is opened with O_TMPFILE, so it never has a name (if the
//     file system cannot do that, it is created and unlinked at once);
//   - elsewhere on Unix it is created and unlinked before TemporaryFile
//     returns;
//   - on Windows it is opened delete-on-close.
//
// suffix only shapes the name the file would have had (its Name method),
// but is checked like any suffix. Go files are unbuffered: wrap the file
// in a bufio.Reader or bufio.Writer for the seed's bufsize. For the mode
// and other options, use [NewTemporaryFile].
func TemporaryFile(suffix string) (*os.File, error) {
	return NewTemporaryFile(Options{Suffix: suffix})
}

// NewTemporaryFile is [TemporaryFile] with [Options]: the directory,
// prefix and suffix, the mode and extra open flags (os.O_WRONLY or
// os.O_APPEND, say). The name of the returned file is informational: no
// directory entry refers to it.
func NewTemporaryFile(o Options) (*os.File, error) {
	r, err := o.resolve("temporaryfile", 0o600)
	if err != nil {
		return nil, err
	}
	return openUnnamed(r)
}
