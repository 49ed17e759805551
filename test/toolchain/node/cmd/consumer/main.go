// consumer is the client side of the credentials the product distributes: each subcommand reads a mounted
// Secret volume the way the program that needs it would (one file per key, as the kubelet writes them) and
// uses it against a server, so a test proves the Secret works for its consumer, not only that it exists.
// It exits 0 on success and 1 on failure, and writes one line saying which, and why, to stdout and to
// /dev/termination-log, where the kubelet picks it up as the container's termination message. It never
// writes a secret value.
//
//	consumer git-clone-https URL SECRET_DIR CA_FILE
//	    clones URL over HTTPS with the basic-auth Secret (keys username, password), trusting only the CAs in
//	    CA_FILE; prints the commit of refs/heads/main
//	consumer git-clone-ssh URL SECRET_DIR KNOWN_HOSTS_FILE
//	    clones ssh://USER@HOST:PORT/PATH with the ssh-auth Secret (key ssh-privatekey), accepting only the
//	    host keys in KNOWN_HOSTS_FILE; prints the commit of refs/heads/main
//	consumer tls-get URL CA_FILE
//	    GETs URL over HTTPS trusting only the CAs in CA_FILE (a tls Secret's ca.crt); prints the SHA-256
//	    fingerprint of the certificate the server presented
//	consumer oauth-token TOKEN_URL SECRET_DIR CA_FILE
//	    obtains a token with the client credentials grant and the OAuth Secret (keys client-id,
//	    client-secret, and token-url, used when TOKEN_URL is -), trusting only the CAs in CA_FILE; prints the
//	    token's type and lifetime
package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"
)

// The kubelet reads at most 4096 bytes of the termination message.
const maxMessage = 4000

type command struct {
	args []string
	run  func(ctx context.Context, args []string) (string, error)
}

var commands = map[string]command{
	"git-clone-https": {[]string{"URL", "SECRET_DIR", "CA_FILE"}, gitCloneHTTPS},
	"git-clone-ssh":   {[]string{"URL", "SECRET_DIR", "KNOWN_HOSTS_FILE"}, gitCloneSSH},
	"tls-get":         {[]string{"URL", "CA_FILE"}, tlsGet},
	"oauth-token":     {[]string{"TOKEN_URL", "SECRET_DIR", "CA_FILE"}, oauthToken},
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	name := os.Args[1]
	cmd, ok := commands[name]
	if !ok || len(os.Args)-2 != len(cmd.args) {
		usage()
	}
	// A consumer that hangs is a failure the test should see, not a pod that never ends.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	result, err := cmd.run(ctx, os.Args[2:])
	if err != nil {
		report(fmt.Sprintf("failed %s: %v", name, err))
		os.Exit(1)
	}
	report(fmt.Sprintf("ok %s: %s", name, result))
}

func usage() {
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(commands)) {
		lines = append(lines, fmt.Sprintf("  consumer %s %s", name, strings.Join(commands[name].args, " ")))
	}
	fmt.Fprintf(os.Stderr, "usage:\n%s\n", strings.Join(lines, "\n"))
	os.Exit(2)
}

// report prints the result as one line, and leaves it where the kubelet looks for a termination message
// (the file exists only in a container, so elsewhere it is skipped).
func report(line string) {
	line = strings.Join(strings.Fields(line), " ")
	if len(line) > maxMessage {
		line = line[:maxMessage]
	}
	fmt.Println(line)
	if f, err := os.OpenFile("/dev/termination-log", os.O_WRONLY|os.O_TRUNC, 0); err == nil {
		_, _ = f.WriteString(line)
		_ = f.Close()
	}
}
