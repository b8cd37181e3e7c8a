#!/bin/sh
# Fake editor: records the path and leaves the file exactly as it was.
printf '%s\n' "$1" >> "${FAKE_EDITOR_LOG:-/dev/null}"
