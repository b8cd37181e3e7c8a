#pragma once
// Reminders: what each team member owes (reviews, meeting responses, a missing check-in,
// overdue actions, documents ready to close), rendered as one RFC 5322 message per person and
// sent through `sendmail -t -oi` (config [mail]); the committed people/<handle>/reminded.toml of every
// sender (in a git workspace with a remote) or .async/local/reminded.toml records what was
// sent, so the same reminder never goes out twice on the same day.
#include <async/clock.hpp>
#include <async/config.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Index;
class Workspace;

struct OwedItem {
    std::string kind; // "review", "response", "checkin", "action", "close"
    std::string key;  // "review:<doc id>", "response:<doc id>", "checkin:<week>", "action:<handle>",
                      // "close:<doc id>"
    std::string title;
    std::optional<TimePoint> due;
    std::string doc_id; // empty for the check-in
    std::string path;
    std::string from; // who asked (document author), may be empty
};

struct Reminder {
    Person person;
    std::vector<OwedItem> items; // most urgent first (by due, undated last)
    std::optional<TimePoint> away_until; // away (practice/leave) at now: nothing is mailed
};

// For every team member of config people(): pending reviews, pending meeting responses, the
// check-in when missing on or after the check-in day, overdue actions, and their own documents
// and meetings that are ready to close (inbox's ready_to_close). People who owe nothing are
// included with no items. A person away at now has away_until set (their items are listed,
// and mailed once they are back).
std::vector<Reminder> gather_reminders(Index& index, const Workspace& ws, const Config& config,
                                       TimePoint now);

// Throws Error{data} unless address is a plain addr-spec (local@domain) fit for a header and a
// command line: no leading '-', no blanks, control characters, or <>()[],;:\" characters.
void validate_address(std::string_view address, std::string_view whose);

struct MailSettings {
    std::vector<std::string> sendmail; // the program and its own arguments; "-t -oi" are added
    std::string from;                  // the From: address
};

// [mail] sendmail (a string: the program; an array: program and arguments; default "sendmail")
// and [mail] from (required: Error{usage} with a hint when unset; Error{data} when invalid).
MailSettings mail_settings(const Config& config);

// The RFC 5322 message (CRLF line ends) reminding reminder.person of items.
std::string render_message(const Reminder& reminder, const std::vector<OwedItem>& items,
                           const MailSettings& mail, TimePoint now);

// A person's reminder goes out from remind.hour (this by default) until k_night_hour, in their
// own zone (people.<handle>.tz, else the local one): never at night for them.
inline constexpr int k_default_remind_hour = 9;
inline constexpr int k_night_hour = 21;

// config remind.hour: an hour 0..23; k_default_remind_hour when unset or anything else.
int remind_hour(const Config& config);

enum class DeliveryStatus { sent, would_send, nothing_new, no_address, refused, failed, away, later };

// "sent", "would-send", "nothing-new", "no-address", "refused", "failed", "away", "later"
// (something is owed, but it is not the person's time of day for a reminder).
std::string_view to_string(DeliveryStatus status);

struct Delivery {
    std::string handle;
    DeliveryStatus status = DeliveryStatus::nothing_new;
    std::vector<OwedItem> items; // those in the message (not yet reminded today)
    std::string message;         // the rendered message (sent or would be sent)
    std::string error;           // why it was refused or failed
};

enum class DeliveryMode { send, dry_run };

// For each reminder with items not yet reminded on the person's local day (their
// people.<handle>.tz, else the local zone), unless its person is away (status away: nothing sent
// or recorded, so the items wait): when it is their time (remind.hour to k_night_hour there; else
// status later, nothing recorded), renders the message
// and, in DeliveryMode::send, pipes it to sendmail and records the items (under an flock on
// .async/local/reminded.lock, so two runs in one clone never both send). A refused address or
// a failed sendmail is reported in its Delivery and does not stop the others.
//
// Where the record is: with a sender (my handle) and a workspace in a git repository with a
// remote (sync's team_remote), the team's committed records people/<handle>/reminded.toml,
// shared by every clone: pull; read every record (and this machine's old local log); claim the
// items nobody reminded today in my own record, commit it alone and push; when the push is
// refused, take the claim commit back, pull and decide again (another clone's claim for the same
// person and item wins); only once my push succeeded, send. Pushes are linear, so one clone wins
// each item. A mail sendmail refused has its claims withdrawn (commit and push, best effort).
// Without a sender or a remote: .async/local/reminded.toml, this machine's log. In dry_run the
// shared records count as well, and nothing is pulled or written.
// Throws Error{usage} for missing [mail] from, Error{data} for an unreadable record,
// Error{environment} when git fails or the remote kept moving for 12 claims, Error{no} when the
// pull stopped on a conflict.
std::vector<Delivery> deliver_reminders(const Workspace& ws, const Config& config,
                                        const std::vector<Reminder>& reminders, TimePoint now,
                                        DeliveryMode mode, std::string_view sender = {});

} // namespace async
