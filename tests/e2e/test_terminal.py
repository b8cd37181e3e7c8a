"""What the terminal shows: tables fitted to its width (the text a table is about stays whole;
titles and paths give way; COLUMNS overrides the terminal's size; --wide and pipes cut nothing),
replies and responses named after what they answer ("Re: Weekly sync — bob's response"), and
usage hints that name commands which exist."""
import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
import unittest

import harness

LONG_TITLE = "Pricing page redesign for the enterprise tier and the new export button"
DECISION = "ship three tiers with a yearly discount"
ACTION = "write the migration guide"


class Widths(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        body = f"We looked at it.\n\nDecision: {DECISION}\n\n- [ ] @bob {ACTION} due:2026-12-04\n"
        r = self.a("doc", "new", LONG_TITLE, "-m", body)
        self.assertEqual(r.code, 0, r)
        self.doc_id = r.out.split()[0]
        self.doc_path = str(self.written(r).relative_to(self.ws))  # as the tables show it

    def on_terminal(self, *args, columns=80, env=None):
        """async -C WS --color=never ARGS with stdout on a pseudo-terminal of `columns` columns:
        the lines it shows, and the exit code."""
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        full_env = dict(self.env, **(env or {}))
        proc = subprocess.Popen([harness.BIN, "-C", str(self.ws), "--color=never", *args], stdout=slave,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=full_env, cwd=self.tmp)
        os.close(slave)
        out = b""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last writer closed the terminal
                break
            if not chunk:
                break
            out += chunk
        os.close(master)
        code = proc.wait(timeout=30)
        proc.stderr.close()
        return out.decode("utf-8").replace("\r\n", "\n").splitlines(), code

    def assert_fits(self, lines, columns):
        for line in lines:
            self.assertLessEqual(len(line), columns, line)

    def test_decision_and_action_text_stay_whole_while_title_and_path_give_way(self):
        lines, code = self.on_terminal("decisions")
        self.assertEqual(code, 0)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn(DECISION + "  ", lines[0])
        self.assertNotIn(LONG_TITLE, lines[0])  # cut
        self.assertIn(self.doc_id, lines[0])    # to its first columns, not away
        self.assertNotIn(self.doc_path, lines[0])
        self.assertIn("…", lines[0])
        self.assert_fits(lines, 80)

        lines, code = self.on_terminal("actions")
        self.assertEqual(code, 0)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn(ACTION + "  ", lines[0])
        self.assertIn(self.doc_id, lines[0])
        self.assertNotIn(LONG_TITLE, lines[0])
        self.assert_fits(lines, 80)

    def test_a_narrow_terminal_leaves_titles_and_paths_out_before_cutting_the_text(self):
        lines, _ = self.on_terminal("decisions", columns=56)
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].endswith(DECISION), lines)
        lines, _ = self.on_terminal("actions", columns=64)
        self.assertTrue(lines[0].endswith(ACTION), lines)
        # Narrower than the fixed columns and the text: the text is cut last, and never past
        # the terminal's edge.
        lines, _ = self.on_terminal("actions", columns=50)
        self.assertIn("write the", lines[0])
        self.assertNotIn(ACTION, lines[0])
        self.assert_fits(lines, 50)

    def test_wide_prints_everything(self):
        for command in ["decisions", "actions"]:
            lines, code = self.on_terminal(command, "--wide")
            self.assertEqual(code, 0)
            self.assertIn(LONG_TITLE, lines[0])
            self.assertNotIn("…", lines[0])
        lines, _ = self.on_terminal("decisions", "--wide")
        self.assertIn(self.doc_path, lines[0])

    def test_columns_overrides_the_terminal_and_a_pipe_is_not_cut(self):
        lines, _ = self.on_terminal("decisions", env={"COLUMNS": "250"})
        self.assertIn(LONG_TITLE, lines[0])
        self.assertIn(self.doc_path, lines[0])
        lines, _ = self.on_terminal("decisions", columns=250, env={"COLUMNS": "80"})
        self.assertNotIn(LONG_TITLE, lines[0])
        self.assert_fits(lines, 80)
        piped = self.a("decisions", env={"COLUMNS": None})
        self.assertIn(LONG_TITLE, piped.out)
        self.assertIn(self.doc_path, piped.out)
        # COLUMNS on a pipe is obeyed too (as git does): scripts can ask for a width.
        cut = self.a("decisions", env={"COLUMNS": "80"})
        self.assertNotIn(LONG_TITLE, cut.out)
        self.assertIn(DECISION, cut.out)
        self.assertEqual(self.a("decisions", "--wide", env={"COLUMNS": "80"}).out, piped.out)

    def test_every_table_command_takes_wide(self):
        for words in [["list"], ["actions"], ["decisions"], ["inbox"], ["agenda"], ["remind"],
                      ["checkin", "status"]]:
            r = self.a(*words, "--wide")
            self.assertIn(r.code, (0, 1), r)
            self.assertNotIn("error", r.err)
            self.assertIn("--wide", self.a(*words, "--help").out)


class ReplyAndResponseTitles(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        self.doc_id = self.a("doc", "new", "Pricing page", "--reviewers", "bob", "-m", "Which tiers?").out.split()[0]
        r = self.a("doc", "reply", self.doc_id, "-m", "Three tiers, @alice: ship it.", user="bob")
        self.assertEqual(r.code, 0, r)
        self.reply_id = r.out.split()[0]
        r = self.a("meeting", "open", "Weekly sync", "--with", "bob", "--due", "fri", "-m", "## Roadmap\n")
        self.assertEqual(r.code, 0, r)
        self.meeting_id = r.out.split()[0]
        r = self.a("meeting", "respond", self.meeting_id, "-m", "## Roadmap\n\nThe roadmap slips a week.\n",
                   user="bob")
        self.assertEqual(r.code, 0, r)
        self.response_id = r.out.split()[0]

    def test_list_and_json_name_them_after_what_they_answer(self):
        out = self.a("list", "--all", "--wide").out
        self.assertRegex(out, rf"{self.reply_id} .* reply +bob +Re: Pricing page — bob's reply\n")
        self.assertRegex(out, rf"{self.response_id} .* response +bob +Re: Weekly sync — bob's response\n")
        docs = {d["id"]: d for d in json.loads(self.a("list", "--all", "--json").out)["documents"]}
        self.assertEqual(docs[self.reply_id]["title"], "Re: Pricing page — bob's reply")
        self.assertEqual(docs[self.response_id]["title"], "Re: Weekly sync — bob's response")
        self.assertEqual(docs[self.doc_id]["title"], "Pricing page")

    def test_search_shows_the_title(self):
        out = self.a("search", "roadmap slips").out
        self.assertIn(f"{self.response_id}  response  Re: Weekly sync — bob's response  ", out)

    def test_the_inbox_names_a_mention_in_a_reply(self):
        # A reply to a document of mine is one item, the reply (issue 20), even when it mentions me.
        out = self.a("inbox", "--wide").out
        self.assertEqual([line for line in out.splitlines() if " mention " in line], [], out)
        self.assertIn("bob replied to Pricing page", out)
        self.assertNotIn("replies/", out)
        # A mention in a reply to someone else's document is a mention, named as the reply.
        r = self.a("doc", "reply", self.doc_id, "-m", "Agreed, @bob.", user="carol")
        self.assertEqual(r.code, 0, r)
        out = self.a("inbox", "--wide", user="bob").out
        mention = [line for line in out.splitlines() if " mention " in line]
        self.assertEqual(len(mention), 1, out)
        self.assertIn("Re: Pricing page — carol's reply", mention[0])
        self.assertNotIn("replies/", out)

    def test_the_checkin_prefill_names_what_i_wrote(self):
        r = self.a("checkin", "--no-edit", user="bob")
        self.assertEqual(r.code, 0, r)
        text = self.written(r).read_text(encoding="utf-8")
        self.assertIn(f"- Wrote: Re: Pricing page — bob's reply ({self.reply_id})\n", text)
        self.assertIn(f"- Wrote: Re: Weekly sync — bob's response ({self.response_id})\n", text)

    def test_a_titled_reply_keeps_its_title_and_a_renamed_document_renames_its_replies(self):
        index = self.ws / "docs"
        page = next(index.glob("*-pricing-page/index.md"))
        page.write_text(page.read_text(encoding="utf-8").replace('title = "Pricing page"', 'title = "Tiers"'),
                        encoding="utf-8")
        out = self.a("list", "--all", "--wide").out
        self.assertIn("Re: Tiers — bob's reply", out)
        reply = next(page.parent.glob("replies/*.md"))
        text = reply.read_text(encoding="utf-8")
        reply.write_text(text.replace('type = "reply"', 'type = "reply"\ntitle = "My own title"', 1),
                         encoding="utf-8")
        out = self.a("list", "--all", "--wide").out
        self.assertIn("My own title", out)
        self.assertNotIn("Re: Tiers — bob's reply", out)


class UsageHints(harness.AsyncTestCase):
    """Every usage error that says "see 'async … --help'" names a command whose --help works."""

    def setUp(self):
        super().setUp()
        self.init_ws()

    def subcommands(self, words):
        out = self.ok(*words, "--help").out
        if "Subcommands:" not in out:
            return []
        names = []
        for line in out.split("Subcommands:", 1)[1].splitlines()[1:]:
            m = re.match(r"  (\S+)\s", line)
            if not m:
                break
            names.append(m.group(1))
        return names

    def all_commands(self):
        found, todo = [], [[]]
        while todo:
            words = todo.pop()
            for name in self.subcommands(words):
                found.append(words + [name])
                todo.append(words + [name])
        return found

    def test_every_help_hint_names_a_command_that_exists(self):
        commands = self.all_commands()
        self.assertIn(["meeting", "open"], commands)
        self.assertIn(["inbox", "undo"], commands)
        self.assertIn(["doc", "new"], commands)
        self.assertGreater(len(commands), 30)
        hints = 0
        for words in commands:
            attempts = [[*words, "--no-such-flag"]]
            if "REQUIRED" in self.ok(*words, "--help").out:
                attempts.append(words)  # a required argument left out fails before anything runs
            for args in attempts:
                r = self.a(*args, env={"EDITOR": "false", "VISUAL": None})
                self.assertEqual(r.code, 2, (args, r))
                for named in re.findall(r"'async ([^']*?) ?--help'", r.err):
                    hints += 1
                    self.assertEqual(named.split(), words, (args, r.err))
                    self.ok(*named.split(), "--help")
        self.assertGreater(hints, len(commands))

    def test_the_hints_quoted_in_the_issue(self):
        self.assertEqual(self.a("meeting", "open").err.splitlines()[-1], "hint: see 'async meeting open --help'")
        self.assertEqual(self.a("inbox", "undo").err.splitlines()[-1], "hint: see 'async inbox undo --help'")
        self.assertEqual(self.a("doc", "new", "--bogus").err.splitlines()[-1], "hint: see 'async doc new --help'")


if __name__ == "__main__":
    harness.main()
