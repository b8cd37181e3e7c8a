#!/bin/sh
# Fake editor: breaks the TOML on the third line of the file (inside the front matter).
printf '%s\n' "$1" >> "${FAKE_EDITOR_LOG:-/dev/null}"
tmp="$1.fake-editor"
awk 'NR == 3 { print "this is = = not toml" } { print }' "$1" > "$tmp" && mv "$tmp" "$1"
printf '%s\n' "Body text worth keeping." >> "$1"
