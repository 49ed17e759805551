// oauth2-token is an OAuth 2.0 token endpoint for the client credentials grant (RFC 6749 section 4.4) that
// knows one client: the id and secret in CLIENT_FILE ({"clientId": ..., "clientSecret": ...}), read at every
// request, so a test rotates the secret by rewriting the file. It is the server side of the suite's OAuth
// credentials.
//
//	oauth2-token ADDR CERT KEY CLIENT_FILE     serves POST /token over HTTPS
package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"log"
	"net/http"
	"net/url"
	"os"
)

type client struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
}

func main() {
	if len(os.Args) != 5 {
		log.Fatal("usage: oauth2-token ADDR CERT KEY CLIENT_FILE")
	}
	addr, cert, key, clientFile := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	http.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		known, err := readClient(clientFile)
		if err != nil {
			log.Print(err)
			http.Error(w, "server error", http.StatusInternalServerError)
			return
		}
		if err := r.ParseForm(); err != nil {
			reply(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
			return
		}
		id, secret, ok := clientCredentials(r)
		same := func(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
		if !ok || !same(id, known.ClientID) || !same(secret, known.ClientSecret) {
			log.Printf("refused client %q", id)
			w.Header().Set("WWW-Authenticate", `Basic realm="css-e2e oauth2"`)
			reply(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
			return
		}
		if r.PostForm.Get("grant_type") != "client_credentials" {
			reply(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
			return
		}
		token := make([]byte, 16)
		if _, err := rand.Read(token); err != nil {
			log.Fatal(err)
		}
		log.Printf("issued a token to %q", id)
		reply(w, http.StatusOK, map[string]any{"access_token": hex.EncodeToString(token), "token_type": "Bearer", "expires_in": 3600})
	})
	log.Fatal(http.ListenAndServeTLS(addr, cert, key, nil))
}

// clientCredentials reads HTTP Basic client authentication (whose parts are form-encoded, RFC 6749 section
// 2.3.1) or, failing that, client_id and client_secret in the body.
func clientCredentials(r *http.Request) (string, string, bool) {
	if id, secret, ok := r.BasicAuth(); ok {
		id, errID := url.QueryUnescape(id)
		secret, errSecret := url.QueryUnescape(secret)
		return id, secret, errID == nil && errSecret == nil
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	return id, secret, id != "" && secret != ""
}

func readClient(file string) (client, error) {
	var c client
	data, err := os.ReadFile(file)
	if err == nil {
		err = json.Unmarshal(data, &c)
	}
	return c, err
}

func reply(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
