#pragma once
// Part of the calendar module (see calendar.cpp): libical, loaded when the first calendar is
// built instead of linked. Debian's libical links ICU, and loading ICU's three large C++
// libraries at start-up made every command, `async --version` included, three to four times
// slower (bench/RESULTS.md). Only the functions listed here can be called, through ical().
#include <libical/ical.h>

namespace async {

#define ASYNC_ICAL_FUNCTIONS(X)                                                                   \
    X(icalcomponent_new)                                                                          \
    X(icalcomponent_free)                                                                         \
    X(icalcomponent_add_property)                                                                 \
    X(icalcomponent_add_component)                                                                \
    X(icalcomponent_as_ical_string_r)                                                             \
    X(icalmemory_free_buffer)                                                                     \
    X(icalproperty_new_version)                                                                   \
    X(icalproperty_new_prodid)                                                                    \
    X(icalproperty_new_calscale)                                                                  \
    X(icalproperty_new_method)                                                                    \
    X(icalproperty_new_uid)                                                                       \
    X(icalproperty_new_dtstamp)                                                                   \
    X(icalproperty_new_dtstart)                                                                   \
    X(icalproperty_new_dtend)                                                                     \
    X(icalproperty_new_summary)                                                                   \
    X(icalproperty_new_description)                                                               \
    X(icalproperty_new_transp)                                                                    \
    X(icalproperty_new_rrule)                                                                     \
    X(icalproperty_new_sequence)                                                                  \
    X(icalproperty_new_location)                                                                  \
    X(icalproperty_new_attendee)                                                                  \
    X(icalproperty_new_organizer)                                                                 \
    X(icalproperty_add_parameter)                                                                 \
    X(icalparameter_new_cn)                                                                       \
    X(icalrecurrencetype_from_string)                                                             \
    X(icaltime_from_timet_with_zone)                                                              \
    X(icaltime_null_date)                                                                         \
    X(icaltime_adjust)                                                                            \
    X(icaltimezone_get_utc_timezone)                                                              \
    X(icaltimezone_get_builtin_timezone)

// One pointer per function, named as in libical.
struct IcalLibrary {
#define ASYNC_ICAL_POINTER(name) decltype(&::name) name = nullptr;
    ASYNC_ICAL_FUNCTIONS(ASYNC_ICAL_POINTER)
#undef ASYNC_ICAL_POINTER
};

// libical, loaded on the first call (thread-safe). Throws Error (environment) naming the
// library and what is missing when it cannot be loaded.
const IcalLibrary& ical();

} // namespace async
