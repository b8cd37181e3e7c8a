"""Owners of facts that the compiler cannot enforce, checked over the sources of lib/ and cmd/.

- git is started by lib/git/src/git.cpp alone (every other module asks it);
- the file watcher (Watchman) is spoken to by lib/index/src/watcher.cpp alone (its socket, its
  get-sockname lookup): every refresh asks it through Index, never on its own;
- the library reads no environment variable itself (cmd/ takes an Env snapshot and passes it);
- exit codes are cmd/'s: the library says what went wrong (ErrorKind), not how to exit;
- SQL is the index layer's (lib/index/): nothing else includes SQLiteCpp or the index's
  connection (lib/index/src/index_access.hpp; the layers keep that header out of sight too);
- toml++ is included through lib/model/include/async/toml.hpp alone, which makes the library's
  internal checks throw and bounds nesting (parse_toml): every file, tests and fuzzers too,
  compiles toml++'s inline functions the same way;
- libfyaml is included by lib/model/src/yaml.cpp alone, which bounds nesting and aliases and
  checks duplicate keys itself (parse_yaml): nothing else parses YAML another way.

Usage: owners.py SOURCE_DIR. Exit status 1 and one line per offence when a rule is broken.
"""
import pathlib
import re
import sys

GIT_RUNNER = "lib/git/src/git.cpp"
WATCHER = "lib/index/src/watcher.cpp"
TOML_BOUNDARY = "lib/model/include/async/toml.hpp"
YAML_BOUNDARY = "lib/model/src/yaml.cpp"
INDEX_LAYER = "lib/index/"

RULES = [
    # (pattern, applies to, allowed files, what is wrong)
    (re.compile(r'"git"'), ("lib/", "cmd/"), {GIT_RUNNER},
     "starts git itself: ask lib/git/src/git.cpp (git.hpp) instead"),
    (re.compile(r'"watchman"|"watch-project"'), ("lib/", "cmd/"), {WATCHER},
     "talks to watchman itself: ask lib/index/src/watcher.cpp (watcher.hpp) instead"),
    (re.compile(r"\b(secure_getenv|getenv|setenv|unsetenv|putenv|clearenv)\s*\("), ("lib/",), set(),
     "reads or changes the environment: take an Env (env.hpp) from cmd/"),
    (re.compile(r"\bexit_code\b"), ("lib/",), set(),
     "maps errors to exit codes: that is cmd/main.cpp's"),
    (re.compile(r'#include\s+["<](index_access\.hpp|SQLiteCpp/)'), ("lib/", "cmd/"), INDEX_LAYER,
     "speaks SQL outside the index layer: ask an index or query function instead"),
    (re.compile(r'#include\s+["<]toml\+\+/'), ("lib/", "cmd/", "tests/", "fuzz/"), {TOML_BOUNDARY},
     "includes toml++ directly: include <async/toml.hpp> (its checks throw) instead"),
    (re.compile(r'#include\s+["<](libfyaml\.h|yaml-cpp/|yaml\.h)'), ("lib/", "cmd/", "tests/", "fuzz/"),
     {YAML_BOUNDARY}, "includes a YAML library directly: call parse_yaml (async/yaml.hpp) instead"),
]


def is_allowed(rel, allowed):
    """allowed: a set of files, or a folder (ending in /) whose files are all allowed."""
    return rel.startswith(allowed) if isinstance(allowed, str) else rel in allowed


def code_of(line):
    """line without a // comment (one outside a string literal)."""
    in_string = False
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\" and in_string:
            i += 2
            continue
        if c == '"':
            in_string = not in_string
        elif not in_string and line.startswith("//", i):
            return line[:i]
        i += 1
    return line


def offences(root):
    found = []
    sources = [p for folder in ("lib", "cmd", "tests", "fuzz") for p in root.glob(f"{folder}/**/*.[ch]pp")]
    for path in sorted(sources):
        rel = path.relative_to(root).as_posix()
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, 1):
            code = code_of(line)
            for pattern, scope, allowed, what in RULES:
                if rel.startswith(scope) and not is_allowed(rel, allowed) and pattern.search(code):
                    found.append(f"{rel}:{number}: {what}: {line.strip()}")
    return found


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    if not (root / "lib").is_dir():
        print(f"owners.py: no lib/ in {root}", file=sys.stderr)
        return 2
    found = offences(root)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
