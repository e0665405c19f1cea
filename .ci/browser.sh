#!/usr/bin/env bash
# Debian's chromium and the Thai fonts, for the review desk's screenshots and browser tests (issue 15).
# Idempotent: installs only what is missing; a second run does nothing. Needs root (or passwordless sudo).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Thai renders as boxes in screenshots and case files without a Thai font.
dpkg -s fonts-thai-tlwg >/dev/null 2>&1 || missing+=(fonts-thai-tlwg)
if [ "${#missing[@]}" -eq 0 ]; then
  echo "ci/browser: chromium and fonts-thai-tlwg already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  else
    echo "ci/browser: not root and no sudo: cannot install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "ci/browser: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh image has no package lists: update first (an install from a stale list fails).
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
