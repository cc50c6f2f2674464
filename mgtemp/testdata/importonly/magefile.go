//go:build mage

// A magefile with no targets of its own: `mage -l` shows mgtemp's alone.
package main

import (
	//mage:import
	_ "github.com/magekit/temp/mgtemp"
)
