#!/bin/sh
# Installs XS, Moddable's engine for microcontrollers, as Agoric's xsnap-worker: the npm package
# @agoric/xsnap carries the XS C sources and the worker's makefile, built here with gcc and make
# (no git, nothing downloaded but the npm tarball). The worker lands in the cache directory that
# scripts/engines/xs.mjs looks in; a second run with the worker already built does nothing.
#   sh scripts/install-xs.sh        (any user; needs node/npm, gcc, make, libc6-dev)
set -eu
version=0.15.0
# The tarball's SHA-512 as the registry published it (dist.integrity), checked before building.
sha512=6419b80d9c5bb5f69cc4c1d555d263662d18f333b137beefa6ed56c08e5159f3e4691874687933fdd55d4c62976a50cdcd67f3d7cde59632b1971977fe1d27f8
dir="${XDG_CACHE_HOME:-$HOME/.cache}/genloop-engines/xsnap-$version"
worker="$dir/xsnap-native/xsnap/build/bin/lin/release/xsnap-worker"

if [ -x "$worker" ] && "$worker" -v 2>/dev/null | grep -q "^xsnap $version "; then
  echo "xs: $("$worker" -v) already built in $dir"
  exit 0
fi

# Built aside, then moved into place: an interrupted run never leaves a half-built worker behind.
work="$dir.partial.$$"
trap 'rm -rf "$work"' EXIT
rm -rf "$work" && mkdir -p "$work"
tarball=$(cd "$work" && npm pack --silent "@agoric/xsnap@$version")
echo "$sha512  $work/$tarball" | sha512sum -c --quiet
tar -xzf "$work/$tarball" -C "$work" --strip-components=1
rm "$work/$tarball"
# The package's own build (src/build.js) runs this makefile for the release and debug goals; the
# release worker is all the engine matrix needs.
make -C "$work/xsnap-native/xsnap/makefiles/lin" -f xsnap-worker.mk -j "$(nproc)" \
  MODDABLE="$work/moddable" GOAL=release XSNAP_VERSION="$version"
# The build directory is a sibling of the makefiles: the worker keeps no absolute path, so the tree moves.
rm -rf "$dir"
mv "$work" "$dir"
echo "xs: $("$worker" -v) built in $dir"
