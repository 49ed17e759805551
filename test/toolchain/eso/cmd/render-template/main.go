// Command render-template renders ExternalSecret templates with ESO's own template engine (v2), so the
// unit tests check templates with the code that renders them in clusters.
//
// It reads one JSON document from stdin: {"cases": [{"template": {key: tpl}, "data": {key: value}}]}
// and writes {"results": [{"data": {key: value}} | {"error": "..."}]} to stdout. Values are base64 in both
// directions, because Secret data is bytes and a credential may hold anything.
package main

import (
	"encoding/json"
	"fmt"
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
	var input struct {
		Cases []renderCase `json:"cases"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&input); err != nil {
		fmt.Fprintf(os.Stderr, "render-template: cannot read input: %v\n", err)
		os.Exit(2)
	}
	results := make([]renderResult, 0, len(input.Cases))
	for _, c := range input.Cases {
		secret := &corev1.Secret{}
		err := engine.Execute(c.Template, c.Data, esapi.TemplateScopeValues, esapi.TemplateTargetData, secret)
		if err != nil {
			results = append(results, renderResult{Error: err.Error()})
			continue
		}
		results = append(results, renderResult{Data: secret.Data})
	}
	if err := json.NewEncoder(os.Stdout).Encode(map[string]any{"results": results}); err != nil {
		fmt.Fprintf(os.Stderr, "render-template: cannot write output: %v\n", err)
		os.Exit(2)
	}
}
