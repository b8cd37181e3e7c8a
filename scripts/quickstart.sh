#!/bin/sh
# Install what is missing, build async, and show it doing its main job on a sample workspace:
# a team write-up with reviewers and a deadline, written without opening an editor.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2
bin=$(pwd)/build/cmd/async

demo=$(mktemp -d "${TMPDIR:-/tmp}/async-demo.XXXXXX")
export ASYNC_USER=alice
run() {
    printf '\n$ %s\n' "$*"
    "$@"
}
run "$bin" --version
run "$bin" init "$demo/team"
cd "$demo/team"
run "$bin" config set team.name "Acme"
run "$bin" config set people.bob.email bob@example.com
run "$bin" doc new "Pricing page" --reviewers bob --due fri -m "We need a new pricing page."
run "$bin" doc new "Onboarding: local set-up" --template onboarding --no-edit
cat > "$demo/launch.md" <<'BODY'
We need a new pricing page before the launch.

- [ ] @bob draft the copy due:2026-12-01
- [ ] @alice pick the screenshots

Decision: three tiers, billed monthly.
BODY
run "$bin" doc new "Launch checklist" --reviewers bob --due +3d --file "$demo/launch.md"
rm -f "$demo/launch.md"
run "$bin" list
run "$bin" search pricing
run "$bin" actions
run "$bin" decisions
run "$bin" templates
printf '\n$ cat docs/*-pricing-page/index.md\n'
cat docs/*-pricing-page/index.md
printf '\nThe sample workspace is in %s; the binary is %s\n' "$demo/team" "$bin"
