#pragma once
// Shared output of the read commands: one JSON shape per record, aligned tables that fit the
// terminal, local dates. Every string from a file passes through sanitize_for_terminal here.
#include <async/clock.hpp>
#include <async/json.hpp>
#include <async/query.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

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

// The width tables are fitted to, as git's term_columns: 0 (no limit) with --wide; else COLUMNS
// when it is a positive number (it overrides the terminal's size, on a terminal or a pipe); else
// the columns of the terminal stdout is on; else 0, so a pipe or a file gets whole lines.
std::size_t output_width(const Context& ctx);

// Adds --wide (never cut a line to the terminal's width) to a command that prints a table.
void add_wide_flag(CLI::App& cmd, Context& ctx);

// The columns of a table that give way when it is wider than the terminal, in order. The last one
// listed is the text the table is about (a decision, an action, what I owe) and keeps its width
// longest: the others (titles, paths) are first cut down to k_give_way_floor columns each, then
// left out one after the other, and only then is the last one cut (down to 8 columns). Columns
// not listed (ids, handles, dates) are never narrowed.
using GiveWay = std::vector<std::size_t>;

// How narrow a column that gives way (other than the last listed) is cut before it is left out.
inline constexpr std::size_t k_give_way_floor = 12;

// A table whose cells are produced on demand: cell(row, column, scratch) returns the text of
// one cell, which must stay valid until the next call (it may live in scratch).
struct TableCells {
    std::size_t rows = 0;
    std::size_t columns = 0;
    std::function<std::string_view(std::size_t row, std::size_t column, std::string& scratch)> cell;
};

// Called once per laid-out row, in order, with the row's text (no newline).
using TableLine = std::function<void(std::size_t row, std::string_view line)>;

// Lays cells out in aligned columns separated by two spaces. When a row would be wider than width
// (0: no limit), the columns of give_way are cut as GiveWay says, and a row still too wide (the
// fixed columns alone are) is cut at width; cells are sanitised and flattened to one line. Cells
// are asked for twice (once for the widths, once for the lines) and nothing is kept per row, so
// a long table can be written out as it is laid out.
void lay_out_table(const TableCells& table, const GiveWay& give_way, std::size_t width, const TableLine& emit);

// lay_out_table of rows of cells, as one string. row_sgr (optional, one per row, "" for none)
// holds an ANSI style put around the whole row once it is laid out, so styles never count as
// width and never pass the sanitiser (a styled cell in rows would show "^[[31m"); fill it only
// when colour is on.
std::string format_table(const std::vector<std::vector<std::string>>& rows, const GiveWay& give_way,
                         std::size_t width, const std::vector<std::string>& row_sgr = {});

// "ID PATH" (or --json {schema, id, path}) for a file a writing command created, after the
// index is updated for it and for the other paths the command wrote (Context::wrote).
void print_written(Context& ctx, const Written& written, std::vector<std::filesystem::path> also = {});

// The "linked_from" array of `links --json` and `show --json`: each linking document with the
// kind and line of its link.
void write_linked_from(JsonWriter& json, const std::vector<Backlink>& from);

// format_table of rows with every line indented by two spaces, the whole fitting width.
std::string indented_table(const std::vector<std::vector<std::string>>& rows, const GiveWay& give_way,
                           std::size_t width);

// The lines under "Linked from:" of `links` and `show`: id, title, path:line of each linking
// document, indented, laid out to width.
std::string linked_from_table(const std::vector<Backlink>& from, std::size_t width);

// Wraps text in an ANSI style when colour is on.
std::string styled(const Context& ctx, std::string_view text, std::string_view sgr);

} // namespace async::cmd
