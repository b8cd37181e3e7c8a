"""async doc new: the editor flow, every abort path, hostile titles, dates (issue: foundation)."""
import os
import subprocess
import tomllib
from datetime import datetime, timezone
from pathlib import Path

import harness


class DocNew(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def new(self, *args, **kwargs):
        return self.run_async("-C", str(self.ws), "doc", "new", *args, **kwargs)

    def only_doc(self):
        docs = self.docs()
        self.assertEqual(len(docs), 1, docs)
        return self.ws / "docs" / docs[0]

    def test_done_when_example(self):
        r = self.new("Pricing page", "--reviewers", "bob", "--due", "fri", "-m", "We need a new pricing page")
        self.assertEqual(r.code, 0, r)
        doc_id, path = r.out.split()
        self.assertEqual(path, "ws/docs/2026-11-26-pricing-page/index.md")  # relative to where it ran
        path = self.written(r)
        self.assertIn("due Fri 2026-11-27 17:00", r.err)
        fm, body = self.front_matter(path)
        self.assertEqual(fm["id"], doc_id)
        self.assertRegex(doc_id, r"^[0-9a-z]{8}$")
        self.assertEqual(fm["type"], "doc")
        self.assertEqual(fm["title"], "Pricing page")
        self.assertEqual(fm["author"], "alice")
        self.assertEqual(fm["created"], datetime(2026, 11, 26, 10, 15, tzinfo=timezone.utc))
        self.assertEqual(fm["status"], "open")
        self.assertEqual(fm["reviewers"], ["bob"])
        self.assertEqual(fm["due"], datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc))
        self.assertEqual(body.strip(), "We need a new pricing page")

    def test_path_printed_relative_inside_workspace(self):
        r = self.ok("doc", "new", "Relative", "-m", "x", cwd=self.ws)
        self.assertEqual(r.out.split()[1], "docs/2026-11-26-relative/index.md")
        self.assertTrue((self.ws / r.out.split()[1]).is_file())

    def test_json_output(self):
        import json
        r = self.new("Json one", "-m", "body", "--json")
        self.assertEqual(r.code, 0, r)
        data = json.loads(r.out)
        self.assertEqual(data["schema"], 1)
        self.assertEqual(data["path"], "docs/2026-11-26-json-one/index.md")
        self.assertRegex(data["id"], r"^[0-9a-z]{8}$")

    def test_editor_edits_and_draft_is_cleaned(self):
        r = self.new("Edited", env=self.editor("append.sh", text="Typed in the editor."))
        self.assertEqual(r.code, 0, r)
        fm, body = self.front_matter(self.only_doc())
        self.assertIn("## What is the problem?", body)
        self.assertTrue(body.rstrip().endswith("Typed in the editor."))
        opened = (self.tmp / "editor.log").read_text().split("\n")[0]
        self.assertIn("/.async/local/drafts/", opened)
        self.assertEqual(self.drafts(), [])

    def test_unchanged_template_aborts(self):
        r = self.new("Unchanged", env=self.editor("unchanged.sh"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("aborted: no changes", r.err)
        self.assertEqual(r.out, "")
        self.assertEqual(self.docs(), [])
        self.assertEqual(self.drafts(), [])

    def test_empty_body_aborts(self):
        r = self.new("Emptied", env=self.editor("empty-body.sh"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("aborted", r.err)
        self.assertEqual(self.docs(), [])

    def test_empty_message_aborts(self):
        r = self.new("Empty message", "-m", "   ")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.docs(), [])

    def test_editor_failure_keeps_draft_and_resumes(self):
        r = self.new("Failing", env=self.editor("fail.sh"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("status 1", r.err)
        self.assertIn("resume with: async doc new --file", r.err)
        self.assertEqual(self.docs(), [])
        drafts = self.drafts()
        self.assertEqual(len(drafts), 1)
        draft = self.ws / ".async/local/drafts" / drafts[0]
        self.assertIn("Text typed before the editor failed.", draft.read_text())
        # The printed command resumes: it opens the draft again and writes the document.
        r = self.new("--file", str(draft), "--edit", env=self.editor("append.sh", text="Finished."))
        self.assertEqual(r.code, 0, r)
        fm, body = self.front_matter(self.only_doc())
        self.assertEqual(fm["title"], "Failing")
        self.assertIn("Text typed before the editor failed.", body)
        self.assertIn("Finished.", body)
        self.assertEqual(self.drafts(), [])

    def test_broken_front_matter_reports_line_and_keeps_draft(self):
        r = self.new("Broken", env=self.editor("broken-toml.sh"))
        self.assertEqual(r.code, 3, r)
        self.assertRegex(r.err, r"async: error: \S+\.md:3:\d+: ")
        self.assertEqual(self.docs(), [])
        drafts = self.drafts()
        self.assertEqual(len(drafts), 1)
        self.assertIn("Body text worth keeping.", (self.ws / ".async/local/drafts" / drafts[0]).read_text())

    def test_emptied_title_keeps_the_draft(self):
        r = self.new("Titled", env=self.editor("clear-title.sh"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("the document has no title", r.err)
        self.assertIn("resume with", r.err)
        self.assertEqual(self.docs(), [])
        drafts = self.drafts()
        self.assertEqual(len(drafts), 1)
        self.assertIn("Words I typed.", (self.ws / ".async/local/drafts" / drafts[0]).read_text())
        r = self.new("--file", "-", input='+++\ntitle = ""\n+++\nPiped words.\n')
        self.assertEqual(r.code, 2, r)
        self.assertEqual(len(self.drafts()), 2)

    def test_list_flags_take_one_value_each(self):
        r = self.new("-r", "bob", "--tag", "web,pricing", "--tag", "q4", "Flags first", "-m", "x")
        self.assertEqual(r.code, 0, r)
        fm, _ = self.front_matter(self.written(r))
        self.assertEqual(fm["title"], "Flags first")
        self.assertEqual(fm["reviewers"], ["bob"])
        self.assertEqual(fm["tags"], ["web", "pricing", "q4"])
        r = self.new("Many", "-r", "bob,carol", "-r", "dave", "-m", "x")
        self.assertEqual(self.front_matter(self.written(r))[0]["reviewers"], ["bob", "carol", "dave"])

    def test_no_editor_and_no_terminal_fails_at_once(self):
        r = self.new("No editor", env={"EDITOR": None, "VISUAL": None}, timeout=10)
        self.assertEqual(r.code, 4, r)
        self.assertIn("no editor is set and there is no terminal", r.err)
        self.assertIn("hint:", r.err)
        self.assertEqual(self.docs(), [])
        self.assertEqual(self.drafts(), [])

    def test_missing_editor_program_is_environment_error(self):
        r = self.new("Missing", env={"EDITOR": "no-such-editor-xyz"})
        self.assertEqual(r.code, 4, r)
        self.assertEqual(self.docs(), [])

    def test_visual_beats_editor_and_config_is_last(self):
        env = self.editor("append.sh", text="from visual")
        env["VISUAL"] = env.pop("EDITOR")
        env["EDITOR"] = str(harness.EDITORS / "fail.sh")
        self.assertEqual(self.new("Visual", env=env).code, 0)
        self.ok("-C", str(self.ws), "config", "set", "--global", "core.editor", str(harness.EDITORS / "append.sh"))
        r = self.new("Configured", env={"FAKE_EDITOR_TEXT": "from config", "FAKE_EDITOR_LOG": str(self.tmp / "log2")})
        self.assertEqual(r.code, 0, r)
        self.assertIn("from config", self.written(r).read_text())

    def test_editor_command_with_arguments_and_hostile_paths(self):
        # An editor command with arguments runs through sh; a path with quotes, spaces and $()
        # reaches it as one argument and is never run by a shell.
        ws = self.tmp / "it's a $(touch PWNED) ws"
        self.ok("init", str(ws))
        editor = f"{harness.EDITORS / 'append.sh'}"
        r = self.run_async("-C", str(ws), "doc", "new", "Quoted", env={
            "EDITOR": f"FAKE_EDITOR_TEXT='with args' {editor}",
            "FAKE_EDITOR_LOG": str(self.tmp / "editor.log")})
        self.assertEqual(r.code, 0, r)
        self.assertIn("with args", self.written(r).read_text())
        self.assertFalse(any(p.name == "PWNED" for p in self.tmp.rglob("PWNED")))

    def test_no_edit_writes_rendered_template(self):
        r = self.new("Plain", "--no-edit", "--reviewers", "bob,carol", "--due", "2026-12-01")
        self.assertEqual(r.code, 0, r)
        fm, body = self.front_matter(self.only_doc())
        for heading in ["What is the problem?", "What do I need?", "What does success look like?",
                        "Concerns", "First step"]:
            self.assertIn(heading, body)
        self.assertEqual(fm["reviewers"], ["bob", "carol"])
        self.assertEqual(fm["due"], datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc))

    def test_file_and_stdin_bodies(self):
        src = self.tmp / "body.md"
        src.write_text("From a file.\n")
        self.assertEqual(self.new("From file", "--file", str(src)).code, 0)
        r = self.new("From stdin", "--file", "-", input="From stdin.\n")
        self.assertEqual(r.code, 0, r)
        bodies = sorted(self.front_matter(self.ws / "docs" / d)[1].strip() for d in self.docs())
        self.assertEqual(bodies, ["From a file.", "From stdin."])

    def test_whole_document_from_stdin_keeps_unknown_keys(self):
        text = '+++\ntitle = "Whole"\ncustom = { nested = [1, 2] } # keep me\nweird-key = "x"\n+++\nBody.\n'
        r = self.new("--file", "-", input=text)
        self.assertEqual(r.code, 0, r)
        path = self.only_doc()
        fm, body = self.front_matter(path)
        self.assertEqual(fm["title"], "Whole")
        self.assertEqual(fm["custom"], {"nested": [1, 2]})
        self.assertEqual(fm["weird-key"], "x")
        self.assertEqual(fm["author"], "alice")
        self.assertRegex(fm["id"], r"^[0-9a-z]{8}$")
        self.assertIn("# keep me", path.read_text())
        self.assertEqual(body, "Body.\n")

    def test_invalid_whole_document_from_stdin_is_kept_as_draft(self):
        r = self.new("--file", "-", input='+++\ntitle = "unterminated\n+++\nBody.\n')
        self.assertEqual(r.code, 3, r)
        self.assertIn("<stdin>:2:", r.err)
        self.assertEqual(self.docs(), [])
        self.assertEqual(len(self.drafts()), 1)

    def test_conflicting_flags_and_missing_title(self):
        self.assertEqual(self.new("X", "-m", "a", "--file", "-", input="b").code, 2)
        self.assertEqual(self.new("X", "--edit", "--no-edit").code, 2)
        r = self.new("-m", "no title")
        self.assertEqual(r.code, 2, r)
        self.assertIn("title", r.err)
        self.assertEqual(self.docs(), [])

    def test_bad_dates_are_usage_errors(self):
        for bad in ["next blursday", "2026-02-30", "12/01/2026", "", "+99999999999999d", "x" * 5000]:
            r = self.new("Dated", "--due", bad, "-m", "body")
            self.assertEqual(r.code, 2, (bad, r))
        self.assertEqual(self.docs(), [])

    def test_unknown_template(self):
        r = self.new("T", "--template", "nope", "-m", "x")
        self.assertEqual(r.code, 2, r)
        self.assertIn("nope", r.err)
        self.assertEqual(self.docs(), [])

    def test_every_writeup_template(self):
        for name in ["doc", "decision", "sop", "onboarding", "post", "watercooler"]:
            r = self.new(f"Kind {name}", "--template", name, "--no-edit")
            self.assertEqual(r.code, 0, r)
            fm, body = self.front_matter(self.written(r))
            self.assertEqual(fm["type"], name)
            self.assertTrue(body.strip())

    def test_hostile_titles_stay_inside_the_workspace(self):
        cases = {
            "../../etc/passwd": "etc-passwd",
            "a/b\\c": "a-b-c",
            "🎉🎉🎉": "untitled",
            "Crème brûlée": "creme-brulee",
            "\x1b[2J clear": "2j-clear",
        }
        for title, slug in cases.items():
            r = self.new(title, "-m", "x")
            self.assertEqual(r.code, 0, (title, r))
            path = self.written(r)
            self.assertEqual(path.parent.name, f"2026-11-26-{slug}")
            self.assertEqual(path.parent.parent, self.ws / "docs")
            fm, _ = self.front_matter(path)
            self.assertEqual(fm["title"], title)
        long_title = "word " * 60
        r = self.new(long_title, "-m", "x")
        self.assertEqual(r.code, 0, r)
        self.assertLessEqual(len(self.written(r).parent.name), 61)
        self.assertFalse((self.tmp / "etc").exists())

    def test_same_title_twice_gets_a_new_folder(self):
        a = self.new("Twice", "-m", "1").out.split()[1]
        b = self.new("Twice", "-m", "2").out.split()[1]
        self.assertTrue(a.endswith("2026-11-26-twice/index.md"))
        self.assertTrue(b.endswith("2026-11-26-twice-2/index.md"))

    def test_parallel_writers_never_share_a_folder(self):
        env = dict(self.env)
        procs = [subprocess.Popen([harness.BIN, "-C", str(self.ws), "doc", "new", "Race", "-m", f"writer {i}"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  stdin=subprocess.DEVNULL)
                 for i in range(12)]
        outs = [p.communicate(timeout=60) for p in procs]
        self.assertTrue(all(p.returncode == 0 for p in procs), outs)
        bodies = sorted(self.front_matter(self.ws / "docs" / d)[1].strip() for d in self.docs())
        self.assertEqual(bodies, sorted(f"writer {i}" for i in range(12)))

    def test_huge_and_binary_input(self):
        big = "x" * (17 * 1024 * 1024)
        r = self.new("Huge", "--file", "-", input=big)
        self.assertEqual(r.code, 3, r)
        self.assertIn("too large", r.err)
        nul = self.tmp / "nul.md"
        nul.write_bytes(b"+++\ntitle = \"a\"\n+++\nbody\x00more\n")
        r = self.new("--file", str(nul))
        self.assertEqual(r.code, 3, r)
        self.assertIn("NUL", r.err)
        bad = self.tmp / "bad.md"
        bad.write_bytes(b"+++\ntitle = \"\xff\"\n+++\nbody\n")
        r = self.new("--file", str(bad))
        self.assertEqual(r.code, 3, r)
        self.assertIn("UTF-8", r.err)
        self.assertEqual(self.docs(), [])

    def test_crlf_document_round_trips(self):
        text = '+++\r\ntitle = "Windows"\r\n+++\r\nLine one.\r\n'
        r = self.new("--file", "-", input=text)
        self.assertEqual(r.code, 0, r)
        raw = self.only_doc().read_bytes()
        self.assertIn(b"\r\n", raw)
        self.assertNotIn(b"\r\r", raw)
        self.assertEqual(tomllib.loads(raw.decode().split("+++")[1])["title"], "Windows")


if __name__ == "__main__":
    harness.main()
