package config

import (
	"errors"
	"testing"
)

func TestCheckRange(t *testing.T) {
	if err := CheckRange("databases", 16, 1, 2147483647); err != nil {
		t.Errorf("in range: %v", err)
	}
	for _, v := range []int64{0, 2147483648} {
		err := CheckRange("databases", v, 1, 2147483647)
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("CheckRange(%d) = %v, want a *FieldError", v, err)
		}
		if fe.Key != "databases" || fe.Msg != "argument must be between 1 and 2147483647 inclusive" {
			t.Errorf("CheckRange(%d) = %+v", v, fe)
		}
	}
}

func TestCheckBind(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"127.0.0.1", true},
		{"0.0.0.0", true},
		{"::1", true},
		{"::", true},
		{"*", true},
		{"localhost", true},
		{"", false},
		{"127.0.0.1 ::1", false},
		{"127.0.0.1,::1", false},
		{"-::1", false},
		{"example.com", false},
		{"127.0.0.1:6379", false},
	}
	for _, tt := range tests {
		err := CheckBind("bind", tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("CheckBind(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("CheckBind(%q) error %v does not match ErrInvalid", tt.in, err)
		}
	}
}

func TestListenAddr(t *testing.T) {
	tests := []struct {
		bind string
		port int
		want string
	}{
		{"127.0.0.1", 7000, "127.0.0.1:7000"},
		{"::1", 7000, "[::1]:7000"},
		{"*", 6379, ":6379"},
		{"localhost", 0, "localhost:0"},
	}
	for _, tt := range tests {
		if got := ListenAddr(tt.bind, tt.port); got != tt.want {
			t.Errorf("ListenAddr(%q, %d) = %q, want %q", tt.bind, tt.port, got, tt.want)
		}
	}
}

func TestCheckListenAddr(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{":9121", true},
		{"127.0.0.1:9121", true},
		{"[::1]:0", true},
		{"localhost:9121", true},
		{"9121", false},
		{":http", false},
		{":65536", false},
		{":-1", false},
		{"", false},
	}
	for _, tt := range tests {
		if err := CheckListenAddr("metrics-addr", tt.in); (err == nil) != tt.ok {
			t.Errorf("CheckListenAddr(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
	}
}

func TestCheckHostPort(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"127.0.0.1:7000", true},
		{"node-1.keyslot:6379", true},
		{"[::1]:7000", true},
		{":7000", false},
		{"127.0.0.1", false},
		{"127.0.0.1:0", false},
		{"127.0.0.1:65536", false},
		{"127.0.0.1:x", false},
		{"", false},
	}
	for _, tt := range tests {
		if err := CheckHostPort("seeds", tt.in); (err == nil) != tt.ok {
			t.Errorf("CheckHostPort(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
	}
}
