// testapp is the suite's workload: `testapp serve ADDR` answers GET / with the pod's name and the image it was
// started from (POD_NAME and IMAGE, set by the pod spec), so a test can tell which pod and which image serve.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) != 3 || os.Args[1] != "serve" {
		log.Fatal("usage: testapp serve ADDR")
	}
	// As PID 1 of its container, a process without a handler ignores SIGTERM and the pod waits out its grace
	// period on every deletion.
	go func() {
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop
		os.Exit(0)
	}()
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"pod": os.Getenv("POD_NAME"), "image": os.Getenv("IMAGE")})
	})
	log.Printf("serving on %s", os.Args[2])
	log.Fatal(http.ListenAndServe(os.Args[2], nil))
}
