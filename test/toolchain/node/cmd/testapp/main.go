// testapp is the suite's workload.
//
//	testapp serve ADDR  answer GET / with the pod's name and image (POD_NAME and IMAGE, set by the pod spec)
//	testapp probe URL   print the body of GET URL and exit 0 if it is 200 OK: the readiness probe, run inside
//	                    the pods' network namespace, which the kubelet's own HTTP probes cannot reach
//	testapp fingerprint VAR  log the SHA-256 of the environment variable VAR (never its value), then wait to be
//	                    stopped: what a pod started with, read from its log, with no port to serve on
package main

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "serve" && os.Args[1] != "probe" && os.Args[1] != "fingerprint") {
		log.Fatal("usage: testapp serve ADDR | testapp probe URL | testapp fingerprint VAR")
	}
	if os.Args[1] == "probe" {
		probe(os.Args[2])
		return
	}
	// As PID 1 of its container, a process without a handler ignores SIGTERM and the pod waits out its grace
	// period on every deletion.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		os.Exit(0)
	}()
	if os.Args[1] == "fingerprint" {
		log.Printf("sha256(%s)=%x", os.Args[2], sha256.Sum256([]byte(os.Getenv(os.Args[2]))))
		select {}
	}
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"pod": os.Getenv("POD_NAME"), "image": os.Getenv("IMAGE")})
	})
	log.Printf("serving on %s", os.Args[2])
	log.Fatal(http.ListenAndServe(os.Args[2], nil))
}

func probe(url string) {
	client := http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(os.Stdout, resp.Body); err != nil {
		log.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		log.Fatalf("GET %s answered %s", url, resp.Status)
	}
}
