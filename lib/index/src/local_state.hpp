#pragma once
// Part of the index module: the small files of .async/local/ that the index keeps for this
// machine only (the watcher's clock and socket, the stamp of the last page-by-page check).
// Each is a cache: a file that is missing, unreadable or too big reads as nothing, and a
// failed write only costs a miss later.
#include <filesystem>
#include <optional>
#include <string>

namespace async {

// The text of path, or nullopt when it cannot be read or holds more than 64 KiB.
std::optional<std::string> read_small_file(const std::filesystem::path& path);

// Writes text to path by rename (creating its folder), so a reader sees the old or the new
// file, never half of one.
void write_small_file(const std::filesystem::path& path, const std::string& text);

} // namespace async
