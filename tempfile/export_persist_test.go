package tempfile

// Hooks for the tests of Persist and WriteFile (persist.go).
var (
	NoFdLink       = &noFdLink
	HookWriteFile  = &hookWriteFile
	HookAfterCheck = &hookAfterCheck
)
