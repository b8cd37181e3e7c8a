"""Issue 18 item 10: every ```sh block of README.md runs as pasted, in order, on a fresh
machine: one shell, a new HOME, the built binary first on PATH, a fake $EDITOR that adds a
line. A block preceded by an HTML comment starting "<!-- not run by tests:" (installing
packages, building) is left out; the comment says why."""
import os
import re
import shlex
import subprocess
import unittest
from pathlib import Path

import harness

README = Path(__file__).resolve().parents[2] / "README.md"
SKIP_MARK = "<!-- not run by tests:"


def sh_blocks(text):
    """(first line number, code, skipped) of each ```sh block, in order."""
    blocks = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            start = i + 1
            end = start
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            before = next((l for l in reversed(lines[:i]) if l.strip()), "")
            blocks.append((start + 1, "\n".join(lines[start:end]), before.strip().startswith(SKIP_MARK)))
            i = end
        i += 1
    return blocks


class Readme(harness.AsyncTestCase):
    def test_every_sh_block_runs_as_pasted(self):
        blocks = sh_blocks(README.read_text(encoding="utf-8"))
        skipped = [line for line, _, skip in blocks if skip]
        self.assertLessEqual(len(skipped), 2, f"blocks left out at lines {skipped}: keep those few")
        run = [(line, code) for line, code, skip in blocks if not skip]
        self.assertGreaterEqual(len(run), 8)

        for line, code in run:
            # Run as root (CI), a command could write there: the tour keeps to HOME.
            self.assertNotRegex(code, r"(^|\s)/(srv|etc|var|usr|opt|mnt)/", f"README.md:{line}: outside HOME")
        bin_dir = self.tmp / "bin"
        bin_dir.mkdir()
        (bin_dir / "async").symlink_to(harness.BIN)
        env = dict(self.env, PATH=f"{bin_dir}:{self.env['PATH']}", **self.editor("append.sh", text="Written in the editor."))
        # The README says who we are; the clock is the machine's, as a reader's is.
        env.pop("ASYNC_USER")
        env.pop("ASYNC_NOW")
        # One shell, as a reader pasting block after block into a terminal: the folder and the
        # exported variables carry over. Each command's status is checked; the first failure
        # names its README line.
        script = ["set -E -o pipefail", "trap 'echo \"README.md:$where: exit $? of: $BASH_COMMAND\" >&2; exit 1' ERR"]
        for line, code in run:
            script.append(f"where={line}")
            script.append(code)
        p = subprocess.run(["bash", "-c", "\n".join(script)], cwd=self.home, env=env, capture_output=True,
                           text=True, timeout=600, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, f"stdout:\n{p.stdout[-3000:]}\nstderr:\n{p.stderr[-3000:]}")
        self.assertNotIn("README.md:", p.stderr)


if __name__ == "__main__":
    harness.main()
