package main

import (
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
)

// secretKey reads one key of a Secret volume. A missing key is named, so a Secret of the wrong format fails
// with a message that says which key it lacks.
func secretKey(dir, key string) ([]byte, error) {
	value, err := os.ReadFile(filepath.Join(dir, key))
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("the Secret in %s has no key %q", dir, key)
	}
	if err == nil && len(value) == 0 {
		return nil, fmt.Errorf("the Secret in %s has an empty %q", dir, key)
	}
	return value, err
}

// trustOnly is a pool of the certificates in file and nothing else: not the system's roots, so a server
// is accepted only for the CA under test.
func trustOnly(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}
