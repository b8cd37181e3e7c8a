"""Git-native team workflow (issue 8): async hook install|uninstall, async sync, init --git and
async check in CI, with real git: a bare repository and two clones (alice and bob)."""
import json
import os
import shutil
import subprocess
import unittest
from pathlib import Path

import harness

CHECKIN = """+++
id = "{id}"
type = "checkin"
title = "Week 48"
author = "{author}"
created = 2026-11-26T10:15:00Z
+++
Worked on the pricing page.
"""

DOC = """+++
id = "{id}"
type = "doc"
title = "{title}"
author = "alice"
created = 2026-11-26T10:15:00Z
+++
{body}
"""


class GitCase(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.bare = self.tmp / "team.git"
        self.git_env = dict(self.env, GIT_TERMINAL_PROMPT="0")

    # -- helpers -----------------------------------------------------------------------------
    def git(self, repo, *args, check=True, env=None):
        r = subprocess.run(["git", *args], cwd=repo, env=dict(self.git_env, **(env or {})),
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if check:
            self.assertEqual(r.returncode, 0, f"git {' '.join(args)}\n{r.stdout}\n{r.stderr}")
        return r

    def identity(self, repo, name):
        self.git(repo, "config", "user.name", name.title())
        self.git(repo, "config", "user.email", f"{name}@example.com")

    def a(self, repo, *args, user="alice", env=None):
        return self.run_async("-C", str(repo), *args, env=dict({"ASYNC_USER": user}, **(env or {})))

    def a_ok(self, repo, *args, user="alice", env=None):
        r = self.a(repo, *args, user=user, env=env)
        self.assertEqual(r.code, 0, r)
        return r

    def ids(self, repo, user="alice"):
        r = self.a_ok(repo, "--json", "list", "--all", user=user)
        return {d["id"] for d in json.loads(r.out)["documents"]}

    def subject(self, repo, rev="HEAD"):
        return self.git(repo, "log", "-1", "--format=%s", rev).stdout.strip()

    def make_team(self, root=None):
        """A bare repository, alice's workspace (init --git, first sync) and bob's clone with
        the hooks installed. Returns (alice, bob)."""
        root = Path(root or self.tmp)
        self.bare = root / "team.git"
        # Its HEAD names main, the branch `init --git` creates, so a clone checks it out.
        subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(self.bare)], check=True,
                       env=self.git_env)
        alice = root / "alice"
        r = self.run_async("init", "--git", str(alice))
        self.assertEqual(r.code, 0, r)
        self.assertIn("installed the hooks pre-commit, post-merge, post-checkout, post-rewrite", r.err)
        self.identity(alice, "alice")
        self.git(alice, "remote", "add", "origin", str(self.bare))
        r = self.a_ok(alice, "sync")
        self.assertIn("pushed to 'origin/", r.err)
        bob = root / "bob"
        self.git(root, "clone", "-q", str(self.bare), str(bob))
        self.identity(bob, "bob")
        self.a_ok(bob, "hook", "install", user="bob")
        return alice, bob

    def new_doc(self, repo, title, user="alice", body="First draft."):
        r = self.a_ok(repo, "doc", "new", title, "--no-edit", "-m", body, user=user)
        doc_id, path = r.out.split(" ", 1)
        return doc_id, Path(path.rstrip("\n"))

    def reply(self, repo, ref, text, user):
        return self.a_ok(repo, "doc", "reply", ref, "-m", text, user=user).out.split()[0]

    def linked_binary(self, folder):
        """A link (or copy) of the binary under test at folder/async: the hooks record it."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "async"
        try:
            os.link(harness.BIN, target)
        except OSError:
            shutil.copy2(harness.BIN, target)
        return target

    def run_bin(self, binary, *args, cwd=None):
        r = subprocess.run([str(binary), *args], cwd=cwd or self.tmp, env=self.env, capture_output=True,
                           text=True, timeout=60, stdin=subprocess.DEVNULL)
        return harness.Result(r)


class TwoPeople(GitCase):
    def test_both_write_and_sync_and_see_each_others_work(self):
        alice, bob = self.make_team()
        doc_a, _ = self.new_doc(alice, "Pricing page")
        r = self.a_ok(alice, "sync")
        self.assertEqual(self.subject(alice), "async: 1 document")
        self.assertIn("committed 1 file: async: 1 document", r.err)

        r = self.a_ok(bob, "sync", user="bob")
        self.assertIn("nothing to commit", r.err)
        self.assertIn("pulled 1 commit from 'origin/", r.err)
        self.assertEqual(r.out, "")
        # sync refreshed the index: it matches the files without any read command first.
        self.a_ok(bob, "index", "--check", user="bob")
        self.assertIn(doc_a, self.ids(bob, "bob"))

        # Both reply to the same document at once: separate files, so no conflict.
        reply_b = self.reply(bob, doc_a, "Three tiers, please.", "bob")
        doc_b, _ = self.new_doc(bob, "Hiring plan", user="bob")
        week = bob / "checkins" / "2026-W48"
        week.mkdir(parents=True)
        (week / "bob.md").write_text(CHECKIN.format(id="chk0bob1", author="bob"))
        reply_a = self.reply(alice, doc_a, "Agreed, with a free tier.", "alice")
        r = self.a_ok(bob, "sync", user="bob")
        self.assertEqual(self.subject(bob), "async: 1 document, 1 reply, 1 check-in")
        body = self.git(bob, "log", "-1", "--format=%b").stdout
        self.assertIn("A checkins/2026-W48/bob.md", body)
        self.assertIn("A docs/2026-11-26-hiring-plan/index.md", body)

        r = self.a_ok(alice, "sync")
        self.assertEqual(self.subject(alice, "HEAD"), "async: 1 reply")
        self.assertIn("pulled 1 commit", r.err)
        self.a_ok(bob, "sync", user="bob")

        everything = {doc_a, doc_b, reply_a, reply_b, "chk0bob1"}
        self.assertTrue(everything <= self.ids(alice), self.ids(alice))
        self.assertTrue(everything <= self.ids(bob, "bob"), self.ids(bob, "bob"))
        self.assertEqual(self.ids(alice), self.ids(bob, "bob"))
        # The shared history is linear (rebased, never merged) and nothing is left to commit.
        merges = self.git(alice, "rev-list", "--merges", "HEAD").stdout
        self.assertEqual(merges, "")
        self.assertEqual(self.git(bob, "status", "--porcelain").stdout, "")
        self.assertEqual(self.git(alice, "status", "--porcelain").stdout, "")

    def test_post_merge_hook_refreshes_the_index_on_a_plain_git_pull(self):
        alice, bob = self.make_team()
        self.new_doc(alice, "First")
        self.a_ok(alice, "sync")
        self.a_ok(bob, "sync", user="bob")
        self.a_ok(bob, "index", "--check", user="bob")

        # Without bob's hooks a plain `git pull` leaves his index behind the files …
        self.a_ok(bob, "hook", "uninstall", user="bob")
        self.new_doc(alice, "Second")
        self.a_ok(alice, "sync")
        self.git(bob, "pull", "-q", "--no-rebase")
        self.assertEqual(self.a(bob, "index", "--check", user="bob").code, 1)
        self.a_ok(bob, "index", user="bob")

        # … with them, post-merge brings it up to date, quietly.
        self.a_ok(bob, "hook", "install", user="bob")
        doc3, _ = self.new_doc(alice, "Third")
        self.a_ok(alice, "sync")
        r = self.git(bob, "pull", "-q", "--no-rebase")
        self.assertEqual(r.stdout + r.stderr, "")
        self.a_ok(bob, "index", "--check", user="bob")
        self.assertIn(doc3, self.ids(bob, "bob"))

    def test_post_checkout_hook_refreshes_the_index(self):
        alice, _ = self.make_team()
        self.new_doc(alice, "On main")
        self.a_ok(alice, "sync")
        self.git(alice, "checkout", "-q", "-b", "topic")
        self.new_doc(alice, "On topic")
        self.git(alice, "add", "-A")
        self.git(alice, "commit", "-q", "-m", "topic")
        self.a_ok(alice, "index")
        self.git(alice, "checkout", "-q", "-")
        self.a_ok(alice, "index", "--check")

    def test_conflict_is_reported_and_recoverable_with_the_printed_commands(self):
        alice, bob = self.make_team()
        doc_id, path = self.new_doc(alice, "Shared plan", body="Status: draft")
        self.a_ok(alice, "sync")
        self.a_ok(bob, "sync", user="bob")
        rel = Path(path).relative_to("alice") if not Path(path).is_absolute() else Path(path).relative_to(alice)
        for repo, who in [(alice, "alice"), (bob, "bob")]:
            f = repo / rel
            f.write_text(f.read_text().replace("Status: draft", f"Status: {who} says go"))
        self.a_ok(alice, "sync")
        r = self.a(bob, "sync", user="bob")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, "")
        self.assertIn("async: error: sync stopped", r.err)
        self.assertIn(f"bob/{rel}", r.err)
        for command in ["git status", "git add", "git rebase --continue", "git rebase --abort"]:
            self.assertIn(command, r.err)
        # git is in the rebase state a git user knows, with both versions in the file.
        status = self.git(bob, "status").stdout
        self.assertIn("rebase", status)
        text = (bob / rel).read_text()
        self.assertIn("Status: bob says go", text)
        self.assertIn("Status: alice says go", text)
        self.assertIn("<<<<<<<", text)
        # A second sync while the rebase is under way is refused, and says how to go on.
        r = self.a(bob, "sync", user="bob")
        self.assertEqual(r.code, 1, r)
        self.assertIn("a rebase is under way", r.err)
        self.assertIn("git rebase --continue", r.err)

        # The printed steps: edit, git add, git rebase --continue, then async sync.
        merged = "\n".join(l for l in text.splitlines()
                           if not l.startswith(("<<<<<<<", "=======", ">>>>>>>")) and "says go" not in l)
        (bob / rel).write_text(merged + "\nStatus: both say go\n")
        self.git(bob, "add", str(rel))
        self.git(bob, "rebase", "--continue", env={"GIT_EDITOR": "true"})
        self.a_ok(bob, "sync", user="bob")
        self.a_ok(alice, "sync")
        self.assertIn("Status: both say go", (alice / rel).read_text())
        self.a_ok(alice, "index", "--check")
        self.assertIn("both say go", self.a_ok(alice, "show", doc_id).out)

    def test_conflict_abort_loses_nothing(self):
        alice, bob = self.make_team()
        _, path = self.new_doc(alice, "Shared plan", body="Status: draft")
        self.a_ok(alice, "sync")
        self.a_ok(bob, "sync", user="bob")
        rel = Path(path).relative_to("alice")
        for repo, who in [(alice, "alice"), (bob, "bob")]:
            f = repo / rel
            f.write_text(f.read_text().replace("Status: draft", f"Status: {who} says go"))
        self.a_ok(alice, "sync")
        self.assertEqual(self.a(bob, "sync", user="bob").code, 1)
        self.git(bob, "rebase", "--abort")
        self.assertIn("Status: bob says go", (bob / rel).read_text())
        self.assertEqual(self.subject(bob), "async: 1 document edited")
        self.assertEqual(self.git(bob, "status", "--porcelain").stdout, "")

    def test_nothing_to_commit_still_pulls_and_pushes(self):
        alice, bob = self.make_team()
        (alice / "notes.txt").write_text("not a workspace file\n")
        self.git(alice, "add", "notes.txt")
        self.git(alice, "commit", "-q", "-m", "notes by hand")
        r = self.a_ok(alice, "sync")
        self.assertIn("nothing to commit", r.err)
        self.assertIn("pushed to", r.err)
        self.assertEqual(self.subject(self.bare), "notes by hand")
        r = self.a_ok(alice, "sync")
        self.assertIn("is up to date", r.err)
        r = self.a_ok(bob, "sync", user="bob")
        self.assertTrue((bob / "notes.txt").is_file())

    def test_only_workspace_files_are_committed(self):
        alice, _ = self.make_team()
        (alice / "scratch.txt").write_text("mine, not the team's\n")
        (alice / "staged.txt").write_text("staged by hand\n")
        self.git(alice, "add", "staged.txt")
        (alice / ".async" / "templates" / "retro.md").write_text("## Went well\n")
        self.new_doc(alice, "Plan")
        self.a_ok(alice, "list")  # creates the index
        self.a_ok(alice, "sync")
        self.assertEqual(self.subject(alice), "async: 1 document, 1 template")
        files = self.git(alice, "show", "--name-only", "--format=", "HEAD").stdout.split()
        self.assertEqual(sorted(files), [".async/templates/retro.md", "docs/2026-11-26-plan/index.md"])
        tracked = self.git(alice, "ls-files").stdout.split()
        self.assertNotIn(".async/index.db", tracked)
        self.assertFalse(any(t.startswith(".async/local") for t in tracked), tracked)
        status = self.git(alice, "status", "--porcelain").stdout
        self.assertIn("A  staged.txt", status)  # still staged, not committed by sync
        self.assertIn("?? scratch.txt", status)

    def test_deleted_and_edited_files_are_counted(self):
        alice, _ = self.make_team()
        _, p1 = self.new_doc(alice, "One")
        _, p2 = self.new_doc(alice, "Two")
        self.a_ok(alice, "sync")
        shutil.rmtree(alice / Path(p1).relative_to("alice").parent)
        f = alice / Path(p2).relative_to("alice")
        f.write_text(f.read_text() + "\nMore.\n")
        self.a_ok(alice, "sync")
        self.assertEqual(self.subject(alice), "async: 1 document edited, 1 document removed")

    def test_hostile_file_names_make_a_safe_commit_message(self):
        alice, bob = self.make_team()
        name = "x $(touch pwned) `touch pwned2` \"q\" 'q' ; rm -rf ~ \n# not a comment\t-m"
        folder = alice / "docs" / name
        folder.mkdir()
        (folder / "index.md").write_text(DOC.format(id="hos7ile1", title="Hostile", body="Hi."))
        r = self.a_ok(alice, "sync")
        self.assertEqual(self.subject(alice), "async: 1 document")
        message = self.git(alice, "log", "-1", "--format=%B").stdout
        self.assertEqual(message.splitlines()[2],
                         "A docs/x $(touch pwned) `touch pwned2` \"q\" 'q' ; rm -rf ~ \\n# not a comment\\t-m/index.md")
        self.assertEqual(len(message.strip().splitlines()), 3, message)
        for where in [self.tmp, alice, self.home]:
            self.assertFalse((where / "pwned").exists())
            self.assertFalse((where / "pwned2").exists())
        self.a_ok(bob, "sync", user="bob")
        self.assertTrue((bob / "docs" / name / "index.md").is_file())
        self.assertIn("hos7ile1", self.ids(bob, "bob"))
        self.assertNotIn("\x1b", r.err)

    def test_push_retried_when_the_remote_moves_on(self):
        alice, bob = self.make_team()
        # Alice's pre-push hook lets bob push first, once: her first push is then refused.
        marker = self.tmp / "bob-pushed"
        hook = alice / ".git" / "hooks" / "pre-push"
        hook.write_text(f"""#!/bin/sh
[ -e '{marker}' ] && exit 0
touch '{marker}'
cd '{bob}' && git commit -q --allow-empty -m 'bob meanwhile' && git push -q origin HEAD >/dev/null 2>&1
exit 0
""")
        hook.chmod(0o755)
        self.new_doc(alice, "Plan")
        r = self.a_ok(alice, "sync")
        self.assertTrue(marker.exists())
        self.assertIn("pulled 1 commit", r.err)
        self.assertEqual(self.subject(self.bare), "async: 1 document")
        self.assertEqual(self.subject(self.bare, "HEAD~1"), "bob meanwhile")

    def test_workspace_in_a_subfolder_of_a_code_repository(self):
        subprocess.run(["git", "init", "-q", "--bare", str(self.bare)], check=True, env=self.git_env)
        repo = self.tmp / "code"
        self.git(self.tmp, "clone", "-q", str(self.bare), str(repo))
        self.identity(repo, "alice")
        (repo / "main.c").write_text("int main(void) { return 0; }\n")
        team = repo / "team"
        self.ok("init", str(team))
        self.new_doc(team, "Plan")
        r = self.a_ok(team, "sync")
        self.assertEqual(self.subject(repo), "async: 1 document, config, 1 file")
        files = self.git(repo, "show", "--name-only", "--format=", "HEAD").stdout.split()
        self.assertEqual(sorted(files), ["team/.async/config.toml", "team/.gitignore",
                                         "team/docs/2026-11-26-plan/index.md"])
        self.assertIn("?? main.c", self.git(repo, "status", "--porcelain").stdout)
        self.assertEqual(self.subject(self.bare), "async: 1 document, config, 1 file")

    def test_uncommitted_work_outside_the_workspace_is_kept_aside_and_back(self):
        alice, bob = self.make_team()
        (alice / "notes.txt").write_text("v1\n")
        self.git(alice, "add", "notes.txt")
        self.git(alice, "commit", "-q", "-m", "notes")
        self.a_ok(alice, "sync")
        (alice / "notes.txt").write_text("v2, not committed\n")
        self.new_doc(bob, "From bob", user="bob")
        self.a_ok(bob, "sync", user="bob")
        self.new_doc(alice, "From alice")
        self.a_ok(alice, "sync")
        self.assertEqual((alice / "notes.txt").read_text(), "v2, not committed\n")
        self.assertIn(" M notes.txt", self.git(alice, "status", "--porcelain").stdout)


class SyncErrors(GitCase):
    def test_no_remote(self):
        self.ok("init", "--git", str(self.ws))
        self.identity(self.ws, "alice")
        self.new_doc(self.ws, "Plan")
        r = self.a(self.ws, "sync")
        self.assertEqual(r.code, 4, r)
        self.assertIn("async: error: the repository has no remote to sync with", r.err)
        self.assertIn("hint: add the team's repository: 'git remote add origin URL'", r.err)
        # Nothing was committed.
        self.assertNotEqual(self.git(self.ws, "rev-parse", "-q", "--verify", "HEAD", check=False).returncode, 0)

    def test_not_a_git_repository(self):
        self.init_ws()
        r = self.a(self.ws, "sync")
        self.assertEqual(r.code, 4, r)
        self.assertIn("is not in a git repository", r.err)
        self.assertIn("async init --git", r.err)

    def test_no_git(self):
        self.init_ws()
        r = self.a(self.ws, "sync", env={"PATH": "/nonexistent"})
        self.assertEqual(r.code, 4, r)
        self.assertIn("async: error: cannot run 'git'", r.err)
        self.assertIn("hint: install git", r.err)
        r = self.a(self.ws, "hook", "install", env={"PATH": "/nonexistent"})
        self.assertEqual(r.code, 4, r)

    def test_unreachable_remote(self):
        alice, _ = self.make_team()
        self.git(alice, "remote", "set-url", "origin", str(self.tmp / "gone.git"))
        self.new_doc(alice, "Plan")
        r = self.a(alice, "sync")
        self.assertEqual(r.code, 4, r)
        self.assertIn("cannot reach the remote 'origin'", r.err)
        self.assertEqual(self.subject(alice), "async: 1 document")  # committed, kept

    def test_detached_head(self):
        alice, _ = self.make_team()
        self.git(alice, "checkout", "-q", "--detach")
        r = self.a(alice, "sync")
        self.assertEqual(r.code, 1, r)
        self.assertIn("HEAD is detached", r.err)

    def test_broken_file_is_refused_by_the_pre_commit_hook(self):
        alice, _ = self.make_team()
        bad = alice / "docs" / "bad"
        bad.mkdir()
        (bad / "index.md").write_text("+++\nno closing line\n")
        r = self.a(alice, "sync")
        self.assertEqual(r.code, 1, r)
        self.assertIn("docs/bad/index.md:1:1: error: front matter is not closed", r.err)
        self.assertIn("the commit was refused", r.err)
        self.assertEqual(self.subject(alice), "async: config, 1 file")
        self.assertIn("A  docs/bad/index.md", self.git(alice, "status", "--porcelain").stdout)

    def test_quiet(self):
        alice, _ = self.make_team()
        self.new_doc(alice, "Plan")
        r = self.a_ok(alice, "-q", "sync")
        self.assertEqual((r.out, r.err), ("", ""))
        self.assertEqual(self.subject(self.bare), "async: 1 document")

    def test_json(self):
        alice, _ = self.make_team()
        self.new_doc(alice, "Plan")
        r = self.a_ok(alice, "--json", "sync")
        data = json.loads(r.out)
        self.assertEqual(data["schema"], 1)
        self.assertEqual(data["commit"], "async: 1 document")
        self.assertEqual((data["files"], data["remote"], data["pushed"], data["pulled"]), (1, "origin", True, 0))


class Hooks(GitCase):
    def setUp(self):
        super().setUp()
        self.ok("init", str(self.ws))
        self.git(self.ws, "init", "-q")
        self.identity(self.ws, "alice")
        self.hooks = self.ws / ".git" / "hooks"

    def broken_commit(self, *extra, env=None):
        bad = self.ws / "docs" / "bad"
        bad.mkdir(parents=True, exist_ok=True)
        (bad / "index.md").write_text("+++\nno closing line\n")
        self.git(self.ws, "add", "-A")
        return self.git(self.ws, "commit", "-q", "-m", "broken", *extra, check=False, env=env)

    def test_pre_commit_blocks_a_broken_file_and_no_verify_skips_it(self):
        self.a_ok(self.ws, "hook", "install")
        r = self.broken_commit()
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("docs/bad/index.md:1:1: error: front matter is not closed", r.stdout + r.stderr)
        self.assertNotEqual(self.git(self.ws, "rev-parse", "-q", "--verify", "HEAD", check=False).returncode, 0)
        r = self.broken_commit("--no-verify")
        self.assertEqual(r.returncode, 0, r)

    def test_install_is_idempotent_and_uninstall_removes_only_ours(self):
        r = self.a_ok(self.ws, "hook", "install")
        self.assertIn("installed the hooks pre-commit, post-merge, post-checkout, post-rewrite in '", r.err)
        before = {n: (self.hooks / n).read_text() for n in ["pre-commit", "post-merge", "post-checkout", "post-rewrite"]}
        for name in before:
            self.assertTrue(os.access(self.hooks / name, os.X_OK), name)
            self.assertIn("# async-hook:", before[name])
        r = self.a_ok(self.ws, "hook", "install")
        self.assertIn("are up to date", r.err)
        self.assertEqual({n: (self.hooks / n).read_text() for n in before}, before)
        r = self.a_ok(self.ws, "hook", "uninstall")
        self.assertIn("removed the hooks pre-commit, post-merge, post-checkout, post-rewrite", r.err)
        self.assertFalse(any((self.hooks / n).exists() for n in before))
        self.assertTrue((self.hooks / "pre-commit.sample").exists())
        r = self.a_ok(self.ws, "hook", "uninstall")
        self.assertIn("no async hooks in", r.err)

    def test_a_foreign_hook_is_left_alone(self):
        foreign = "#!/bin/sh\necho foreign hook ran\n"
        (self.hooks / "pre-commit").write_text(foreign)
        (self.hooks / "pre-commit").chmod(0o755)
        r = self.a(self.ws, "hook", "install")
        self.assertEqual(r.code, 1, r)
        self.assertIn("async: warning: 'ws/.git/hooks/pre-commit' was not written by async: left alone", r.err)
        self.assertIn(f"hint: to chain async, add this line to it: '{Path(harness.BIN).resolve()}' -C '.' check --staged || exit 1", r.err)
        self.assertIn("1 hook was not installed", r.err)
        self.assertEqual((self.hooks / "pre-commit").read_text(), foreign)
        self.assertIn("# async-hook:", (self.hooks / "post-merge").read_text())
        # The foreign hook still runs and a broken file goes through: it is not ours.
        r = self.broken_commit()
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("foreign hook ran", r.stdout + r.stderr)
        r = self.a_ok(self.ws, "hook", "uninstall")
        self.assertIn("left pre-commit alone", r.err)
        self.assertEqual((self.hooks / "pre-commit").read_text(), foreign)
        self.assertFalse((self.hooks / "post-merge").exists())

    def test_the_printed_chain_line_works(self):
        (self.hooks / "pre-commit").write_text("#!/bin/sh\necho foreign hook ran\n")
        (self.hooks / "pre-commit").chmod(0o755)
        r = self.a(self.ws, "hook", "install")
        line = r.err.split("add this line to it: ", 1)[1].splitlines()[0]
        with open(self.hooks / "pre-commit", "a") as f:
            f.write(line + "\n")
        r = self.broken_commit()
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("docs/bad/index.md:1:1: error", r.stdout + r.stderr)

    def test_core_hooks_path_is_honoured(self):
        self.git(self.ws, "config", "core.hooksPath", "githooks")
        r = self.a_ok(self.ws, "hook", "install")
        self.assertIn("githooks'", r.err)
        self.assertTrue((self.ws / "githooks" / "pre-commit").is_file())
        self.assertFalse((self.hooks / "pre-commit").exists())
        r = self.broken_commit()
        self.assertEqual(r.returncode, 1, r)
        self.a_ok(self.ws, "hook", "uninstall")
        self.assertFalse((self.ws / "githooks" / "pre-commit").exists())

    def test_absolute_core_hooks_path(self):
        shared = self.tmp / "shared hooks"
        self.git(self.ws, "config", "core.hooksPath", str(shared))
        self.a_ok(self.ws, "hook", "install")
        self.assertTrue((shared / "post-rewrite").is_file())

    def test_missing_binary_never_breaks_git_and_path_is_the_fallback(self):
        binary = self.linked_binary(self.tmp / "gone")
        r = self.run_bin(binary, "-C", str(self.ws), "hook", "install")
        self.assertEqual(r.code, 0, r)
        self.assertIn(f"async_bin='{binary}'", (self.hooks / "pre-commit").read_text())
        binary.unlink()
        no_async = {"PATH": "/usr/bin:/bin"}
        r = self.broken_commit(env=no_async)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("async: warning: async is not installed here", r.stderr)
        r = self.git(self.ws, "checkout", "-q", "-b", "other", env=no_async)
        self.assertEqual(r.stdout + r.stderr, "")
        # On PATH again: the hook finds it there.
        on_path = self.linked_binary(self.tmp / "bin")
        env = {"PATH": f"{on_path.parent}:/usr/bin:/bin"}
        (self.ws / "docs" / "bad2").mkdir()
        (self.ws / "docs" / "bad2" / "index.md").write_text("+++\nbroken\n")
        self.git(self.ws, "add", "-A")
        r = self.git(self.ws, "commit", "-q", "-m", "x", check=False, env=env)
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("docs/bad2/index.md:1:1: error", r.stdout + r.stderr)

    def test_post_hooks_never_fail_git(self):
        self.a_ok(self.ws, "hook", "install")
        self.git(self.ws, "commit", "-q", "--allow-empty", "-m", "one")
        # A damaged index and a broken file: the hook still exits 0, silently.
        (self.ws / ".async" / "index.db").write_text("not a database")
        (self.ws / "docs" / "x.md").write_text("+++\nbroken\n")
        r = self.git(self.ws, "checkout", "-q", "-b", "two")
        self.assertEqual(r.stdout + r.stderr, "")
        r = subprocess.run(["sh", str(self.hooks / "post-merge"), "0"], cwd=self.ws, env=self.env,
                           capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))

    def test_not_a_git_repository(self):
        plain = self.tmp / "plain"
        self.ok("init", str(plain))
        r = self.a(plain, "hook", "install")
        self.assertEqual(r.code, 4, r)
        self.assertIn("is not in a git repository", r.err)

    def test_workspace_in_a_subfolder_of_the_repository(self):
        repo = self.tmp / "code"
        self.git(self.tmp, "init", "-q", str(repo))
        self.identity(repo, "alice")
        team = repo / "team docs"
        self.ok("init", str(team))
        self.a_ok(team, "hook", "install")
        self.assertIn("cd 'team docs/'", (repo / ".git" / "hooks" / "pre-commit").read_text())
        (team / "docs" / "x.md").write_text("+++\nbroken\n")
        self.git(repo, "add", "-A")
        r = self.git(repo, "commit", "-q", "-m", "x", check=False)
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("docs/x.md:1:1: error", r.stdout + r.stderr)


class HostilePaths(GitCase):
    def test_spaces_and_quotes_in_the_workspace_and_binary_paths(self):
        root = self.tmp / "it's a \"team\" $HOME `x`"
        root.mkdir()
        binary = self.linked_binary(self.tmp / "bin 'q' \"$(touch pwned)\"")
        subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(root / "team.git")], check=True, env=self.git_env)
        alice = root / "alice's ws"
        r = self.run_bin(binary, "init", "--git", str(alice))
        self.assertEqual(r.code, 0, r)
        self.identity(alice, "alice")
        self.git(alice, "remote", "add", "origin", str(root / "team.git"))
        self.assertEqual(self.run_bin(binary, "-C", str(alice), "sync").code, 0)
        bob = root / "bob \"b\""
        self.git(root, "clone", "-q", str(root / "team.git"), str(bob))
        self.identity(bob, "bob")
        r = self.run_bin(binary, "-C", str(bob), "hook", "install")
        self.assertEqual(r.code, 0, r)
        # The hooks run the binary at its quoted path (PATH has no async).
        no_async = {"PATH": "/usr/bin:/bin"}
        doc_id, _ = self.new_doc(alice, "Plan")
        self.assertEqual(self.run_bin(binary, "-C", str(alice), "sync").code, 0)
        self.git(bob, "pull", "-q", "--no-rebase", env=no_async)
        self.a_ok(bob, "index", "--check", user="bob")  # post-merge ran
        (bob / "docs" / "bad.md").write_text("+++\nbroken\n")
        self.git(bob, "add", "-A")
        r = self.git(bob, "commit", "-q", "-m", "x", check=False, env=no_async)
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("docs/bad.md:1:1: error", r.stdout + r.stderr)
        for where in [self.tmp, root, alice, bob]:
            self.assertFalse((where / "pwned").exists())
            self.assertFalse((where / "x").exists())


class InitGit(GitCase):
    def test_init_git_sets_up_repository_and_hooks(self):
        r = self.ok("init", "--git", str(self.ws))
        self.assertIn("initialized a git repository", r.err)
        for name in ["pre-commit", "post-merge", "post-checkout", "post-rewrite"]:
            self.assertIn("# async-hook:", (self.ws / ".git" / "hooks" / name).read_text())
        ignored = self.git(self.ws, "check-ignore", ".async/index.db", ".async/local/x").stdout.split()
        self.assertEqual(ignored, [".async/index.db", ".async/local/x"])
        r = self.ok("init", "--git", str(self.ws))  # idempotent
        self.assertNotIn("initialized a git repository", r.err)
        self.assertIn("are up to date", r.err)

    def test_init_git_in_an_existing_repository_keeps_it(self):
        self.git(self.tmp, "init", "-q", str(self.ws))
        self.identity(self.ws, "alice")
        self.git(self.ws, "commit", "-q", "--allow-empty", "-m", "existing")
        self.ok("init", "--git", str(self.ws))
        self.assertEqual(self.subject(self.ws), "existing")
        self.assertTrue((self.ws / ".git" / "hooks" / "pre-commit").is_file())

    def test_init_git_with_a_foreign_hook_warns_but_succeeds(self):
        self.git(self.tmp, "init", "-q", str(self.ws))
        hook = self.ws / ".git" / "hooks" / "pre-commit"
        hook.write_text("#!/bin/sh\nexit 0\n")
        r = self.ok("init", "--git", str(self.ws))
        self.assertIn("was not written by async: left alone", r.err)
        self.assertEqual(hook.read_text(), "#!/bin/sh\nexit 0\n")


class CheckInCI(GitCase):
    def test_check_on_a_fresh_clone_without_an_index(self):
        alice, _ = self.make_team()
        self.new_doc(alice, "Good")
        (alice / "docs" / "bad").mkdir()
        (alice / "docs" / "bad" / "index.md").write_text("+++\ntitle = \"x\"\n+++\nbody\n")
        self.git(alice, "add", "-A")
        self.git(alice, "commit", "-q", "--no-verify", "-m", "sneak a broken file in")
        self.git(alice, "push", "-q", "origin", "HEAD")
        ci = self.tmp / "ci"
        self.git(self.tmp, "clone", "-q", str(self.bare), str(ci))
        self.assertFalse((ci / ".async" / "index.db").exists())
        r = self.run_async("check", cwd=ci, env={"ASYNC_USER": None})
        self.assertEqual(r.code, 1, r)
        self.assertRegex(r.out, r"(?m)^docs/bad/index\.md:\d+:\d+: error: ")
        self.assertIn("check found", r.err)
        # Fixed: exit 0.
        (ci / "docs" / "bad" / "index.md").unlink()
        self.assertEqual(self.run_async("check", cwd=ci).code, 0)


if __name__ == "__main__":
    harness.main()
