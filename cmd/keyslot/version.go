package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	kversion "github.com/keyslot/keyslot/internal/version"
)

// newVersionCommand prints version (internal/version.Version, set at link
// time with -ldflags "-X github.com/keyslot/keyslot/internal/version.Version=v1.2.3"),
// the Go release and platform, and the Redis release keyslot matches.
func newVersionCommand(version string) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print keyslot's version, its Go version and the Redis version it is compatible with",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "keyslot %s\n%s %s/%s\nRedis %s compatible\n",
				version, runtime.Version(), runtime.GOOS, runtime.GOARCH, kversion.Redis)
			return err
		},
	}
}
