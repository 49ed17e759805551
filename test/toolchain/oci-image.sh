#!/usr/bin/env bash
# Writes a FROM-scratch OCI image, as an OCI image layout tarball, holding static binaries in /bin, the first
# of them its entrypoint. A binary named busybox also gets a link for each of its applets (/bin/sh, wget, ...).
# No container engine is involved: the layer is a plain tar, and every JSON document is small enough to write
# by hand. `ctr images import` reads the image's name from the io.containerd.image.name annotation, so the
# import tags it without a second step.
#
#   test/toolchain/oci-image.sh OUT.tar REFERENCE BINARY [BINARY...]
#
# The same binaries give the same bytes (fixed owners, modes and times), so a digest changes only with their
# content.
set -euo pipefail

out=$1 ref=$2; shift 2
program=$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/etc" "$work/rootfs/tmp" "$work/layout/blobs/sha256"

for binary in "$@"; do
  cp "$binary" "$work/rootfs/bin/$(basename "$binary")"
  chmod 0755 "$work/rootfs/bin/$(basename "$binary")"
done
if [ -f "$work/rootfs/bin/busybox" ]; then
  for applet in $("$work/rootfs/bin/busybox" --list); do
    [ -e "$work/rootfs/bin/$applet" ] || ln -s busybox "$work/rootfs/bin/$applet"
  done
fi
# Programs that look up their user (os/user, some logging libraries) find one; pods may run as any UID.
printf 'root:x:0:0:root:/:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' > "$work/rootfs/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' > "$work/rootfs/etc/group"
chmod 1777 "$work/rootfs/tmp"

reproducible_tar() { tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner "$@"; }

# add_blob FILE: moves FILE into the layout under its digest; prints "<digest> <size>".
add_blob() {
  local digest size
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  mv "$1" "$work/layout/blobs/sha256/$digest"
  echo "$digest $size"
}

reproducible_tar -C "$work/rootfs" -cf "$work/layer.tar" .
read -r layer layer_size < <(add_blob "$work/layer.tar")

printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/%s"],"Env":["PATH=/bin"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$program" "$layer" > "$work/config.json"
read -r config config_size < <(add_blob "$work/config.json")

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
  "$config" "$config_size" "$layer" "$layer_size" > "$work/manifest.json"
read -r manifest manifest_size < <(add_blob "$work/manifest.json")

printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
  "$manifest" "$manifest_size" "$ref" "${ref##*:}" > "$work/layout/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$work/layout/oci-layout"

reproducible_tar -C "$work/layout" -cf "$out" oci-layout index.json blobs
