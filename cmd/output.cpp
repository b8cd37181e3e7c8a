#include "output.hpp"

#include "command.hpp"

#include <async/dates.hpp>
#include <async/text.hpp>
#include <async/writeup.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <sys/ioctl.h>
#include <unistd.h>

namespace async::cmd {

void write_doc_fields(JsonWriter& json, const DocSummary& doc) {
    json.key("id").value(doc.id);
    json.key("path").value(doc.path);
    json.key("type").value(doc.type);
    json.key("title").value(doc.title);
    json.key("author").value(doc.author);
    json.key("created");
    doc.created ? json.value(format_utc(*doc.created)) : json.null();
    json.key("status").value(doc.status);
    json.key("due");
    doc.due ? json.value(format_utc(*doc.due)) : json.null();
    json.key("parent");
    doc.parent.empty() ? json.null() : json.value(doc.parent);
    json.key("tags").value(doc.tags);
    json.key("reviewers").value(doc.reviewers);
    json.key("participants").value(doc.participants);
}

void write_linked_from(JsonWriter& json, const std::vector<Backlink>& from) {
    json.key("linked_from").begin_array();
    for (const auto& b : from) {
        json.begin_object();
        json.key("kind").value(to_string(b.kind));
        json.key("line").value(static_cast<std::int64_t>(b.line));
        json.key("document").begin_object();
        write_doc_fields(json, b.doc);
        json.end_object().end_object();
    }
    json.end_array();
}

std::string indented_table(const std::vector<std::vector<std::string>>& rows, const GiveWay& give_way,
                           std::size_t width) {
    std::string out;
    std::string table = format_table(rows, give_way, width > 2 ? width - 2 : width);
    for (std::size_t start = 0; start < table.size();) {
        std::size_t end = table.find('\n', start);
        end = end == std::string::npos ? table.size() : end + 1;
        out += "  ";
        out.append(table, start, end - start);
        start = end;
    }
    return out;
}

std::string linked_from_table(const std::vector<Backlink>& from, std::size_t width) {
    std::vector<std::vector<std::string>> table;
    for (const auto& b : from) {
        table.push_back({b.doc.id, b.doc.title, b.doc.path + ":" + std::to_string(b.line)});
    }
    return indented_table(table, {2, 1}, width);
}

std::string local_date(const std::optional<TimePoint>& t) {
    return t ? format_local_date(*t) : std::string{};
}

std::size_t output_width(const Context& ctx) {
    if (ctx.globals.wide) {
        return 0;
    }
    if (auto columns = ctx.env().get("COLUMNS")) {
        try {
            long n = std::stol(*columns);
            if (n > 0 && n < 10000) {
                return static_cast<std::size_t>(n);
            }
        } catch (const std::exception&) {
        }
    }
    if (::isatty(STDOUT_FILENO)) {
        winsize ws{};
        if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
            return ws.ws_col;
        }
    }
    return 0;
}

void add_wide_flag(CLI::App& cmd, Context& ctx) {
    cmd.add_flag("--wide", ctx.globals.wide, "Print whole lines, never cut to the terminal's width");
}

void lay_out_table(const TableCells& table, const GiveWay& give_way, std::size_t width, const TableLine& emit) {
    std::string scratch;
    // A cell as shown, sanitised and flattened to one line (in scratch when it had to change),
    // and its width.
    auto shown = [&](std::size_t r, std::size_t c) {
        std::string_view cell = table.cell(r, c, scratch);
        if (is_printable_ascii(cell)) {
            return std::pair{cell, cell.size()};
        }
        scratch = sanitize_for_terminal(cell, Newlines::flatten);
        return std::pair{std::string_view{scratch}, display_width(scratch)};
    };
    std::vector<std::size_t> widths(table.columns, 0); // of each column
    for (std::size_t r = 0; r < table.rows; ++r) {
        for (std::size_t c = 0; c < table.columns; ++c) {
            widths[c] = std::max(widths[c], shown(r, c).second);
        }
    }
    std::vector<bool> dropped(table.columns, false);
    if (width > 0 && table.columns > 0) {
        std::size_t total = 2 * (table.columns - 1);
        for (std::size_t w : widths) {
            total += w;
        }
        auto narrow = [&](std::size_t c, std::size_t floor) {
            floor = std::min(widths[c], floor);
            std::size_t cut = std::min(total - width, widths[c] - floor);
            widths[c] -= cut;
            total -= cut;
        };
        std::vector<std::size_t> order; // give_way without columns the table does not have
        for (std::size_t c : give_way) {
            if (c < table.columns) {
                order.push_back(c);
            }
        }
        for (std::size_t i = 0; i + 1 < order.size() && total > width; ++i) {
            narrow(order[i], k_give_way_floor);
        }
        for (std::size_t i = 0; i + 1 < order.size() && total > width; ++i) {
            dropped[order[i]] = true;
            total -= widths[order[i]] + 2;
        }
        if (!order.empty() && total > width) {
            narrow(order.back(), 8);
        }
    }
    std::string line;
    std::string cut;
    for (std::size_t r = 0; r < table.rows; ++r) {
        line.clear();
        std::size_t line_width = 0;
        for (std::size_t c = 0; c < table.columns; ++c) {
            if (dropped[c]) {
                continue;
            }
            auto [cell, cell_width] = shown(r, c);
            if (cell_width > widths[c]) { // only a column that gave way can be narrower than its cells
                cut = truncate_to_width(cell, widths[c]);
                cell = cut;
                cell_width = display_width(cell);
            }
            line += cell;
            line_width += cell_width;
            if (c + 1 < table.columns) { // a separator after the last column shown is trimmed below
                std::size_t pad = widths[c] - std::min(widths[c], cell_width) + 2;
                line.append(pad, ' ');
                line_width += pad;
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
            --line_width;
        }
        if (width > 0 && line_width > width) {
            line = truncate_to_width(line, width); // the fixed columns alone are too wide
        }
        emit(r, line);
    }
}

std::string format_table(const std::vector<std::vector<std::string>>& rows, const GiveWay& give_way,
                         std::size_t width, const std::vector<std::string>& row_sgr) {
    std::size_t columns = 0;
    for (const auto& row : rows) {
        columns = std::max(columns, row.size());
    }
    static const std::string none;
    TableCells cells{rows.size(), columns, [&](std::size_t r, std::size_t c, std::string&) -> std::string_view {
                         return c < rows[r].size() ? rows[r][c] : none;
                     }};
    std::string out;
    lay_out_table(cells, give_way, width, [&](std::size_t r, std::string_view line) {
        bool style = r < row_sgr.size() && !row_sgr[r].empty();
        if (style) {
            out += "\x1b[" + row_sgr[r] + "m";
        }
        out += line;
        out += style ? "\x1b[0m\n" : "\n";
    });
    return out;
}

std::string styled(const Context& ctx, std::string_view text, std::string_view sgr) {
    if (!ctx.color_enabled()) {
        return std::string{text};
    }
    return "\x1b[" + std::string{sgr} + "m" + std::string{text} + "\x1b[0m";
}

void print_written(Context& ctx, const Written& written, std::vector<std::filesystem::path> also) {
    also.push_back(written.path);
    ctx.wrote(also);
    const Workspace& ws = ctx.workspace();
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object()
            .key("schema").value(k_json_schema)
            .key("id").value(written.id)
            .key("path").value(ws.display(written.path))
            .end_object();
        ctx.print(json.str());
        return;
    }
    ctx.print(written.id + " " + ctx.shown_path(written.path) + "\n");
}

} // namespace async::cmd
