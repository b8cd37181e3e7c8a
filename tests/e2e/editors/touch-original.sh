#!/bin/sh
# Fake editor: while "editing", someone else changes the original file ($FAKE_EDITOR_ORIGINAL);
# then the edit itself appends a line to the copy it was given.
printf '%s\n' "$1" >> "${FAKE_EDITOR_LOG:-/dev/null}"
printf '%s\n' "Changed by a teammate meanwhile." >> "$FAKE_EDITOR_ORIGINAL"
printf '%s\n' "My edit." >> "$1"
