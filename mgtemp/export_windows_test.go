package mgtemp

// HandlerInstalled reports whether the registry holds a live scope. No
// signal handler is installed on Windows (Ctrl-C is mage's, covered by the
// watchdog), so this is what the Unix handler's lifetime follows.
func HandlerInstalled() bool {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	return len(registry.live) > 0
}
