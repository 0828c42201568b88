#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Sightline needs that are missing. Safe to run repeatedly:
# it only calls apt-get when something is actually missing.
#   usage: scripts/install-system-packages.sh run|test
set -euo pipefail

purpose="${1:-run}"
# WeasyPrint needs Pango; libharfbuzz-subset0 makes font subsetting ~10x faster.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [[ "$purpose" == "test" ]]; then
  # Browser tests (system Chromium, never a downloaded one), PostgreSQL, PDF and QR checks.
  packages+=(chromium chromium-driver poppler-utils zbar-tools)
  command -v pg_ctlcluster >/dev/null 2>&1 || packages+=(postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}. Install them with your package manager." >&2
  exit 1
fi
sudo=""
[[ "$(id -u)" -ne 0 ]] && sudo="sudo"
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
