// async remind [--mail] [--dry-run]: who owes what; one reminder message per person.
#include "command.hpp"
#include "output.hpp"

#include <async/dates.hpp>
#include <async/due.hpp>
#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/remind.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct RemindOptions {
    bool mail = false;
    bool dry_run = false;
};

// One key and its value per line.
// clang-format off
void write_items(JsonWriter& json, const std::vector<OwedItem>& items) {
    json.begin_array();
    for (const auto& item : items) {
        json.begin_object()
            .key("kind").value(item.kind)
            .key("key").value(item.key)
            .key("title").value(item.title)
            .key("from").value(item.from)
            .key("id").value(item.doc_id)
            .key("path").value(item.path);
        json.key("due");
        item.due ? json.value(format_utc(*item.due)) : json.null();
        json.end_object();
    }
    json.end_array();
}
// clang-format on

void print_owed(Context& ctx, const std::vector<Reminder>& reminders, TimePoint now) {
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("people").begin_array();
        for (const auto& r : reminders) {
            json.begin_object()
                .key("handle")
                .value(r.person.handle)
                .key("name")
                .value(r.person.name)
                .key("email")
                .value(r.person.email);
            if (r.away_until) {
                json.key("away_until").value(format_local_date(*r.away_until));
            }
            json.key("items");
            write_items(json, r.items);
            json.end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : reminders) {
        for (const auto& item : r.items) {
            std::string when;
            if (item.due) {
                when = (is_overdue(*item.due, now) ? "overdue since " : "due ") + format_local(*item.due);
            }
            if (r.away_until) {
                when = "away until " + format_local(*r.away_until).substr(0, 14);
            }
            rows.push_back({"@" + r.person.handle, item.kind, when, item.title, item.doc_id});
        }
    }
    if (rows.empty()) {
        ctx.notice(reminders.empty() ? "no team members in the config ([people.HANDLE] tables)"
                                     : "nobody owes anything");
        return;
    }
    ctx.print(format_table(rows, {3}, output_width(ctx)));
}

void run_remind(Context& ctx, const RemindOptions& opts) {
    TimePoint now = ctx.clock().now();
    auto reminders = gather_reminders(ctx.index(), ctx.workspace(), ctx.config(), now);
    if (!opts.mail && !opts.dry_run) {
        print_owed(ctx, reminders, now);
        return;
    }
    auto mode = opts.dry_run ? DeliveryMode::dry_run : DeliveryMode::send;
    const std::string& me = ctx.me();
    if (auto sender = ctx.config().get("remind.sender"); sender && !trim(*sender).empty() && !opts.dry_run) {
        std::string elected = normalize_handle(*sender);
        if (elected != me) {
            ctx.notice("reminders are sent by @" + elected + " (remind.sender); nothing sent");
            return;
        }
    }
    auto deliveries = deliver_reminders(ctx.workspace(), ctx.config(), reminders, now, mode, me);
    bool failed = false, refused = false;
    std::string out;
    JsonWriter json;
    json.begin_object().key("schema").value(k_json_schema).key("deliveries").begin_array();
    for (const auto& d : deliveries) {
        json.begin_object().key("handle").value(d.handle).key("status").value(
            std::string{to_string(d.status)});
        json.key("items");
        write_items(json, d.items);
        if (opts.dry_run) {
            json.key("message").value(d.message);
        }
        if (!d.error.empty()) {
            json.key("error").value(d.error);
        }
        json.end_object();
        switch (d.status) {
        case DeliveryStatus::would_send: {
            std::string text = d.message;
            std::erase(text, '\r');
            out += (out.empty() ? "" : "\n") + sanitize_for_terminal(text);
            break;
        }
        case DeliveryStatus::sent:
            ctx.notice("reminded " + d.handle + " of " + std::to_string(d.items.size()) +
                       (d.items.size() == 1 ? " item" : " items"));
            break;
        case DeliveryStatus::nothing_new: break;
        case DeliveryStatus::away: ctx.notice("not reminding " + d.handle + ": away"); break;
        case DeliveryStatus::later:
            // Quiet in cron: the hourly run that reaches their remind.hour sends it.
            if (opts.dry_run) {
                ctx.notice("not yet for " + d.handle + ": outside their reminder hours (remind.hour to 21:00 their time)");
            }
            break;
        case DeliveryStatus::no_address:
            ctx.warn(d.error + " (add email under [people." + d.handle + "])");
            break;
        case DeliveryStatus::refused:
            refused = true;
            std::fputs(("async: error: " + sanitize_for_terminal(d.error, Newlines::flatten) + "\n")
                           .c_str(),
                       stderr);
            break;
        case DeliveryStatus::failed:
            failed = true;
            std::fputs(("async: error: cannot send the reminder for " + d.handle + ": " +
                        sanitize_for_terminal(d.error, Newlines::flatten) + "\n")
                           .c_str(),
                       stderr);
            break;
        }
    }
    json.end_array().end_object();
    ctx.print(ctx.globals.json ? json.str() : out);
    if (failed) {
        throw Error{ErrorKind::environment, "some reminders were not sent",
                    "check [mail] sendmail (async config get mail.sendmail); nothing sent was "
                    "recorded twice"};
    }
    if (refused) {
        throw Error{ErrorKind::data, "some reminders were not sent: refused addresses",
                    "fix the addresses in .async/config.toml"};
    }
}

} // namespace

void add_remind_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<RemindOptions>();
    auto* cmd =
        app.add_subcommand("remind", "Who owes what; --mail sends each person one reminder");
    cmd->add_flag("--mail", opts->mail,
                  "Send one message per person through sendmail (config [mail])");
    cmd->add_flag("--dry-run", opts->dry_run,
                  "Print the messages --mail would send, send and record nothing");
    add_wide_flag(*cmd, ctx);
    cmd->callback([&ctx, opts] { run_remind(ctx, *opts); });
}

} // namespace async::cmd
