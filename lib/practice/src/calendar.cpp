#include <async/calendar.hpp>
#include <async/config.hpp>
#include <async/dates.hpp>
#include <async/identity.hpp>
#include <async/error.hpp>
#include <async/event.hpp>
#include <async/text.hpp>

#include "ical_library.hpp"

#include <memory>

namespace async {
namespace {

struct ComponentFree {
    void operator()(icalcomponent* c) const { ical().icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

// Text for a property value: one line, no control characters, C1 controls or bidirectional
// formatting (libical escapes , ; \ itself).
std::string clean(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f) {
            if (!out.empty() && out.back() != ' ') {
                out += ' ';
            }
            continue;
        }
        out += static_cast<char>(c);
    }
    return std::string{trim(strip_controls(out, Newlines::flatten))};
}

icaltimetype utc_time(TimePoint t) {
    const IcalLibrary& lib = ical();
    return lib.icaltime_from_timet_with_zone(static_cast<time_t>(t.time_since_epoch().count()), 0,
                                         lib.icaltimezone_get_utc_timezone());
}

// "2026-11-27" as an iCalendar DATE.
icaltimetype date_value(std::string_view iso) {
    const IcalLibrary& lib = ical();
    icaltimetype t = lib.icaltime_null_date();
    t.year = std::stoi(std::string{iso.substr(0, 4)});
    t.month = std::stoi(std::string{iso.substr(5, 2)});
    t.day = std::stoi(std::string{iso.substr(8, 2)});
    return t;
}

void add_dates(icalcomponent* event, icaltimetype start, bool all_day) {
    const IcalLibrary& lib = ical();
    lib.icalcomponent_add_property(event, lib.icalproperty_new_dtstart(start));
    if (all_day) {
        icaltimetype end = start;
        lib.icaltime_adjust(&end, 1, 0, 0, 0);
        lib.icalcomponent_add_property(event, lib.icalproperty_new_dtend(end));
    }
}

std::string summary_of(const Deadline& d) {
    switch (d.kind) {
    case DeadlineKind::response: return "Responses due: " + clean(d.title);
    case DeadlineKind::action: return "Due (@" + clean(d.author) + "): " + clean(d.title);
    case DeadlineKind::checkin: return d.title.empty() ? "Weekly check-in" : clean(d.title);
    case DeadlineKind::event: return clean(d.title);
    case DeadlineKind::feedback: break;
    }
    return "Feedback due: " + clean(d.title);
}

std::string description_of(const Deadline& d) {
    std::string out;
    if (!d.doc_id.empty()) {
        out += "async show " + d.doc_id + "\n" + d.path + "\n";
    }
    if (!d.author.empty() && d.kind == DeadlineKind::event) {
        out += "Organised by @" + d.author + "\n";
    } else if (!d.author.empty() && d.kind != DeadlineKind::action) {
        out += "Asked by @" + d.author + "\n";
    }
    if (!d.owed_by.empty() && d.kind != DeadlineKind::action) {
        out += "Waiting for:";
        for (const auto& h : d.owed_by) {
            out += " @" + h;
        }
        out += "\n";
    }
    std::string cleaned;
    for (char c : out) {
        cleaned += (static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f ? ' ' : c;
    }
    return std::string{trim(strip_controls(cleaned, Newlines::keep))};
}

// One all-day event per absence, first to last day (DTEND is the day after, RFC 5545).
void add_absence_events(icalcomponent* cal, const std::vector<Absence>& absences, icaltimetype stamp,
                        std::string_view workspace_id) {
    const IcalLibrary& lib = ical();
    for (const auto& a : absences) {
        icalcomponent* event = lib.icalcomponent_new(ICAL_VEVENT_COMPONENT);
        lib.icalcomponent_add_property(event, lib.icalproperty_new_uid(absence_uid(a, workspace_id).c_str()));
        lib.icalcomponent_add_property(event, lib.icalproperty_new_dtstamp(stamp));
        lib.icalcomponent_add_property(event, lib.icalproperty_new_dtstart(date_value(a.from)));
        icaltimetype end = date_value(a.to);
        lib.icaltime_adjust(&end, 1, 0, 0, 0);
        lib.icalcomponent_add_property(event, lib.icalproperty_new_dtend(end));
        std::string summary = "Away: @" + clean(a.handle) + (a.note.empty() ? "" : " (" + clean(a.note) + ")");
        lib.icalcomponent_add_property(event, lib.icalproperty_new_summary(summary.c_str()));
        lib.icalcomponent_add_property(event, lib.icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        lib.icalcomponent_add_component(cal, event);
    }
}

// What only a live event has: its end (DTEND in UTC), SEQUENCE, LOCATION, an ORGANIZER and an
// ATTENDEE per person. A person without an email gets an address that can never deliver.
void add_event_details(icalcomponent* event, const Deadline& d) {
    const IcalLibrary& lib = ical();
    if (d.end) {
        lib.icalcomponent_add_property(event, lib.icalproperty_new_dtend(utc_time(*d.end)));
    }
    lib.icalcomponent_add_property(event, lib.icalproperty_new_sequence(d.sequence));
    std::string where = clean(d.where);
    if (!where.empty()) {
        lib.icalcomponent_add_property(event, lib.icalproperty_new_location(where.c_str()));
    }
    auto address = [](const Deadline::Attendee& a) {
        return "mailto:" + (a.email.empty() ? clean(a.handle) + "@async.invalid" : clean(a.email));
    };
    for (std::size_t i = 0; i < d.attendees.size(); ++i) {
        const auto& a = d.attendees[i];
        std::string value = address(a);
        icalproperty* p = i == 0 ? lib.icalproperty_new_organizer(value.c_str())
                                 : lib.icalproperty_new_attendee(value.c_str());
        lib.icalproperty_add_parameter(p, lib.icalparameter_new_cn(clean(a.handle).c_str()));
        lib.icalcomponent_add_property(event, p);
        if (i == 0) {
            // The organiser attends too.
            icalproperty* self = lib.icalproperty_new_attendee(value.c_str());
            lib.icalproperty_add_parameter(self, lib.icalparameter_new_cn(clean(a.handle).c_str()));
            lib.icalcomponent_add_property(event, self);
        }
    }
}

} // namespace

std::string calendar_uid(const Deadline& deadline, std::string_view workspace_id) {
    std::string domain = "@" + std::string{workspace_id} + ".async";
    if (deadline.kind == DeadlineKind::checkin) {
        return "checkin" + domain;
    }
    auto colon = deadline.key.find(':');
    std::string ref = colon == std::string::npos ? deadline.key : deadline.key.substr(colon + 1);
    return std::string{to_string(deadline.kind)} + "-" + ref + domain;
}

std::string absence_uid(const Absence& absence, std::string_view workspace_id) {
    return "away-" + absence.handle + "-" + absence.from + "@" + std::string{workspace_id} + ".async";
}

std::string build_calendar(const std::vector<Deadline>& deadlines, Cadence cadence, int checkin_weekday,
                           TimePoint now, std::string_view workspace_id, const std::vector<Absence>& absences) {
    const IcalLibrary& lib = ical(); // loads libical, or throws
    ComponentPtr cal{lib.icalcomponent_new(ICAL_VCALENDAR_COMPONENT)};
    if (!cal) {
        throw Error{ErrorKind::environment, "cannot build the calendar: out of memory"};
    }
    lib.icalcomponent_add_property(cal.get(), lib.icalproperty_new_version("2.0"));
    lib.icalcomponent_add_property(cal.get(), lib.icalproperty_new_prodid("-//async//async calendar//EN"));
    lib.icalcomponent_add_property(cal.get(), lib.icalproperty_new_calscale("GREGORIAN"));
    lib.icalcomponent_add_property(cal.get(), lib.icalproperty_new_method(ICAL_METHOD_PUBLISH));
    icaltimetype stamp = utc_time(now);

    auto add_event = [&](const Deadline& d, icaltimetype start, bool all_day) {
        icalcomponent* event = lib.icalcomponent_new(ICAL_VEVENT_COMPONENT);
        lib.icalcomponent_add_property(event, lib.icalproperty_new_uid(calendar_uid(d, workspace_id).c_str()));
        lib.icalcomponent_add_property(event, lib.icalproperty_new_dtstamp(stamp));
        add_dates(event, start, all_day);
        lib.icalcomponent_add_property(event, lib.icalproperty_new_summary(summary_of(d).c_str()));
        std::string description = description_of(d);
        if (!description.empty()) {
            lib.icalcomponent_add_property(event, lib.icalproperty_new_description(description.c_str()));
        }
        lib.icalcomponent_add_property(event, lib.icalproperty_new_transp(
                                                  d.kind == DeadlineKind::event ? ICAL_TRANSP_OPAQUE : ICAL_TRANSP_TRANSPARENT));
        if (d.kind == DeadlineKind::event) {
            add_event_details(event, d);
        }
        lib.icalcomponent_add_component(cal.get(), event);
        return event;
    };

    for (const auto& d : deadlines) {
        if (d.kind == DeadlineKind::checkin) {
            continue;
        }
        add_event(d, d.all_day ? date_value(d.date) : utc_time(d.due), d.all_day);
    }

    add_absence_events(cal.get(), absences, stamp, workspace_id);

    // One recurring event, anchored on a fixed week (2026-W01) so every export is identical.
    static constexpr const char* k_byday[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    int day = checkin_weekday < 0 || checkin_weekday > 6 ? 4 : checkin_weekday;
    Deadline checkin;
    checkin.kind = DeadlineKind::checkin;
    icaltimetype first = date_value("2025-12-29"); // Monday of 2026-W01
    lib.icaltime_adjust(&first, day, 0, 0, 0);
    std::string rule = std::string{"FREQ=WEEKLY;BYDAY="} + k_byday[day];
    if (cadence == Cadence::daily) {
        // A stand-up: every working day, from the anchor Monday on.
        lib.icaltime_adjust(&first, -day, 0, 0, 0);
        checkin.title = "Daily check-in";
        rule = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
    }
    icalcomponent* event = add_event(checkin, first, true);
    lib.icalcomponent_add_property(
        event, lib.icalproperty_new_rrule(lib.icalrecurrencetype_from_string(rule.c_str())));
    lib.icalcomponent_add_property(event,
                               lib.icalproperty_new_description(
                                   "What have you been working on? Write it with: async checkin"));

    char* text = lib.icalcomponent_as_ical_string_r(cal.get());
    if (text == nullptr) {
        throw Error{ErrorKind::environment, "cannot build the calendar: libical failed"};
    }
    std::string out{text};
    lib.icalmemory_free_buffer(text);
    return out;
}

WorkspaceCalendar workspace_calendar(Index& index, const Workspace& ws, const Config& config, const Absences& absences,
                                     const CalendarScope& scope, TimePoint now, std::string_view workspace_id) {
    DeadlineFilter filter;
    filter.pending_only = false; // an event stays until its document closes, so re-imports are stable
    filter.who = scope.who;
    auto deadlines = collect_deadlines(index, filter);
    for (auto& d : event_deadlines(index, ws, config, filter.who)) {
        deadlines.push_back(std::move(d));
    }
    std::vector<Absence> away = absences.all;
    if (scope.members) {
        std::erase_if(deadlines, [&](const Deadline& d) { return !concerns_team(d, *scope.members); });
        std::erase_if(away, [&](const Absence& a) {
            return std::find(scope.members->begin(), scope.members->end(), a.handle) == scope.members->end();
        });
    }
    if (scope.who) {
        std::erase_if(away, [&](const Absence& a) { return a.handle != handle_or_lower(*scope.who); });
    }
    WorkspaceCalendar out;
    out.ics = build_calendar(deadlines, checkin_cadence(config), checkin_weekday(config), now, workspace_id, away);
    out.events = deadlines.size() + away.size() + 1;
    return out;
}

} // namespace async
