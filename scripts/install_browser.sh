#!/bin/sh
# Debian's Chromium for the end-to-end tests of the web page (tests/test_ui_e2e.py), driven by
# Playwright through executable_path: no browser is ever downloaded by a test tool.
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -eu

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "Chromium absent et apt-get introuvable : installez le paquet « chromium » de votre distribution" \
         "(les tests de la page web seront sautés)." >&2
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
else
    SUDO="sudo"
fi
echo "Installation de Chromium (paquet Debian « chromium ») pour les tests de la page web…" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
/usr/bin/chromium --version >&2
