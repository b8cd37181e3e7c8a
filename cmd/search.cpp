// async search QUERY: ranked full-text search with highlighted snippets.
#include "command.hpp"
#include "output.hpp"

#include <async/error.hpp>
#include <async/identity.hpp>
#include <async/text.hpp>

#include <CLI/CLI.hpp>

namespace async::cmd {
namespace {

struct SearchOptions {
    std::vector<std::string> words;
    std::string type, author;
    std::size_t limit = 20;
};

// The snippet with matches marked: bold on a colour terminal, plain text otherwise.
std::string render_snippet(const Context& ctx, const std::string& snippet) {
    std::string out;
    std::string clean = sanitize_for_terminal(snippet, Newlines::flatten);
    // The sanitiser shows the \x02/\x03 markers in caret notation; turn them into styling.
    std::size_t pos = 0;
    while (pos < clean.size()) {
        auto open = clean.find("^B", pos);
        if (open == std::string::npos) {
            out += clean.substr(pos);
            break;
        }
        out += clean.substr(pos, open - pos);
        auto close = clean.find("^C", open + 2);
        std::string match = clean.substr(open + 2, close == std::string::npos ? std::string::npos : close - open - 2);
        out += styled(ctx, match, "1;33");
        pos = close == std::string::npos ? clean.size() : close + 2;
    }
    return out;
}

void run_search(Context& ctx, const SearchOptions& opts) {
    std::string query;
    for (const auto& w : opts.words) {
        query += (query.empty() ? "" : " ") + w;
    }
    SearchFilter filter;
    if (!opts.type.empty()) filter.type = opts.type;
    if (!opts.author.empty()) filter.author = normalize_handle(opts.author);
    filter.limit = opts.limit;
    to_fts_query(query); // a malformed query is a usage error before any index work
    auto hits = search(ctx.index(), query, filter);
    if (ctx.globals.json) {
        JsonWriter json;
        json.begin_object().key("schema").value(k_json_schema).key("query").value(query).key("results").begin_array();
        for (const auto& h : hits) {
            std::string plain;
            for (char c : h.snippet) {
                if (c != '\x02' && c != '\x03') plain += c;
            }
            json.begin_object();
            write_doc_fields(json, h.doc);
            json.key("snippet").value(plain);
            json.end_object();
        }
        json.end_array().end_object();
        ctx.print(json.str());
    } else {
        std::string out;
        for (const auto& h : hits) {
            out += styled(ctx, h.doc.id, "33") + "  " + sanitize_for_terminal(h.doc.type, Newlines::flatten) + "  " +
                   sanitize_for_terminal(h.doc.title, Newlines::flatten) + "  " + styled(ctx, h.doc.path, "2") + "\n";
            if (!h.snippet.empty()) { // a query of field terms only has no text to show
                out += "    " + render_snippet(ctx, h.snippet) + "\n";
            }
        }
        ctx.print(out);
    }
    if (hits.empty()) {
        throw Error{ErrorKind::no, ""}; // like grep: no match is exit 1, silently
    }
}

} // namespace

void add_search_command(CLI::App& app, Context& ctx) {
    auto opts = std::make_shared<SearchOptions>();
    auto* cmd = app.add_subcommand("search", "Full-text search: words, \"phrases\", OR, -not, prefix*, tag:, type:, author:, status:");
    // A word starting with '-' would read as a flag: quote the query ('pricing -draft') or
    // put it after --.
    cmd->add_option("QUERY", opts->words, "What to find; quote it when it has -exclusions: 'pricing -draft'")
        ->required();
    cmd->add_option("--type", opts->type, "Only this document type")->type_name("TYPE");
    cmd->add_option("--author", opts->author, "Only documents by this handle")->type_name("HANDLE");
    cmd->add_option("-n,--limit", opts->limit, "At most N results (default 20)")->type_name("N");
    cmd->callback([&ctx, opts] { run_search(ctx, *opts); });
}

} // namespace async::cmd
