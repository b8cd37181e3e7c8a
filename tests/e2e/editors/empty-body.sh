#!/bin/sh
# Fake editor: keeps the front matter and deletes the whole body.
printf '%s\n' "$1" >> "${FAKE_EDITOR_LOG:-/dev/null}"
tmp="$1.fake-editor"
awk 'BEGIN { n = 0 } { print } /^\+\+\+$/ { n++; if (n == 2) exit }' "$1" > "$tmp" && mv "$tmp" "$1"
