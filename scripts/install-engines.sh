#!/bin/sh
# Installs the restricted JavaScript engines that `npm run engines` exercises (Debian 12, as root).
# Node vm, QuickJS and QuickJS-ng (wasm), Hermes, Bun, Deno, workerd and engine262 come from npm
# dev dependencies (puppeteer-core drives Chromium); the rest are Debian packages:
#   jsc       <- libjavascriptcoregtk-4.0-bin (only the 4.0 package ships the shell)
#   js102     <- libmozjs-102-dev (SpiderMonkey's shell)
#   chromium  <- chromium (headless; puppeteer-core is pointed at /usr/bin/chromium)
#   duk       <- duktape
#   rhino, mujs: optional engines (see docs/embedding.md, "Supported engines")
#   xs        <- npm @agoric/xsnap (XS's C sources), built with gcc and make by scripts/install-xs.sh
# The C host example (examples/c-host) builds against libjavascriptcoregtk-4.0-dev with gcc.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends libjavascriptcoregtk-4.0-bin libmozjs-102-dev chromium duktape rhino mujs \
  libjavascriptcoregtk-4.0-dev gcc libc6-dev pkg-config make
sh "$(dirname "$0")/install-xs.sh"
