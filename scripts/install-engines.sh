#!/bin/sh
# Installs the restricted JavaScript engines that `npm run engines` exercises (Debian 12, as root).
# Node vm, QuickJS (wasm) and Hermes come from npm dev dependencies; the rest are Debian packages:
#   jsc  <- libjavascriptcoregtk-4.0-bin (only the 4.0 package ships the shell)
#   duk  <- duktape
#   rhino, mujs: optional engines (see docs/embedding.md, "Supported engines")
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends libjavascriptcoregtk-4.0-bin duktape rhino mujs
