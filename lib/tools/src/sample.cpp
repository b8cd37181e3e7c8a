#include <async/sample.hpp>

#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/document.hpp>
#include <async/error.hpp>
#include <async/layout.hpp>
#include <async/workspace.hpp>

#include <algorithm>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace async {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

struct SampleFile {
    fs::path rel;
    std::string text;
};

// Times of the sample, relative to the UTC day of now.
class Dates {
public:
    explicit Dates(TimePoint now) : m_now(now), m_day(std::chrono::floor<days>(now)) {}

    // day + d days at hh:mm UTC.
    TimePoint at(int d, int hh, int mm) const { return m_day + days{d} + hours{hh} + minutes{mm}; }
    // "YYYY-MM-DD" of day + d.
    std::string date(int d) const { return format_utc(at(d, 0, 0)).substr(0, 10); }
    // A moment before now but inside this ISO week: now - ago, or the week's start if later.
    TimePoint this_week(minutes ago) const {
        return std::max(m_now - ago, iso_week_start(iso_week_of(m_now)));
    }
    TimePoint now() const { return m_now; }

private:
    TimePoint m_now;
    TimePoint m_day;
};

struct Head {
    std::string id;
    std::string type;
    std::string title;
    std::string author;
    TimePoint created;
};

Document make(const Head& h, std::string body) {
    Document d = Document::from_parts("", std::move(body));
    d.set_string("id", h.id);
    d.set_string("type", h.type);
    if (!h.title.empty()) {
        d.set_string("title", h.title);
    }
    d.set_string("author", h.author);
    d.set_time("created", h.created);
    return d;
}

void add(std::vector<SampleFile>& files, fs::path rel, const Document& doc) {
    files.push_back(SampleFile{std::move(rel), doc.render()});
}

void add_pricing(std::vector<SampleFile>& files, const Dates& t) {
    fs::path dir = fs::path{k_docs} / (t.date(-3) + "-pricing-page-redesign");
    Document doc = make({k_sample_doc_id, "doc", "Pricing page redesign", "alice", t.at(-3, 10, 15)},
                        "Feedback wanted from @bob @carol by " + t.date(1) + ".\n"
                        "\n"
                        "## What is the problem?\n"
                        "\n"
                        "Visitors spend minutes comparing our four plans and then leave: the pricing page\n"
                        "converts at half the rate of the home page.\n"
                        "\n"
                        "## What do I need?\n"
                        "\n"
                        "A yes or no on cutting the plans from four to three, and copy for the new page.\n"
                        "\n"
                        "## What does success look like?\n"
                        "\n"
                        "The pricing page converts as well as the home page within a month of launch.\n"
                        "\n"
                        "## Concerns\n"
                        "\n"
                        "Customers on the fourth plan must keep their price.\n"
                        "\n"
                        "## First step\n"
                        "\n"
                        "- [x] @alice collect the conversion numbers\n"
                        "- [ ] @alice pick the screenshots due:" + t.date(-1) + "\n"
                        "- [ ] @bob draft the copy for the three tiers due:" + t.date(4) + "\n");
    doc.set_string("status", "open");
    doc.set_strings("reviewers", {"bob", "carol"});
    doc.set_time("due", t.at(1, 17, 0));
    doc.set_strings("tags", {"pricing", "web"});
    add(files, dir / k_bundle_file, doc);

    TimePoint when = t.at(-2, 9, 30);
    Document reply = make({"m2b8r4tq", "reply", "", "bob", when},
                          "## My answer\n"
                          "\n"
                          "Yes: three tiers, not four. Keep the old plan for the customers who have it.\n"
                          "\n"
                          "## Suggestions\n"
                          "\n"
                          "Lead with the yearly price; @carol has the numbers from the beta.\n");
    reply.set_string("reply_to", k_sample_doc_id);
    add(files, replies_dir(dir / k_bundle_file) / (format_utc_stamp(when) + "-bob.md"), reply);
}

void add_on_call(std::vector<SampleFile>& files, const Dates& t) {
    fs::path dir = fs::path{k_docs} / (t.date(-6) + "-on-call-rotation");
    Document doc = make({"r8d2w5kc", "doc", "On-call rotation", "bob", t.at(-6, 14, 0)},
                        "Feedback wanted from @alice @carol by " + t.date(-1) + ".\n"
                        "\n"
                        "## What is the problem?\n"
                        "\n"
                        "Two people answer every page at night; both are tired.\n"
                        "\n"
                        "## What do I need?\n"
                        "\n"
                        "Agreement on a weekly rotation across the three of us, starting next month.\n"
                        "\n"
                        "## What does success look like?\n"
                        "\n"
                        "Nobody is on call two weeks in a row.\n"
                        "\n"
                        "## Concerns\n"
                        "\n"
                        "Handing over mid-incident.\n"
                        "\n"
                        "## First step\n"
                        "\n"
                        "- [ ] @carol set up the pager schedule due:" + t.date(7) + "\n");
    doc.set_string("status", "open");
    doc.set_strings("reviewers", {"alice", "carol"});
    doc.set_time("due", t.at(-1, 17, 0));
    doc.set_strings("tags", {"ops"});
    add(files, dir / k_bundle_file, doc);

    TimePoint when = t.at(-2, 16, 45);
    Document reply = make({"c6h1n3vw", "reply", "", "carol", when},
                          "## My answer\n"
                          "\n"
                          "Yes, if the hand-over happens on Monday mornings, not Fridays.\n");
    reply.set_string("reply_to", "r8d2w5kc");
    add(files, replies_dir(dir / k_bundle_file) / (format_utc_stamp(when) + "-carol.md"), reply);
}

void add_decision(std::vector<SampleFile>& files, const Dates& t) {
    fs::path dir = fs::path{k_docs} / (t.date(-12) + "-upgrade-to-postgresql-16");
    Document doc = make({"p4g1x6db", "decision", "Upgrade to PostgreSQL 16", "carol", t.at(-12, 11, 0)},
                        "Input wanted from @alice @bob by " + t.date(-9) + ".\n"
                        "\n"
                        "## Context\n"
                        "\n"
                        "PostgreSQL 12 leaves support next year, and the reporting queries need 16's\n"
                        "faster sorts.\n"
                        "\n"
                        "## Options\n"
                        "\n"
                        "1. **Upgrade in the January maintenance window**: two hours of downtime.\n"
                        "2. **Logical replication to a new cluster**: no downtime, two weeks of work.\n"
                        "\n"
                        "## Consequences\n"
                        "\n"
                        "- [x] @carol test the upgrade on staging\n"
                        "\n"
                        "## Outcome\n"
                        "\n"
                        "Decision: upgrade to PostgreSQL 16 in the January maintenance window\n");
    doc.set_string("status", "closed");
    doc.set_strings("reviewers", {"alice", "bob"});
    doc.set_time("due", t.at(-9, 17, 0));
    doc.set_strings("tags", {"database"});
    doc.set_time("closed", t.at(-8, 15, 0));
    add(files, dir / k_bundle_file, doc);

    TimePoint when = t.at(-10, 13, 20);
    Document reply = make({"a9k2e7fj", "reply", "", "alice", when},
                          "## My answer\n"
                          "\n"
                          "Option 1: two hours on a January night is fine for our customers.\n");
    reply.set_string("reply_to", "p4g1x6db");
    add(files, replies_dir(dir / k_bundle_file) / (format_utc_stamp(when) + "-alice.md"), reply);
    when = t.at(-9, 10, 5);
    reply = make({"w3b5z8nd", "reply", "", "bob", when},
                 "## My answer\n"
                 "\n"
                 "Option 1, and let's rehearse the rollback on staging first.\n");
    reply.set_string("reply_to", "p4g1x6db");
    add(files, replies_dir(dir / k_bundle_file) / (format_utc_stamp(when) + "-bob.md"), reply);
}

void add_post_and_sop(std::vector<SampleFile>& files, const Dates& t) {
    Document post = make({"b7t3l9rn", "post", "What we learned from the beta", "carol", t.at(-5, 8, 30)},
                         "## In short\n"
                         "\n"
                         "Beta users did not miss the features we were sure they wanted; they missed\n"
                         "an export button.\n"
                         "\n"
                         "## The story\n"
                         "\n"
                         "We interviewed twelve teams over three weeks. Thanks to @alice for running half\n"
                         "the interviews. The notes are linked from #k3f9q2ma.\n");
    post.set_string("status", "open");
    post.set_strings("tags", {"beta", "research"});
    add(files, fs::path{k_docs} / (t.date(-5) + "-what-we-learned-from-the-beta") / k_bundle_file, post);

    Document sop = make({"d3p1oy5s", "sop", "How we deploy", "bob", t.at(-20, 10, 0)},
                        "Everyone who merges to main can deploy. It takes ten minutes.\n"
                        "\n"
                        "## Steps\n"
                        "\n"
                        "1. Check that the main branch is green.\n"
                        "2. Run `make deploy` and watch the dashboard for five minutes.\n"
                        "3. Post the version in the team channel.\n"
                        "\n"
                        "## To do\n"
                        "\n"
                        "- [ ] @bob record a walkthrough of a deploy due:" + t.date(-3) + "\n");
    sop.set_string("status", "open");
    sop.set_strings("tags", {"ops"});
    add(files, fs::path{k_docs} / (t.date(-20) + "-how-we-deploy") / k_bundle_file, sop);
}

Document response(const std::string& id, const std::string& who, TimePoint when,
                  const std::string& meeting_id, std::string body) {
    Document r = make({id, "response", "", who, when}, std::move(body));
    r.set_string("response_to", meeting_id);
    return r;
}

void add_open_meeting(std::vector<SampleFile>& files, const Dates& t) {
    fs::path dir = fs::path{k_meetings} / (t.date(-1) + "-launch-sync");
    Document agenda = make({k_sample_meeting_id, "meeting", "Launch sync", "alice", t.at(-1, 9, 0)},
                           "**Goal:** agree the launch date and who does what in launch week.\n"
                           "\n"
                           "**Responses due by " + t.date(1) + "** from @alice @bob @carol.\n"
                           "\n"
                           "## Launch date\n"
                           "\n"
                           "Tuesday next week, or the week after?\n"
                           "\n"
                           "## Open risks\n"
                           "\n"
                           "What could still stop us?\n");
    agenda.set_string("status", "open");
    agenda.set_strings("participants", {"alice", "bob", "carol"});
    agenda.set_time("due", t.at(1, 17, 0));
    add(files, dir / k_bundle_file, agenda);
    add(files, responses_dir(dir / k_bundle_file) / "bob.md",
        response("e5r7b2kp", "bob", t.at(-1, 16, 20), k_sample_meeting_id,
                 "## Launch date\n"
                 "\n"
                 "The week after: the new copy needs a week of review.\n"
                 "\n"
                 "## Open risks\n"
                 "\n"
                 "The billing migration. We should freeze billing changes in launch week.\n"
                 "\n"
                 "- [ ] @bob write the launch-day checklist due:" + t.date(5) + "\n"));
}

void add_closed_meeting(std::vector<SampleFile>& files, const Dates& t) {
    const std::string id = "q4p1an9s";
    fs::path dir = fs::path{k_meetings} / (t.date(-9) + "-q4-planning");
    Document agenda = make({id, "meeting", "Q4 planning", "carol", t.at(-9, 9, 0)},
                           "**Goal:** the two things we must finish this quarter, and whom we hire.\n"
                           "\n"
                           "**Responses due by " + t.date(-7) + "** from @alice @bob @carol.\n"
                           "\n"
                           "## Goals\n"
                           "\n"
                           "Which two things must ship before the end of the quarter?\n"
                           "\n"
                           "## Hiring\n"
                           "\n"
                           "Backend or frontend first?\n");
    agenda.set_string("status", "closed");
    agenda.set_strings("participants", {"alice", "bob", "carol"});
    agenda.set_time("due", t.at(-7, 17, 0));
    agenda.set_time("closed", t.at(-6, 17, 30));
    add(files, dir / k_bundle_file, agenda);
    add(files, responses_dir(dir / k_bundle_file) / "alice.md",
        response("h2q9t4mc", "alice", t.at(-8, 11, 0), id,
                 "## Goals\n\nThe pricing page, and the export button from the beta.\n\n"
                 "## Hiring\n\nBackend: the on-call load is there.\n"));
    add(files, responses_dir(dir / k_bundle_file) / "bob.md",
        response("j7v3x1ge", "bob", t.at(-8, 15, 40), id,
                 "## Goals\n\nThe pricing page and the database upgrade.\n\n"
                 "## Hiring\n\nBackend.\n"));
    add(files, responses_dir(dir / k_bundle_file) / "carol.md",
        response("n4w6y8sa", "carol", t.at(-7, 9, 10), id,
                 "## Goals\n\nThe pricing page and the export button.\n\n"
                 "## Hiring\n\nBackend, and I will write the job description.\n"));

    Document summary = make({"s5mq4x2c", "summary", "Summary: Q4 planning", "carol", t.at(-6, 17, 30)},
                            "Summary of the async meeting #" + id + ".\n"
                            "\n"
                            "**Responded:** alice, bob, carol\n"
                            "\n"
                            "## Goals\n"
                            "\n"
                            "**alice**:\n\n> The pricing page, and the export button from the beta.\n"
                            "\n"
                            "**bob**:\n\n> The pricing page and the database upgrade.\n"
                            "\n"
                            "**carol**:\n\n> The pricing page and the export button.\n"
                            "\n"
                            "## Hiring\n"
                            "\n"
                            "**alice**:\n\n> Backend: the on-call load is there.\n"
                            "\n"
                            "**bob**:\n\n> Backend.\n"
                            "\n"
                            "**carol**:\n\n> Backend, and I will write the job description.\n"
                            "\n"
                            "## Decisions\n"
                            "\n"
                            "- The pricing page and the export button ship this quarter.\n"
                            "- We hire a backend engineer first.\n"
                            "\n"
                            "## Actions\n"
                            "\n"
                            "- [x] @carol write the backend job description\n"
                            "- [ ] @bob write the Q1 roadmap due:" + t.date(-2) + "\n");
    summary.set_string("summary_of", id);
    add(files, summary_file(dir / k_bundle_file), summary);
}

void add_checkins(std::vector<SampleFile>& files, const Dates& t) {
    struct Entry {
        std::string who;
        std::string id;
        std::string done;
        std::string next;
        std::string blocked;
    };
    IsoWeek this_week = iso_week_of(t.now());
    IsoWeek last_week = iso_week_of(t.now() - days{7});
    auto write = [&](IsoWeek week, TimePoint created, const Entry& e) {
        std::string label = format_iso_week(week);
        Document d = make({e.id, "checkin", "Check-in " + label, e.who, created},
                          "## What have you been working on?\n\n" + e.done +
                              "\n## What is next?\n\n" + e.next +
                              "\n## Anything in your way?\n\n" + e.blocked);
        d.set_string("week", label);
        add(files, checkin_file({}, label, e.who), d);
    };
    TimePoint friday = iso_week_start(last_week) + days{4};
    write(last_week, friday + hours{15}, {"alice", "u1c8k5pa", "- Collected the conversion numbers for the pricing page.\n",
                                          "- Write up the pricing page redesign.\n", "Nothing.\n"});
    write(last_week, friday + hours{16}, {"bob", "f6d2s9lb", "- Tested the deploy script on the new servers.\n",
                                          "- Draft the copy for the pricing page.\n", "Waiting for the staging database.\n"});
    write(last_week, friday + hours{16} + minutes{30},
          {"carol", "g8n4t1zc", "- Tested the PostgreSQL 16 upgrade on staging.\n",
           "- Write up what we learned from the beta.\n", "Nothing.\n"});
    write(this_week, t.this_week(hours{2}),
          {"alice", "x3m7q2ha", "- Wrote the pricing page redesign (#" + std::string{k_sample_doc_id} + ").\n"
                                "- Opened the launch sync.\n",
           "- Pick the screenshots.\n", "Nothing.\n"});
    write(this_week, t.this_week(hours{1}),
          {"bob", "v9p5w3rb", "- Replied on the pricing page.\n- Responded to the launch sync.\n",
           "- The Q1 roadmap.\n", "The roadmap needs the launch date.\n"});
}

bool has_files(const fs::path& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) {
        return false;
    }
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_directory(ec)) {
            return true;
        }
    }
    return static_cast<bool>(ec);
}

} // namespace

bool can_take_sample(const fs::path& dir) {
    std::error_code ec;
    Workspace ws{dir};
    if (!fs::is_directory(ws.async_dir(), ec)) {
        return true;
    }
    for (auto section : k_sections) {
        if (has_files(dir / section)) {
            return false;
        }
    }
    fs::path config = ws.config_file();
    if (!fs::exists(config, ec)) {
        return true;
    }
    try {
        return is_config_skeleton(read_file(config));
    } catch (const Error&) {
        return false;
    }
}

std::vector<fs::path> write_sample(const Workspace& ws, TimePoint now) {
    Dates t{now};
    std::vector<SampleFile> files;
    add_pricing(files, t);
    add_on_call(files, t);
    add_decision(files, t);
    add_post_and_sop(files, t);
    add_open_meeting(files, t);
    add_closed_meeting(files, t);
    add_checkins(files, t);

    std::error_code ec;
    for (const auto& f : files) {
        if (fs::exists(ws.root() / f.rel, ec)) {
            throw Error{ErrorKind::usage, "'" + f.rel.string() + "' already exists: not writing the sample over it"};
        }
    }
    const std::pair<const char*, const char*> settings[] = {
        {"team.name", "Acme"},
        {"people.alice.name", "Alice Martin"},
        {"people.alice.email", "alice@example.com"},
        {"people.bob.name", "Bob Chen"},
        {"people.bob.email", "bob@example.com"},
        {"people.carol.name", "Carol Diaz"},
        {"people.carol.email", "carol@example.com"},
    };
    for (const auto& [key, value] : settings) {
        config_file_set(ws.config_file(), key, value);
    }
    std::vector<fs::path> written;
    for (const auto& f : files) {
        if (!create_file_exclusive(ws.root() / f.rel, f.text)) {
            throw Error{ErrorKind::usage, "'" + f.rel.string() + "' already exists: not writing the sample over it"};
        }
        written.push_back(f.rel);
    }
    return written;
}

} // namespace async
