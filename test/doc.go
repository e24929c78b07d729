// Package test holds keyslot's black-box suites: the package layout check,
// end-to-end tests of the keyslot binary, differential tests against a real
// redis-server, and dockertest suites. It uses only public APIs and the
// programs themselves.
package test
