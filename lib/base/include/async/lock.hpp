#pragma once
// Lock files for read-modify-write, as git does: TARGET.lock is created with O_CREAT|O_EXCL,
// the new content is written into it, and it is renamed over TARGET. Whoever holds the lock
// reads TARGET after taking it, so no writer's change is lost to another's. Also the names of
// every write's temp files, and the removal of those a killed writer left.
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace async {

// How long a writer waits for a lock another process holds (5 s unless set). cmd/ sets it
// once from the environment snapshot (ASYNC_LOCK_TIMEOUT); the library reads no variable.
void set_lock_wait(std::chrono::milliseconds wait);
std::chrono::milliseconds lock_wait();

// TARGET.lock, the lock file of target.
std::filesystem::path lock_file_of(const std::filesystem::path& target);

// The mkstemp pattern of a temp file beside target: ".NAME.tmp-PID-XXXXXX", hidden, with the
// writer's pid so a later write can tell one that a killed writer left.
std::string temp_file_pattern(const std::filesystem::path& target);

// Whether name (a file name) is a temp file of a write (temp_file_pattern, or the
// ".NAME.tmp-XXXXXX" of older versions) or a lock file of async's (NAME.md.lock,
// NAME.toml.lock): files git must never be asked to stage.
bool is_write_leftover_name(std::string_view name);

// Globs of what is_write_leftover_name accepts, for git (init's .gitignore, sync's pathspecs).
inline constexpr std::string_view k_write_leftover_globs[] = {".*.tmp-*", "*.md.lock", "*.toml.lock"};

// Removes the temp files in dir that killed writers left: named by temp_file_pattern with a
// pid that no longer runs here, or any temp file older than 10 minutes (a write takes
// milliseconds). Best effort: errors are ignored. Lock files are never removed (a held lock
// cannot be told apart from a slow writer).
void remove_stale_temp_files(const std::filesystem::path& dir);

// remove_stale_temp_files(dir) the first time this process writes in dir, so a command that
// writes many files into one folder (publish) lists it once. Called by every write.
void remove_stale_temp_files_once(const std::filesystem::path& dir);

class FileLock {
public:
    // Takes target's lock file, creating target's missing parent folders; while another
    // process holds it, polls with a short backoff for up to lock_wait(). Throws
    // Error{environment} "another async is writing 'TARGET'; if none is running, remove
    // 'TARGET.lock'" when the wait runs out, Error{data} when the lock cannot be created.
    explicit FileLock(std::filesystem::path target);
    // Removes the lock file unless commit() has moved it into place.
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    const std::filesystem::path& target() const { return m_target; }
    const std::filesystem::path& path() const { return m_lock; }

    // Writes content into the lock file (with target's permissions), fsyncs it and renames it
    // over target: the new content and the release are one step. Call at most once; throws
    // Error{data} naming target on failure (the lock is then removed, target untouched).
    void commit(std::string_view content);

private:
    std::filesystem::path m_target;
    std::filesystem::path m_lock;
    int m_fd = -1;
};

} // namespace async
