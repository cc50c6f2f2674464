module github.com/magekit/temp

go 1.25.0

tool github.com/magefile/mage

require (
	github.com/hashicorp/go-multierror v1.1.1
	github.com/magefile/mage v1.17.2
	github.com/rogpeppe/go-internal v1.16.0
	go.uber.org/goleak v1.3.0
	golang.org/x/sys v0.44.0
)

require (
	github.com/hashicorp/errwrap v1.0.0 // indirect
	golang.org/x/tools v0.26.0 // indirect
)
