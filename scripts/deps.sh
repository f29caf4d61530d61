#!/usr/bin/env bash
# Installs the Debian 12 packages taizhang needs to build and test, skipping those already there.
set -euo pipefail
packages=(build-essential cmake ninja-build ccache pkg-config libsqlite3-dev libgtest-dev
          libgmock-dev nlohmann-json3-dev libbenchmark-dev sqlite3
          libssl-dev  # SHA-256 for the audit log's hash chain (OpenSSL libcrypto)
          libargon2-dev  # Argon2id password hashes (src/auth/password.cc)
          libzip-dev zlib1g-dev libexpat1-dev libxlsxwriter-dev libfreexl-dev
          libboost-dev  # Boost.Beast (header-only) for the HTTP server
          libpq-dev  # the PostgreSQL store (src/store, C libpq)
          postgresql-15  # the tests' throwaway server (scripts/pg_temp.sh, its own initdb and port;
                         # the cluster 15/main that the package may make on port 5432 goes unused)
          python3-openpyxl  # openpyxl: the peer that bench/ measures the xlsx import against
          wrk nginx-light  # bench/http_bench.sh: the load generator, and the static-file peer
          nodejs  # builds the web app (web/, Vite); the machine's Node (20 here) is kept
          chromium  # the browser tests (web/e2e, npm playwright-core drives /usr/bin/chromium)
          fonts-noto-cjk  # Chinese text in screenshots and in PDFs (else empty boxes)
          libreoffice-writer-nogui  # report --format pdf; the tests open every docx with it
          poppler-utils)  # pdftotext, pdftoppm, pdfinfo, pdffonts: the tests read those PDFs
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's own nodejs package comes without npm (NodeSource's includes it).
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
