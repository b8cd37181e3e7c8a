#!/bin/sh
# Fake interactive editor for tmux tests: says which file it opened, then reads one word from
# the terminal. "break" puts invalid TOML on line 3 and appends a body line, "fix" removes that
# line again, anything else leaves the file as it was.
printf 'EDITING %s\n' "$1"
read -r what
case "$what" in
break)
    awk 'NR == 3 { print "this is = = not toml" } { print }' "$1" > "$1.tmp" && mv "$1.tmp" "$1"
    printf '%s\n' "Body worth keeping." >> "$1"
    ;;
fix)
    grep -v '^this is = = not toml$' "$1" > "$1.tmp" && mv "$1.tmp" "$1"
    ;;
esac
