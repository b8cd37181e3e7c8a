#pragma once
// Shared output of the read commands: one JSON shape per record, aligned tables that fit the
// terminal, local dates. Every string from a file passes through sanitize_for_terminal here.
#include <async/clock.hpp>
#include <async/json.hpp>
#include <async/query.hpp>

#include <string>
#include <vector>

namespace async {
struct Written;
}

namespace async::cmd {

class Context;

// {"id","path","type","title","author","created","status","due","parent","tags",
//  "reviewers","participants"}: the document fields every --json output uses.
void write_doc_fields(JsonWriter& json, const DocSummary& doc);

// "2026-11-27" in local time, or "" when unset.
std::string local_date(const std::optional<TimePoint>& t);

// Columns of the terminal stdout is on; 0 (no limit) when stdout is not a terminal and
// COLUMNS is unset.
std::size_t output_width(const Context& ctx);

// Rows of cells printed in aligned columns separated by two spaces. The column `flexible`
// (usually the title) is truncated so no row is wider than width (0: no limit); cells are
// sanitised and flattened to one line. row_sgr (optional, one per row, "" for none) holds an
// ANSI style put around the whole row once it is laid out, so styles never count as width and
// never pass the sanitiser (a styled cell in rows would show "^[[31m"); fill it only when
// colour is on.
// The cells are taken by value: pass std::move(rows) when they are no longer needed.
std::string format_table(std::vector<std::vector<std::string>> rows, std::size_t flexible,
                         std::size_t width, const std::vector<std::string>& row_sgr = {});

// "ID PATH" (or --json {schema, id, path}) for a file a writing command created.
void print_written(Context& ctx, const Written& written);

// Wraps text in an ANSI style when colour is on.
std::string styled(const Context& ctx, std::string_view text, std::string_view sgr);

} // namespace async::cmd
