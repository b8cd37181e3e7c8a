#include "fts_loader.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <system_error>
#include <utility>
#include <vector>

namespace async {

FtsLoader::FtsLoader(const std::filesystem::path& file, const char* schema) {
    // NOMUTEX: one thread at a time uses the connection: this one until the thread starts, the
    // thread until it is joined, then the caller of copy_tables_from().
    m_db.emplace(file, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
    m_db->exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE");
    m_db->exec(schema);
    // Never a savepoint while FTS5 holds terms in memory: each one makes it write them out.
    m_db->exec("BEGIN");
    m_insert.emplace(*m_db, "INSERT INTO fts(rowid, title, body, extra) VALUES (?, ?, ?, ?)");
    m_update.emplace(*m_db, "UPDATE fts SET extra = ? WHERE rowid = ?");
    m_may_start_thread = std::thread::hardware_concurrency() >= 2;
}

FtsLoader::~FtsLoader() {
    if (m_thread.joinable()) {
        {
            std::lock_guard lock{m_mutex};
            m_stop = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
    m_insert.reset();
    m_update.reset();
    m_db.reset(); // the open transaction goes with the connection
}

void FtsLoader::insert(std::int64_t rowid, std::string title, std::string body, std::string extra) {
    queue(Row{rowid, std::move(title), std::move(body), std::move(extra), false});
}

void FtsLoader::set_extra(std::int64_t rowid, std::string extra) {
    queue(Row{rowid, {}, {}, std::move(extra), true});
}

void FtsLoader::queue(Row&& row) {
    if (m_may_start_thread) {
        // On the first row, not before: a rebuild that finds no file never starts the thread.
        m_may_start_thread = false;
        try {
            m_thread = std::thread{[this] { run(); }};
        } catch (const std::system_error&) {
            // One thread then: rows are written as they come.
        }
    }
    if (!m_thread.joinable()) {
        write(row);
        return;
    }
    std::size_t bytes = row.title.size() + row.body.size() + row.extra.size();
    std::unique_lock lock{m_mutex};
    m_changed.wait(lock, [&] { return m_queued_bytes < k_max_queued_bytes || m_failure; });
    if (m_failure) {
        std::rethrow_exception(m_failure);
    }
    bool was_empty = m_queue.empty();
    m_queue.push_back(std::move(row));
    m_queued_bytes += bytes;
    if (was_empty) {
        m_changed.notify_all();
    }
}

void FtsLoader::write(Row& row) {
    if (row.extra_only) {
        m_update->bindNoCopy(1, row.extra);
        m_update->bind(2, row.rowid);
        m_update->exec();
        m_update->reset();
        return;
    }
    m_insert->bind(1, row.rowid);
    m_insert->bindNoCopy(2, row.title);
    m_insert->bindNoCopy(3, row.body);
    m_insert->bindNoCopy(4, row.extra);
    m_insert->exec();
    m_insert->reset();
}

void FtsLoader::run() {
    std::exception_ptr failure;
    std::deque<Row> taken;
    try {
        for (;;) {
            {
                // Everything queued at once: one lock per batch, not per row.
                std::unique_lock lock{m_mutex};
                m_changed.wait(lock, [&] { return !m_queue.empty() || m_closing || m_stop; });
                if (m_stop || m_queue.empty()) {
                    break; // stopped, or closing with nothing left
                }
                taken.swap(m_queue);
                m_queued_bytes = 0;
            }
            m_changed.notify_all();
            for (Row& row : taken) {
                write(row);
            }
            taken.clear();
        }
    } catch (...) {
        failure = std::current_exception();
    }
    std::lock_guard lock{m_mutex};
    m_failure = failure;
    m_changed.notify_all();
}

SQLite::Database& FtsLoader::copy_tables_from(const std::filesystem::path& tables, int user_version) {
    if (m_thread.joinable()) {
        {
            std::lock_guard lock{m_mutex};
            m_closing = true;
        }
        m_changed.notify_all();
        m_thread.join();
        if (m_failure) {
            std::rethrow_exception(m_failure);
        }
    }
    m_insert.reset();
    m_update.reset();
    SQLite::Database& db = *m_db;
    db.exec("COMMIT"); // ATTACH cannot happen inside a transaction
    SQLite::Statement attach{db, "ATTACH DATABASE ? AS tables"};
    attach.bind(1, tables.string());
    attach.exec();
    {
        std::vector<std::string> names;
        SQLite::Statement list{db, "SELECT name FROM tables.sqlite_schema WHERE type = 'table' ORDER BY name"};
        while (list.executeStep()) {
            names.push_back(list.getColumn(0).getString());
        }
        SQLite::Transaction tx{db};
        for (const std::string& name : names) {
            // The same schema on both sides and an empty table here: SQLite copies the rows and
            // the entries of the indexes as they are (its transfer optimisation), with their
            // rowids, so docs keeps the rowids the fts rows were given.
            db.exec("INSERT INTO main.\"" + name + "\" SELECT * FROM tables.\"" + name + "\"");
        }
        db.exec("PRAGMA user_version = " + std::to_string(user_version));
        tx.commit();
    }
    db.exec("DETACH DATABASE tables");
    return db;
}

} // namespace async
