#!/bin/sh
# deps.sh - install the Debian packages that the build and the tests need.
# Run by "make deps" (and so by "make test" and "make run"). Only missing
# packages are installed; without root it says what to install instead.

PKGS="build-essential pkg-config libdb-dev libssl-dev libsasl2-dev libpcre2-dev
      libmariadb-dev libldap2-dev python3 swaks iproute2 procps dnsmasq-base
      dovecot-core dovecot-lmtpd"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run as root: apt-get install$missing" >&2
    exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
    echo "deps: apt-get install$missing failed" >&2
    exit 1
}
