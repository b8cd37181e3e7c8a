#pragma once
// What a document's front matter may hold: the known types (and which of them belong to another
// document, which need a title), the required keys, the statuses, the keys that name people or
// hold lists or times, and the id format. Documents, the index, check and the practices consult
// this one table.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace async {

// Every document has these keys.
inline constexpr std::string_view k_required_keys[] = {"id", "type", "author", "created"};

// The values of `status`.
inline constexpr std::string_view k_statuses[] = {"draft", "open", "closed"};

// Keys whose values are handles of people (arrays of strings).
inline constexpr std::string_view k_people_keys[] = {"reviewers", "participants", "for"};

// Keys whose values are arrays of strings.
inline constexpr std::string_view k_list_keys[] = {"reviewers", "participants", "for", "tags"};

// Keys whose values are TOML date-times.
inline constexpr std::string_view k_time_keys[] = {"created", "due", "start", "end"};

// An id is this many characters of [0-9a-z].
inline constexpr std::size_t k_id_length = 8;

// An id or id prefix is resolved from this many characters on.
inline constexpr std::size_t k_min_id_prefix = 4;

// "doc", "decision", … : the types async knows, in the order they are listed in messages.
const std::vector<std::string>& known_types();

// True for types that belong to another document (reply, response, summary).
bool is_child_type(std::string_view type);

// True for the types that need a non-empty title (doc, decision, sop, onboarding, post,
// watercooler, meeting, event).
bool is_titled_type(std::string_view type);

// What a document is called wherever it is listed (list, search, inbox, agenda, the check-in
// pre-fill): title when it has one; an untitled reply, response or summary is named after what
// it answers, "Re: <parent> — <author>'s reply" ("'s response"; "Summary: <parent>"), where
// parent is parent_title, or parent_path when that is empty too; any other untitled document: "".
std::string display_title(std::string_view type, std::string_view title, std::string_view author,
                          std::string_view parent_title, std::string_view parent_path);

// True for draft, open and closed.
bool is_status(std::string_view status);

// True when text is a whole id: k_id_length characters of [0-9a-z].
bool is_id(std::string_view text);

// True when text could be an id or id prefix (k_min_id_prefix to k_id_length characters of
// [0-9a-z]).
bool looks_like_id(std::string_view text);

} // namespace async
