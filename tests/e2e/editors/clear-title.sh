#!/bin/sh
# Fake editor: empties the title in the front matter and adds body text.
printf '%s\n' "$1" >> "${FAKE_EDITOR_LOG:-/dev/null}"
tmp="$1.fake-editor"
sed 's/^title = .*/title = ""/' "$1" > "$tmp" && mv "$tmp" "$1"
printf '%s\n' "Words I typed." >> "$1"
