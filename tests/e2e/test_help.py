"""Command words: a typo names the closest commands (as git does), a command given without its
subcommand says which it takes, and `async help CMD` opens the manual on a terminal (tmux) or
prints --help elsewhere."""
import os
import shlex
import shutil
import subprocess
import time
import unittest
from pathlib import Path

import harness

MAN_DIR = Path(os.environ.get("ASYNC_MAN_DIR", Path(harness.BIN).resolve().parents[1] / "man"))


class CommandWords(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()

    def usage_error(self, *args):
        r = self.a(*args)
        self.assertEqual(r.code, 2, r)
        self.assertEqual(r.out, "")
        return r.err.splitlines()

    def test_a_typo_names_the_closest_commands(self):
        self.assertEqual(self.usage_error("dco", "new", "x"),
                         ["async: error: 'dco' is not an async command", "hint: did you mean 'async doc'?"])
        self.assertEqual(self.usage_error("--color", "never", "lsit"),
                         ["async: error: 'lsit' is not an async command", "hint: did you mean 'async list'?"])
        self.assertEqual(self.usage_error("inbox", "dne", "1234"),
                         ["async: error: 'dne' is not an 'async inbox' command",
                          "hint: did you mean 'async inbox done'?"])
        # Nothing close: where to look instead.
        self.assertEqual(self.usage_error("nosuch"),
                         ["async: error: 'nosuch' is not an async command", "hint: see 'async --help'"])
        self.assertEqual(self.usage_error("doc", "publish"),
                         ["async: error: 'publish' is not an 'async doc' command", "hint: see 'async doc --help'"])
        # Several as close: all of them.
        self.assertEqual(self.usage_error("i"),
                         ["async: error: 'i' is not an async command", "hint: see 'async --help'"])
        self.assertIn("'async init' or 'async inbox' or 'async index'",
                      self.usage_error("in")[1].replace("did you mean ", ""))

    def test_hostile_and_huge_words(self):
        for word in ["x" * 100000, "d\u202eoc", "\x1b[31mdoc", "-", "docx" * 10]:
            lines = self.usage_error(word)
            self.assertTrue(lines[0].startswith("async: error: '"), lines)
            self.assertNotIn("\x1b", "\n".join(lines))

    def test_words_that_are_values_or_arguments_are_left_alone(self):
        # -C's value and a command's own words are not command words.
        self.ok("-C", str(self.ws), "--color", "never", "doc", "new", "status", "-m", "x", "--no-edit")
        r = self.a("config", "get", "checkin.day")
        self.assertEqual(r.code, 0, r)
        r = self.a("search", "dco")
        self.assertEqual(r.code, 1, r)  # searched (nothing found), not a usage error

    def test_a_command_without_its_subcommand_says_which_it_takes(self):
        self.assertEqual(self.usage_error("doc"),
                         ["async: error: 'async doc' needs a command: new, reply, close, status",
                          "hint: see 'async doc --help'"])
        self.assertEqual(self.usage_error("meeting")[0],
                         "async: error: 'async meeting' needs a command: open, respond, status, close")

    def test_help_prints_the_commands_help_without_a_terminal(self):
        for words in [["calendar"], ["doc", "new"], []]:
            r = self.a("help", *words)
            self.assertEqual(r.code, 0, r)
            expected = self.a(*words, "--help")
            self.assertEqual(r.out.splitlines()[1:], expected.out.splitlines()[1:])
            self.assertIn("Usage: async" + "".join(" " + w for w in words), r.out)
        self.assertEqual(self.usage_error("help", "dco"),
                         ["async: error: 'dco' is not an async command", "hint: did you mean 'async doc'?"])


@unittest.skipUnless(shutil.which("tmux") and shutil.which("man"), "tmux and man are installed by scripts/install-deps.sh")
class HelpOnATerminal(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.socket = self.tmp / "tmux.sock"
        man1 = self.tmp / "manroot" / "man1"
        man1.mkdir(parents=True)
        shutil.copy(MAN_DIR / "async-calendar.1", man1)

    def tearDown(self):
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)
        super().tearDown()

    def screen_of(self, *words):
        env = dict(self.env, MANPATH=str(self.tmp / "manroot"), MANPAGER="cat", PAGER="cat", TERM="xterm")
        env_words = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        command = f"env -i {env_words} {shlex.quote(harness.BIN)} help {' '.join(words)}; echo EXIT=$?; sleep 30"
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)
        subprocess.run(["tmux", "-S", str(self.socket), "new-session", "-d", "-x", "120", "-y", "60", "-s", "t",
                        command], check=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            screen = subprocess.run(["tmux", "-S", str(self.socket), "capture-pane", "-p", "-J", "-S", "-500",
                                     "-t", "t"], capture_output=True, text=True).stdout
            if "EXIT=" in screen:
                return screen
            time.sleep(0.05)
        self.fail("help never finished")

    def test_help_opens_the_manual_page_on_a_terminal(self):
        screen = self.screen_of("calendar")
        self.assertIn("EXIT=0", screen)
        self.assertIn("ASYNC-CALENDAR(1)", screen)  # man's header, not --help
        self.assertNotIn("Usage: async calendar", screen)

    def test_without_a_manual_page_it_prints_help(self):
        screen = self.screen_of("agenda")  # its page is not in this MANPATH
        self.assertIn("EXIT=0", screen)
        self.assertIn("Usage: async agenda", screen)


if __name__ == "__main__":
    harness.main()
