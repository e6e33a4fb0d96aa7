#!/usr/bin/env bash
# Installs the Debian packages the project needs, only when they are missing.
#   setup-system.sh venv      python3 -m venv works (Debian splits it into python3-venv)
#   setup-system.sh chromium  /usr/bin/chromium for the browser tests
#   setup-system.sh java      a Java runtime for the Nu HTML checker
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

case "${1:-}" in
  venv)
    py="${PY:-python3}"
    tmp=$(mktemp -d)
    if ! "$py" -m venv "$tmp/v" >/dev/null 2>&1; then
      apt_install python3-venv
    fi
    rm -rf "$tmp"
    ;;
  chromium)
    # Playwright's own browser download is not reachable here; Debian's build is.
    # Noto CJK so that screenshots of the Chinese pages show characters, not boxes.
    missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
    if [ ${#missing[@]} -gt 0 ]; then
      apt_install "${missing[@]}"
    fi
    ;;
  java)
    # The Nu HTML checker (tests/test_html_valid.py) runs on Java 11 or later.
    command -v java >/dev/null 2>&1 || apt_install default-jre-headless
    ;;
  *)
    echo "usage: $0 venv|chromium|java" >&2
    exit 2
    ;;
esac
