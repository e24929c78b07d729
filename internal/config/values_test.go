package config

import (
	"errors"
	"math"
	"testing"
)

func TestParseBool(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		wantErr bool
	}{
		{"yes", true, false},
		{"YES", true, false},
		{"no", false, false},
		{"No", false, false},
		{"true", true, false},
		{"FALSE", false, false},
		{"1", false, true},
		{"0", false, true},
		{"on", false, true},
		{"", false, true},
		{" yes", false, true},
		{"y", false, true},
	}
	for _, tt := range tests {
		got, err := ParseBool(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseBool(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && err.Error() != MsgYesNo {
			t.Errorf("ParseBool(%q) error = %q, want %q", tt.in, err, MsgYesNo)
		}
	}
}

func TestFormatBool(t *testing.T) {
	if FormatBool(true) != "yes" || FormatBool(false) != "no" {
		t.Fatalf("FormatBool = %q, %q", FormatBool(true), FormatBool(false))
	}
}

// The accepted spellings and results are redis-server 7.0.15's, checked with
// CONFIG SET proto-max-bulk-len (1MB, 1Mb, 2gb, 1048576b, 512MB accepted;
// 1.5mb, -1, 1tb, " 1mb" rejected as "argument must be a memory value").
func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in      string
		want    ByteSize
		wantErr bool
	}{
		{"0", 0, false},
		{"100", 100, false},
		{"100b", 100, false},
		{"100B", 100, false},
		{"100k", 100000, false},
		{"100kb", 102400, false},
		{"1m", 1000000, false},
		{"1MB", 1048576, false},
		{"1Mb", 1048576, false},
		{"512mb", 512 << 20, false},
		{"2g", 2000000000, false},
		{"2gb", 2 << 30, false},
		{"9223372036854775807", math.MaxInt64, false},
		{"9223372036854775808", 0, true},
		{"8589934592gb", 0, true}, // 2^33 gb overflows int64
		{"1.5mb", 0, true},
		{"-1", 0, true},
		{"+1", 0, true},
		{"1tb", 0, true},
		{" 1mb", 0, true},
		{"1mb ", 0, true},
		{"1 mb", 0, true},
		{"mb", 0, true},
		{"", 0, true},
		{"0x10", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && err.Error() != MsgMemory {
			t.Errorf("ParseByteSize(%q) error = %q, want %q", tt.in, err, MsgMemory)
		}
	}
}

func TestByteSizeString(t *testing.T) {
	tests := []struct {
		in   ByteSize
		want string
	}{
		{0, "0"},
		{1, "1"},
		{1000, "1000"},
		{1024, "1kb"},
		{1536, "1536"},
		{1536 * KB, "1536kb"},
		{512 * MB, "512mb"},
		{GB, "1gb"},
		{3 * GB, "3gb"},
		{math.MaxInt64, "9223372036854775807"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("ByteSize(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
		back, err := ParseByteSize(tt.want)
		if err != nil || back != tt.in {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", tt.want, back, err, int64(tt.in))
		}
	}
}

func TestByteSizeText(t *testing.T) {
	var n ByteSize
	if err := n.UnmarshalText([]byte("64mb")); err != nil || n != 64*MB {
		t.Fatalf("UnmarshalText(64mb) = %d, %v", n, err)
	}
	b, err := n.MarshalText()
	if err != nil || string(b) != "64mb" {
		t.Fatalf("MarshalText = %q, %v", b, err)
	}
	if err := n.UnmarshalText([]byte("lots")); err == nil {
		t.Fatal("UnmarshalText(lots) succeeded")
	}
	if n != 64*MB {
		t.Fatalf("failed UnmarshalText changed the value to %d", n)
	}
	if n.Int64() != 64<<20 {
		t.Fatalf("Int64 = %d", n.Int64())
	}
}

func TestFieldError(t *testing.T) {
	err := error(&FieldError{Key: "port", Value: "abc", Source: "KEYSLOT_PORT", Msg: MsgInteger})
	want := `port "abc" (from KEYSLOT_PORT): argument couldn't be parsed into an integer`
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Error("FieldError does not match ErrInvalid")
	}
	if got := Invalid("databases", "0", "too few").Error(); got != `databases "0": too few` {
		t.Errorf("Invalid(...).Error() = %q", got)
	}
}
