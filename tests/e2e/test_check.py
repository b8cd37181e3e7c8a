"""async check [PATH…] [--staged]: findings as path:line:col: severity: message, exit codes."""
import json
import os
import subprocess
from pathlib import Path

import harness

GOOD = """+++
id = "{id}"
type = "doc"
title = "{title}"
author = "alice"
created = 2026-11-26T10:15:00Z
status = "open"
{extra}+++

{body}
"""


class CheckCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def write(self, rel, text):
        path = self.ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def doc(self, rel, id, body="Some text.", extra="", title="A title"):
        return self.write(rel, GOOD.format(id=id, title=title, extra=extra, body=body))

    def check(self, *args, cwd=None, env=None):
        return self.run_async("-C", str(self.ws), "check", *args, cwd=cwd, env=env)

    def lines(self, result):
        return result.out.splitlines()

    def team(self, *handles):
        text = "".join(f'[people.{h}]\nname = "{h.title()}"\n' for h in handles)
        self.write(".async/config.toml", text)


class Clean(CheckCase):
    def test_clean_workspace_exits_0_silently(self):
        self.ok("-C", str(self.ws), "doc", "new", "Pricing", "-m", "We need @bob to look.")
        self.doc("docs/a/index.md", "aaaa1111", body="See #bbbb2222 and #bbbb.\n\n- [ ] @alice ship it due:2026-12-01")
        self.doc("docs/b/index.md", "bbbb2222", body="Back to #aaaa1111.")
        self.write("docs/b/attachments/call.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n")
        r = self.check()
        self.assertEqual((r.code, r.out, r.err), (0, "", ""), r)

    def test_empty_workspace(self):
        r = self.check()
        self.assertEqual((r.code, r.out, r.err), (0, "", ""), r)

    def test_fresh_checkout_without_an_index(self):
        self.doc("docs/a/index.md", "aaaa1111")
        self.write("docs/bad.md", "+++\nnot closed\n")
        self.ok("-C", str(self.ws), "index")
        for f in (self.ws / ".async").glob("index.db*"):
            f.unlink()
        r = self.check()
        self.assertEqual(r.code, 1, r)
        # Reported once, as a finding; no "skipped" warning from the index refresh as well.
        self.assertEqual(self.lines(r), ["docs/bad.md:1:1: error: front matter is not closed (no second '+++' line)"])
        self.assertNotIn("skipped", r.err)
        self.assertIn("async: error: check found 1 error", r.err)
        self.assertTrue((self.ws / ".async" / "index.db").exists())

    def test_files_outside_the_document_folders_are_not_checked(self):
        self.write("README.md", "not a document\n")
        self.write("docs/a/attachments/notes.md", "an attachment, not a document\n")
        self.write("docs/.hidden.md", "hidden\n")
        r = self.check()
        self.assertEqual((r.code, r.out), (0, ""), r)


class BadFiles(CheckCase):
    def test_malformed_toml_exact_position(self):
        self.write("docs/a.md", '+++\nid = "aaaa1111"\ntype = "doc"\ntitle = "x" y\n+++\nbody\n')
        r = self.check()
        self.assertEqual(r.code, 1, r)
        # Line 4 of the file (line 3 of the TOML); the same position Python's tomllib reports.
        self.assertEqual(len(self.lines(r)), 1, r)
        self.assertEqual(r.out, "docs/a.md:4:13: error: invalid TOML in key-value pair: expected a comment or "
                                "whitespace, saw 'y'\n")

    def test_invalid_toml_date(self):
        self.doc("docs/a.md", "aaaa1111", extra="due = 2026-02-30T17:00:00Z\n")
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertRegex(r.out, r"^docs/a\.md:8:\d+: error: .*date")

    def test_no_front_matter_is_a_note(self):
        self.write("docs/a.md", "# Just markdown\n")
        r = self.check()
        self.assertEqual((r.code, r.out), (0, ""), r)
        self.assertIn("1 file without front matter indexed as read-only notes", r.err)
        r = self.check("docs/a.md")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, "docs/a.md:1:1: info: no front matter: indexed as a read-only note "
                                "(async import adopts it)\n")

    def test_unclosed_front_matter(self):
        self.write("docs/a.md", '+++\nid = "aaaa1111"\n')
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertIn("docs/a.md:1:1: error: front matter is not closed", r.out)

    def test_empty_file(self):
        self.write("docs/a.md", "")
        r = self.check("docs/a.md")
        self.assertEqual(r.code, 0, r)
        self.assertIn("docs/a.md:1:1: info: no front matter", r.out)

    def test_invalid_utf8(self):
        text = GOOD.format(id="aaaa1111", title="T", extra="", body="caf\xe9 ok").encode("utf-8")
        text = text.replace("caf\xe9".encode("utf-8"), b"caf\xe9")  # Latin-1 é: invalid UTF-8
        self.write("docs/a.md", text)
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "docs/a.md:10:4: error: invalid UTF-8\n")

    def test_nul_byte(self):
        self.write("docs/a.md", GOOD.format(id="aaaa1111", title="T", extra="", body="ab\0c").encode())
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "docs/a.md:10:3: error: NUL byte in file\n")

    def test_control_characters_in_messages_are_sanitised(self):
        self.write("docs/a.md", GOOD.format(id="aaaa1111", title="T", extra="", body="x").replace(
            'status = "open"', 'status = "\\u001b[31mred"'))
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertNotIn("\x1b", r.out)
        self.assertIn("^[[31mred", r.out)

    def test_huge_file(self):
        self.write("docs/huge.md", "+++\n" + "x" * (20 * 1024 * 1024) + "\n")
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "docs/huge.md:1:1: error: file is too large (20 MiB; the limit is 4 MiB)\n")

    def test_unreadable_file(self):
        path = self.doc("docs/a.md", "aaaa1111")
        path.chmod(0)
        try:
            r = self.run_async("-C", str(self.ws), "check", unprivileged=True)
        finally:
            path.chmod(0o644)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "docs/a.md:1:1: error: cannot read the file: permission denied\n")

    def test_broken_symlink(self):
        (self.ws / "docs" / "gone.md").symlink_to("nowhere.md")
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "docs/gone.md:1:1: error: broken symbolic link (its target does not exist)\n")

    def test_symlink_loop(self):
        (self.ws / "docs" / "x.md").symlink_to("x.md")
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "docs/x.md:1:1: error: symbolic link loop\n")
        r = self.check("docs/x.md")
        self.assertEqual(r.out, "docs/x.md:1:1: error: symbolic link loop\n")

    def test_fifo_is_never_opened_for_reading(self):
        os.mkfifo(self.ws / "docs" / "pipe.md")
        r = self.check()  # not a regular file: the walk ignores it, like the index
        self.assertEqual((r.code, r.out), (0, ""), r)
        r = self.check("docs/pipe.md")  # named: reported, without blocking
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "docs/pipe.md:1:1: error: not a regular file\n")

    def test_folder_named_like_a_document(self):
        self.doc("docs/x.md/index.md", "aaaa1111")
        r = self.check()
        self.assertEqual((r.code, r.out), (0, ""), r)

    def test_bad_transcript(self):
        self.doc("docs/a/index.md", "aaaa1111")
        self.write("docs/a/attachments/call.vtt", b"WEBVTT\n\nhello \xff\n")
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "docs/a/attachments/call.vtt:3:7: error: invalid UTF-8\n")

    def test_every_bad_file_is_reported_once(self):
        self.write("docs/a.md", "+++\nnope\n")
        self.write("docs/b.md", b"+++\n\xff\n+++\n")
        self.doc("docs/c.md", "cccc3333")
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual([l.split(":")[0] for l in self.lines(r)], ["docs/a.md", "docs/b.md"])
        self.assertEqual(r.err, "async: error: check found 2 errors\n")
        r = self.check()  # the index now knows them as bad: still reported, still once
        self.assertEqual(len(self.lines(r)), 2, r)


class FrontMatter(CheckCase):
    def test_required_keys(self):
        self.write("docs/a.md", '+++\ntitle = "T"\n+++\nbody\n')
        r = self.check()
        self.assertEqual(r.code, 1, r)
        for key in ["id", "type", "author", "created"]:
            self.assertIn(f"docs/a.md:1:1: error: missing required key '{key}'\n", r.out)

    def test_title_required_for_documents_not_for_replies(self):
        self.write("docs/a/index.md", '+++\nid = "aaaa1111"\ntype = "doc"\nauthor = "alice"\n'
                                      'created = 2026-11-26T10:15:00Z\n+++\nbody\n')
        self.write("docs/a/replies/r.md", '+++\nid = "bbbb2222"\ntype = "reply"\nauthor = "bob"\n'
                                          'created = 2026-11-26T10:15:00Z\n+++\nbody\n')
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.lines(r), ["docs/a/index.md:1:1: error: missing required key 'title' (every doc has one)"])

    def test_value_types(self):
        self.write("docs/a.md", "\n".join([
            "+++",
            'id = "ABC"',                      # 2
            'type = "memo"',                   # 3
            'title = 42',                      # 4
            'author = "alice"',                # 5
            'created = "yesterday"',           # 6
            'status = "done"',                 # 7
            'reviewers = ["bob", 3]',          # 8
            'tags = "web"',                    # 9
            'due = "2026-12-01T17:00:00Z"',    # 10
            'week = "2026-W99"',               # 11
            "+++", "body", ""]))
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.lines(r), [
            "docs/a.md:2:1: error: 'id' must be 8 characters of 0-9 and a-z, not 'ABC'",
            "docs/a.md:3:1: error: unknown type 'memo' (one of doc, decision, sop, onboarding, post, watercooler, "
            "meeting, response, reply, summary, checkin, item, note, event)",
            "docs/a.md:4:1: error: 'title' must be a string",
            "docs/a.md:6:1: error: 'created' must be a date-time such as 2026-11-26T10:15:00Z, not 'yesterday'",
            "docs/a.md:7:1: error: 'status' must be draft, open or closed, not 'done'",
            "docs/a.md:8:1: error: 'reviewers' must be an array of strings",
            "docs/a.md:9:1: warning: 'tags' is a string; write it as an array: tags = [\"web\"]",
            "docs/a.md:10:1: warning: 'due' is a quoted string; write the date-time without quotes: "
            "due = 2026-12-01T17:00:00Z",
            "docs/a.md:11:1: error: 'week' must be an ISO week such as 2026-W48, not '2026-W99'",
        ])

    def test_warnings_alone_exit_0(self):
        self.doc("docs/a.md", "aaaa1111", extra='tags = "web"\n')
        r = self.check()
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.lines(r), ["docs/a.md:8:1: warning: 'tags' is a string; write it as an array: "
                                         "tags = [\"web\"]"])
        self.assertEqual(r.err, "")

    def test_bad_workspace_config_is_a_finding(self):
        self.write(".async/config.toml", "[people.bob\n")
        self.doc("docs/a.md", "aaaa1111", body="Hi @zed")
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(len(self.lines(r)), 1, r)
        self.assertRegex(r.out, r"^\.async/config\.toml:1:\d+: error: invalid TOML in ")
        r = self.check("docs")  # not named: not reported, and people are not checked
        self.assertEqual((r.code, r.out), (0, ""), r)


class AcrossFiles(CheckCase):
    def test_duplicate_ids_report_every_file(self):
        self.doc("docs/a/index.md", "dupe1234")
        self.doc("docs/b/index.md", "dupe1234")
        self.doc("docs/c/index.md", "cccc3333")
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.lines(r), [
            "docs/a/index.md:2:1: error: duplicate id 'dupe1234' (also in 'docs/b/index.md')",
            "docs/b/index.md:2:1: error: duplicate id 'dupe1234' (also in 'docs/a/index.md')",
        ])

    def test_duplicate_id_of_a_file_outside_the_paths_is_named(self):
        self.doc("docs/a/index.md", "dupe1234")
        self.doc("docs/b/index.md", "dupe1234")
        r = self.check("docs/b")
        self.assertEqual(self.lines(r), ["docs/b/index.md:2:1: error: duplicate id 'dupe1234' (also in 'docs/a/index.md')"])

    def test_links(self):
        self.doc("docs/a/index.md", "abcd1111")
        self.doc("docs/b/index.md", "abcd2222")
        self.doc("docs/c/index.md", "cccc3333", body="\n".join([
            "Exact #abcd1111, prefix #abcd2, ambiguous #abcd.",  # line 10
            "",
            "```",
            "#zzzz9999 in code is no link",
            "```",
            "Broken: see [this](#zzzz9999) and issue #4521.",     # line 15
        ]))
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.lines(r), [
            "docs/c/index.md:10:43: warning: ambiguous link '#abcd': 2 documents have ids starting with it; "
            "use the full id",
            "docs/c/index.md:15:20: error: broken link '#zzzz9999': no document has this id",
            "docs/c/index.md:15:41: warning: broken link '#4521': no document has this id",
        ])

    def test_bad_due_dates_in_actions(self):
        self.doc("docs/a.md", "aaaa1111", body="\n".join([
            "- [ ] @alice fine due:2026-12-01",   # line 10
            "- [ ] impossible due:2026-02-30",     # line 11
            "- [x] vague due:friday",              # line 12
            "- not an action due:2026-02-30",      # line 13
        ]))
        r = self.check()
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.lines(r), [
            "docs/a.md:11:18: error: impossible due date 'due:2026-02-30' in an action",
            "docs/a.md:12:13: warning: 'due:friday' is not an ISO date (due:YYYY-MM-DD); the action has no due date",
        ])


class People(CheckCase):
    def test_unknown_people_are_warnings(self):
        self.team("alice", "bob")
        self.doc("docs/a.md", "aaaa1111", extra='reviewers = ["bob", "carol"]\n', body="\n".join([
            "Thanks @Bob and @dave.",          # line 11
            "",
            "- [ ] @erin do it",               # line 13
            "",
            "`@frank` in code is no mention",
        ]))
        r = self.check()
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.lines(r), [
            "docs/a.md:8:1: warning: unknown person 'carol' in 'reviewers' (no [people.carol] in .async/config.toml)",
            "docs/a.md:11:17: warning: unknown person '@dave' (no [people.dave] in .async/config.toml)",
            "docs/a.md:13:7: warning: unknown person '@erin' (no [people.erin] in .async/config.toml)",
        ])
        self.assertEqual(r.err, "")

    def test_unknown_author(self):
        self.team("bob")
        self.doc("docs/a.md", "aaaa1111")
        r = self.check()
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.lines(r), [
            "docs/a.md:5:1: warning: unknown person 'alice' in 'author' (no [people.alice] in .async/config.toml)"])

    def test_no_team_no_people_check(self):
        self.doc("docs/a.md", "aaaa1111", extra='reviewers = ["carol"]\n', body="Hi @zed")
        r = self.check()
        self.assertEqual((r.code, r.out), (0, ""), r)


class Paths(CheckCase):
    def setUp(self):
        super().setUp()
        self.write("docs/a/index.md", "+++\nbad a\n")
        self.write("docs/b/index.md", "+++\nbad b\n")
        self.write("meetings/m/index.md", "+++\nbad m\n")

    def files(self, r):
        return sorted({l.split(":")[0] for l in self.lines(r)})

    def test_folders_and_files(self):
        self.assertEqual(self.files(self.check("docs")), ["docs/a/index.md", "docs/b/index.md"])
        self.assertEqual(self.files(self.check("docs/b/index.md", "meetings/")),
                         ["docs/b/index.md", "meetings/m/index.md"])
        self.assertEqual(self.files(self.check(".")), ["docs/a/index.md", "docs/b/index.md", "meetings/m/index.md"])

    def test_relative_to_the_current_folder(self):
        r = self.run_async("check", "index.md", "../b", cwd=self.ws / "docs" / "a")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.files(r), ["docs/a/index.md", "docs/b/index.md"])  # relative to the workspace root
        r = self.run_async("check", str(self.ws / "meetings"), cwd=self.tmp)
        self.assertEqual(r.code, 2, r)  # no workspace here: the path does not make one
        r = self.run_async("-C", str(self.ws / "docs"), "check", "a")
        self.assertEqual(self.files(r), ["docs/a/index.md"])

    def test_clean_path_exits_0(self):
        self.doc("docs/ok/index.md", "aaaa1111")
        r = self.check("docs/ok")
        self.assertEqual((r.code, r.out), (0, ""), r)

    def test_outside_the_workspace_is_a_usage_error(self):
        r = self.check(str(self.tmp))
        self.assertEqual(r.code, 2, r)
        self.assertIn("is outside the workspace", r.err)
        self.assertEqual(r.out, "")
        r = self.check("../x")
        self.assertEqual(r.code, 2, r)

    def test_missing_path_is_a_usage_error(self):
        r = self.check("docs/nope.md")
        self.assertEqual(r.code, 2, r)
        self.assertEqual(r.err, "async: error: no such file or folder 'docs/nope.md'\n")

    def test_a_named_file_that_is_no_document_is_a_warning(self):
        self.write("notes.txt", "hello\n")
        r = self.check("notes.txt")
        self.assertEqual(r.code, 0, r)
        self.assertIn("notes.txt:1:1: warning: not checked: not a workspace document", r.out)


class InGit(CheckCase):
    """A workspace that is a git repository with one committed document."""

    def git(self, *args):
        env = dict(self.env, GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@example.com",
                   GIT_COMMITTER_NAME="A", GIT_COMMITTER_EMAIL="a@example.com")
        return subprocess.run(["git", *args], cwd=self.ws, env=env, capture_output=True, text=True, check=True)

    def setUp(self):
        super().setUp()
        self.git("init", "-q")
        self.doc("docs/a/index.md", "aaaa1111")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "start")


class Staged(InGit):
    def test_staged_broken_working_tree_fixed(self):
        self.write("docs/b/index.md", "+++\nnot closed\n")
        self.git("add", "docs/b/index.md")
        self.doc("docs/b/index.md", "bbbb2222")
        self.assertEqual(self.check().code, 0)
        r = self.check("--staged")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.lines(r), ["docs/b/index.md:1:1: error: front matter is not closed (no second '+++' line)"])
        self.assertIn("git add", r.err)

    def test_staged_fixed_working_tree_broken(self):
        self.doc("docs/b/index.md", "bbbb2222")
        self.git("add", "docs/b/index.md")
        self.write("docs/b/index.md", "+++\nnot closed\n")
        self.assertEqual(self.check().code, 1)
        r = self.check("--staged")
        self.assertEqual((r.code, r.out, r.err), (0, "", ""), r)

    def test_only_staged_files_are_checked(self):
        self.write("docs/unstaged.md", "+++\nbroken\n")
        self.write("src/main.c", "int main(void) { return 0; }\n")
        self.git("add", "src/main.c")
        r = self.check("--staged")
        self.assertEqual((r.code, r.out), (0, ""), r)

    def test_staged_duplicate_id_and_link(self):
        self.doc("docs/b/index.md", "aaaa1111", body="See #bbbb9999 and #aaaa1111.")
        self.git("add", "docs/b/index.md")
        r = self.check("--staged")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.lines(r), [
            "docs/b/index.md:2:1: error: duplicate id 'aaaa1111' (also in 'docs/a/index.md')",
            "docs/b/index.md:10:5: error: broken link '#bbbb9999': no document has this id",
        ])

    def test_staged_link_to_another_staged_file(self):
        self.doc("docs/b/index.md", "bbbb2222", body="See #cccc3333.")
        self.doc("docs/c/index.md", "cccc3333")
        self.git("add", "docs/b/index.md", "docs/c/index.md")
        (self.ws / "docs/c/index.md").unlink()  # only in the staging area now
        r = self.check("--staged")
        self.assertEqual((r.code, r.out), (0, ""), r)

    def test_staged_deletion_frees_the_id(self):
        self.git("rm", "-q", "docs/a/index.md")
        self.doc("docs/b/index.md", "aaaa1111")
        self.git("add", "docs/b/index.md")
        r = self.check("--staged")
        self.assertEqual((r.code, r.out), (0, ""), r)

    def test_staged_with_paths(self):
        self.write("docs/b/index.md", "+++\nbroken\n")
        self.write("meetings/m/index.md", "+++\nbroken\n")
        self.git("add", "-A")
        r = self.check("--staged", "meetings")
        self.assertEqual(self.lines(r), ["meetings/m/index.md:1:1: error: front matter is not closed (no second '+++' line)"])

    def test_workspace_in_a_subfolder_of_the_repository(self):
        outer = self.tmp / "repo"
        outer.mkdir()
        subprocess.run(["git", "init", "-q", str(outer)], check=True, env=self.env)
        self.ok("init", str(outer / "team"))
        (outer / "team" / "docs" / "x.md").write_text("+++\nbroken\n")
        subprocess.run(["git", "-C", str(outer), "add", "-A"], check=True, env=self.env)
        r = self.run_async("-C", str(outer / "team"), "check", "--staged")
        self.assertEqual(self.lines(r), ["docs/x.md:1:1: error: front matter is not closed (no second '+++' line)"])

    def test_as_a_pre_commit_hook(self):
        hook = self.ws / ".git" / "hooks" / "pre-commit"
        hook.parent.mkdir(parents=True, exist_ok=True)
        hook.write_text(f"#!/bin/sh\nexec '{harness.BIN}' check --staged\n")
        hook.chmod(0o755)
        env = dict(self.env, GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@example.com",
                   GIT_COMMITTER_NAME="A", GIT_COMMITTER_EMAIL="a@example.com")
        self.write("docs/a/index.md", "+++\nbroken\n")
        # `commit -a` stages into a temporary index (GIT_INDEX_FILE): that is what is checked.
        r = subprocess.run(["git", "commit", "-q", "-a", "-m", "x"], cwd=self.ws, env=env,
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("docs/a/index.md:1:1: error: front matter is not closed", r.stdout + r.stderr)
        self.doc("docs/a/index.md", "aaaa1111", title="Fixed")
        r = subprocess.run(["git", "commit", "-q", "-a", "-m", "x"], cwd=self.ws, env=env,
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r)

    def test_not_a_git_repository(self):
        other = self.tmp / "plain"
        self.ok("init", str(other))
        r = self.run_async("-C", str(other), "check", "--staged")
        self.assertEqual(r.code, 4, r)
        self.assertIn("is not in a git repository", r.err)
        self.assertIn("hint:", r.err)

    def test_no_git(self):
        r = self.check("--staged", env={"PATH": "/nonexistent"})
        self.assertEqual(r.code, 4, r)
        self.assertIn("cannot run 'git'", r.err)


class Json(CheckCase):
    def test_json(self):
        self.team("alice")
        self.write("docs/a.md", "+++\nnope\n")
        self.doc("docs/b.md", "bbbb2222", body="Hi @zed")
        r = self.run_async("-C", str(self.ws), "--json", "check")
        self.assertEqual(r.code, 1, r)
        data = json.loads(r.out)
        self.assertEqual(data["schema"], 1)
        self.assertEqual(data["errors"], 1)
        self.assertEqual(data["warnings"], 1)
        self.assertEqual(data["findings"], [
            {"path": "docs/a.md", "line": 1, "column": 1, "severity": "error",
             "message": "front matter is not closed (no second '+++' line)"},
            {"path": "docs/b.md", "line": 10, "column": 4, "severity": "warning",
             "message": "unknown person '@zed' (no [people.zed] in .async/config.toml)"},
        ])

    def test_json_clean(self):
        r = self.run_async("-C", str(self.ws), "--json", "check")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(json.loads(r.out), {"schema": 1, "findings": [], "errors": 0, "warnings": 0, "info": 0})



CONFLICTED = "\n".join([
    "- [ ] inventory the Jenkins jobs",  # line 10
    "<<<<<<< HEAD",                      # line 11
    "- [ ] @bob migrate the builds",
    "=======",
    "- [ ] @carol migrate the builds",
    ">>>>>>> 3f2a1bc (carol's plan)",
])


class MergeConflicts(InGit):
    """A file git left with conflict markers (issue 18, item 1): check reports it, staged or
    not (the pre-commit hook), and the index skips it until it is resolved."""

    def test_check_and_staged_report_it(self):
        self.doc("docs/a/index.md", "aaaa1111", body=CONFLICTED)
        self.git("add", "docs/a/index.md")  # what git takes for "resolved"
        for args in ((), ("--staged",), ("docs/a/index.md",)):
            r = self.check(*args)
            self.assertEqual(r.code, 1, r)
            self.assertEqual(self.lines(r), ["docs/a/index.md:11:1: error: unresolved merge conflict"], args)

    def test_a_conflict_in_the_front_matter(self):
        self.write("docs/a/index.md", GOOD.format(id="aaaa1111", title="A title", body="Text.",
                                                   extra='<<<<<<< HEAD\ndue = 2026-12-01T17:00:00Z\n=======\n'
                                                         'due = 2026-12-02T17:00:00Z\n>>>>>>> theirs\n'))
        r = self.check()
        self.assertEqual(self.lines(r), ["docs/a/index.md:8:1: error: unresolved merge conflict"])

    def test_the_index_skips_it_until_resolved(self):
        path = self.doc("docs/a/index.md", "aaaa1111", body=CONFLICTED)
        r = self.a("actions")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.err, "async: warning: skipped docs/a/index.md: unresolved merge conflict at line 11\n")
        self.assertNotIn("Jenkins", r.out)
        self.assertNotIn("migrate", r.out)
        r = self.a("actions")
        self.assertEqual((r.code, r.err), (0, ""), r)  # said once, when the file was read
        path.write_text(path.read_text().replace("<<<<<<< HEAD\n- [ ] @bob migrate the builds\n=======\n", "")
                        .replace(">>>>>>> 3f2a1bc (carol's plan)\n", ""))
        r = self.a("actions", "--all")
        self.assertEqual((r.code, r.err), (0, ""), r)
        self.assertEqual(r.out.count("inventory the Jenkins jobs"), 1, r.out)
        self.assertEqual(r.out.count("migrate the builds"), 1, r.out)
        self.assertEqual(self.check().code, 0)

    def test_markers_in_code_and_look_alikes_are_no_conflict(self):
        self.doc("docs/a/index.md", "aaaa1111", body="\n".join([
            "A heading", "=======", "",
            "```", "<<<<<<< HEAD", "ours", "=======", "theirs", ">>>>>>> branch", "```", "",
            "<<<<<<<< eight, not seven", "", "=======", "", ">>>>>>> an unopened end",
        ]))
        r = self.check()
        self.assertEqual((r.code, r.out), (0, ""), r)
        self.assertEqual(self.a("actions").err, "")

if __name__ == "__main__":
    harness.main()
