#include <async/agenda.hpp>
#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/layout.hpp>
#include <async/inbox.hpp>
#include <async/process.hpp>
#include <async/query.hpp>
#include <async/remind.hpp>
#include <async/leave.hpp>
#include <async/sync.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>
#include <async/zones.hpp>

#include <async/toml.hpp>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <random>
#include <set>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace async {
namespace {

constexpr int k_log_days = 14;             // how long sent reminders are remembered
constexpr std::size_t k_title_width = 200; // columns of a title in a message body

struct SentEntry {
    std::string person;
    std::string item;
    std::string date;
};

fs::path log_file(const Workspace& ws) {
    return ws.local_dir() / "reminded.toml";
}

std::vector<SentEntry> load_sent_file(const Workspace& ws, const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return {};
    }
    std::string shown = ws.display(file);
    toml::table table;
    try {
        table = parse_toml(read_file(file), shown);
    } catch (const toml::parse_error& e) {
        throw Error{ErrorKind::data,
                    "invalid TOML in '" + shown + "': " + std::to_string(e.source().begin.line) +
                        ":" + std::to_string(e.source().begin.column) + ": " +
                        std::string{e.description()},
                    "remove the file; it only records which reminders were sent"};
    }
    std::vector<SentEntry> out;
    if (auto* list = table["sent"].as_array()) {
        for (const auto& node : *list) {
            if (const auto* t = node.as_table()) {
                SentEntry e{(*t)["person"].value_or(std::string{}),
                            (*t)["item"].value_or(std::string{}),
                            (*t)["date"].value_or(std::string{})};
                if (!e.person.empty() && !e.item.empty() && !e.date.empty()) {
                    out.push_back(std::move(e));
                }
            }
        }
    }
    return out;
}

std::vector<SentEntry> load_sent(const Workspace& ws) {
    return load_sent_file(ws, log_file(ws));
}

std::string render_sent(const std::vector<SentEntry>& entries, std::string_view header) {
    std::string out = "# Reminders sent by async remind --mail (person, item, local date), kept " +
                      std::to_string(k_log_days) + " days.\n" + std::string{header};
    for (const auto& e : entries) {
        out += "\n[[sent]]\nperson = " + toml_quote(e.person) + "\nitem = " + toml_quote(e.item) +
               "\ndate = " + toml_quote(e.date) + "\n";
    }
    return out;
}

void save_sent(const Workspace& ws, const std::vector<SentEntry>& entries) {
    write_file_atomic(log_file(ws), render_sent(entries, "# Per machine; never committed.\n"));
}

// "person\nitem\ndate": what was reminded, on whose local day.
std::string sent_key(std::string_view person, std::string_view item, std::string_view date) {
    return std::string{person} + "\n" + std::string{item} + "\n" + std::string{date};
}

// Every teammate's committed record (people/<handle>/reminded.toml), as sent_keys: each entry's
// date is the local day of the person reminded.
std::set<std::string> shared_sent(const Workspace& ws) {
    std::set<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it{ws.root() / k_people, ec}, end; !ec && it != end; it.increment(ec)) {
        fs::path file = reminded_file(ws.root(), it->path().filename().string());
        if (!it->is_directory(ec) || it->is_symlink(ec) || !fs::is_regular_file(fs::symlink_status(file, ec))) {
            continue;
        }
        for (const auto& e : load_sent_file(ws, file)) {
            out.insert(sent_key(e.person, e.item, e.date));
        }
    }
    return out;
}

// An exclusive lock on .async/local/reminded.lock for the life of the object.
class LogLock {
public:
    explicit LogLock(const Workspace& ws) {
        fs::create_directories(ws.local_dir());
        fs::path path = ws.local_dir() / "reminded.lock";
        m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0 || ::flock(m_fd, LOCK_EX) != 0) {
            throw Error{ErrorKind::environment, "cannot lock '" + ws.display(path) + "'"};
        }
    }
    ~LogLock() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    LogLock(const LogLock&) = delete;
    LogLock& operator=(const LogLock&) = delete;

private:
    int m_fd = -1;
};

// One line: control characters (CR, LF, ESC…) become spaces, runs of blanks one space.
std::string mail_line(std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f) {
            c = ' ';
        }
        if (c == ' ' && (out.empty() || out.back() == ' ')) {
            continue;
        }
        out += static_cast<char>(c);
    }
    return std::string{trim(out)};
}

bool is_plain_phrase(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) {
        return std::isalnum(c) || c == ' ' || c == '.' || c == '-' || c == '_' || c == '\'';
    });
}

std::string base64(std::string_view in) {
    static constexpr char k_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                     (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        for (int s = 18; s >= 0; s -= 6) {
            out += k_alphabet[(v >> s) & 63];
        }
    }
    if (i < in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (i + 1 < in.size()) {
            v |= static_cast<unsigned char>(in[i + 1]) << 8;
        }
        out += k_alphabet[(v >> 18) & 63];
        out += k_alphabet[(v >> 12) & 63];
        out += i + 1 < in.size() ? k_alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// A display name for a header: as is when plain, a quoted string when ASCII, else RFC 2047.
std::string display_name(std::string_view name) {
    std::string text = mail_line(name);
    if (text.size() > 120) {
        text = truncate_to_width(text, 60);
    }
    if (text.empty()) {
        return {};
    }
    if (is_plain_phrase(text)) {
        return text;
    }
    bool ascii = std::all_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x80; });
    if (ascii) {
        std::string out = "\"";
        for (char c : text) {
            if (c == '"' || c == '\\') {
                out += '\\';
            }
            out += c;
        }
        return out + "\"";
    }
    return "=?UTF-8?B?" + base64(text) + "?=";
}

std::string mailbox(std::string_view name, std::string_view address) {
    std::string shown = display_name(name);
    return shown.empty() ? std::string{address} : shown + " <" + std::string{address} + ">";
}

std::string rfc5322_date(TimePoint t) {
    std::time_t secs = static_cast<std::time_t>(t.time_since_epoch().count());
    std::tm tm{};
    gmtime_r(&secs, &tm);
    static constexpr const char* k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", k_days[tm.tm_wday],
                  tm.tm_mday, k_months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

std::string line_for(const OwedItem& item) {
    std::string title = "\"" + truncate_to_width(mail_line(item.title), k_title_width) + "\"";
    std::string out;
    if (item.kind == "review") {
        out = "Feedback on " + title;
    } else if (item.kind == "response") {
        out = "Your response to the meeting " + title;
    } else if (item.kind == "checkin") {
        out = "Your check-in: " + mail_line(item.title);
    } else if (item.kind == "close") {
        out = truncate_to_width(mail_line(item.title), k_title_width);
    } else {
        out = "Action: " + title;
    }
    if (!item.from.empty()) {
        out += ", asked by @" + mail_line(item.from);
    }
    if (item.due) {
        out += ", due " + format_local(*item.due);
    }
    if (!item.doc_id.empty()) {
        std::string verb = item.kind == "review"     ? "async doc reply "
                           : item.kind == "response" ? "async meeting respond "
                           : item.kind == "close"    ? (item.path.starts_with("meetings/") ? "async meeting close "
                                                                                         : "async doc close ")
                                                     : "async show ";
        out += "\r\n    " + verb + mail_line(item.doc_id);
    } else if (item.kind == "checkin") {
        out += "\r\n    async checkin";
    }
    return out;
}

OwedItem owed_from(std::string kind, const DocSummary& doc) {
    OwedItem item;
    item.kind = kind;
    item.key = kind + ":" + doc.id;
    item.title = doc.title.empty() ? doc.path : doc.title;
    item.due = doc.due;
    item.doc_id = doc.id;
    item.path = doc.path;
    item.from = doc.author;
    return item;
}

} // namespace

std::vector<Reminder> gather_reminders(Index& index, const Workspace& ws, const Config& config,
                                       TimePoint now) {
    // One pass over the overdue actions for everyone (listing them is the expensive part).
    ActionFilter overdue;
    overdue.overdue_at = now;
    auto overdue_actions = list_actions(index, overdue);
    std::map<std::string, std::vector<const ActionRow*>> overdue_by_owner;
    for (const auto& a : overdue_actions) {
        overdue_by_owner[to_lower_ascii(a.owner)].push_back(&a);
    }
    std::vector<Reminder> out;
    Absences absences = load_absences(ws);
    for (const auto& person : config.people()) {
        std::string h = to_lower_ascii(person.handle);
        Reminder r;
        r.person = person;
        if (auto away = away_at(absences, h, now)) {
            r.away_until = away->end;
        }
        for (const auto& doc : awaiting_answer(index, h, "reviewers", "reply")) {
            if (to_lower_ascii(doc.author) != h && !is_child_type(doc.type)) {
                r.items.push_back(owed_from("review", doc));
            }
        }
        for (const auto& doc : awaiting_answer(index, h, "participants", "response")) {
            if (doc.type == "meeting") {
                r.items.push_back(owed_from("response", doc));
            }
        }
        if (auto missing = missing_checkin(ws, config, h, now)) {
            OwedItem item;
            item.kind = "checkin";
            item.key = missing->key;
            item.title = missing->title;
            item.due = missing->due;
            r.items.push_back(std::move(item));
        }
        // My own documents and meetings that are ready to close (not each reply: those are news
        // for the inbox, not something owed).
        for (const auto& ready : ready_to_close(index, h, now)) {
            OwedItem item = owed_from("close", ready.doc);
            item.title = close_it_title(ready);
            item.due.reset();
            item.from.clear();
            r.items.push_back(std::move(item));
        }
        for (const auto* a : overdue_by_owner[h]) {
            OwedItem item;
            item.kind = "action";
            item.key = "action:" + a->handle;
            item.title = a->text;
            item.due = a->due_at;
            item.doc_id = a->doc->id;
            item.path = a->doc->path;
            item.from = a->doc->author;
            r.items.push_back(std::move(item));
        }
        for (auto& item : r.items) {
            if (to_lower_ascii(item.from) == h) {
                item.from.clear(); // nobody asked: my own meeting or action
            }
        }
        std::stable_sort(r.items.begin(), r.items.end(), [](const OwedItem& a, const OwedItem& b) {
            if (a.due.has_value() != b.due.has_value()) {
                return a.due.has_value();
            }
            return a.due && *a.due < *b.due;
        });
        out.push_back(std::move(r));
    }
    return out;
}

void validate_address(std::string_view address, std::string_view whose) {
    auto refuse = [&](std::string_view why) {
        throw Error{ErrorKind::data,
                    "refusing the address '" + std::string{address} + "' of " + std::string{whose} +
                        ": " + std::string{why},
                    "fix it in .async/config.toml"};
    };
    if (auto why = address_problem(address)) {
        refuse(*why);
    }
}

MailSettings mail_settings(const Config& config) {
    MailSettings mail;
    mail.sendmail = config.get_list("mail.sendmail");
    if (mail.sendmail.empty() || mail.sendmail.front().empty()) {
        mail.sendmail = {"sendmail"};
    }
    auto from = config.get("mail.from");
    if (!from || trim(*from).empty()) {
        throw Error{ErrorKind::usage, "no sender address: [mail] from is not set",
                    "async config set mail.from async@example.org"};
    }
    mail.from = std::string{trim(*from)};
    validate_address(mail.from, "[mail] from");
    return mail;
}

std::string render_message(const Reminder& reminder, const std::vector<OwedItem>& items,
                           const MailSettings& mail, TimePoint now) {
    const Person& p = reminder.person;
    std::string date = format_local_date(now);
    std::string msg;
    msg += "From: " + mailbox("async", mail.from) + "\r\n";
    msg += "To: " + mailbox(p.name, p.email) + "\r\n";
    msg += "Subject: Reminder: " + std::to_string(items.size()) +
           (items.size() == 1 ? " thing" : " things") + " you owe (" + date + ")\r\n";
    msg += "Date: " + rfc5322_date(now) + "\r\n";
    msg += "Message-ID: <remind-" + date + "-" +
           short_hash(p.handle + "\n" + date + "\n" + std::to_string(items.size())) + "@async>\r\n";
    msg += "MIME-Version: 1.0\r\nContent-Type: text/plain; "
           "charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n";
    msg += "Auto-Submitted: auto-generated\r\n\r\n";
    std::string name = mail_line(p.name.empty() ? p.handle : p.name);
    msg += "Hi " + truncate_to_width(name, 60) + ",\r\n\r\nthis is what you owe the team as of " +
           format_local(now) + ":\r\n\r\n";
    for (const auto& item : items) {
        msg += "- " + line_for(item) + "\r\n";
    }
    msg += "\r\n-- \r\nasync remind\r\n";
    return msg;
}

int remind_hour(const Config& config) {
    auto text = config.get("remind.hour");
    if (!text) {
        return k_default_remind_hour;
    }
    std::string_view t = trim(*text);
    int hour = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), hour);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || hour < 0 || hour > 23) {
        return k_default_remind_hour;
    }
    return hour;
}

std::string_view to_string(DeliveryStatus status) {
    switch (status) {
    case DeliveryStatus::sent: return "sent";
    case DeliveryStatus::would_send: return "would-send";
    case DeliveryStatus::no_address: return "no-address";
    case DeliveryStatus::refused: return "refused";
    case DeliveryStatus::failed: return "failed";
    case DeliveryStatus::away: return "away";
    case DeliveryStatus::later: return "later";
    case DeliveryStatus::nothing_new: break;
    }
    return "nothing-new";
}

namespace {

// Each person's local day and hour now, and whether it is their time for a reminder: from
// remind.hour (default 9) until 21:00 in their zone (people.<handle>.tz, else the local one).
struct PersonDay {
    std::string date;
    bool awake = true;
};

using PersonDays = std::map<std::string, PersonDay>;

PersonDays person_days(const Config& config, const std::vector<Reminder>& reminders, TimePoint now) {
    int first = remind_hour(config);
    PersonDays out;
    for (const auto& r : reminders) {
        ZonedTime t = person_time(config, r.person.handle, now);
        out[r.person.handle] = PersonDay{t.date, t.hour >= first && t.hour < std::max(first + 1, k_night_hour)};
    }
    return out;
}

// The deliveries reminders call for, given what was reminded (sent_keys): each with the items not
// yet reminded on the person's local day and a status (later outside their hours, nothing_new,
// no_address, refused; would_send with its message for the rest).
std::vector<Delivery> plan_deliveries(const std::vector<Reminder>& reminders, const std::set<std::string>& sent,
                                      const PersonDays& days, const MailSettings& mail, TimePoint now) {
    std::vector<Delivery> out;
    for (const auto& r : reminders) {
        Delivery d;
        d.handle = r.person.handle;
        const PersonDay& day = days.at(r.person.handle);
        for (const auto& item : r.items) {
            if (!sent.contains(sent_key(r.person.handle, item.key, day.date))) {
                d.items.push_back(item);
            }
        }
        if (!d.items.empty() && !day.awake) {
            d.status = DeliveryStatus::later;
        } else if (d.items.empty()) {
            d.status = DeliveryStatus::nothing_new;
        } else if (r.away_until) {
            d.status = DeliveryStatus::away; // the items wait: not sent, not recorded as sent
            d.items.clear();
        } else if (trim(r.person.email).empty()) {
            d.status = DeliveryStatus::no_address;
            d.error = "no email address for '" + r.person.handle + "'";
        } else {
            try {
                validate_address(r.person.email, "'" + r.person.handle + "'");
                d.message = render_message(r, d.items, mail, now);
                d.status = DeliveryStatus::would_send;
            } catch (const Error& e) {
                d.status = DeliveryStatus::refused;
                d.error = e.what();
            }
        }
        out.push_back(std::move(d));
    }
    return out;
}

// Pipes d's message to sendmail: d becomes sent or failed.
void send(Delivery& d, const MailSettings& mail) {
    std::vector<std::string> argv = mail.sendmail;
    argv.push_back("-t");
    argv.push_back("-oi");
    // sendmail's own output is captured: our stdout carries only the answer.
    auto result = run_process_with_input(argv, d.message, Capture::stdout_only);
    if (!result || result->exit_status != 0) {
        d.status = DeliveryStatus::failed;
        d.error = !result ? "cannot run '" + argv.front() + "'"
                          : "'" + argv.front() + "' failed with exit status " + std::to_string(result->exit_status);
        if (result && !trim(result->out).empty()) {
            d.error += ": " + mail_line(result->out).substr(0, 300);
        }
        return;
    }
    d.status = DeliveryStatus::sent;
}

// The shared protocol (remind.hpp): claim in my committed record, push, send only once pushed.
std::vector<Delivery> deliver_shared(const Workspace& ws, const Config& config, const TeamRemote& remote,
                                     const std::string& sender, const std::vector<Reminder>& reminders,
                                     const MailSettings& mail, TimePoint now) {
    constexpr int k_claim_attempts = 12;
    std::string today = format_local_date(now);
    std::string oldest = format_local_date(now - std::chrono::hours{24 * k_log_days});
    fs::path mine = reminded_file(ws.root(), sender);
    std::string header = "# Written only by " + sender + "'s async remind --mail; committed, so that every clone\n"
                         "# of the workspace sends each reminder once a day.\n";
    PersonDays days = person_days(config, reminders, now);
    // What this machine sent before the record was shared counts as well.
    std::set<std::string> local_sent;
    for (const auto& e : load_sent(ws)) {
        local_sent.insert(sent_key(e.person, e.item, e.date));
    }
    std::minstd_rand random{std::random_device{}()};
    for (int attempt = 1; attempt <= k_claim_attempts; ++attempt) {
        if (attempt > 1) {
            // Clones racing each other spread out (doubling from 50 ms, at most 1.6 s).
            std::uniform_int_distribution<int> pause_ms{0, 50 << std::min(attempt - 2, 5)};
            std::this_thread::sleep_for(std::chrono::milliseconds{pause_ms(random)});
        }
        pull_team(remote);
        std::set<std::string> sent = shared_sent(ws);
        sent.insert(local_sent.begin(), local_sent.end());
        std::vector<Delivery> plan = plan_deliveries(reminders, sent, days, mail, now);
        std::vector<SentEntry> record;
        std::error_code ec;
        if (fs::exists(mine, ec)) {
            record = load_sent_file(ws, mine);
        }
        std::erase_if(record, [&](const SentEntry& e) { return e.date < oldest; });
        std::size_t claimed = 0;
        for (const auto& d : plan) {
            if (d.status == DeliveryStatus::would_send) {
                for (const auto& item : d.items) {
                    record.push_back(SentEntry{d.handle, item.key, days.at(d.handle).date});
                    ++claimed;
                }
            }
        }
        if (claimed == 0) {
            return plan; // everything owed today was reminded by someone already
        }
        std::optional<std::string> before;
        if (fs::exists(mine, ec)) {
            before = read_file(mine);
        }
        fs::create_directories(mine.parent_path());
        write_file_atomic(mine, render_sent(record, header));
        std::string message = "async: remind " + today + ", " + std::to_string(claimed) +
                              (claimed == 1 ? " item" : " items") + " claimed by " + sender;
        bool pushed = false;
        try {
            pushed = commit_and_push_alone(remote, mine, message);
        } catch (const Error&) {
            // Claims that never reached a commit must not read as sent on the next run.
            before ? write_file_atomic(mine, *before) : void(fs::remove(mine, ec));
            throw;
        }
        if (!pushed) {
            continue; // someone pushed first: their claims may cover mine
        }
        bool failed = false;
        for (auto& d : plan) {
            if (d.status == DeliveryStatus::would_send) {
                send(d, mail);
                failed = failed || d.status == DeliveryStatus::failed;
            }
        }
        if (failed) {
            // Withdraw the claims of the mails that did not go, so a later run sends them.
            std::set<std::string> unsent;
            for (const auto& d : plan) {
                if (d.status == DeliveryStatus::failed) {
                    unsent.insert(d.handle);
                }
            }
            std::erase_if(record, [&](const SentEntry& e) {
                return unsent.contains(e.person) && e.date == days.at(e.person).date;
            });
            write_file_atomic(mine, render_sent(record, header));
            try {
                commit_and_push_alone(remote, mine, "async: remind " + today + ", claims of unsent reminders withdrawn");
            } catch (const Error&) {
                // The claim stays: no second mail today rather than two.
            }
        }
        return plan;
    }
    throw Error{ErrorKind::environment,
                "cannot record the reminders: the remote '" + remote.remote + "' kept moving",
                "nothing was sent; run 'async remind --mail' again"};
}

} // namespace

std::vector<Delivery> deliver_reminders(const Workspace& ws, const Config& config,
                                        const std::vector<Reminder>& reminders, TimePoint now,
                                        DeliveryMode mode, std::string_view sender) {
    MailSettings mail = mail_settings(config);
    std::optional<LogLock> lock;
    if (mode == DeliveryMode::send) {
        lock.emplace(ws);
    }
    if (mode == DeliveryMode::send && !sender.empty()) {
        std::optional<TeamRemote> remote;
        try {
            remote = team_remote(ws);
        } catch (const Error& e) {
            if (e.kind() != ErrorKind::environment) {
                throw;
            }
            // No git on this machine: nothing to share through, as before there was a record.
        }
        if (remote) {
            return deliver_shared(ws, config, *remote, normalize_handle(sender), reminders, mail, now);
        }
    }
    std::vector<SentEntry> log = load_sent(ws);
    std::string oldest = format_local_date(now - std::chrono::hours{24 * k_log_days});
    std::erase_if(log, [&](const SentEntry& e) { return e.date < oldest; });
    PersonDays days = person_days(config, reminders, now);
    std::set<std::string> sent;
    for (const auto& e : log) {
        sent.insert(sent_key(e.person, e.item, e.date));
    }
    if (mode == DeliveryMode::dry_run && !sender.empty()) {
        std::set<std::string> shared = shared_sent(ws);
        sent.insert(shared.begin(), shared.end());
    }
    std::vector<Delivery> out = plan_deliveries(reminders, sent, days, mail, now);
    if (mode == DeliveryMode::dry_run) {
        return out;
    }
    for (auto& d : out) {
        if (d.status != DeliveryStatus::would_send) {
            continue;
        }
        send(d, mail);
        if (d.status == DeliveryStatus::sent) {
            for (const auto& item : d.items) {
                log.push_back(SentEntry{d.handle, item.key, days.at(d.handle).date});
            }
            save_sent(ws, log); // after every message, so a later failure never causes a resend
        }
    }
    return out;
}

} // namespace async
