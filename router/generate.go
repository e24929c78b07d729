package router

// The command table is generated from a real redis-server 7.0: by default
// the generator starts one from PATH; pass -addr host:port to use a
// running server instead.
//go:generate go run ./internal/gentable -out commands_gen.go
