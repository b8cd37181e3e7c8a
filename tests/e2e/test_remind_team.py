"""Reminder mails once per team per day: two teammates' clones of one bare repository both run
`async remind --mail` (one after the other, and both at once), and every recipient gets exactly
one mail a day. The record of what was sent is committed (people/<sender>/reminded.toml) and
claimed by a push before anything is sent. Mail goes through msmtp to an SMTP sink."""
import email
import email.policy
import json
import shutil
import subprocess
import sys
import tomllib
import unittest
from pathlib import Path

from test_git import GitCase

try:
    from aiosmtpd.controller import Controller
except ImportError:  # a python3 outside Debian's: use the Debian package's pure-Python module
    sys.path.append("/usr/lib/python3/dist-packages")
    from aiosmtpd.controller import Controller

from test_calendar import Sink, free_port

DAY2 = "2026-11-27T09:00:00Z"
DAY3 = "2026-11-28T09:00:00Z"


class RemindTeam(GitCase):
    def setUp(self):
        super().setUp()
        self.assertIsNotNone(shutil.which("msmtp"), "msmtp is not installed (scripts/install-deps.sh)")
        self.sink = Sink()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.addCleanup(self.controller.stop)
        msmtprc = self.tmp / "msmtprc"
        msmtprc.write_text(f"defaults\nauth off\ntls off\n\naccount default\nhost 127.0.0.1\n"
                           f"port {self.controller.port}\nfrom async@example.org\n")
        msmtprc.chmod(0o600)
        self.alice, self.bob = self.make_team()
        config = self.alice / ".async" / "config.toml"
        text = config.read_text(encoding="utf-8")
        for who in ("alice", "bob", "carol"):
            text += f"\n[people.{who}]\nemail = \"{who}@example.com\"\n"
        text += f"\n[mail]\nfrom = \"async@example.org\"\nsendmail = {json.dumps(['msmtp', '-C', str(msmtprc)])}\n"
        config.write_text(text, encoding="utf-8")
        # A committed sendmail runs only in workspaces I trust (async-config(5)).
        user = self.home / ".config" / "async" / "config.toml"
        user.parent.mkdir(parents=True, exist_ok=True)
        user.write_text(f"[trust]\nworkspaces = {json.dumps([str(self.alice), str(self.bob)])}\n")
        # Something owed by everyone: reviews for bob and carol, an overdue action for alice.
        self.a_ok(self.alice, "doc", "new", "Pricing", "--no-edit", "--reviewers", "bob,carol", "-m",
                  "- [ ] @alice fix the copy due:2026-11-20")
        self.a_ok(self.alice, "sync")
        self.a_ok(self.bob, "sync", user="bob")

    def received(self):
        """Recipient -> the dates (from the subject) of the mails they got."""
        out = {}
        for _mail_from, _rcpts, content in self.sink.messages:
            msg = email.message_from_bytes(content, policy=email.policy.default)
            out.setdefault(msg["To"].addresses[0].addr_spec, []).append(msg["Subject"].rsplit("(", 1)[1].rstrip(")"))
        return {k: sorted(v) for k, v in out.items()}

    def remind(self, repo, user, now=None):
        return self.a(repo, "remind", "--mail", user=user, env={"ASYNC_NOW": now} if now else None)

    def both_at_once(self, now=None):
        procs = []
        for repo, user in ((self.alice, "alice"), (self.bob, "bob")):
            env = dict(self.env, ASYNC_USER=user)
            if now:
                env["ASYNC_NOW"] = now
            procs.append(subprocess.Popen([harness_bin(), "-C", str(repo), "remind", "--mail"], env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                          stdin=subprocess.DEVNULL))
        results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close()
            p.stderr.close()
        for code, out, err in results:
            self.assertEqual(code, 0, (out, err))
        return results

    def test_one_after_the_other_sends_once(self):
        r = self.remind(self.alice, "alice")
        self.assertEqual(r.code, 0, r)
        self.assertIn("reminded bob of 1 item", r.err)
        everyone = {"alice@example.com": ["2026-11-26"], "bob@example.com": ["2026-11-26"],
                    "carol@example.com": ["2026-11-26"]}
        self.assertEqual(self.received(), everyone)
        # The claim is a commit of alice's own record, pushed before the mails went.
        record = tomllib.loads((self.alice / "people" / "alice" / "reminded.toml").read_text())
        self.assertEqual({(e["person"], e["date"]) for e in record["sent"]},
                         {("alice", "2026-11-26"), ("bob", "2026-11-26"), ("carol", "2026-11-26")})
        self.assertEqual(self.git(self.alice, "status", "--porcelain").stdout, "")
        self.assertEqual(self.git(self.alice, "rev-parse", "HEAD").stdout,
                         self.git(self.bare, "rev-parse", "main").stdout)
        self.assertIn("claimed by alice", self.subject(self.alice))
        # Bob's cron runs later the same day: it pulls alice's record and sends nothing.
        r = self.remind(self.bob, "bob")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("reminded", r.err)
        self.assertEqual(self.received(), everyone)
        self.assertTrue((self.bob / "people" / "alice" / "reminded.toml").exists())
        self.assertFalse((self.bob / "people" / "bob" / "reminded.toml").exists())
        # The next day bob's runs first: he sends, alice's then finds his claims.
        r = self.remind(self.bob, "bob", DAY2)
        self.assertIn("reminded carol of 2 items", r.err)  # the check-in is owed on Friday
        r = self.remind(self.alice, "alice", DAY2)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("reminded", r.err)
        self.assertEqual(self.received(), {k: v + ["2026-11-27"] for k, v in everyone.items()})
        # The records are the workspace's: check and the index accept them, sync has nothing to add.
        self.a_ok(self.alice, "check")
        r = self.a_ok(self.alice, "--json", "sync")
        self.assertEqual(json.loads(r.out)["files"], 0)

    def test_both_at_once_send_once(self):
        for day in (None, DAY2, DAY3):
            self.both_at_once(day)
        self.assertEqual(self.received(), {
            who: ["2026-11-26", "2026-11-27", "2026-11-28"]
            for who in ("alice@example.com", "bob@example.com", "carol@example.com")})
        # One claim commit per day reached the remote: a losing clone took its claim back.
        subjects = self.git(self.bare, "log", "--format=%s", "main").stdout.splitlines()
        claims = sorted(s.split(",")[0] for s in subjects if "claimed by" in s)
        self.assertEqual(claims, ["async: remind 2026-11-26", "async: remind 2026-11-27", "async: remind 2026-11-28"])
        # Both clones converge on the remote's history, with no claim left uncommitted.
        for repo in (self.alice, self.bob):
            self.git(repo, "pull", "-q", "--rebase")
            self.assertEqual(self.git(repo, "status", "--porcelain").stdout, "")
        self.assertEqual(self.git(self.alice, "rev-parse", "HEAD").stdout, self.git(self.bob, "rev-parse", "HEAD").stdout)

    def test_elected_sender(self):
        self.a_ok(self.alice, "config", "set", "remind.sender", "@Alice")
        self.a_ok(self.alice, "sync")
        self.a_ok(self.bob, "sync", user="bob")
        r = self.remind(self.bob, "bob")
        self.assertEqual(r.code, 0, r)
        self.assertIn("reminders are sent by @alice (remind.sender); nothing sent", r.err)
        self.assertEqual(self.sink.messages, [])
        r = self.remind(self.alice, "alice")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(len(self.sink.messages), 3)

    def test_failed_send_withdraws_its_claim(self):
        config = self.alice / ".async" / "config.toml"
        good = config.read_text()
        config.write_text(good.replace('sendmail = ["msmtp"', 'sendmail = ["/nonexistent/sendmail"', 1))
        r = self.remind(self.alice, "alice")
        self.assertEqual(r.code, 4, r)
        self.assertEqual(self.sink.messages, [])
        self.git(self.alice, "checkout", "-q", "--", ".async/config.toml")
        record = self.alice / "people" / "alice" / "reminded.toml"
        self.assertEqual(tomllib.loads(record.read_text()).get("sent", []), [])
        # Bob's clone sends them: nothing of alice's failed run stands in the way.
        r = self.remind(self.bob, "bob")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(len(self.sink.messages), 3)

    def test_hostile_record_is_a_data_error(self):
        record = self.bob / "people" / "carol" / "reminded.toml"
        record.parent.mkdir(parents=True)
        record.write_text("[[sent]\nperson = ")
        self.git(self.bob, "add", "--", "people/carol/reminded.toml")
        self.git(self.bob, "commit", "-q", "-m", "broken record")
        self.git(self.bob, "push", "-q", "origin", "HEAD:main")
        r = self.remind(self.alice, "alice")
        self.assertEqual(r.code, 3, r)
        self.assertIn("people/carol/reminded.toml", r.err)
        self.assertEqual(self.sink.messages, [])


def harness_bin():
    import harness
    return harness.BIN


if __name__ == "__main__":
    import harness
    harness.main()
