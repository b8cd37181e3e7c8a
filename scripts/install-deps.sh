#!/bin/sh
# Install every system package async needs to build, test and benchmark on Debian 12.
# clang, libclang-rt-14-dev (libFuzzer and clang's sanitizer runtimes, only recommended by
# clang) and llvm (llvm-symbolizer, for readable sanitizer stacks) serve scripts/fuzz.sh; g++'s
# own ASan/UBSan runtimes (libasan8, libubsan1) come with build-essential.
# Idempotent: packages already present are left alone; apt-get runs only when one is missing.
set -eu

packages="
build-essential cmake ninja-build pkg-config git
libcli11-dev libfmt-dev libsqlitecpp-dev libsqlite3-dev libtomlplusplus-dev
libfyaml-dev doctest-dev libmd4c-dev libmd4c-html0-dev libkainjow-mustache-dev
python3 python3-feedparser tmux fzf sqlite3 scdoc mandoc man-db zsh fish bash-completion
hyperfine ripgrep adr-tools taskwarrior watchman
libical-dev python3-icalendar khal msmtp python3-aiosmtpd
clang libclang-rt-14-dev llvm
"

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

echo "install-deps: installing:$missing" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
