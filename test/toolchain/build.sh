#!/usr/bin/env bash
# Builds the programs the tests run for real (etcd, kube-apiserver, kube-controller-manager, the External
# Secrets Operator controller and its template renderer, the HashiCorp Vault server) from the Go module proxy,
# once per machine.
# Binaries go to a cache outside the repository, keyed by version and by a hash of the wrapper module, and
# are rebuilt only when missing. Prints the cache folder of each tool on stdout, progress on stderr.
#
#   test/toolchain/build.sh [kube|eso|vault]...      (default: kube and eso)
#   CSS_TOOLCHAIN_CACHE=/path overrides the cache folder.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${CSS_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/central-secret-store/toolchain}
KUBE_VERSION=v1.34.4
ESO_VERSION=v0.20.4
VAULT_VERSION=v1.21.4

say() { printf '[toolchain] %s\n' "$*" >&2; }

# The key changes whenever the wrapper module changes, so an edited go.mod never reuses a stale binary.
wrapper_key() { cat "$here/$1/go.mod" "$here/$1/go.sum" $(find "$here/$1" -name '*.go' | sort) | sha256sum | cut -c1-12; }

# build NAME VERSION LDFLAGS PACKAGE=OUTPUT...
build() {
  local name=$1 version=$2 ldflags=$3; shift 3
  local dest="$cache/$name-$version-$(wrapper_key "$name")"
  if [ -f "$dest/.complete" ]; then
    say "$name $version: cached in $dest"
    echo "$dest"; return
  fi
  say "$name $version: building into $dest (first run on this machine; this takes a while)"
  local tmp; tmp=$(mktemp -d "$cache/.build-$name-XXXXXX")
  local start=$SECONDS
  for spec in "$@"; do
    local pkg=${spec%%=*} out=${spec#*=}
    say "  go build $pkg"
    (cd "$here/$name" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$tmp/$out" "$pkg")
  done
  echo "$((SECONDS - start))" > "$tmp/.build-seconds"
  touch "$tmp/.complete"
  rm -rf "$dest"; mv "$tmp" "$dest"
  # Older builds of this tool (another version or wrapper) are never used again.
  find "$cache" -maxdepth 1 -name "$name-*" ! -path "$dest" -exec rm -rf {} +
  say "$name $version: built in $((SECONDS - start)) s"
  echo "$dest"
}

mkdir -p "$cache"
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(kube eso)
for t in "${targets[@]}"; do
  case "$t" in
    kube)
      minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
      build kube "$KUBE_VERSION" \
        "-X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean" \
        go.etcd.io/etcd/server/v3=etcd \
        k8s.io/kubernetes/cmd/kube-apiserver=kube-apiserver \
        k8s.io/kubernetes/cmd/kube-controller-manager=kube-controller-manager ;;
    eso)
      build eso "$ESO_VERSION" "" \
        github.com/external-secrets/external-secrets=external-secrets \
        ./cmd/render-template=render-template ;;
    vault)
      # Without the `ui` build tag: the web UI is not embedded, the API is complete.
      build vault "$VAULT_VERSION" "" \
        github.com/hashicorp/vault=vault ;;
    *) say "unknown target '$t' (expected kube, eso or vault)"; exit 2 ;;
  esac
done
