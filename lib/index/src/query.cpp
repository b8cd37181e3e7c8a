#include <async/document.hpp>
#include <async/error.hpp>
#include <async/layout.hpp>
#include <async/index.hpp>
#include <async/query.hpp>
#include <async/schema.hpp>
#include <async/dates.hpp>
#include <async/due.hpp>
#include <async/text.hpp>
#include <async/workspace.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "index_access.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace async {
namespace {

// What a DocSummary is read from. The title of the document an untitled reply, response or
// summary belongs to is not among them: finish_docs looks it up for the few such rows (as a
// column, that look-up made every statement a quarter costlier to prepare).
constexpr const char* k_doc_columns = "d.rowid, d.id, d.path, d.type, d.title, d.author, d.created, d.status, d.due, d.parent";

// How many columns k_doc_columns are: a statement's own columns follow them.
constexpr int k_doc_column_count = 10;

std::optional<TimePoint> time_column(const SQLite::Column& c) {
    if (c.isNull()) {
        return std::nullopt;
    }
    return TimePoint{std::chrono::seconds{c.getInt64()}};
}

// A text column as a string: one call for the bytes, one for their length.
std::string text_of(const SQLite::Column& column) {
    const char* text = column.getText();
    return std::string(text, static_cast<std::size_t>(column.getBytes()));
}

// Reads the k_doc_columns starting at column `first`; finish_docs completes it.
DocSummary read_doc(SQLite::Statement& st, int first = 0) {
    DocSummary d;
    d.rowid = st.getColumn(first).getInt64();
    d.id = text_of(st.getColumn(first + 1));
    d.path = text_of(st.getColumn(first + 2));
    d.type = text_of(st.getColumn(first + 3));
    d.title = text_of(st.getColumn(first + 4)); // as written: finish_docs makes it the display title
    d.author = text_of(st.getColumn(first + 5));
    d.created = time_column(st.getColumn(first + 6));
    d.status = text_of(st.getColumn(first + 7));
    d.due = time_column(st.getColumn(first + 8));
    d.parent = text_of(st.getColumn(first + 9)); // NULL: empty
    return d;
}

// How many values one statement binds at most when it asks about many documents at once:
// under SQLite's oldest limit of 999.
constexpr std::size_t k_values_per_question = 500;

// "?,?,?": count placeholders, for an IN list of that many values (count > 0).
std::string placeholders(std::size_t count) {
    std::string marks(count * 2 - 1, ',');
    for (std::size_t i = 0; i < count; ++i) {
        marks[i * 2] = '?';
    }
    return marks;
}

// Gives each of docs, as read_doc left them, its display_title (schema.hpp): an untitled
// reply, response or summary is named after the document it belongs to, whose titles are
// looked up in one statement for all of them (none in most questions).
void name_docs(SQLite::Database& db, const std::vector<DocSummary*>& docs) {
    std::unordered_map<std::string, std::string> parent_titles;
    for (const auto* d : docs) {
        if (d->title.empty() && !d->parent.empty()) {
            parent_titles.emplace(d->parent, std::string{});
        }
    }
    if (!parent_titles.empty()) {
        std::vector<const std::string*> paths;
        for (const auto& entry : parent_titles) {
            paths.push_back(&entry.first);
        }
        for (std::size_t first = 0; first < paths.size(); first += k_values_per_question) {
            std::size_t count = std::min(k_values_per_question, paths.size() - first);
            SQLite::Statement st{db, "SELECT path, title FROM docs WHERE path IN (" + placeholders(count) + ")"};
            for (std::size_t i = 0; i < count; ++i) {
                st.bind(static_cast<int>(i + 1), *paths[first + i]);
            }
            while (st.executeStep()) {
                parent_titles[text_of(st.getColumn(0))] = text_of(st.getColumn(1));
            }
        }
    }
    for (auto* d : docs) {
        auto parent = d->title.empty() && !d->parent.empty() ? parent_titles.find(d->parent) : parent_titles.end();
        d->title = display_title(d->type, d->title, d->author, parent == parent_titles.end() ? std::string{} : parent->second,
                                 d->parent);
    }
}

// What read_doc leaves out, for docs (each once: several rows, actions of one document, may
// share one): the display title (name_docs), and tags, reviewers and participants. For a few
// documents: two prepared lookups each (through the doc indexes); for many: one pass over each
// whole table, which is cheaper than thousands of lookups and keeps statement text from
// growing with the workspace.
void finish_docs(SQLite::Database& db, std::vector<DocSummary*> docs) {
    if (docs.empty()) {
        return;
    }
    name_docs(db, docs);
    // Several rows (actions of one document) may share a document.
    std::map<std::int64_t, std::vector<DocSummary*>> by_rowid;
    for (auto* d : docs) {
        by_rowid[d->rowid].push_back(d);
    }
    auto add_tag = [](const std::vector<DocSummary*>& same, const SQLite::Column& tag) {
        for (auto* d : same) {
            d->tags.push_back(text_of(tag));
        }
    };
    auto add_person = [](const std::vector<DocSummary*>& same, const SQLite::Column& handle, const SQLite::Column& role) {
        bool reviewer = text_of(role) == "reviewers";
        for (auto* d : same) {
            (reviewer ? d->reviewers : d->participants).push_back(text_of(handle));
        }
    };
    constexpr std::size_t k_most_lookups = 256;
    if (by_rowid.size() > k_most_lookups) {
        SQLite::Statement tags{db, "SELECT doc, tag FROM tags ORDER BY rowid"};
        while (tags.executeStep()) {
            if (auto found = by_rowid.find(tags.getColumn(0).getInt64()); found != by_rowid.end()) {
                add_tag(found->second, tags.getColumn(1));
            }
        }
        SQLite::Statement people{db, "SELECT doc, handle, role FROM doc_people ORDER BY rowid"};
        while (people.executeStep()) {
            if (auto found = by_rowid.find(people.getColumn(0).getInt64()); found != by_rowid.end()) {
                add_person(found->second, people.getColumn(1), people.getColumn(2));
            }
        }
        return;
    }
    SQLite::Statement tags{db, "SELECT tag FROM tags WHERE doc = ? ORDER BY rowid"};
    SQLite::Statement people{db, "SELECT handle, role FROM doc_people WHERE doc = ? ORDER BY rowid"};
    for (auto& [rowid, same] : by_rowid) {
        tags.bind(1, rowid);
        while (tags.executeStep()) {
            add_tag(same, tags.getColumn(0));
        }
        tags.reset();
        people.bind(1, rowid);
        while (people.executeStep()) {
            add_person(same, people.getColumn(0), people.getColumn(1));
        }
        people.reset();
    }
}

// finish_docs for the documents inside rows of any record with a `doc` member.
template <typename Row>
void finish_docs_of(SQLite::Database& db, std::vector<Row>& rows) {
    std::vector<DocSummary*> docs;
    for (auto& row : rows) {
        docs.push_back(&row.doc);
    }
    finish_docs(db, docs);
}

std::vector<DocSummary> query_docs(SQLite::Database& db, const std::string& where,
                                   const std::vector<std::string>& params, const std::string& tail = {}) {
    SQLite::Statement st{db, std::string{"SELECT "} + k_doc_columns + " FROM docs d WHERE " + where + " " + tail};
    for (std::size_t i = 0; i < params.size(); ++i) {
        st.bind(static_cast<int>(i + 1), params[i]);
    }
    std::vector<DocSummary> out;
    while (st.executeStep()) {
        out.push_back(read_doc(st));
    }
    std::vector<DocSummary*> ptrs;
    for (auto& d : out) {
        ptrs.push_back(&d);
    }
    finish_docs(db, ptrs);
    return out;
}

// One token of the search language.
struct Term {
    std::string text;
    bool phrase = false;
    bool prefix = false;
    bool negated = false;
    bool is_or = false;
    std::optional<FieldTerm> field;
};

std::string fts_term(const Term& t) {
    std::string quoted = "\"";
    for (char c : t.text) {
        quoted += c == '"' ? std::string{"\"\""} : std::string(1, c);
    }
    quoted += "\"";
    return t.prefix ? quoted + "*" : quoted;
}

Error query_error(const std::string& message) {
    return Error{ErrorKind::usage, message,
                 "search takes words, \"exact phrases\", OR between alternatives, -word to exclude, prefix*, and tag:, type:, author:, status:"};
}

constexpr std::string_view k_fields[] = {"tag", "type", "author", "status"};

// The field term a word is (tag:web), or nullopt for an ordinary word (http://x, 10:30).
std::optional<FieldTerm> field_term(std::string_view word) {
    auto colon = word.find(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    std::string name = to_lower_ascii(word.substr(0, colon));
    if (std::find(std::begin(k_fields), std::end(k_fields), name) == std::end(k_fields)) {
        return std::nullopt;
    }
    FieldTerm f{name, std::string{word.substr(colon + 1)}, false};
    if (f.value.empty()) {
        throw query_error("'" + name + ":' needs a value, as in " + name +
                          (name == "tag" ? ":web" : name == "type" ? ":decision" : name == "author" ? ":bob" : ":open"));
    }
    if (name == "author") {
        f.value = to_lower_ascii(f.value);
    }
    return f;
}

// The SQL condition (on docs d) of a field term, with its parameter.
std::string field_condition(const FieldTerm& f, std::vector<std::string>& params) {
    params.push_back(f.value);
    std::string condition = f.field == "tag" ? "d.rowid IN (SELECT doc FROM tags WHERE tag = ?)" : "d." + f.field + " = ?";
    return f.negated ? "NOT (" + condition + ")" : condition;
}

} // namespace

std::vector<DocSummary> list_documents(Index& index, const ListFilter& filter) try {
    std::string where = "1";
    std::vector<std::string> params;
    if (filter.type) {
        where += " AND d.type = ?";
        params.push_back(*filter.type);
    }
    if (!filter.include_children && !(filter.type && is_child_type(*filter.type))) {
        where += " AND d.parent IS NULL";
    }
    if (filter.author) {
        where += " AND d.author = ?";
        params.push_back(*filter.author);
    }
    if (filter.status) {
        where += " AND d.status = ?";
        params.push_back(*filter.status);
    }
    for (const auto& tag : filter.tags) {
        where += " AND d.rowid IN (SELECT doc FROM tags WHERE tag = ?)";
        params.push_back(tag);
    }
    if (filter.since) {
        where += " AND d.created >= " + std::to_string(filter.since->time_since_epoch().count());
    }
    if (filter.until) {
        where += " AND d.created <= " + std::to_string(filter.until->time_since_epoch().count());
    }
    std::string order;
    bool descending = false;
    switch (filter.sort) {
    case SortKey::created:
        order = "d.created";
        descending = true;
        break;
    case SortKey::due: order = "d.due IS NULL, d.due"; break;
    case SortKey::title: order = "d.title COLLATE NOCASE"; break;
    case SortKey::type: order = "d.type"; break;
    }
    if (filter.reverse) {
        descending = !descending;
    }
    std::string tail = "ORDER BY " + order + (descending ? " DESC" : "") + ", d.path";
    if (filter.sort == SortKey::due && descending) {
        tail = "ORDER BY d.due IS NULL, d.due DESC, d.path";
    }
    if (filter.limit > 0) {
        tail += " LIMIT " + std::to_string(filter.limit);
    }
    return query_docs(db_of(index), where, params, tail);
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return list_documents(index, filter);
}

DocSummary resolve_ref(Index& index, std::string_view ref_in, const fs::path& cwd) try {
    std::string ref{trim(ref_in)};
    if (ref.empty()) {
        throw Error{ErrorKind::usage, "empty document reference"};
    }
    const fs::path& root = index.workspace().root();
    auto by_path = [&](const fs::path& candidate) -> std::optional<DocSummary> {
        std::error_code ec;
        fs::path absolute = candidate.is_absolute() ? candidate : cwd / candidate;
        absolute = fs::weakly_canonical(absolute, ec);
        if (fs::is_directory(absolute, ec)) {
            absolute /= k_bundle_file;
        }
        fs::path root_canonical = fs::weakly_canonical(root, ec);
        auto rel = absolute.lexically_relative(root_canonical);
        if (rel.empty() || *rel.begin() == "..") {
            return std::nullopt;
        }
        auto found = query_docs(db_of(index), "d.path = ?", {rel.generic_string()});
        if (found.empty()) {
            return std::nullopt;
        }
        return found.front();
    };
    bool pathish = ref.find('/') != std::string::npos || ref.ends_with(".md");
    if (!pathish && looks_like_id(ref)) {
        auto exact = query_docs(db_of(index), "d.id = ?", {ref});
        if (exact.size() == 1) {
            return exact.front();
        }
        std::vector<DocSummary> candidates = exact;
        if (candidates.empty()) {
            std::string upper = ref;
            upper.back() = static_cast<char>(upper.back() + 1);
            candidates = query_docs(db_of(index), "d.id >= ? AND d.id < ?", {ref, upper}, "ORDER BY d.id LIMIT 11");
        }
        if (candidates.size() == 1) {
            return candidates.front();
        }
        if (candidates.size() > 1) {
            std::string list;
            for (std::size_t i = 0; i < candidates.size() && i < 10; ++i) {
                list += (i ? ", " : "") + candidates[i].id + " (" + candidates[i].path + ")";
            }
            throw Error{ErrorKind::no, "'" + ref + "' is ambiguous", "it matches " + list};
        }
    }
    if (auto found = by_path(ref)) {
        return *found;
    }
    if (auto found = by_path(root / ref)) {
        return *found;
    }
    throw Error{ErrorKind::no, "no document matches '" + ref + "'",
                "a REF is an id, an id prefix of 4+ characters, or a path; see 'async list'"};
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return resolve_ref(index, ref_in, cwd);
}

std::vector<DocSummary> children_of(Index& index, const DocSummary& doc) try {
    return query_docs(db_of(index), "d.parent = ?", {doc.path}, "ORDER BY d.created, d.path");
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return children_of(index, doc);
}

std::unordered_map<std::string, std::vector<DocSummary>> children_of_each(Index& index,
                                                                          const std::vector<DocSummary>& docs) try {
    std::vector<std::string> paths; // each once, so that no document's children come twice
    std::unordered_set<std::string_view> seen;
    for (const auto& doc : docs) {
        if (seen.insert(doc.path).second) {
            paths.push_back(doc.path);
        }
    }
    std::unordered_map<std::string, std::vector<DocSummary>> out;
    ReadSnapshot snapshot{index};
    for (std::size_t first = 0; first < paths.size(); first += k_values_per_question) {
        std::vector<std::string> some(paths.begin() + static_cast<std::ptrdiff_t>(first),
                                      paths.begin() + static_cast<std::ptrdiff_t>(std::min(first + k_values_per_question, paths.size())));
        for (auto& child : query_docs(db_of(index), "d.parent IN (" + placeholders(some.size()) + ")", some,
                                      "ORDER BY d.parent, d.created, d.path")) {
            std::string parent = child.parent;
            out[parent].push_back(std::move(child));
        }
    }
    return out;
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return children_of_each(index, docs);
}

std::string to_fts_query(std::string_view query) {
    return parse_search_query(query).fts;
}

SearchQuery parse_search_query(std::string_view query) {
    SearchQuery parsed;
    std::vector<Term> terms;
    std::size_t i = 0;
    if (query.size() > 4096) {
        throw query_error("the search query is too long (over 4096 bytes)");
    }
    if (find_invalid_utf8(query)) {
        throw query_error("the search query is not valid UTF-8");
    }
    while (i < query.size()) {
        char c = query[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            ++i;
            continue;
        }
        Term t;
        if (c == '-') {
            t.negated = true;
            ++i;
            if (i >= query.size() || query[i] == ' ' || query[i] == '\t' || query[i] == '\n' || query[i] == '\r') {
                throw query_error("'-' must be followed by a word or a phrase to exclude");
            }
            c = query[i];
        }
        if (c == '"') {
            auto end = query.find('"', i + 1);
            if (end == std::string_view::npos) {
                throw query_error("unterminated quote in the search query");
            }
            t.text = std::string{query.substr(i + 1, end - i - 1)};
            t.phrase = true;
            i = end + 1;
            if (trim(t.text).empty()) {
                throw query_error("empty phrase \"\" in the search query");
            }
        } else {
            auto end = query.find_first_of(" \t\r\n\"", i);
            t.text = std::string{query.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i)};
            i = end == std::string_view::npos ? query.size() : end;
            if (!t.negated && t.text == "OR") {
                t.is_or = true;
            } else if ((t.field = field_term(t.text))) {
                t.field->negated = t.negated;
            } else if (t.text.ends_with("*")) {
                t.text.pop_back();
                t.prefix = true;
                if (t.text.empty() || t.text.find('*') != std::string::npos) {
                    throw query_error("'*' goes at the end of a word, as in pric*");
                }
            } else if (t.text.find('*') != std::string::npos) {
                throw query_error("'*' goes at the end of a word, as in pric*");
            }
        }
        terms.push_back(std::move(t));
    }
    // Positive terms, with OR binding adjacent alternatives (a b OR c -> a AND (b OR c)).
    std::vector<std::vector<const Term*>> groups;
    std::vector<const Term*> negatives;
    bool pending_or = false;
    for (std::size_t n = 0; n < terms.size(); ++n) {
        const Term& t = terms[n];
        bool beside_field = (n > 0 && terms[n - 1].field) || (n + 1 < terms.size() && terms[n + 1].field);
        if (t.is_or && beside_field) {
            throw query_error("OR joins words, not field terms such as tag:web (every field term must hold)");
        }
        if (t.field) {
            parsed.fields.push_back(*t.field);
            continue;
        }
        if (t.is_or) {
            if (groups.empty() || pending_or) {
                throw query_error("OR needs a word on each side");
            }
            pending_or = true;
            continue;
        }
        if (t.negated) {
            if (pending_or) {
                throw query_error("OR needs a word on each side");
            }
            negatives.push_back(&t);
            continue;
        }
        if (pending_or) {
            groups.back().push_back(&t);
            pending_or = false;
        } else {
            groups.push_back({&t});
        }
    }
    if (pending_or) {
        throw query_error("OR needs a word on each side");
    }
    if (groups.empty()) {
        if (!parsed.fields.empty() && negatives.empty()) {
            return parsed; // fields only: a listing
        }
        throw query_error(negatives.empty() ? "empty search query" : "a search needs at least one word to find, not only words to exclude");
    }
    std::string out = "(";
    for (std::size_t g = 0; g < groups.size(); ++g) {
        out += g ? " AND " : "";
        if (groups[g].size() > 1) {
            out += "(";
        }
        for (std::size_t k = 0; k < groups[g].size(); ++k) {
            out += (k ? " OR " : "") + fts_term(*groups[g][k]);
        }
        if (groups[g].size() > 1) {
            out += ")";
        }
    }
    out += ")";
    for (const auto* n : negatives) {
        out += " NOT " + fts_term(*n);
    }
    parsed.fts = std::move(out);
    return parsed;
}

namespace {

// Search hits ordered as search() promises: best score (lowest bm25) first, then newest.
bool better_hit(const SearchHit& a, const SearchHit& b) {
    if (a.rank != b.rank) {
        return a.rank < b.rank;
    }
    if (a.doc.created != b.doc.created) {
        return a.doc.created > b.doc.created; // no date sorts last, as NULL in SQL DESC
    }
    return a.doc.rowid < b.doc.rowid;
}

// The rowids (with scores) of at most limit best matches, every one that could be among the
// best limit hits; nullopt when ties at the cut-off run past what was read (rare: then the
// caller ranks every match). Scoring needs no docs row, so without filters this query never
// touches docs: joining every match of a common word costs as much as scoring it.
std::optional<std::vector<std::pair<std::int64_t, double>>> best_candidates(SQLite::Database& db,
                                                                           const std::string& where,
                                                                           const std::vector<std::string>& params,
                                                                           bool needs_docs, std::size_t limit) {
    std::size_t fetch = limit + 32;
    std::string sql = "SELECT fts.rowid, bm25(fts, 10.0, 1.0, 0.5) AS score FROM fts ";
    sql += needs_docs ? "JOIN docs d ON d.rowid = fts.rowid " : "";
    sql += where + " ORDER BY score LIMIT " + std::to_string(fetch);
    SQLite::Statement st{db, sql};
    for (std::size_t i = 0; i < params.size(); ++i) {
        st.bind(static_cast<int>(i + 1), params[i]);
    }
    std::vector<std::pair<std::int64_t, double>> rows;
    while (st.executeStep()) {
        rows.emplace_back(st.getColumn(0).getInt64(), st.getColumn(1).getDouble());
    }
    if (rows.size() <= limit) {
        return rows;
    }
    double cut = rows[limit - 1].second;
    if (rows.size() == fetch && rows.back().second == cut) {
        return std::nullopt;
    }
    while (rows.back().second != cut) {
        rows.pop_back(); // can never make the first limit
    }
    return rows;
}

} // namespace

std::vector<SearchHit> search(Index& index, std::string_view query, const SearchFilter& filter) try {
    SearchQuery parsed = parse_search_query(query);
    const std::string& match = parsed.fts;
    std::string fields;
    std::vector<std::string> field_params;
    if (filter.type) {
        parsed.fields.push_back({"type", *filter.type, false});
    }
    if (filter.author) {
        parsed.fields.push_back({"author", *filter.author, false});
    }
    for (const auto& f : parsed.fields) {
        fields += " AND " + field_condition(f, field_params);
    }
    if (match.empty()) {
        // Fields only: the documents that match them, newest first, as a listing.
        std::string tail = "ORDER BY d.created DESC, d.path";
        if (filter.limit > 0) {
            tail += " LIMIT " + std::to_string(filter.limit);
        }
        std::vector<SearchHit> hits;
        for (auto& doc : query_docs(db_of(index), "1" + fields, field_params, tail)) {
            hits.push_back(SearchHit{std::move(doc), {}, 0});
        }
        finish_docs_of(db_of(index), hits);
        return hits;
    }
    std::string where = "WHERE fts MATCH ?" + fields;
    std::vector<std::string> params{match};
    params.insert(params.end(), field_params.begin(), field_params.end());
    const std::string columns = std::string{"SELECT "} + k_doc_columns + ", snippet(fts, -1, char(2), char(3), '…', 16)";
    const std::string from = " FROM fts JOIN docs d ON d.rowid = fts.rowid ";
    auto read_hit = [](SQLite::Statement& st) {
        SearchHit hit;
        hit.doc = read_doc(st);
        hit.snippet = st.getColumn(k_doc_column_count).getString();
        return hit;
    };
    ReadSnapshot snapshot{index};
    std::vector<SearchHit> hits;
    try {
        std::optional<std::vector<std::pair<std::int64_t, double>>> candidates;
        if (filter.limit > 0) {
            candidates = best_candidates(db_of(index), where, params, !parsed.fields.empty(), filter.limit);
        }
        if (candidates) {
            // Snippets and docs rows for the few candidates only, each found by its rowid (and
            // not scored again: bm25 counts the matches of every term in each statement).
            SQLite::Statement one{db_of(index), columns + from + "WHERE fts MATCH ? AND fts.rowid = ?"};
            one.bind(1, match); // kept by reset()
            for (const auto& [rowid, score] : *candidates) {
                one.bind(2, rowid);
                if (one.executeStep()) {
                    hits.push_back(read_hit(one));
                    hits.back().rank = score;
                }
                one.reset();
            }
            std::sort(hits.begin(), hits.end(), better_hit);
            if (hits.size() > filter.limit) {
                hits.resize(filter.limit);
            }
        } else {
            SQLite::Statement st{db_of(index), columns + ", bm25(fts, 10.0, 1.0, 0.5) AS score" + from + where +
                                                 " ORDER BY score, d.created DESC, d.rowid LIMIT " +
                                                 std::to_string(filter.limit == 0 ? 1000000 : filter.limit)};
            for (std::size_t i = 0; i < params.size(); ++i) {
                st.bind(static_cast<int>(i + 1), params[i]);
            }
            while (st.executeStep()) {
                hits.push_back(read_hit(st));
                hits.back().rank = st.getColumn(k_doc_column_count + 1).getDouble();
            }
        }
    } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) != SQLITE_ERROR) {
            throw; // the index, not the query: the handler below
        }
        throw query_error("cannot search for '" + std::string{query} + "'");
    }
    finish_docs_of(db_of(index), hits);
    return hits;
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return search(index, query, filter);
}

// Once a meeting has a summary, the summary is its record: the actions and decisions of its
// agenda and responses are listed from the summary only (no duplicates after meeting close).
// This matches such an agenda or response. (From the few summaries to their meeting and its
// responses: one list, built once per statement, instead of a look-up per meeting and response.)
const std::string k_superseded =
    "d.rowid IN (SELECT m.rowid FROM docs s JOIN docs m ON m.path = s.parent WHERE s.type = 'summary' AND "
    "m.type = 'meeting' UNION ALL SELECT r.rowid FROM docs s JOIN docs r ON r.parent = s.parent WHERE "
    "s.type = 'summary' AND r.type = 'response')";

namespace {

// A document shared by all its actions, and its place in the order of documents (created,
// then path).
struct RankedDoc {
    std::shared_ptr<const DocSummary> doc;
    std::size_t rank = 0;
};

// The documents with these rowids, each read once, with their tags and people.
std::unordered_map<std::int64_t, RankedDoc> read_ranked_docs(SQLite::Database& db, const std::vector<std::int64_t>& rowids) {
    std::vector<DocSummary> found;
    found.reserve(rowids.size());
    SQLite::Statement one{db, std::string{"SELECT "} + k_doc_columns + " FROM docs d WHERE d.rowid = ?"};
    for (auto rowid : rowids) {
        one.bind(1, rowid);
        if (one.executeStep()) {
            found.push_back(read_doc(one));
        }
        one.reset();
    }
    std::sort(found.begin(), found.end(), [](const DocSummary& a, const DocSummary& b) {
        return a.created != b.created ? a.created < b.created : a.path < b.path;
    });
    std::vector<DocSummary*> lists;
    for (auto& doc : found) {
        lists.push_back(&doc);
    }
    finish_docs(db, lists);
    std::unordered_map<std::int64_t, RankedDoc> out;
    for (std::size_t rank = 0; rank < found.size(); ++rank) {
        std::int64_t rowid = found[rank].rowid;
        out.emplace(rowid, RankedDoc{std::make_shared<const DocSummary>(std::move(found[rank])), rank});
    }
    return out;
}

// An action as read from the index: its text columns live in one shared buffer, so reading
// thousands of rows costs no allocation per row; ActionRows are built only for the rows kept.
struct ReadAction {
    struct Span {
        std::size_t at = 0;
        std::size_t size = 0;
    };
    std::int64_t doc = 0;
    std::size_t line = 0;
    bool done = false;
    bool has_due = false;
    Span owner, due, text, handle;
};

class ActionBuffer {
public:
    ReadAction::Span add(const SQLite::Column& column) {
        const char* text = column.getText();
        ReadAction::Span span{m_text.size(), static_cast<std::size_t>(column.getBytes())};
        m_text.append(text, span.size);
        return span;
    }
    // Valid until the next add().
    std::string_view operator()(ReadAction::Span span) const { return std::string_view{m_text}.substr(span.at, span.size); }

private:
    std::string m_text;
};

} // namespace

std::vector<ActionRow> list_actions(Index& index, const ActionFilter& filter) try {
    SQLite::Database& db = db_of(index);
    ReadSnapshot snapshot{index};
    // Documents whose actions a meeting summary has taken over (few: agendas and responses).
    std::unordered_set<std::int64_t> superseded;
    SQLite::Statement gone{db, "SELECT d.rowid FROM docs d WHERE " + k_superseded};
    while (gone.executeStep()) {
        superseded.insert(gone.getColumn(0).getInt64());
    }
    // The actions alone; the fields of their documents are read once per document below, not
    // once per action (a plan with many actions is one document). Overdue: open, with a due
    // date that can be overdue (by text); due.hpp decides the rest below.
    std::string sql = "SELECT doc, line, owner, due, done, text, handle FROM actions WHERE 1";
    if (filter.owner) {
        sql += " AND owner = :owner";
    }
    if (filter.overdue_at || filter.state == ActionState::open) {
        sql += " AND done = 0";
    } else if (filter.state == ActionState::done) {
        sql += " AND done = 1";
    }
    if (!filter.handle_prefix.empty()) {
        sql += " AND substr(handle, 1, length(:prefix)) = :prefix";
    }
    if (filter.overdue_at) {
        sql += " AND due <= :day";
    }
    SQLite::Statement st{db, sql};
    if (filter.owner) {
        st.bind(":owner", *filter.owner);
    }
    if (!filter.handle_prefix.empty()) {
        st.bind(":prefix", filter.handle_prefix);
    }
    if (filter.overdue_at) {
        st.bind(":day", latest_overdue_date(*filter.overdue_at));
    }
    std::vector<ReadAction> rows;
    std::vector<std::int64_t> doc_ids;
    ActionBuffer text;
    while (st.executeStep()) {
        std::int64_t doc = st.getColumn(0).getInt64();
        if (superseded.contains(doc)) {
            continue;
        }
        ReadAction row;
        row.doc = doc;
        row.line = static_cast<std::size_t>(st.getColumn(1).getInt64());
        row.owner = text.add(st.getColumn(2));
        row.has_due = !st.getColumn(3).isNull();
        if (row.has_due) {
            row.due = text.add(st.getColumn(3));
        }
        row.done = st.getColumn(4).getInt() != 0;
        row.text = text.add(st.getColumn(5));
        row.handle = text.add(st.getColumn(6));
        rows.push_back(row);
    }

    // The few distinct due dates, in order, each with its time computed once (due.hpp).
    struct DueDate {
        std::size_t rank = 0;
        std::optional<TimePoint> at;
    };
    std::map<std::string_view, DueDate> due_dates;
    for (const ReadAction& row : rows) {
        if (row.has_due) {
            due_dates.emplace(text(row.due), DueDate{});
        }
    }
    std::size_t next_rank = 0;
    for (auto& [due, date] : due_dates) {
        date.rank = next_rank++;
        date.at = due_at(due);
    }
    if (filter.overdue_at) {
        std::erase_if(rows, [&](const ReadAction& row) {
            if (!row.has_due) {
                return true;
            }
            const auto& at = due_dates[text(row.due)].at;
            return !at || !is_overdue(*at, *filter.overdue_at);
        });
    }
    for (const ReadAction& row : rows) {
        if (doc_ids.empty() || doc_ids.back() != row.doc) {
            doc_ids.push_back(row.doc); // the actions of a document are together, mostly
        }
    }
    std::sort(doc_ids.begin(), doc_ids.end());
    doc_ids.erase(std::unique(doc_ids.begin(), doc_ids.end()), doc_ids.end());
    auto docs = read_ranked_docs(db, doc_ids);
    // Due ones first by due date, then by document and line.
    struct Order {
        std::size_t due;      // rank of the due date; undated after every date
        std::size_t doc_rank;
        std::size_t line;
        std::size_t row;
    };
    std::vector<Order> keys;
    keys.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ReadAction& row = rows[i];
        keys.push_back({row.has_due ? due_dates[text(row.due)].rank : next_rank, docs.at(row.doc).rank, row.line, i});
    }
    std::sort(keys.begin(), keys.end(), [](const Order& x, const Order& y) {
        return std::tie(x.due, x.doc_rank, x.line) < std::tie(y.due, y.doc_rank, y.line);
    });
    std::vector<ActionRow> out;
    out.reserve(keys.size());
    for (const auto& key : keys) {
        const ReadAction& row = rows[key.row];
        ActionRow& action = out.emplace_back();
        action.doc = docs.at(row.doc).doc;
        action.handle = text(row.handle);
        action.line = row.line;
        action.owner = text(row.owner);
        if (row.has_due) {
            action.due = std::string{text(row.due)};
            action.due_at = due_dates[text(row.due)].at;
        }
        action.done = row.done;
        action.text = text(row.text);
    }
    return out;
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return list_actions(index, filter);
}

ActionRow resolve_action(Index& index, std::string_view handle_in) try {
    std::string handle = to_lower_ascii(trim(handle_in));
    if (handle.size() < 4 || handle.size() > 7 ||
        !std::all_of(handle.begin(), handle.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
        throw Error{ErrorKind::usage, "invalid action reference '" + sanitize_for_terminal(handle_in, Newlines::flatten) + "'",
                    "use the handle 'async actions' prints (4 to 7 hex digits)"};
    }
    ActionFilter filter;
    filter.state = ActionState::all;
    filter.handle_prefix = handle;
    std::vector<ActionRow> matches = list_actions(index, filter);
    if (matches.empty()) {
        throw Error{ErrorKind::no, "no action matches '" + handle + "'", "see 'async actions --all'"};
    }
    if (matches.size() > 1) {
        throw Error{ErrorKind::no, "'" + handle + "' is ambiguous", "it matches " + std::to_string(matches.size()) +
                                                                        " actions; type more of the handle"};
    }
    return matches.front();
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return resolve_action(index, handle_in);
}

std::vector<DecisionRow> list_decisions(Index& index, std::optional<TimePoint> since) try {
    std::string sql = std::string{"SELECT "} + k_doc_columns +
                      ", x.line, x.text, x.taken FROM decisions x JOIN docs d ON d.rowid = x.doc WHERE 1";
    sql += " AND NOT (" + k_superseded + ")";
    if (since) {
        sql += " AND x.taken >= " + std::to_string(since->time_since_epoch().count());
    }
    sql += " ORDER BY x.taken DESC, d.path, x.line";
    SQLite::Statement st{db_of(index), sql};
    std::vector<DecisionRow> out;
    while (st.executeStep()) {
        DecisionRow row;
        row.doc = read_doc(st);
        row.line = static_cast<std::size_t>(st.getColumn(k_doc_column_count).getInt64());
        row.text = st.getColumn(k_doc_column_count + 1).getString();
        row.taken = time_column(st.getColumn(k_doc_column_count + 2));
        out.push_back(std::move(row));
    }
    finish_docs_of(db_of(index), out);
    return out;
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return list_decisions(index, since);
}

std::vector<DocSummary> awaiting_answer(Index& index, std::string_view handle, std::string_view role,
                                        std::string_view child_type) try {
    // "lower(+c.author)": the answers are found by their parent (docs_parent, a few rows);
    // by author (docs_open_author) SQLite would read every open document of that person for
    // each one.
    return query_docs(db_of(index),
                      "d.status != 'closed' AND d.rowid IN (SELECT doc FROM doc_people WHERE handle = ? AND role = ? AND open = 1) "
                      "AND NOT EXISTS (SELECT 1 FROM docs c WHERE c.parent = d.path AND +c.type = ? AND lower(+c.author) = ?)",
                      {std::string{handle}, std::string{role}, std::string{child_type}, std::string{handle}},
                      "ORDER BY d.created, d.path");
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return awaiting_answer(index, handle, role, child_type);
}

std::vector<DocSummary> open_documents_by(Index& index, std::string_view handle) try {
    // "+d.parent": nearly every document is top-level; the author's open documents
    // (docs_open_author, which holds no closed one) narrow it.
    return query_docs(db_of(index), "+d.parent IS NULL AND d.status != 'closed' AND lower(d.author) = ?",
                      {std::string{handle}}, "ORDER BY d.created, d.path");
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return open_documents_by(index, handle);
}

std::vector<DocSummary> mentioning(Index& index, std::string_view handle, TimePoint since) try {
    return query_docs(db_of(index),
                      "lower(d.author) != ? AND d.rowid IN (SELECT doc FROM mentions WHERE handle = ? AND created >= " +
                          std::to_string(since.time_since_epoch().count()) + ")",
                      {std::string{handle}, std::string{handle}}, "ORDER BY d.created, d.path");
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return mentioning(index, handle, since);
}

std::vector<DocSummary> items_for(Index& index, std::string_view handle) try {
    std::string folder = "people/" + std::string{handle} + "/inbox/";
    return query_docs(db_of(index),
                      "d.type = 'item' AND (substr(d.path, 1, " + std::to_string(folder.size()) +
                          ") = ? OR d.rowid IN (SELECT doc FROM doc_people WHERE handle = ? AND role = 'for'))",
                      {folder, std::string{handle}}, "ORDER BY d.created, d.path");
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return items_for(index, handle);
}

std::vector<IdTitle> ids_by_prefix(Index& index, const std::optional<std::string>& type, std::string_view prefix) try {
    // "+parent": the docs_parent index matches nearly every row; docs_id (the prefix) or
    // docs_type_created (meetings) narrow the search instead.
    std::string sql = "SELECT id, title, path FROM docs WHERE +parent IS NULL AND id <> ''";
    if (!prefix.empty()) {
        // A range rather than LIKE: it uses the docs_id index and has no wildcards to escape.
        sql += " AND id >= ?1 AND id < ?1 || char(1114111)";
    }
    if (type) {
        sql += " AND type = ?2";
    }
    sql += " ORDER BY created DESC, path";
    SQLite::Statement st{db_of(index), sql};
    if (!prefix.empty()) {
        st.bind(1, std::string{prefix});
    }
    if (type) {
        st.bind(2, *type);
    }
    std::vector<IdTitle> out;
    while (st.executeStep()) {
        out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getString()});
    }
    return out;
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return ids_by_prefix(index, type, prefix);
}

std::vector<IndexedFile> indexed_files(Index& index) try {
    std::vector<IndexedFile> files;
    SQLite::Statement st{db_of(index), "SELECT path, kind, problem FROM files ORDER BY path"};
    while (st.executeStep()) {
        files.push_back(IndexedFile{st.getColumn(0).getString(), st.getColumn(1).getString() == "transcript",
                                    st.getColumn(2).getString()});
    }
    return files;
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return indexed_files(index);
}

std::vector<LinkableDoc> document_ids(Index& index) try {
    std::vector<LinkableDoc> out;
    SQLite::Statement st{db_of(index), "SELECT path, id, title FROM docs"};
    while (st.executeStep()) {
        out.push_back({text_of(st.getColumn(0)), text_of(st.getColumn(1)), text_of(st.getColumn(2))});
    }
    return out;
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return document_ids(index);
}

std::string_view to_string(LinkKind kind) {
    switch (kind) {
    case LinkKind::reference: return "reference";
    case LinkKind::wiki: return "wiki";
    case LinkKind::file: return "file";
    }
    return "wiki";
}

std::string link_key(LinkKind kind, std::string_view target, std::string_view from_path) {
    switch (kind) {
    case LinkKind::reference: return std::string{target};
    case LinkKind::wiki: return to_lower_ascii(target);
    case LinkKind::file: break;
    }
    fs::path joined = (fs::path{std::string{from_path}}.parent_path() / std::string{target}).lexically_normal();
    std::string out = joined.generic_string();
    if (out.empty() || out == "." || joined.is_absolute() || out == ".." || out.starts_with("../")) {
        return {};
    }
    return out;
}

namespace {

// The name a wiki link may give a file: "docs/x/notes.md" is "notes", a bundle's
// "docs/2026-01-05-plan/index.md" is "2026-01-05-plan"; lower-cased.
std::string file_stem_key(std::string_view path) {
    fs::path p{std::string{path}};
    if (p.filename() == k_bundle_file && p.has_parent_path()) {
        return to_lower_ascii(p.parent_path().filename().string());
    }
    std::string name = p.filename().string();
    if (name.size() > 3 && name.ends_with(".md")) {
        name.resize(name.size() - 3);
    }
    return to_lower_ascii(name);
}

LinkKind link_kind_of(std::string_view column) {
    if (column == "reference") {
        return LinkKind::reference;
    }
    return column == "file" ? LinkKind::file : LinkKind::wiki;
}

} // namespace

LinkTargets::LinkTargets(const std::vector<LinkableDoc>& docs) {
    for (const auto& d : docs) {
        if (!d.id.empty()) {
            m_by_id[d.id].push_back(d.path);
        }
        if (!d.title.empty()) {
            m_by_title[to_lower_ascii(d.title)].push_back(d.path);
        }
        m_by_stem[file_stem_key(d.path)].push_back(d.path);
        m_paths.insert(d.path);
    }
}

std::vector<std::string> LinkTargets::resolve(LinkKind kind, std::string_view key) const {
    if (key.empty()) {
        return {};
    }
    if (kind == LinkKind::file) {
        if (m_paths.contains(std::string{key})) {
            return {std::string{key}};
        }
        return {};
    }
    if (auto exact = m_by_id.find(key); exact != m_by_id.end()) {
        return exact->second;
    }
    if (kind == LinkKind::reference) {
        std::vector<std::string> out;
        for (auto it = m_by_id.lower_bound(key); it != m_by_id.end() && it->first.starts_with(key); ++it) {
            out.insert(out.end(), it->second.begin(), it->second.end());
        }
        return out;
    }
    for (const auto* by : {&m_by_title, &m_by_stem}) {
        if (auto found = by->find(std::string{key}); found != by->end()) {
            return found->second;
        }
    }
    return {};
}

namespace {

// The documents at paths, by path (finish_docs done).
std::unordered_map<std::string, DocSummary> docs_at(SQLite::Database& db, const std::unordered_set<std::string>& paths) {
    std::unordered_map<std::string, DocSummary> out;
    SQLite::Statement st{db, std::string{"SELECT "} + k_doc_columns + " FROM docs d WHERE d.path = ?"};
    std::vector<DocSummary*> filled;
    for (const auto& path : paths) {
        st.bind(1, path);
        if (st.executeStep()) {
            out.emplace(path, read_doc(st));
        }
        st.reset();
    }
    for (auto& [path, doc] : out) {
        filled.push_back(&doc);
    }
    finish_docs(db, filled);
    return out;
}

} // namespace

std::vector<LinkRow> links_from(Index& index, const DocSummary& doc) try {
    SQLite::Database& db = db_of(index);
    SQLite::Statement st{db, "SELECT l.kind, l.target, l.key, l.line FROM links l JOIN docs d ON d.rowid = l.doc "
                             "WHERE d.path = ? ORDER BY l.line, l.col, l.rowid"};
    st.bind(1, doc.path);
    std::vector<std::pair<LinkRow, std::string>> rows; // with each link's key
    while (st.executeStep()) {
        LinkRow row;
        row.kind = link_kind_of(text_of(st.getColumn(0)));
        row.target = text_of(st.getColumn(1));
        row.line = static_cast<std::size_t>(st.getColumn(3).getInt64());
        rows.emplace_back(std::move(row), text_of(st.getColumn(2)));
    }
    if (rows.empty()) {
        return {};
    }
    LinkTargets targets{document_ids(index)};
    std::vector<std::vector<std::string>> resolved;
    std::unordered_set<std::string> wanted;
    for (const auto& [row, key] : rows) {
        resolved.push_back(targets.resolve(row.kind, key));
        if (resolved.back().size() == 1) {
            wanted.insert(resolved.back().front());
        }
    }
    std::unordered_map<std::string, DocSummary> found = docs_at(db, wanted);
    std::vector<LinkRow> out;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        LinkRow row = std::move(rows[i].first);
        row.candidates = resolved[i].size();
        if (row.candidates == 1) {
            if (auto d = found.find(resolved[i].front()); d != found.end()) {
                row.doc = d->second;
            }
        }
        out.push_back(std::move(row));
    }
    return out;
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return links_from(index, doc);
}

std::vector<Backlink> linked_from(Index& index, const DocSummary& doc) try {
    SQLite::Database& db = db_of(index);
    // The keys that could name doc (each candidate is then resolved the one way): its path,
    // its id and the prefixes a reference may use, its title and file name.
    std::vector<std::string> keys{doc.path, file_stem_key(doc.path)};
    std::string title;
    {
        SQLite::Statement t{db, "SELECT title FROM docs WHERE path = ?"};
        t.bind(1, doc.path);
        if (t.executeStep()) {
            title = text_of(t.getColumn(0));
        }
    }
    if (!title.empty()) {
        keys.push_back(to_lower_ascii(title));
    }
    if (!doc.id.empty()) {
        keys.push_back(to_lower_ascii(doc.id));
        for (std::size_t n = 4; n <= doc.id.size(); ++n) {
            keys.push_back(doc.id.substr(0, n));
        }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    std::string sql = "SELECT d.path, l.kind, l.key, l.line FROM links l JOIN docs d ON d.rowid = l.doc "
                      "WHERE d.path <> ? AND l.key IN (";
    for (std::size_t i = 0; i < keys.size(); ++i) {
        sql += i == 0 ? "?" : ", ?";
    }
    sql += ") ORDER BY d.path, l.line, l.col, l.rowid";
    SQLite::Statement st{db, sql};
    st.bind(1, doc.path);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        st.bind(static_cast<int>(i + 2), keys[i]);
    }
    struct Candidate {
        std::string path;
        LinkKind kind;
        std::string key;
        std::size_t line;
    };
    std::vector<Candidate> candidates;
    while (st.executeStep()) {
        candidates.push_back({text_of(st.getColumn(0)), link_kind_of(text_of(st.getColumn(1))),
                              text_of(st.getColumn(2)), static_cast<std::size_t>(st.getColumn(3).getInt64())});
    }
    if (candidates.empty()) {
        return {};
    }
    LinkTargets targets{document_ids(index)};
    std::vector<std::pair<std::string, Candidate*>> linking; // first link of each linking path
    std::unordered_set<std::string> wanted;
    for (auto& c : candidates) {
        std::vector<std::string> to = targets.resolve(c.kind, c.key);
        if (to.size() == 1 && to.front() == doc.path && wanted.insert(c.path).second) {
            linking.emplace_back(c.path, &c);
        }
    }
    std::unordered_map<std::string, DocSummary> found = docs_at(db, wanted);
    std::vector<Backlink> out;
    for (const auto& [path, c] : linking) {
        if (auto d = found.find(path); d != found.end()) {
            out.push_back(Backlink{d->second, c->kind, c->line});
        }
    }
    return out;
} catch (const SQLite::Exception& e) {
    repair_or_throw(index, e);
    return linked_from(index, doc);
}

} // namespace async
