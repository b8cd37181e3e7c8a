#!/usr/bin/env python3
"""Mutation check: does the test suite catch a list of small deliberate bugs?

Copies the working tree (tracked and new, not ignored files) into a work folder, builds it once,
runs the tests unmutated (they must pass), then for each mutation below: replaces its exact
original text in its file (found by basename with `git ls-files`, so moving files between folders
does not break the list), rebuilds only what is needed, runs the ctest tests its regex names
(--full: the whole suite), and restores the file. A mutation is caught when those tests fail.
Exits 0 when every mutation is caught, 1 when one is missed, 2 on a broken list or build.

Not part of CI (it builds and tests once per mutation). The work folder is kept between runs
(default $TMPDIR/async-mutation-check) so a rerun only rebuilds what changed; ccache is used when
installed (with CCACHE_BASEDIR, so a first run reuses the objects of a build/ made with
CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1). Usage: scripts/mutation-check.py [--full] [--only NAME...] [--work DIR] [--list]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Mutation:
    name: str
    file: str       # basename: the one file of that name under lib/ (or in the tree)
    original: str   # exact text, found exactly once in the file
    replacement: str
    tests: str      # ctest -R regex of the tests that should catch it


MUTATIONS = [
    Mutation("feedback: deeper headings become questions", "feedback.cpp",
             "        if (h.level == 2) {\n", "        if (h.level >= 2) {\n",
             "reply context block|e2e.test_feedback"),
    Mutation("feedback: title not comment-safe", "feedback.cpp",
             '"Replying to: " + comment_safe(doc.title)', '"Replying to: " + doc.title',
             "reply context block|e2e.test_feedback"),
    Mutation("check: silent on an unreadable file", "check.cpp",
             "        struct stat target {};\n        bool folder =",
             "        if (err == EACCES) {\n            return {};\n        }\n"
             "        struct stat target {};\n        bool folder =",
             "^check|e2e.test_check"),
    Mutation("read_file: a forbidden file reads as empty", "workspace.cpp",
             '    if (fd < 0) {\n        throw io_error("read", path, errno);\n    }\n    std::string out;\n',
             '    if (fd < 0 && errno == EACCES) {\n        return {};\n    }\n'
             '    if (fd < 0) {\n        throw io_error("read", path, errno);\n    }\n    std::string out;\n',
             "^workspace::read_file"),
    Mutation("write_file_atomic: temp file leaks on a failed rename", "workspace.cpp",
             "        int err = errno;\n        ::unlink(tmp.c_str());\n        throw io_error(\"write\", path, err);\n"
             "    }\n    fsync_dir(folder_of(path));",
             "        int err = errno;\n        throw io_error(\"write\", path, err);\n"
             "    }\n    fsync_dir(folder_of(path));",
             "^workspace::write_file_atomic"),
    Mutation("hooks: a symlinked hook is followed", "hooks.cpp",
             "if (::lstat(path.c_str(), &st) != 0) {", "if (::stat(path.c_str(), &st) != 0) {",
             "^hooks::|e2e.test_git"),
    Mutation("hooks: a foreign hook is overwritten", "hooks.cpp",
             "        if (existing == Existing::foreign) {\n            out.push_back(outcome(repo, name, HookAction::foreign));",
             "        if (existing == Existing::foreign && false) {\n            out.push_back(outcome(repo, name, HookAction::foreign));",
             "^hooks::|e2e.test_git"),
    Mutation("due: a deadline due now is overdue", "due.cpp",
             "    return due < now;", "    return due <= now;",
             "^due|^agenda|e2e.test_calendar|e2e.test_one_answer_actions"),
    Mutation("due: a date-only due: is due at the start of its day", "due.cpp",
             "parse_human_date(date, TimePoint{}, DateRole::deadline)",
             "parse_human_date(date, TimePoint{}, DateRole::start)",
             "^due|e2e.test_one_answer_actions"),
    Mutation("actions --overdue: tomorrow's date counts", "due.cpp",
             "    return format_local_date(now);", "    return format_local_date(now + std::chrono::hours{24});",
             "^due|^query|e2e.test_one_answer_actions"),
    Mutation("search: OR means AND", "query.cpp",
             '(k ? " OR " : "")', '(k ? " AND " : "")',
             "^query|e2e.test_index"),
    Mutation("ISO weeks: a week's year from its Wednesday", "dates.cpp",
             "d + days{4 - iso_weekday}", "d + days{3 - iso_weekday}",
             "^dates|e2e.test_checkin"),
    Mutation("sanitiser: ESC reaches the terminal", "text.cpp",
             "        } else if (cp < 0x20 || cp == 0x7F) {\n            out += '^';",
             "        } else if ((cp < 0x20 && cp != 0x1B) || cp == 0x7F) {\n            out += '^';",
             "^text|e2e.test_check"),
    Mutation("HTML: & is not escaped", "html.cpp",
             'out += "&amp;";', 'out += "&";',
             "^html|e2e.test_publish|e2e.test_checkin"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, **kw)


def die(message, code=2):
    print(f"mutation-check: error: {message}", file=sys.stderr)
    sys.exit(code)


def tracked_files(repo):
    out = run(["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
              capture_output=True, check=True).stdout
    return sorted({p for p in out.decode().split("\0") if p and (repo / p).is_file()})


def locate(files, basename):
    """The one file of that name under lib/ (cmd/ has files of the same names), else anywhere."""
    hits = [p for p in files if Path(p).name == basename]
    if len(hits) > 1:
        hits = [p for p in hits if p.startswith("lib/")]
    if len(hits) != 1:
        die(f"{basename}: {len(hits)} tracked files have that name {hits}, expected exactly one")
    return hits[0]


def sync_tree(repo, files, dest):
    """dest mirrors the files; unchanged ones keep their mtime, so the build stays incremental."""
    wanted = set(files)
    for path in files:
        src, dst = repo / path, dest / path
        data = src.read_bytes()
        if dst.is_file() and dst.read_bytes() == data:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes(data)
        shutil.copymode(src, dst)
    for dst in dest.rglob("*"):
        rel = dst.relative_to(dest)
        if rel.parts[0] != "build" and dst.is_file() and str(rel) not in wanted:
            dst.unlink()


def build(src, build_dir, targets, log):
    # The same flags as a developer's build/ and paths relative to the tree, so ccache can reuse
    # the objects of a checkout built with CCACHE_BASEDIR=<checkout> CCACHE_NOHASHDIR=1.
    env = dict(os.environ, CCACHE_BASEDIR=str(src), CCACHE_NOHASHDIR="1")
    if not (build_dir / "build.ninja").exists():
        configure = ["cmake", "-S", str(src), "-B", str(build_dir), "-G", "Ninja",
                     "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DASYNC_WERROR=ON"]
        if shutil.which("ccache"):
            configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
        if run(configure, stdout=log, stderr=subprocess.STDOUT, env=env).returncode != 0:
            return False
    cmd = ["cmake", "--build", str(build_dir), "-j2"]
    if targets:
        cmd += ["--target", *targets]
    return run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env).returncode == 0


def ctest(build_dir, regex, log):
    cmd = ["ctest", "--test-dir", str(build_dir), "-j2", "--no-tests=error", "--output-on-failure"]
    if regex:
        cmd += ["-R", regex]
    return run(cmd, stdout=log, stderr=subprocess.STDOUT).returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="run the whole suite for every mutation")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only the mutations whose name contains NAME")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "async-mutation-check",
                        help="work folder (source copy, build, logs), kept between runs")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = parser.parse_args()

    mutations = [m for m in MUTATIONS if not args.only or any(o in m.name for o in args.only)]
    if args.list:
        for m in mutations:
            print(f"{m.name}\t{m.file}\t{m.tests}")
        return 0
    if not mutations:
        die("no mutation matches --only")

    repo = Path(run(["git", "-C", str(Path(__file__).resolve().parent), "rev-parse", "--show-toplevel"],
                    capture_output=True, text=True, check=True).stdout.strip())
    files = tracked_files(repo)
    # Every mutation must apply to the tree as it is, before anything is built.
    planned = []
    for m in mutations:
        rel = locate(files, m.file)
        text = (repo / rel).read_text(encoding="utf-8")
        count = text.count(m.original)
        if count != 1:
            die(f"{m.name}: the original text occurs {count} times in {rel}, expected once:\n{m.original}")
        planned.append((m, rel, text))

    src = args.work / "src"
    build_dir = src / "build"
    src.mkdir(parents=True, exist_ok=True)
    sync_tree(repo, files, src)
    targets = [] if args.full else ["async", "unit_tests"]
    log_path = args.work / "mutation-check.log"
    with open(log_path, "w") as log:
        # One alternation without groups: CMake's regular expressions allow at most ten.
        branches = [b for m in mutations for b in m.tests.split("|")]
        regex = None if args.full else "|".join(dict.fromkeys(branches))
        print(f"building {src} and running the unmutated tests (log: {log_path})", flush=True)
        if not build(src, build_dir, targets, log):
            die(f"the unmutated tree does not build (see {log_path})")
        if not ctest(build_dir, regex, log):
            die(f"the unmutated tests fail (see {log_path})")

        results = []
        for m, rel, text in planned:
            started = time.monotonic()
            target = src / rel
            target.write_text(text.replace(m.original, m.replacement), encoding="utf-8")
            try:
                print(f"== {m.name} ({rel})", file=log, flush=True)
                if not build(src, build_dir, targets, log):
                    outcome = "does not build"
                else:
                    outcome = "missed" if ctest(build_dir, None if args.full else m.tests, log) else "caught"
            finally:
                target.write_text(text, encoding="utf-8")
            results.append((m, outcome, time.monotonic() - started))
            print(f"{outcome:>14}  {m.name}  ({time.monotonic() - started:.0f} s)", flush=True)
        print("restoring the build", file=log, flush=True)
        build(src, build_dir, targets, log)

    print()
    print("| mutation | file | tests run | result |")
    print("| --- | --- | --- | --- |")
    for m, outcome, _ in results:
        tests = "all" if args.full else "`" + m.tests.replace("|", "\\|") + "`"
        print(f"| {m.name} | {m.file} | {tests} | {outcome} |")
    missed = [m.name for m, outcome, _ in results if outcome != "caught"]
    print(f"\n{len(results) - len(missed)} of {len(results)} caught" + (f"; not caught: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
