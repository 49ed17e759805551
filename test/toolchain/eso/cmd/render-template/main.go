// Command render-template renders ExternalSecret templates with ESO's own template engine (v2), so the
// tests check templates with the code that renders them in clusters.
//
// It reads a stream of JSON objects {"template": {key: tpl}, "data": {key: value}} on stdin and writes one
// JSON line per object: {"data": {key: value}} or {"error": "..."}. Values are base64 in both directions,
// because Secret data is bytes and a credential may hold anything. It exits when stdin closes.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	esapi "github.com/external-secrets/external-secrets/apis/externalsecrets/v1"
	engine "github.com/external-secrets/external-secrets/pkg/template/v2"
	corev1 "k8s.io/api/core/v1"
)

type renderCase struct {
	Template map[string][]byte `json:"template"`
	Data     map[string][]byte `json:"data"`
}

type renderResult struct {
	Data  map[string][]byte `json:"data,omitempty"`
	Error string            `json:"error,omitempty"`
}

func main() {
	in := json.NewDecoder(bufio.NewReader(os.Stdin))
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for {
		var c renderCase
		if err := in.Decode(&c); err != nil {
			if errors.Is(err, io.EOF) {
				return
			}
			fmt.Fprintf(os.Stderr, "render-template: cannot read input: %v\n", err)
			os.Exit(2)
		}
		secret := &corev1.Secret{}
		result := renderResult{}
		if err := engine.Execute(c.Template, c.Data, esapi.TemplateScopeValues, esapi.TemplateTargetData, secret); err != nil {
			result.Error = err.Error()
		} else {
			result.Data = secret.Data
		}
		if err := enc.Encode(result); err != nil {
			fmt.Fprintf(os.Stderr, "render-template: cannot write output: %v\n", err)
			os.Exit(2)
		}
		// Flush per case: the caller waits for each answer before sending the next.
		if err := out.Flush(); err != nil {
			os.Exit(2)
		}
	}
}
