// netns-forward makes loopback services of the host reachable at the same address inside a network
// namespace: for each ADDR it listens on ADDR inside the namespace and relays every connection to ADDR on the
// host's loopback. The node's pods live in such a namespace (only a loopback interface), so whatever they
// listen on stays inside it, and this is the one way out: the API server, for in-cluster clients.
//
//	netns-forward NETNS_FILE ADDR...
package main

import (
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) < 3 {
		log.Fatal("usage: netns-forward NETNS_FILE ADDR...")
	}
	listeners, err := listenIn(os.Args[1], os.Args[2:])
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range listeners {
		go relay(l)
	}
	log.Printf("forwarding %v into %s", os.Args[2:], os.Args[1])
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}

// listenIn opens the listeners from inside the namespace. A socket keeps the namespace it was made in, so
// only one thread ever enters the namespace; it stays locked to its goroutine and ends with it, and every
// dial happens on the host.
func listenIn(netns string, addrs []string) ([]net.Listener, error) {
	type result struct {
		listeners []net.Listener
		err       error
	}
	done := make(chan result)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open(netns)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- result{err: err}
			return
		}
		var r result
		for _, addr := range addrs {
			l, err := net.Listen("tcp", addr)
			if err != nil {
				r.err = err
				break
			}
			r.listeners = append(r.listeners, l)
		}
		done <- r
	}()
	r := <-done
	return r.listeners, r.err
}

func relay(l net.Listener) {
	for {
		in, err := l.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go func() {
			defer in.Close()
			out, err := net.Dial("tcp", l.Addr().String())
			if err != nil {
				log.Print(err)
				return
			}
			defer out.Close()
			var done sync.WaitGroup
			done.Add(2)
			go pipe(out, in, &done)
			go pipe(in, out, &done)
			done.Wait()
		}()
	}
}

// pipe copies one direction and then half-closes, so the peer sees the end of the stream (TLS close_notify).
func pipe(dst, src net.Conn, done *sync.WaitGroup) {
	defer done.Done()
	_, _ = io.Copy(dst, src)
	if c, ok := dst.(*net.TCPConn); ok {
		_ = c.CloseWrite()
	}
}
