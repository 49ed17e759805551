// relabel applies metric relabel configs to series with Prometheus's own relabelling engine, so the tests can
// check what a ServiceMonitor's metricRelabelings leave of ESO's metrics.
//
// Input on stdin (YAML or JSON): {relabel_configs: [...], series: [{label: value, ...}, ...]}, the configs in
// Prometheus's own form (snake_case), each series as it reaches metric relabelling (target labels attached).
// Output on stdout: one JSON object per kept series, in input order.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/relabel"
	"go.yaml.in/yaml/v2"
)

type input struct {
	RelabelConfigs []*relabel.Config    `yaml:"relabel_configs"`
	Series         []map[string]string `yaml:"series"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "relabel:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	raw, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	var req input
	if err := yaml.UnmarshalStrict(raw, &req); err != nil {
		return err
	}
	for i, cfg := range req.RelabelConfigs {
		if err := cfg.Validate(model.LegacyValidation); err != nil {
			return fmt.Errorf("relabel config %d: %w", i, err)
		}
	}
	encoder := json.NewEncoder(out)
	for _, series := range req.Series {
		builder := labels.NewBuilder(labels.FromMap(series))
		if !relabel.ProcessBuilder(builder, req.RelabelConfigs...) {
			continue
		}
		if err := encoder.Encode(builder.Labels().Map()); err != nil {
			return err
		}
	}
	return nil
}
