//go:build unix

package mgtemp

// HandlerInstalled reports whether the SIGTERM/SIGHUP handler is in place.
func HandlerInstalled() bool {
	handlers.mu.Lock()
	defer handlers.mu.Unlock()
	return handlers.ch != nil
}
