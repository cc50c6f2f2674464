package mgtemp

// HandlerInstalled reports whether the registry holds a live scope. No
// signal handler is installed on Windows (Ctrl-C is mage's, covered by the
// watchdog), so this is what the Unix handler's lifetime follows.
func HandlerInstalled() bool {
	handlers.mu.Lock()
	defer handlers.mu.Unlock()
	return len(handlers.live) > 0
}
