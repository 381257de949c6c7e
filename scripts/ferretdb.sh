#!/usr/bin/env bash
# Runs a command with a throw-away FerretDB 1.24.2 (MongoDB wire protocol, SQLite backend)
# on a free 127.0.0.1 port: builds the binary once per version from the Go module proxy,
# starts it in a temporary directory, waits until it answers `ping`, exports MONGODB_URI
# (and FERRETDB_BIN, for tests that start and stop servers of their own), runs the
# command, and stops the server by its pid on exit.
#
#   scripts/ferretdb.sh npm test        # what `npm run test:mongo` and .ci/run do
#   scripts/ferretdb.sh --build-only    # just build (or find) the binary and print its path
#
# Why not `go install …@v1.24.2`: the module zip lacks the generated
# build/version/version.txt, and a binary built as FerretDB's own main module panics at
# start without it. So the module source is copied out of the module cache, the file is
# written, and the copy is built. The Go module and build caches make a second build fast.
set -euo pipefail

VERSION=v1.24.2
MODULE=github.com/FerretDB/FerretDB
CACHE="${GROUPDESK_FERRETDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/groupdesk/ferretdb-$VERSION}"
BIN="$CACHE/ferretdb"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

build() {
  if [[ -x "$BIN" ]] && [[ "$("$BIN" --version 2>/dev/null)" == *"version: $VERSION"* ]]; then return; fi
  command -v go >/dev/null || { echo "ferretdb.sh: Go is needed to build FerretDB ($MODULE@$VERSION)" >&2; exit 2; }
  local started=$SECONDS src dir
  echo "ferretdb.sh: building FerretDB $VERSION (once per machine; cold about 1-2 min)" >&2
  dir=$(go mod download -json "$MODULE@$VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [[ -n "$dir" ]] || { echo "ferretdb.sh: go mod download $MODULE@$VERSION failed" >&2; exit 2; }
  mkdir -p "$CACHE"
  src=$(mktemp -d)
  cp -r "$dir/." "$src" && chmod -R u+w "$src"
  echo "$VERSION" >"$src/build/version/version.txt"
  (cd "$src" && GOFLAGS=-mod=mod go build -o "$BIN.tmp" ./cmd/ferretdb)
  mv "$BIN.tmp" "$BIN"
  rm -rf "$src"
  echo "ferretdb.sh: built in $((SECONDS - started)) s: $BIN" >&2
}

build
if [[ "${1:-}" == "--build-only" ]]; then echo "$BIN"; exit 0; fi

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
WORK=$(mktemp -d)
mkdir -p "$WORK/data" "$WORK/state"
PORT=$(free_port)
DEBUG_PORT=$(free_port)
"$BIN" --handler=sqlite --sqlite-url="file:$WORK/data/" --listen-addr="127.0.0.1:$PORT" \
  --debug-addr="127.0.0.1:$DEBUG_PORT" --state-dir="$WORK/state" --telemetry=disable \
  --log-level=error >"$WORK/ferretdb.log" 2>&1 &
PID=$!
stop() {
  kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop EXIT

export MONGODB_URI="mongodb://127.0.0.1:$PORT/groupdesk"
export FERRETDB_BIN="$BIN"
# Ready when it answers `ping` through the real driver (at most 30 s).
(cd "$ROOT" && node -e '
  const { MongoClient } = require("mongodb");
  const deadline = Date.now() + 30000;
  (async function poll() {
    const client = new MongoClient(process.env.MONGODB_URI, { serverSelectionTimeoutMS: 500 });
    try { await client.db().command({ ping: 1 }); await client.close(); process.exit(0); }
    catch { await client.close().catch(() => {}); if (Date.now() > deadline) process.exit(1); setTimeout(poll, 200); }
  })();') || { echo "ferretdb.sh: FerretDB did not answer ping; its log:" >&2; cat "$WORK/ferretdb.log" >&2; exit 1; }
echo "ferretdb.sh: FerretDB $VERSION (pid $PID) at $MONGODB_URI" >&2
"$@"
