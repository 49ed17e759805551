#!/usr/bin/env bash
# Builds the programs the tests run for real from the Go module proxy, once per machine: etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler and kubelet (kube), the External Secrets Operator
# controller and its template renderer (eso), helm (helm), the node's small programs (node), the
# FROM-scratch OCI images the node runs (images: pause, the test app, the credential consumers and the ESO
# controller), and Prometheus's promtool, which checks and unit-tests the product's alerting rules, with
# `relabel`, which applies metric relabel configs with Prometheus's own engine (promtool).
# Results go to a cache outside the repository, keyed by version and by a hash of their inputs, and are
# rebuilt only when missing. Prints the cache folder of each target on stdout, progress on stderr; each
# folder records how long its build took in .build-seconds.
#
#   test/toolchain/build.sh [kube|eso|helm|node|images|promtool]...      (default: kube eso)
#   CSS_TOOLCHAIN_CACHE=/path overrides the cache folder.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${CSS_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/central-secret-store/toolchain}
KUBE_VERSION=v1.34.4
ESO_VERSION=v0.20.4
HELM_VERSION=v3.22.0
# Prometheus 3.16.0; its Go module is tagged v0.316.0.
PROMETHEUS_VERSION=v0.316.0

say() { printf '[toolchain] %s\n' "$*" >&2; }

# The key changes whenever the wrapper module changes, so an edited go.mod never reuses a stale binary.
wrapper_key() { cat "$here/$1/go.mod" "$here/$1/go.sum" $(find "$here/$1" -name '*.go' | sort) | sha256sum | cut -c1-12; }

# cached NAME VERSION KEY: sets $dest to the cache folder of NAME, and succeeds when it is complete.
cached() {
  dest="$cache/$1-$2-$3"
  if [ -f "$dest/.complete" ]; then say "$1 $2: cached in $dest"; return 0; fi
  return 1
}

# finish NAME VERSION TMP START: moves a finished build from TMP to $dest and drops older builds of NAME.
finish() {
  local name=$1 version=$2 tmp=$3 start=$4
  echo "$((SECONDS - start))" > "$tmp/.build-seconds"
  touch "$tmp/.complete"
  rm -rf "$dest"; mv "$tmp" "$dest"
  # Older builds of this tool (another version or wrapper) are never used again.
  find "$cache" -maxdepth 1 -name "$name-*" ! -path "$dest" -exec rm -rf {} +
  say "$name $version: built in $((SECONDS - start)) s"
}

# build NAME VERSION LDFLAGS PACKAGE=OUTPUT...: Go binaries from the wrapper module test/toolchain/NAME.
build() {
  local name=$1 version=$2 ldflags=$3; shift 3
  cached "$name" "$version" "$(wrapper_key "$name")" && return
  say "$name $version: building into $dest (first run on this machine; this takes a while)"
  local tmp start=$SECONDS; tmp=$(mktemp -d "$cache/.build-$name-XXXXXX")
  for spec in "$@"; do
    local pkg=${spec%%=*} out=${spec#*=}
    say "  go build $pkg"
    (cd "$here/$name" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/$out" "$pkg")
  done
  finish "$name" "$version" "$tmp" "$start"
}

target_kube() {
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  build kube "$KUBE_VERSION" \
    "-X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean" \
    go.etcd.io/etcd/server/v3=etcd \
    k8s.io/kubernetes/cmd/kube-apiserver=kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager=kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler=kube-scheduler \
    k8s.io/kubernetes/cmd/kubelet=kubelet
}

target_eso() {
  build eso "$ESO_VERSION" "" \
    github.com/external-secrets/external-secrets=external-secrets \
    ./cmd/render-template=render-template
}

target_helm() {
  build helm "$HELM_VERSION" "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    helm.sh/helm/v3/cmd/helm=helm
}

target_promtool() {
  # The module's v0.3MM.P is Prometheus 3.MM.P.
  local minor=${PROMETHEUS_VERSION#v0.}; minor=${minor%%.*}
  local release=3.$((10#$minor - 300)).${PROMETHEUS_VERSION##*.}
  build promtool "$PROMETHEUS_VERSION" \
    "-X github.com/prometheus/common/version.Version=$release -X github.com/prometheus/common/version.Branch=HEAD" \
    github.com/prometheus/prometheus/cmd/promtool=promtool ./cmd/relabel=relabel
}

target_node() {
  build node v1 "" ./cmd/pause=pause ./cmd/testapp=testapp ./cmd/registry=registry ./cmd/netns-forward=netns-forward \
    ./cmd/git-https=git-https ./cmd/tls-serve=tls-serve ./cmd/oauth2-token=oauth2-token ./cmd/consumer=consumer
}

# The images the node runs, each listed in images.txt as "<tarball> <reference>". The ESO controller's is
# named as ESO's chart names it (the repository of the chart's values.yaml), tagged with the version of the
# binary it holds.
target_images() {
  target_node; local programs=$dest
  target_eso; local controller=$dest
  local chart_values repository
  chart_values=$(cd "$here/eso" && go list -m -f '{{.Dir}}' github.com/external-secrets/external-secrets)/deploy/charts/external-secrets/values.yaml
  repository=$(awk '/^image:/ { in_image = 1; next } in_image && /^[^ ]/ { exit } in_image && $1 == "repository:" { print $2; exit }' "$chart_values")
  [ -n "$repository" ] || { say "no image.repository in $chart_values"; exit 1; }
  local list="pause.tar css-e2e.local/pause:v1 $programs/pause
testapp.tar css-e2e.local/testapp:v1 $programs/testapp
consumer.tar css-e2e.local/consumer:v1 $programs/consumer
external-secrets.tar $repository:$ESO_VERSION $controller/external-secrets"
  cached images "$ESO_VERSION" "$(printf '%s\n' "$list" | cat - "$here/oci-image.sh" | sha256sum | cut -c1-12)" && return
  say "images: building into $dest"
  local tmp start=$SECONDS; tmp=$(mktemp -d "$cache/.build-images-XXXXXX")
  while read -r file ref binary; do
    say "  $ref"
    bash "$here/oci-image.sh" "$tmp/$file" "$ref" "$binary"
    echo "$file $ref" >> "$tmp/images.txt"
  done <<< "$list"
  finish images "$ESO_VERSION" "$tmp" "$start"
}

mkdir -p "$cache"
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(kube eso)
for t in "${targets[@]}"; do
  case "$t" in
    kube | eso | helm | node | images | promtool) "target_$t"; echo "$dest" ;;
    *) say "unknown target '$t' (expected kube, eso, helm, node, images or promtool)"; exit 2 ;;
  esac
done
