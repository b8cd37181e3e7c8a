#!/bin/sh
# Fake editor: writes some text, then exits 1 (like :cq in vim).
printf '%s\n' "$1" >> "${FAKE_EDITOR_LOG:-/dev/null}"
printf '%s\n' "Text typed before the editor failed." >> "$1"
exit 1
