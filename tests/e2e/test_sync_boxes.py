"""Issue 18 item 12: `actions done` ticks boxes in other people's documents, so `async sync`
merges a conflict made only of task boxes; `init --git` creates main unless git's config says."""
import json
import subprocess

import harness
from test_git import GitCase

PLAN = "Plan:\n\n- [ ] @alice book the room\n- [ ] @bob order the food\n- [ ] @carol send the invites\n"


class TaskBoxMerge(GitCase):
    def handles(self, repo, user):
        r = self.a_ok(repo, "--json", "actions", "--all", user=user)
        return {a["text"]: a["handle"] for a in json.loads(r.out)["actions"]}

    def test_neighbouring_ticks_by_two_people_sync_without_a_conflict(self):
        alice, bob = self.make_team()
        doc_id, path = self.new_doc(alice, "Party", body=PLAN)
        self.a_ok(alice, "sync")
        self.a_ok(bob, "sync", user="bob")
        handles = self.handles(bob, "bob")
        # Neighbouring lines ticked on both sides: git alone stops the rebase on them.
        self.a_ok(alice, "actions", "done", handles["book the room"])
        self.a_ok(bob, "actions", "done", handles["order the food"], user="bob")
        self.a_ok(alice, "sync")
        r = self.a(bob, "sync", user="bob")
        self.assertEqual(r.code, 0, r)
        self.assertIn("merged the task boxes", r.err)
        self.assertIn("pushed to 'origin/main'", r.err)
        self.assertNotIn("rebase", self.git(bob, "status").stdout)
        self.a_ok(alice, "sync")
        for repo in (alice, bob):
            text = next(repo.glob("docs/*/index.md")).read_text()
            self.assertNotIn("<<<<<<<", text)
            self.assertIn("- [x] @alice book the room\n- [x] @bob order the food\n- [ ] @carol send", text)
        # bob's commit kept its author and message.
        log = self.git(bob, "log", "--format=%an %s", "-2").stdout.splitlines()
        self.assertEqual(log[0].split(" ")[0], "Bob", log)
        self.a_ok(alice, "index", "--check")

    def test_an_untick_against_a_neighbouring_tick_keeps_both_changes(self):
        alice, bob = self.make_team()
        self.new_doc(alice, "Party", body=PLAN.replace("[ ] @alice", "[x] @alice"))
        self.a_ok(alice, "sync")
        self.a_ok(bob, "sync", user="bob")
        handles = self.handles(bob, "bob")
        f = next(alice.glob("docs/*/index.md"))
        f.write_text(f.read_text().replace("- [x] @alice", "- [ ] @alice"))
        self.a_ok(bob, "actions", "done", handles["order the food"], user="bob")
        self.a_ok(alice, "sync")
        r = self.a(bob, "sync", user="bob")
        self.assertEqual(r.code, 0, r)
        text = next(bob.glob("docs/*/index.md")).read_text()
        self.assertIn("- [ ] @alice book the room\n- [x] @bob order the food\n", text)

    def test_a_conflict_in_the_text_beside_a_box_still_stops(self):
        alice, bob = self.make_team()
        self.new_doc(alice, "Party", body=PLAN)
        self.a_ok(alice, "sync")
        self.a_ok(bob, "sync", user="bob")
        for repo, new in [(alice, "- [x] @alice book the big room"), (bob, "- [ ] @alice book the small room")]:
            f = next(repo.glob("docs/*/index.md"))
            f.write_text(f.read_text().replace("- [ ] @alice book the room", new))
        self.a_ok(alice, "sync")
        r = self.a(bob, "sync", user="bob")
        self.assertEqual(r.code, 1, r)
        self.assertIn("sync stopped", r.err)
        text = next(bob.glob("docs/*/index.md")).read_text()
        self.assertIn("<<<<<<<", text)
        self.assertNotIn("|||||||", text)  # the markers of the person's own conflict style


class InitBranch(GitCase):
    def branch(self, repo):
        return self.git(repo, "symbolic-ref", "--short", "HEAD").stdout.strip()

    def test_init_git_creates_main(self):
        self.ok("init", "--git", str(self.ws))
        self.assertEqual(self.branch(self.ws), "main")

    def test_init_git_respects_init_default_branch(self):
        (self.home / ".gitconfig").write_text("[init]\n\tdefaultBranch = trunk\n")
        self.ok("init", "--git", str(self.ws))
        self.assertEqual(self.branch(self.ws), "trunk")


if __name__ == "__main__":
    harness.main()
