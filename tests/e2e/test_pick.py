"""async pick (issue 21 item 6): documents chosen in fzf, in a real terminal (tmux on a private
socket), print their ids for `async show $(async pick)`; Esc and no match choose nothing
(exit 1); without fzf or without a terminal, exit 4 with a hint; hostile titles reach fzf
one-lined and without control characters."""
import re
import shlex
import shutil
import subprocess
import time
import unittest

import harness

TITLES = ["Pricing page", "Hiring plan", "Offsite agenda"]


class PickCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        self.ids = {}
        for i, title in enumerate(TITLES):
            r = self.a("doc", "new", title, "-m", f"Body of the {title.lower()}.", "--no-edit",
                       env={"ASYNC_NOW": f"2026-11-2{i + 3}T10:00:00Z"})
            self.assertEqual(r.code, 0, r)
            self.ids[title] = r.out.split()[0]


@unittest.skipUnless(shutil.which("tmux") and shutil.which("fzf"),
                     "tmux and fzf are installed by scripts/install-deps.sh")
class InTerminal(PickCase):
    def setUp(self):
        super().setUp()
        self.socket = self.tmp / "tmux.sock"
        env = dict(self.env, TERM="xterm", PS1="$ ")
        shell = "env -i " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " sh"
        self.tmux("new-session", "-d", "-x", "160", "-y", "30", "-s", "t", "-c", str(self.tmp), shell)

    def tearDown(self):
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)
        super().tearDown()

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", str(self.socket), *args], capture_output=True, text=True,
                              check=True).stdout

    def screen(self):
        return self.tmux("capture-pane", "-p", "-J", "-t", "t")

    def wait_for(self, predicate, what):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        self.fail(f"timed out waiting for {what}; screen:\n{self.screen()}")

    def start(self, *args, prefix=""):
        command = prefix + " ".join(shlex.quote(a) for a in [harness.BIN, "-C", str(self.ws), "pick", *args])
        # Typed as "[ex""it $?]" so that the command line itself never reads like the result.
        self.tmux("send-keys", "-t", "t", "-l", f"{command} >out; echo \"[ex\"\"it $?]\"")
        self.tmux("send-keys", "-t", "t", "Enter")

    def finished(self):
        screen = self.wait_for(lambda s: re.search(r"\[exit \d+\]", s), "async pick to exit")
        code = int(re.search(r"\[exit (\d+)\]", screen).group(1))
        return code, (self.tmp / "out").read_text()

    def test_typing_narrows_and_enter_prints_the_id(self):
        self.start()
        self.wait_for(lambda s: "async>" in s and "Offsite agenda" in s and "Hiring plan" in s, "the list")
        self.tmux("send-keys", "-t", "t", "-l", "hiring")
        self.wait_for(lambda s: "1/3" in s, "one match of three")
        self.tmux("send-keys", "-t", "t", "Enter")
        code, out = self.finished()
        self.assertEqual((code, out), (0, self.ids["Hiring plan"] + "\n"))
        # What a script does with it: show the chosen document.
        self.assertIn("Body of the hiring plan.", self.a("show", out.strip()).out)

    def test_the_preview_shows_the_highlighted_document(self):
        self.start()
        # Newest first: the offsite agenda is highlighted, and its body is beside the list.
        self.wait_for(lambda s: "Body of the offsite agenda." in s, "the preview")
        self.tmux("send-keys", "-t", "t", "Escape")
        self.finished()

    def test_escape_chooses_nothing(self):
        self.start()
        self.wait_for(lambda s: "async>" in s, "fzf")
        self.tmux("send-keys", "-t", "t", "Escape")
        code, out = self.finished()
        self.assertEqual((code, out), (1, ""))

    def test_a_query_with_one_match_needs_no_keys(self):
        self.start("offsite")
        code, out = self.finished()
        self.assertEqual((code, out), (0, self.ids["Offsite agenda"] + "\n"))

    def test_a_query_without_match_is_exit_1(self):
        self.start("zeppelin")
        code, out = self.finished()
        self.assertEqual((code, out), (1, ""))

    def test_multi_marks_several(self):
        # The user's own fzf settings apply (here a key that marks: tmux's Tab does not reach fzf
        # as one).
        self.start("--multi", "--no-preview", prefix="FZF_DEFAULT_OPTS=--bind=ctrl-t:toggle+up ")
        self.wait_for(lambda s: "async>" in s and "Pricing page" in s, "fzf")
        self.tmux("send-keys", "-t", "t", "C-t")
        self.tmux("send-keys", "-t", "t", "C-t")
        self.wait_for(lambda s: "(2)" in s, "two marked")
        self.tmux("send-keys", "-t", "t", "Enter")
        code, out = self.finished()
        self.assertEqual(code, 0)
        self.assertEqual(out.split(), [self.ids["Offsite agenda"], self.ids["Hiring plan"]])

    def test_hostile_titles_reach_fzf_as_one_clean_line(self):
        r = self.a("doc", "new", "Evil\x1b]0;pwned\x07 \u202etxt.exe\tTabbed", "-m", "x", "--no-edit")
        self.assertEqual(r.code, 0, r)
        self.start("--no-preview")
        screen = self.wait_for(lambda s: "Tabbed" in s, "the hostile title")
        line = next(l for l in screen.splitlines() if "Tabbed" in l)
        self.assertNotIn("\u202e", line)
        self.assertIn("Offsite agenda", screen)
        self.tmux("send-keys", "-t", "t", "Escape")
        self.finished()


class WithoutWhatItNeeds(PickCase):
    def test_without_fzf_exit_4_with_a_hint(self):
        empty = self.tmp / "bin"
        empty.mkdir()
        r = self.a("pick", env={"PATH": str(empty)})
        self.assertEqual(r.code, 4, r)
        self.assertIn("cannot run fzf", r.err)
        self.assertIn("async list", r.err)
        self.assertEqual(r.out, "")

    @unittest.skipUnless(shutil.which("fzf"), "fzf is installed by scripts/install-deps.sh")
    def test_without_a_terminal_exit_4(self):
        # A new session has no controlling terminal: fzf cannot open /dev/tty (cron, CI).
        env = dict(self.env)
        proc = subprocess.run([harness.BIN, "-C", str(self.ws), "pick"], env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, start_new_session=True, timeout=30)
        self.assertEqual(proc.returncode, 4, proc)
        self.assertIn("needs a terminal", proc.stderr)
        self.assertEqual(proc.stdout, "")


if __name__ == "__main__":
    unittest.main()
