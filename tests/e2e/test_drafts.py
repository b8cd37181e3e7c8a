"""Issue 18 item 8: drafts and resume hints. A draft kept after invalid TOML resumes in the
editor (a real terminal, tmux); `meeting open`'s hint recreates the whole request, run as
printed through sh; `check` warns about a relative link to a missing file."""
import json
import os
import shlex
import shutil
import subprocess
import time
import unittest
from pathlib import Path

import harness


class DraftCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        # The binary under test as `async` first on PATH, so a printed command runs as printed.
        self.bin = self.tmp / "bin"
        self.bin.mkdir()
        (self.bin / "async").symlink_to(harness.BIN)
        self.path = f"{self.bin}:{self.env['PATH']}"

    def hint(self, err):
        self.assertIn("resume with: ", err)
        return err.split("resume with: ", 1)[1].splitlines()[0]


@unittest.skipUnless(shutil.which("tmux"), "tmux is not installed (scripts/install-deps.sh installs it)")
class ResumeInvalidToml(DraftCase):
    """The editor in a real terminal: tmux on a private socket, a shell, keys in, screen out."""

    def setUp(self):
        super().setUp()
        self.socket = self.tmp / "tmux.sock"
        env = dict(self.env, PATH=self.path, EDITOR=str(harness.EDITORS / "interactive.sh"), TERM="xterm",
                   PS1="$ ", ASYNC_DIR=str(self.ws))
        shell = "env -i " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " sh"
        self.tmux("new-session", "-d", "-x", "200", "-y", "50", "-s", "t", "-c", str(self.tmp), shell)

    def tearDown(self):
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)
        super().tearDown()

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True, text=True,
                              check=True).stdout

    def screen(self):
        return self.tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", "t")

    def wait_for(self, predicate, what):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        self.fail(f"timed out waiting for {what}; screen:\n{self.screen()}")

    def type_line(self, text):
        self.tmux("send-keys", "-t", "t", "-l", text)
        self.tmux("send-keys", "-t", "t", "Enter")

    def editing(self, count):
        return self.wait_for(lambda s: s.count("EDITING ") >= count, f"editor session {count}")

    def test_the_printed_command_opens_the_editor_on_the_invalid_draft(self):
        self.type_line('async doc new "Party plan" 2>err1; echo "[first $?]"')
        self.editing(1)
        self.type_line("break")
        self.wait_for(lambda s: "[first 3]" in s, "the first exit")
        err = (self.tmp / "err1").read_text()
        self.assertRegex(err, r"\.md:3:\d+: ")
        resume = self.hint(err)
        self.assertEqual(len(self.drafts()), 1)

        # As printed: the editor opens on the draft (no parse error first); saved still broken,
        # the error comes back with the same hint and the draft is kept.
        self.type_line(resume + ' 2>err2; echo "[second $?]"')
        self.editing(2)
        self.assertNotRegex(self.screen(), r"\[second \d")
        self.type_line("keep")
        self.wait_for(lambda s: "[second 3]" in s, "the second exit")
        self.assertEqual(self.hint((self.tmp / "err2").read_text()), resume)
        self.assertEqual(len(self.drafts()), 1)
        self.assertEqual(self.docs(), [])

        # Again, fixed in the editor this time: the document is written, the draft is gone.
        self.type_line(resume + ' 2>err3; echo "[third $?]"')
        self.editing(3)
        self.type_line("fix")
        self.wait_for(lambda s: "[third 0]" in s, "the third exit")
        self.assertEqual(self.drafts(), [])
        docs = self.docs()
        self.assertEqual(len(docs), 1, docs)
        fm, body = self.front_matter(self.ws / "docs" / docs[0])
        self.assertEqual(fm["title"], "Party plan")
        self.assertIn("Body worth keeping.", body)


class MeetingResume(DraftCase):
    def test_the_printed_hint_run_through_sh_recreates_the_meeting(self):
        src = self.tmp / "recordings"
        src.mkdir()
        (src / "standup.ogg").write_bytes(b"OggS fake audio")
        title = "Launch sync: bob's turn"
        r = self.run_async("-C", str(self.ws), "meeting", "open", title, "--with", "bob,carol", "--due", "fri",
                           "--attach", "standup.ogg", cwd=src, env=self.editor("fail.sh"))
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.files_under(self.ws / "meetings"), [])
        resume = self.hint(r.err)

        env = dict(self.env, PATH=self.path, **self.editor("append.sh", text="Resumed."))
        p = subprocess.run(["sh", "-c", resume], cwd=self.ws, env=env, capture_output=True, text=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0, (resume, p.stdout, p.stderr))

        meetings = json.loads(self.a("--json", "list", "--type", "meeting").out)["documents"]
        self.assertEqual(len(meetings), 1, meetings)
        m = meetings[0]
        self.assertEqual(m["title"], title)
        self.assertEqual(m["participants"], ["bob", "carol"])
        self.assertEqual(m["due"], "2026-11-27T17:00:00Z")
        agenda = self.ws / m["path"]
        self.assertEqual((agenda.parent / "attachments" / "standup.ogg").read_bytes(), b"OggS fake audio")
        body = agenda.read_text()
        self.assertEqual(body.count("(attachments/standup.ogg)"), 1, body)
        self.assertIn("Resumed.", body)
        self.assertEqual(self.drafts(), [])
        r = self.a("check")
        self.assertEqual((r.code, r.out), (0, ""), r)


class MissingFileLinks(harness.AsyncTestCase):
    def test_check_warns_about_relative_links_to_missing_files(self):
        self.init_ws()
        body = ("See [the notes](notes.txt) and ![the chart](attachments/chart.png).\n"
                "\n"
                "Fine: [here](attachments/there.txt), [up](../other/index.md#intro), [web](https://example.com/x),\n"
                "[mail](mailto:bob@example.com), [top](#top), <https://example.com> and `[code](gone.md)`.\n"
                "\n"
                "[spaced](my%20notes.txt?x=1)\n")
        r = self.a("doc", "new", "Links", "--no-edit", "-m", body)
        self.assertEqual(r.code, 0, r)
        doc = self.written(r)
        (doc.parent / "attachments").mkdir()
        (doc.parent / "attachments" / "there.txt").write_text("x")
        (self.ws / "docs" / "other").mkdir()
        (self.ws / "docs" / "other" / "index.md").write_text(
            '+++\nid = "othr0001"\ntype = "doc"\ntitle = "Other"\nauthor = "alice"\n'
            'created = 2026-11-26T10:15:00Z\n+++\nHello.\n')
        rel = doc.relative_to(self.ws).as_posix()
        body_line = doc.read_text().split("\n").index("See [the notes](notes.txt) and ![the chart](attachments/chart.png).") + 1
        r = self.a("check")
        self.assertEqual(r.code, 0, r)  # warnings only
        self.assertEqual(r.out.splitlines(), [
            f"{rel}:{body_line}:17: warning: link to a missing file: notes.txt",
            f"{rel}:{body_line}:45: warning: link to a missing file: attachments/chart.png",
            f"{rel}:{body_line + 5}:10: warning: link to a missing file: my notes.txt",
        ], r)
        (doc.parent / "notes.txt").write_text("n")
        (doc.parent / "attachments" / "chart.png").write_bytes(b"png")
        (doc.parent / "my notes.txt").write_text("n")
        r = self.a("check")
        self.assertEqual((r.code, r.out), (0, ""), r)


if __name__ == "__main__":
    harness.main()
