package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"github.com/go-git/go-git/v5/storage/memory"
)

func gitCloneHTTPS(ctx context.Context, args []string) (string, error) {
	repository, dir, caFile := args[0], args[1], args[2]
	username, err := secretKey(dir, "username")
	if err != nil {
		return "", err
	}
	password, err := secretKey(dir, "password")
	if err != nil {
		return "", err
	}
	roots, err := trustOnly(caFile)
	if err != nil {
		return "", err
	}
	// go-git's CABundle adds to the system's roots; this client trusts the given CA alone.
	client.InstallProtocol("https", githttp.NewClient(&http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}},
	}))
	return clone(ctx, repository, &githttp.BasicAuth{Username: string(username), Password: string(password)})
}

func gitCloneSSH(ctx context.Context, args []string) (string, error) {
	repository, dir, knownHosts := args[0], args[1], args[2]
	endpoint, err := url.Parse(repository)
	if err != nil || endpoint.Scheme != "ssh" || endpoint.User.Username() == "" || endpoint.Port() == "" {
		return "", fmt.Errorf("%q is not ssh://USER@HOST:PORT/PATH", repository)
	}
	key, err := secretKey(dir, "ssh-privatekey")
	if err != nil {
		return "", err
	}
	auth, err := gitssh.NewPublicKeys(endpoint.User.Username(), key, "")
	if err != nil {
		return "", fmt.Errorf("ssh-privatekey: %w", err)
	}
	// Only the given known_hosts, never ~/.ssh or /etc/ssh, and never an unknown host.
	hosts, err := gitssh.NewKnownHostsDb(knownHosts)
	if err != nil {
		return "", err
	}
	auth.HostKeyCallback = hosts.HostKeyCallback()
	auth.HostKeyAlgorithms = hosts.HostKeyAlgorithms(net.JoinHostPort(endpoint.Hostname(), endpoint.Port()))
	return clone(ctx, repository, auth)
}

// clone fetches main into memory, as a bare clone, and names its commit.
func clone(ctx context.Context, repository string, auth transport.AuthMethod) (string, error) {
	main := plumbing.NewBranchReferenceName("main")
	repo, err := git.CloneContext(ctx, memory.NewStorage(), nil, &git.CloneOptions{URL: repository, Auth: auth, ReferenceName: main, SingleBranch: true, Tags: git.NoTags})
	if err != nil {
		return "", err
	}
	ref, err := repo.Reference(main, true)
	if err != nil {
		return "", err
	}
	commit, err := repo.CommitObject(ref.Hash())
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s=%s", main, commit.Hash), nil
}
