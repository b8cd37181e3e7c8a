#!/bin/bash
# Plain Markdown notes: indexing 2,000 files without front matter, whose authors and created
# times come from git history, against the same 2,000 files with TOML front matter (the floor),
# in one hyperfine run.
#
#   `async index --full` in a repository of N notes vs the same in a repository of the same
#   N bodies with TOML front matter (both committed over C commits by 5 authors)
#                                          target: notes <= 1.5 x front matter (the history
#                                          read with one `git log` per refresh)
#
# Usage: bench/run_notes.sh     (run by hand; never from ctest: benchmarks are not tests)
# Environment: ASYNC=/path/to/async (default: build-bench/cmd/async, a Release build),
#   N (default 2000), C (commits, default 40), RUNS (default 10), RESULTS_DIR (default
#   bench/results). About a minute on 2 cores.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ASYNC=${ASYNC:-$root/build-bench/cmd/async}
N=${N:-2000}
C=${C:-40}
RUNS=${RUNS:-10}
results=${RESULTS_DIR:-$here/results}

die() { echo "bench/run_notes.sh: $*" >&2; exit 1; }
case $ASYNC in /*) ;; *) ASYNC=$(pwd)/$ASYNC ;; esac
[ -x "$ASYNC" ] || die "no async binary at '$ASYNC'; build it: cmake -S $root -B $root/build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DASYNC_TESTS=OFF && cmake --build $root/build-bench -j2"
for tool in hyperfine git python3; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed (see scripts/install-deps.sh)"
done
mkdir -p "$results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config TZ=UTC LANG=C.UTF-8 \
    ASYNC_USER=alice ASYNC_NOW=2026-11-26T10:15:00Z GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"

# Two workspaces with the same bodies, one as plain Markdown and one with front matter, each
# committed in C commits by 5 authors.
python3 - "$work" "$N" "$C" <<'PY'
import os, random, subprocess, sys
work, n, commits = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
words = ("harbour tide ferry lantern quay rope anchor gull buoy chart compass keel mast sail "
         "tiller wharf beacon dock hull pier").split()
authors = ["alice", "bob", "carol", "dana", "eve"]
for kind in ("notes", "toml"):
    ws = os.path.join(work, kind)
    os.makedirs(os.path.join(ws, "docs", "wiki"))
    os.makedirs(os.path.join(ws, ".async"))
    open(os.path.join(ws, ".async", "config.toml"), "w").close()
    subprocess.run(["git", "init", "-q", "-b", "main", ws], check=True)
    # No background repack on the cores being measured.
    subprocess.run(["git", "-C", ws, "config", "gc.auto", "0"], check=True)
rng_bodies = []
for i in range(n):
    title = " ".join(rng.choice(words) for _ in range(4)).capitalize()
    paragraphs = ["\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(4)) for _ in range(5)]
    body = f"# {title}\n\n" + "\n\n".join(paragraphs) + f"\n\n- [ ] @{rng.choice(authors)} check the {rng.choice(words)}\n"
    rng_bodies.append((f"{i:04d}-{title.lower().replace(' ', '-')}.md", title, body))
per = (n + commits - 1) // commits
for c in range(commits):
    author = authors[c % len(authors)]
    date = f"2024-{1 + c % 12:02d}-{1 + c % 28:02d}T09:00:00Z"
    for kind in ("notes", "toml"):
        ws = os.path.join(work, kind)
        for i in range(c * per, min(n, (c + 1) * per)):
            name, title, body = rng_bodies[i]
            text = body if kind == "notes" else (
                f'+++\nid = "{i:08d}"\ntype = "doc"\ntitle = "{title}"\nauthor = "{author}"\n'
                f'created = {date}\n+++\n' + body)
            with open(os.path.join(ws, "docs", "wiki", name), "w") as f:
                f.write(text)
        env = dict(os.environ, GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL=f"{author}@example.org",
                   GIT_AUTHOR_DATE=date, GIT_COMMITTER_NAME=author, GIT_COMMITTER_EMAIL=f"{author}@example.org",
                   GIT_COMMITTER_DATE=date)
        subprocess.run(["git", "-C", ws, "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", ws, "commit", "-q", "-m", f"batch {c}"], check=True, env=env)
PY
for kind in notes toml; do
    "$ASYNC" -C "$work/$kind" -q index >/dev/null
done
notes_count=$("$ASYNC" -C "$work/notes" --json list --type note --limit 100000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["documents"]))')
toml_count=$("$ASYNC" -C "$work/toml" --json list --type doc --limit 100000 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["documents"]))')
[ "$notes_count" = "$N" ] && [ "$toml_count" = "$N" ] || die "indexed $notes_count notes and $toml_count documents, not $N"

hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$results/notes_index.json" --export-markdown "$results/notes_index.md" \
    -n "front matter" "$ASYNC -C $work/toml -q index --full" \
    -n "notes" "$ASYNC -C $work/notes -q index --full"
python3 - "$results/notes_index.json" "$N" <<'PY' | tee "$results/notes_summary.txt"
import json, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
floor, notes = runs["front matter"]["median"], runs["notes"]["median"]
ratio = notes / floor
print(f"index --full, {sys.argv[2]} files: front matter {floor * 1000:.1f} ms, notes {notes * 1000:.1f} ms (medians)")
print(f"notes / front matter = {ratio:.2f}  (target <= 1.5: {'MET' if ratio <= 1.5 else 'NOT MET'})")
PY
