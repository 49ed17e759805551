// tls-serve answers HTTPS requests with a certificate and key read from files at every handshake, so a test
// can rotate them by rewriting the files: the server side of the suite's TLS credentials.
//
//	tls-serve ADDR CERT KEY
package main

import (
	"crypto/tls"
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 4 {
		log.Fatal("usage: tls-serve ADDR CERT KEY")
	}
	addr, cert, key := os.Args[1], os.Args[2], os.Args[3]
	server := &http.Server{
		Addr: addr,
		TLSConfig: &tls.Config{
			GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
				pair, err := tls.LoadX509KeyPair(cert, key)
				return &pair, err
			},
		},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "%s over TLS\n", r.URL.Path)
		}),
	}
	log.Fatal(server.ListenAndServeTLS("", ""))
}
