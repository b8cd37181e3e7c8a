"""Field terms in the search language (issue 21 item 5): tag:, type:, author:, status: narrow a
full-text search or, alone, list what they match; negated with '-'; hostile values are data."""
import json
import unittest

import harness


def doc_text(doc_id, title, body, doc_type="doc", author="alice", status="open", tags="[]"):
    return (f'+++\nid = "{doc_id}"\ntype = "{doc_type}"\ntitle = "{title}"\nauthor = "{author}"\n'
            f'created = 2026-11-2{doc_id[-1]}T10:00:00Z\nstatus = "{status}"\ntags = {tags}\n+++\n{body}')


class Fields(harness.AsyncTestCase):
    def setUp(self):
        super().setUp()
        self.init_ws()
        for path, text in {
            "docs/a/index.md": doc_text("aaaa0001", "Pricing page", "Pricing tiers for the web.\n", tags='["web"]'),
            "docs/b/index.md": doc_text("aaaa0002", "Pricing app", "Pricing in the app store.\n", author="bob",
                                        tags='["app", "draft"]', status="draft"),
            "docs/c/index.md": doc_text("aaaa0003", "Use Postgres", "Pricing of hosting decided.\n",
                                        doc_type="decision", status="closed", tags='["web"]'),
        }.items():
            file = self.ws / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text)

    def found(self, query, *extra):
        r = self.a("--json", "search", *extra, "--", query)
        if r.code == 1:
            self.assertEqual(r.out.strip() and json.loads(r.out)["results"], [], r)
            return []
        self.assertEqual(r.code, 0, r)
        return [h["id"] for h in json.loads(r.out)["results"]]

    def test_fields_narrow_a_search(self):
        self.assertEqual(set(self.found("pricing")), {"aaaa0001", "aaaa0002", "aaaa0003"})
        self.assertEqual(set(self.found("pricing tag:web")), {"aaaa0001", "aaaa0003"})
        self.assertEqual(self.found("pricing tag:web type:decision"), ["aaaa0003"])
        self.assertEqual(self.found("pricing author:BOB"), ["aaaa0002"])
        self.assertEqual(self.found("pricing status:draft"), ["aaaa0002"])
        self.assertEqual(set(self.found("pricing -tag:draft")), {"aaaa0001", "aaaa0003"})
        self.assertEqual(self.found("pricing tag:web tag:app"), [])
        # The same as the flags, and together with them.
        self.assertEqual(self.found("pricing", "--type", "decision"), self.found("pricing type:decision"))
        self.assertEqual(self.found("pricing tag:web", "--author", "alice", "--type", "doc"), ["aaaa0001"])

    def test_fields_alone_list_newest_first(self):
        self.assertEqual(self.found("tag:web"), ["aaaa0003", "aaaa0001"])
        self.assertEqual(self.found("-tag:web type:doc"), ["aaaa0002"])
        r = self.a("search", "tag:web")
        self.assertEqual(r.code, 0, r)
        self.assertEqual([line.split()[0] for line in r.out.splitlines()], ["aaaa0003", "aaaa0001"])
        self.assertEqual(self.a("search", "tag:nothing").code, 1)

    def test_bad_and_hostile_field_terms(self):
        for query, message in [("tag:", "'tag:' needs a value"),
                               ("tag:web OR tag:app", "OR joins words, not field terms")]:
            r = self.a("search", "--", query)
            self.assertEqual(r.code, 2, (query, r))
            self.assertIn(message, r.err)
        # Values are data: quotes, SQL and FTS syntax find nothing and break nothing.
        for value in ["x';DROP", "web'--", "*", "NEAR(a", "%", "\x1b[2J", "w" * 4000]:
            r = self.a("search", "--", f"tag:{value}")
            self.assertEqual(r.code, 1, (value, r))
            self.assertNotIn("\x1b", r.err)
        self.assertEqual(set(self.found("pricing")), {"aaaa0001", "aaaa0002", "aaaa0003"})


if __name__ == "__main__":
    unittest.main()
