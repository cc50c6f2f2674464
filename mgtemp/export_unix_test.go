//go:build unix

package mgtemp

// HandlerInstalled reports whether the SIGTERM/SIGHUP handler is in place.
func HandlerInstalled() bool {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	return registry.ch != nil
}
