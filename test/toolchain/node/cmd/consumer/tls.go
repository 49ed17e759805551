package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
)

func tlsGet(ctx context.Context, args []string) (string, error) {
	target, caFile := args[0], args[1]
	roots, err := trustOnly(caFile)
	if err != nil {
		return "", err
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s answered %s", target, resp.Status)
	}
	served := sha256.Sum256(resp.TLS.PeerCertificates[0].Raw)
	return fmt.Sprintf("%s presented sha256:%s", target, hex.EncodeToString(served[:])), nil
}
