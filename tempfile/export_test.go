package tempfile

// MaxMade is how many file names a scope remembers for Cleanup.
const MaxMade = maxMade

// The in-memory bounds of a Spooled (see spoolMemoryLimit).
const (
	SpooledNoLimitMemory = spoolNoLimitMemory
	SpooledMaxMemory     = spoolMaxMemory
)

// BeforeLock, if set, runs in NewScope with the parent's path and the
// new scope's id just before its lock file is created.
var BeforeLock = &beforeLock

// IsLive reports whether id is in this process's map of live scopes.
func IsLive(id string) bool { _, ok := live.Load(id); return ok }

// LabelSafe is the scope label as it appears in names on this platform.
var LabelSafe = labelSafe

// Hooks for the tests of Persist and WriteFile (file.go, writefile.go).
var (
	NoFdLink       = &noFdLink
	HookWriteFile  = &hookWriteFile
	HookAfterCheck = &hookAfterCheck
)

// InstallsByFd: this build binds the descriptor (Linux without the
// tempfile_portable tag).
const InstallsByFd = installsByFd

// FallbackScans counts the reads of a temp directory for fallbacks.
var FallbackScans = &fallbackScans
