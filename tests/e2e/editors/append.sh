#!/bin/sh
# Fake editor: records the path it was asked to open, then appends $FAKE_EDITOR_TEXT.
printf '%s\n' "$1" >> "${FAKE_EDITOR_LOG:-/dev/null}"
printf '%s\n' "${FAKE_EDITOR_TEXT:-Edited in the editor.}" >> "$1"
