// Command go-duration answers, line by line, what Go's time package makes of a duration: for "parse <text>"
// the canonical String() of time.ParseDuration(text), for "format <nanoseconds>" time.Duration(n).String(),
// and "error" when Go refuses the input.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func answer(line string) string {
	verb, arg, _ := strings.Cut(line, " ")
	switch verb {
	case "parse":
		d, err := time.ParseDuration(arg)
		if err != nil {
			return "error"
		}
		return d.String()
	case "format":
		n, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			return "error"
		}
		return time.Duration(n).String()
	}
	return "error"
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		fmt.Fprintln(out, answer(in.Text()))
		// The caller waits for each answer before it sends the next line.
		out.Flush()
	}
}
