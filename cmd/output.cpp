#include "output.hpp"

#include "command.hpp"

#include <async/dates.hpp>
#include <async/text.hpp>
#include <async/writeup.hpp>

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

std::string local_date(const std::optional<TimePoint>& t) {
    return t ? format_local_date(*t) : std::string{};
}

std::size_t output_width(const Context& ctx) {
    if (::isatty(STDOUT_FILENO)) {
        winsize ws{};
        if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
            return ws.ws_col;
        }
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
    return 0;
}

std::string format_table(const std::vector<std::vector<std::string>>& rows_in, std::size_t flexible,
                         std::size_t width, const std::vector<std::string>& row_sgr) {
    std::vector<std::vector<std::string>> rows;
    std::size_t columns = 0;
    for (const auto& row : rows_in) {
        std::vector<std::string> clean;
        for (const auto& cell : row) {
            clean.push_back(sanitize_for_terminal(cell, Newlines::flatten));
        }
        columns = std::max(columns, clean.size());
        rows.push_back(std::move(clean));
    }
    std::vector<std::size_t> widths(columns, 0);
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            widths[c] = std::max(widths[c], display_width(row[c]));
        }
    }
    if (width > 0 && flexible < columns) {
        std::size_t others = 0;
        for (std::size_t c = 0; c < columns; ++c) {
            others += c == flexible ? 0 : widths[c] + 2;
        }
        std::size_t room = width > others + 8 ? width - others : 8;
        widths[flexible] = std::min(widths[flexible], room);
    }
    std::string out;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            std::string cell = c == flexible ? truncate_to_width(row[c], widths[c]) : row[c];
            line += cell;
            if (c + 1 < row.size()) {
                line += std::string(widths[c] - std::min(widths[c], display_width(cell)) + 2, ' ');
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        if (width > 0 && display_width(line) > width) {
            line = truncate_to_width(line, width); // the fixed columns alone are too wide
        }
        bool style = r < row_sgr.size() && !row_sgr[r].empty();
        out += style ? "\x1b[" + row_sgr[r] + "m" + line + "\x1b[0m\n" : line + "\n";
    }
    return out;
}

std::string styled(const Context& ctx, std::string_view text, std::string_view sgr) {
    if (!ctx.color_enabled()) {
        return std::string{text};
    }
    return "\x1b[" + std::string{sgr} + "m" + std::string{text} + "\x1b[0m";
}

void print_written(Context& ctx, const Written& written) {
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
