// git-https serves the bare repositories under ROOT over HTTPS with git's smart HTTP protocol (git
// http-backend, run as CGI) to one user with one password, from GIT_USERNAME and GIT_PASSWORD: the server
// side of the suite's git basic-auth credentials.
//
//	git-https ADDR CERT KEY ROOT
package main

import (
	"log"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"

	"centralsecretstore.local/test/toolchain/node/internal/basicauth"
)

func main() {
	if len(os.Args) != 5 {
		log.Fatal("usage: git-https ADDR CERT KEY ROOT")
	}
	addr, cert, key, root := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	username, password := os.Getenv("GIT_USERNAME"), os.Getenv("GIT_PASSWORD")
	if username == "" || password == "" {
		log.Fatal("GIT_USERNAME and GIT_PASSWORD must be set")
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
		Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "REMOTE_USER=" + username},
	}
	handler := basicauth.Require("css-e2e git", username, password, backend)
	log.Fatal(http.ListenAndServeTLS(addr, cert, key, handler))
}
