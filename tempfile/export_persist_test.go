package tempfile

// Hooks for the tests of Persist and WriteFile (persist.go).
var (
	NoFdLink       = &noFdLink
	HookWriteFile  = &hookWriteFile
	HookAfterCheck = &hookAfterCheck
)

// InstallsByFd: this build binds the descriptor (Linux without the
// tempfile_portable tag).
const InstallsByFd = installsByFd
