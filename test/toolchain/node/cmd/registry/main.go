// registry is a throwaway OCI registry behind HTTP basic auth, so the suite can check that the node pulls a
// private image only with an imagePullSecret. It keeps images in memory (go-containerregistry's
// pkg/registry). The credentials come from REGISTRY_USERNAME and REGISTRY_PASSWORD, never from the command
// line, where every process on the machine could read them.
//
//	registry serve ADDR        serve on ADDR (a loopback address)
//	registry push OCI_TAR REF  push the one image of an OCI image layout tarball to REF
package main

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"centralsecretstore.local/test/toolchain/node/internal/basicauth"
)

func main() {
	username, password := os.Getenv("REGISTRY_USERNAME"), os.Getenv("REGISTRY_PASSWORD")
	if username == "" || password == "" {
		log.Fatal("REGISTRY_USERNAME and REGISTRY_PASSWORD must be set")
	}
	switch {
	case len(os.Args) == 3 && os.Args[1] == "serve":
		log.Fatal(serve(os.Args[2], username, password))
	case len(os.Args) == 4 && os.Args[1] == "push":
		if err := push(os.Args[2], os.Args[3], username, password); err != nil {
			log.Fatal(err)
		}
	default:
		log.Fatal("usage: registry serve ADDR | registry push OCI_TAR REF")
	}
}

func serve(addr, username, password string) error {
	images := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	return http.ListenAndServe(addr, basicauth.Require("css-e2e", username, password, images))
}

func push(archive, ref, username, password string) error {
	dir, err := os.MkdirTemp("", "registry-push-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := untar(archive, dir); err != nil {
		return err
	}
	index, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return err
	}
	manifest, err := index.IndexManifest()
	if err != nil {
		return err
	}
	if len(manifest.Manifests) != 1 {
		return fmt.Errorf("%s holds %d images, expected one", archive, len(manifest.Manifests))
	}
	image, err := index.Image(manifest.Manifests[0].Digest)
	if err != nil {
		return err
	}
	target, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		return err
	}
	return remote.Write(target, image, remote.WithAuth(&authn.Basic{Username: username, Password: password}))
}

// untar unpacks the regular files of an OCI layout tarball (which holds nothing else) into dir.
func untar(archive, dir string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	r := tar.NewReader(f)
	for {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		path := filepath.Join(dir, filepath.Clean("/"+h.Name))
		if !strings.HasPrefix(path, dir+string(filepath.Separator)) {
			return fmt.Errorf("%s: entry %q leaves the layout", archive, h.Name)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		out, err := os.Create(path)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, r)
		if closeErr := out.Close(); err == nil {
			err = closeErr
		}
		if err != nil {
			return err
		}
	}
}
