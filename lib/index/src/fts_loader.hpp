#pragma once
// Part of the index module (see index.cpp): the full-text table of a new index file, filled on
// a thread and SQLite connection of its own. Tokenising the text into the FTS5 table costs
// about as much as everything else a full index does, and one SQLite file has one writer at a
// time, so a rebuild writes two files at once: this one (fts, plus the other tables' schema,
// empty) and one with every other table. copy_tables_from() then moves the other file's rows
// into this one, which becomes the index.
#include <SQLiteCpp/Database.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace async {

class FtsLoader {
public:
    // Creates file (which must not exist) with the tables and indexes of schema, without journal
    // or syncs (a crash leaves a file for the caller to delete). The first row queued starts the
    // thread (with no second thread, insert() and set_extra() write at once on the caller's).
    FtsLoader(const std::filesystem::path& file, const char* schema);
    // Stops the thread without finishing; the file is left for the caller to remove.
    ~FtsLoader();
    FtsLoader(const FtsLoader&) = delete;
    FtsLoader& operator=(const FtsLoader&) = delete;

    // Queues the search row of document rowid (as in the docs table). Waits while much text is
    // queued. Rethrows what stopped the thread, if it failed.
    void insert(std::int64_t rowid, std::string title, std::string body, std::string extra);
    // Queues a new 'extra' column (the bundle's transcripts) for a row inserted before.
    void set_extra(std::int64_t rowid, std::string extra);

    // Waits for every queued row, commits them and copies every table of the complete index file
    // tables (closed by its writer; tables that are empty here, same schema) into this file in
    // one transaction, with user_version. Returns the connection, for the caller to finish
    // with and close. Rethrows what stopped the thread.
    SQLite::Database& copy_tables_from(const std::filesystem::path& tables, int user_version);

private:
    struct Row {
        std::int64_t rowid;
        std::string title, body, extra;
        bool extra_only; // set_extra()
    };

    void queue(Row&& row);
    void write(Row& row);
    void run();

    static constexpr std::size_t k_max_queued_bytes = 4 * 1024 * 1024; // memory stays flat
    bool m_may_start_thread = false; // the caller's only
    std::optional<SQLite::Database> m_db;
    std::optional<SQLite::Statement> m_insert, m_update;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Row> m_queue;        // guarded by m_mutex
    std::size_t m_queued_bytes = 0; // guarded
    bool m_closing = false;         // no more rows come (guarded)
    bool m_stop = false;            // give up: the build failed elsewhere (guarded)
    std::exception_ptr m_failure;   // why the thread stopped (guarded)
    std::thread m_thread;
};

} // namespace async
