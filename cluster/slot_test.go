package cluster

import (
	"bytes"
	"testing"
)

func TestCRC16(t *testing.T) {
	tests := []struct {
		in   string
		want uint16
	}{
		{"", 0},
		{"123456789", 0x31C3},
		{"a", 0x7C87},
	}
	for _, tt := range tests {
		if got := CRC16([]byte(tt.in)); got != tt.want {
			t.Errorf("CRC16(%q) = %#04x, want %#04x", tt.in, got, tt.want)
		}
	}
}

func TestHashTag(t *testing.T) {
	tests := []struct{ key, tag string }{
		{"{user1000}.following", "user1000"},
		{"{user1000}.followers", "user1000"},
		{"foo{}{bar}", "foo{}{bar}"},
		{"foo{{bar}}zap", "{bar"},
		{"foo{bar}{zap}", "bar"},
		{"foo", "foo"},
		{"{", "{"},
		{"}{", "}{"},
		{"{}", "{}"},
		{"a{b", "a{b"},
		{"a{b}", "b"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := HashTag([]byte(tt.key)); !bytes.Equal(got, []byte(tt.tag)) {
			t.Errorf("HashTag(%q) = %q, want %q", tt.key, got, tt.tag)
		}
	}
}

func TestKeySlot(t *testing.T) {
	tests := []struct {
		key  string
		want int
	}{
		// Values from CLUSTER KEYSLOT of redis-server 7.0.
		{"foo", 12182},
		{"bar", 5061},
		{"123456789", 12739},
		{"{user1000}.following", 3443},
		{"user1000", 3443},
		{"", 0},
	}
	for _, tt := range tests {
		if got := KeySlot([]byte(tt.key)); got != tt.want {
			t.Errorf("KeySlot(%q) = %d, want %d", tt.key, got, tt.want)
		}
	}
}

func BenchmarkKeySlot(b *testing.B) {
	key := []byte("user:{1000}:profile:settings")
	b.ReportAllocs()
	b.SetBytes(int64(len(key)))
	for b.Loop() {
		KeySlot(key)
	}
}
