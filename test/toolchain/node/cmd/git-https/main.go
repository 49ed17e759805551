// git-https serves the bare repositories under ROOT over HTTPS with git's smart HTTP protocol (git
// http-backend, run as CGI) to one user with one password, from CREDENTIALS_FILE ({"username": ...,
// "password": ...}), read at every request, so a test rotates the password by rewriting the file: the
// server side of the suite's git basic-auth credentials.
//
//	git-https ADDR CERT KEY ROOT CREDENTIALS_FILE
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"

	"centralsecretstore.local/test/toolchain/node/internal/basicauth"
)

type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func main() {
	if len(os.Args) != 6 {
		log.Fatal("usage: git-https ADDR CERT KEY ROOT CREDENTIALS_FILE")
	}
	addr, cert, key, root, credentialsFile := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	initial, err := readCredentials(credentialsFile)
	if err != nil {
		log.Fatal(err)
	}
	git, err := exec.LookPath("git")
	if err != nil {
		log.Fatal(err)
	}
	backend := &cgi.Handler{
		Path: git,
		Args: []string{"http-backend"},
		Root: "/",
		// REMOTE_USER also lets http-backend accept pushes, which it refuses from anonymous users.
		Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "REMOTE_USER=" + initial.Username},
	}
	handler := basicauth.RequireCurrent("css-e2e git", func() (string, string, error) {
		c, err := readCredentials(credentialsFile)
		return c.Username, c.Password, err
	}, backend)
	log.Fatal(http.ListenAndServeTLS(addr, cert, key, handler))
}

func readCredentials(file string) (credentials, error) {
	var c credentials
	data, err := os.ReadFile(file)
	if err == nil {
		err = json.Unmarshal(data, &c)
	}
	if err == nil && (c.Username == "" || c.Password == "") {
		err = fmt.Errorf("%s must hold a username and a password", file)
	}
	return c, err
}
