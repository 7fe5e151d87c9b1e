#!/usr/bin/env bash
# Prints the path of a livekit-server binary, building and caching it once if needed.
# Order: $LIVEKIT_SERVER_BIN; the cached build; `go install` of the pinned version.
set -euo pipefail
VERSION="${LIVEKIT_VERSION:-v1.13.5}"
if [ -n "${LIVEKIT_SERVER_BIN:-}" ]; then
  [ -x "$LIVEKIT_SERVER_BIN" ] || { echo "LIVEKIT_SERVER_BIN=$LIVEKIT_SERVER_BIN is not executable" >&2; exit 1; }
  echo "$LIVEKIT_SERVER_BIN"; exit 0
fi
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/tram/livekit-$VERSION"
BIN="$CACHE/livekit-server"
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
livekit-server was not found and Go is not installed to build it.
Install it the official way (https://docs.livekit.io/home/self-hosting/local/):
  curl -sSL https://get.livekit.io | bash        # Linux
  brew install livekit                           # macOS
then run again with LIVEKIT_SERVER_BIN=\$(command -v livekit-server)
MSG
  exit 1
fi
echo "building livekit-server $VERSION once into $CACHE (a few minutes)..." >&2
mkdir -p "$CACHE/.gobin"
# Official release builds are static (CGO_ENABLED=0); the binary is named `server`.
GOBIN="$CACHE/.gobin" CGO_ENABLED=0 go install "github.com/livekit/livekit-server/cmd/server@$VERSION" >&2
mv "$CACHE/.gobin/server" "$BIN.tmp" && mv "$BIN.tmp" "$BIN" && rmdir "$CACHE/.gobin"
echo "$BIN"
