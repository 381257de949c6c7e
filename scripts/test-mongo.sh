#!/usr/bin/env bash
# `npm run test:mongo`: the whole `npm test` against a FerretDB that scripts/ferretdb.sh builds
# and starts. The two-process burst (test/integration/mongo.processes.test.ts) runs after the
# rest, alone: it keeps FerretDB and both cores busy for minutes, which would push the other
# suites' concurrency tests past their timeouts if they shared the machine with it.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/ferretdb.sh bash -c '
  npx jest --testPathIgnorePatterns /node_modules/ mongo.processes "$@" &&
  npx jest test/integration/mongo.processes.test.ts "$@"' test-mongo "$@"
