#!/usr/bin/env bash
# One-time (and idempotent) set-up for a fresh machine: the system tools Presswork's checks use, then the
# npm packages. Called by `npm start` and `npm test` before anything else, so those two commands are all a
# newcomer needs. Fast when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: poppler (pdftoppm, pdffonts, pdftotext), Ghostscript (separations), qpdf (PDF checks),
# Chromium (the studio's browser tests).
need=()
for pair in pdftoppm:poppler-utils gs:ghostscript qpdf:qpdf chromium:chromium; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if ((${#need[@]})); then
  echo "setup: installing system packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm packages, reinstalled only when the lock file changed since the last set-up.
stamp=node_modules/.presswork-setup
want=$(sha256sum package-lock.json | cut -c1-64)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (native modules build from source; about two minutes the first time)"
  npm ci --no-audit --no-fund
  echo "$want" >"$stamp"
fi
