"""A team at scale on git: many clones of one bare repository write and run `async sync` at the
same time, round after round. Every clone must converge to the same commit and files, nothing a
command reported as written may be lost, and rejected pushes must be retried.

ASYNC_TEAM_CLONES and ASYNC_TEAM_ROUNDS change the size: 8 clones for 3 rounds in the test
suite, which must stay short on two cores; bench/run_sync_team.sh runs 20 for 10.
ASYNC_TEAM_FIGURES=FILE appends the figures (syncs, retries, conflicts, time) to FILE as a
Markdown table row, for bench/run_sync_team.sh.
"""
import collections
import concurrent.futures
import json
import os
import sys
import time
import unittest
from pathlib import Path

from test_git import GitCase

CLONES = int(os.environ.get("ASYNC_TEAM_CLONES", "8"))
ROUNDS = int(os.environ.get("ASYNC_TEAM_ROUNDS", "3"))


class TeamAtScale(GitCase):
    def person(self, i):
        return f"p{i:02d}"

    def write(self, repo, user, round_no):
        """One write of this round: a new document, a reply to the shared plan, or an edit of
        my check-in. Returns the path it wrote (relative to the workspace) or None."""
        kind = (round_no + int(user[1:])) % 3
        if kind == 0:
            r = self.a(repo, "doc", "new", f"Round {round_no} by {user}", "--no-edit", "-m",
                       f"Notes of {user} in round {round_no}.", user=user)
        elif kind == 1:
            r = self.a(repo, "doc", "reply", self.plan_id, "-m", f"{user} agrees (round {round_no}).", user=user)
        else:
            r = self.a(repo, "checkin", "-m", f"Round {round_no}: shipped part {round_no} of {user}'s work.",
                       user=user)
        if r.code != 0:
            return r, None
        shown = Path(r.out.split()[1])  # relative to the directory async was started in
        return r, str((shown if shown.is_absolute() else self.tmp / shown).relative_to(repo))

    def a(self, repo, *args, user="alice", env=None):
        # Twenty clones at once on two cores: one command may wait long for the CPU.
        return self.run_async("-C", str(repo), *args, env=dict({"ASYNC_USER": user}, **(env or {})), timeout=600)

    def sync(self, repo, user):
        r = self.a(repo, "--json", "sync", user=user)
        result = json.loads(r.out) if r.code == 0 and r.out.strip() else None
        return r, result

    def test_clones_converge_and_nothing_is_lost(self):
        started = time.monotonic()
        alice, _bob = self.make_team()
        self.plan_id, _ = self.new_doc(alice, "The plan")
        self.a_ok(alice, "sync")
        clones = {}
        for i in range(CLONES):
            user = self.person(i)
            repo = self.tmp / user
            self.git(self.tmp, "clone", "-q", str(self.bare), str(repo))
            self.identity(repo, user)
            self.a_ok(repo, "hook", "install", user=user)
            clones[user] = repo

        written = []  # (user, content of the file right after the command wrote it)
        exit_codes = collections.Counter()
        attempts = collections.Counter()
        conflicts = 0
        pushed = 0

        def one_turn(user, round_no):
            repo = clones[user]
            w, rel = self.write(repo, user, round_no)
            content = (repo / rel).read_text() if rel else None
            s, result = self.sync(repo, user)
            return user, w, rel, content, s, result

        workers = concurrent.futures.ThreadPoolExecutor(max_workers=CLONES)
        for round_no in range(ROUNDS):
            turns = [workers.submit(one_turn, user, round_no) for user in clones]
            for turn in concurrent.futures.as_completed(turns):
                user, w, rel, content, s, result = turn.result()
                self.assertEqual(w.code, 0, f"{user}: {w}")
                written.append((user, rel, content))
                exit_codes[s.code] += 1
                if s.code == 0:
                    attempts[result["push_attempts"]] += 1
                    pushed += result["pushed"]
                else:
                    # A push that lost every race is exit 4 with the commit kept; a conflict
                    # would be exit 1 and is counted (single writers should never have one).
                    self.assertIn(s.code, (1, 4), f"{user}: {s}")
                    conflicts += "conflict" in s.err
                    if s.code == 4:
                        self.assertNotIn("rebase in progress", self.git(clones[user], "status").stdout)
        workers.shutdown()
        concurrent_seconds = time.monotonic() - started

        # Settle: everyone syncs in turn, twice, so every commit reaches every clone.
        for _ in range(2):
            for user, repo in clones.items():
                s, _ = self.sync(repo, user)
                self.assertEqual(s.code, 0, f"{user}: {s}")

        heads = {user: self.git(repo, "rev-parse", "HEAD").stdout.strip() for user, repo in clones.items()}
        self.assertEqual(len(set(heads.values())), 1, heads)
        bare_head = self.git(self.bare, "rev-parse", "HEAD").stdout.strip()
        self.assertEqual(set(heads.values()), {bare_head})
        for user, repo in clones.items():
            self.assertEqual(self.git(repo, "status", "--porcelain").stdout, "", user)
        # Every write that exited 0 is in every clone: new files as written, my check-in as I
        # last wrote it.
        last = {}
        for user, rel, content in written:
            last[(user, rel)] = content
        for (user, rel), content in last.items():
            for other, repo in clones.items():
                self.assertEqual((repo / rel).read_text(), content, f"{rel} by {user}, in {other}'s clone")
        # The index of every clone agrees with its files, and they all list the same documents.
        listings = set()
        for user, repo in clones.items():
            check = self.a(repo, "index", "--check", user=user)
            self.assertEqual(check.code, 0, f"{user}: {check}")
            listings.add(tuple(sorted(self.ids(repo, user=user))))
        self.assertEqual(len(listings), 1)

        syncs = CLONES * ROUNDS
        retried = sum(n for k, n in attempts.items() if k > 1)
        figures = (f"| {CLONES} | {ROUNDS} | {syncs} | {exit_codes[0]} | {exit_codes[4]} | {conflicts} | "
                   f"{retried} | {max(attempts) if attempts else 0} | {concurrent_seconds:.1f} s |")
        print(f"\nclones rounds syncs ok exit4 conflicts retried max-attempts time\n{figures}",
              file=sys.stderr)
        if os.environ.get("ASYNC_TEAM_FIGURES"):
            with open(os.environ["ASYNC_TEAM_FIGURES"], "a", encoding="utf-8") as f:
                f.write(figures + "\n")
        self.assertEqual(conflicts, 0)
        self.assertEqual(len(last), len({rel for _, rel, _ in written}))


if __name__ == "__main__":
    unittest.main()
