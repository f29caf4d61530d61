#!/usr/bin/env bash
# Builds the web app (web/ → web/dist), which `taizhang serve` serves. Installs the npm packages
# from package-lock.json (npm ci) only when node_modules is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
