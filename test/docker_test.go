package test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ory/dockertest/v3"
	"github.com/ory/dockertest/v3/docker"

	"github.com/keyslot/keyslot/internal/redistest"
)

// dockerPool connects to the Docker engine, or skips (fails under
// KEYSLOT_REQUIRE_ALL=1) when there is none.
func dockerPool(t *testing.T) *dockertest.Pool {
	t.Helper()
	pool, err := dockertest.NewPool("")
	if err == nil {
		err = pool.Client.Ping()
	}
	redistest.Require(t, err == nil, "Docker engine")
	pool.MaxWait = 60 * time.Second
	return pool
}

// buildImage builds deploy/Dockerfile with the static test binary in a
// context laid out as `make docker` lays it out, and returns the image name.
func buildImage(t *testing.T, pool *dockertest.Pool) string {
	t.Helper()
	ctxDir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ctxDir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	for src, dst := range map[string]string{
		keyslotBinary(t):       filepath.Join(ctxDir, "bin", "keyslot"),
		"../deploy/Dockerfile": filepath.Join(ctxDir, "Dockerfile"),
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	const image = "keyslot-test:latest"
	var log bytes.Buffer
	err := pool.Client.BuildImage(docker.BuildImageOptions{
		Name:         image,
		ContextDir:   ctxDir,
		Dockerfile:   "Dockerfile",
		OutputStream: &log,
	})
	if err != nil {
		t.Fatalf("docker build: %v\n%s", err, log.String())
	}
	return image
}

// TestDockerImageAnswersPing runs the image's default command (a node on
// 6379), PINGs it through the published port, and waits for Docker's
// HEALTHCHECK, which runs `keyslot health` inside the FROM scratch image.
func TestDockerImageAnswersPing(t *testing.T) {
	pool := dockerPool(t)
	image := buildImage(t, pool)
	res, err := pool.RunWithOptions(&dockertest.RunOptions{Repository: "keyslot-test", Tag: "latest"},
		func(hc *docker.HostConfig) { hc.AutoRemove = true })
	if err != nil {
		t.Fatalf("run %s: %v", image, err)
	}
	t.Cleanup(func() { _ = pool.Purge(res) })

	addr := "127.0.0.1:" + res.GetPort("6379/tcp")
	err = pool.Retry(func() error {
		c, err := redistest.DialTimeout(addr, time.Second)
		if err != nil {
			return err
		}
		defer c.Close()
		reply, err := c.Do("PING")
		if err != nil {
			return err
		}
		if string(reply) != "+PONG\r\n" {
			t.Fatalf("PING = %q", reply)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("container never answered PING on %s: %v", addr, err)
	}

	// The image's default command serves the metrics port it exposes.
	metrics := "http://127.0.0.1:" + res.GetPort("9121/tcp") + "/metrics"
	resp, err := http.Get(metrics)
	if err != nil {
		t.Fatalf("GET %s: %v", metrics, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "keyslot_node_connected_clients") {
		t.Fatalf("GET %s = %d, %.200q", metrics, resp.StatusCode, body)
	}

	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := pool.Client.InspectContainer(res.Container.ID)
		if err != nil {
			t.Fatal(err)
		}
		if h := c.State.Health; h.Status == "healthy" {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("container health %q after 60s: %+v", h.Status, h.Log)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
