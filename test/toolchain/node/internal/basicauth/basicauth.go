// Package basicauth guards an HTTP handler with one username and password, the way the credentials the
// suite distributes are checked by the servers that consume them.
package basicauth

import (
	"crypto/subtle"
	"log"
	"net/http"
)

// Require serves next only to requests that carry exactly username and password. Every refusal is logged on
// one line: the suite counts them to prove a client was challenged.
func Require(realm, username, password string, next http.Handler) http.Handler {
	return RequireCurrent(realm, func() (string, string, error) { return username, password, nil }, next)
}

// RequireCurrent is Require with the username and password looked up at every request, so a test can
// rotate them while the server runs.
func RequireCurrent(realm string, credentials func() (username, password string, err error), next http.Handler) http.Handler {
	same := func(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		username, password, err := credentials()
		if err != nil {
			log.Print(err)
			http.Error(w, "server error", http.StatusInternalServerError)
			return
		}
		u, p, ok := r.BasicAuth()
		if !ok || !same(u, username) || !same(p, password) {
			log.Printf("refused %s %s (credentials sent: %v)", r.Method, r.URL.Path, ok)
			w.Header().Set("WWW-Authenticate", `Basic realm="`+realm+`"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		log.Printf("served %s %s", r.Method, r.URL.Path)
		next.ServeHTTP(w, r)
	})
}
