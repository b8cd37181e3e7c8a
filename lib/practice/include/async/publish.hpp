#pragma once
// Practice 8, the internal blog: a static, self-contained HTML site of the workspace's posts and
// lasting documents (sop, onboarding, decision, closed docs with their outcomes) with tag pages
// and an Atom feed (RFC 4287) of the posts. Re-running rewrites only what changed and removes
// only files an earlier run wrote (listed in the output folder's manifest).
#include <async/query.hpp>

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace async {

class Config;
class Index;
class Workspace;

// A subscribable calendar the site carries (written as is, linked from the index page).
struct PublishedCalendar {
    std::string file;    // relative to the site: "calendar.ics", "calendars/<team>.ics"
    std::string label;   // the link's text: "Everything", the team's name
    std::string content; // the iCalendar text
};

struct PublishOptions {
    std::filesystem::path out_dir; // absolute
    std::string title;             // site title; empty: the workspace folder's name
    std::string base_url;          // absolute http(s) URL the site is served from; empty: relative links
    std::map<std::string, std::string> names; // handle (lower-case) -> the person's name, shown for authors
    std::vector<PublishedCalendar> calendars; // built by the caller (the calendar practice)
};

// The path (under calendars/) of a team's calendar in the site: team_calendar_file("web") is
// "calendars/web.ics"; a name that is not [0-9a-z_-] is made safe as tag_file_name does.
std::string team_calendar_file(std::string_view team);

// What the command line said; nullopt where it said nothing.
struct PublishFlags {
    std::optional<std::filesystem::path> out_dir; // absolute
    std::optional<std::string> title;
    std::optional<std::string> base_url;
};

// The options of a run: each flag, else its setting: publish.dir (relative to root; "~/" is
// home), publish.title (else team.name, else the workspace folder's name), publish.base_url;
// and the names of the people in config ([people.HANDLE] name), so pages and the feed show
// names instead of handles. Throws Error{usage} when neither -o nor publish.dir names a folder,
// when a setting is invalid (validate_config_value), or publish.dir starts with "~/" without a
// home folder.
PublishOptions publish_options(const Config& config, const std::filesystem::path& root,
                               const std::optional<std::filesystem::path>& home, const PublishFlags& flags);

struct PublishStats {
    std::size_t documents = 0; // pages of documents
    std::size_t written = 0;   // files created or rewritten
    std::size_t unchanged = 0; // files left alone because they were already up to date
    std::size_t removed = 0;   // files an earlier run wrote that are no longer part of the site
    std::vector<std::string> warnings; // documents skipped, with the reason
};

// The manifest publish keeps in its output folder: the files it wrote, one relative path a line.
inline constexpr std::string_view k_publish_manifest = ".async-publish";

// Newest posts the feed carries. Each post's audio and video attachments are its enclosures
// (<link rel="enclosure"> with the file's length and layout's media_type), so podcast apps
// can follow the feed.
inline constexpr std::size_t k_feed_limit = 50;

// Builds the site of the workspace ws (index, refreshed by the caller) in options.out_dir.
// Throws Error{usage} when out_dir is a file, lies inside the workspace's document folders
// (docs/, meetings/, checkins/, people/, .async/) or its root, contains the workspace, or is a
// non-empty folder without a manifest; and when base_url is not an http(s) URL or a file it
// would write exists without having been written by publish. Error{data} when a file cannot
// be written. Documents that cannot be read are skipped with a warning.
PublishStats publish_site(Index& index, const Workspace& ws, const PublishOptions& options);

// The documents the site shows, newest first: posts, sop, onboarding and decision documents
// (all but drafts) and docs that are closed.
std::vector<DocSummary> published_documents(Index& index);

// A safe file name for a document's folder: its id when that is 1-64 characters of
// [0-9a-z_-], else "x" and a hash of the id.
std::string page_name(std::string_view id);

// A safe file name (without ".html") for a tag's page: the tag when it is made of [0-9a-z_-]
// only, else its slug and a hash of the tag (so "a/b", "a-b" and ".." never collide or
// escape the tags/ folder).
std::string tag_file_name(std::string_view tag);

// Parses a manifest's text: the set of relative paths; nullopt when text is not a manifest.
// Paths that are absolute or contain "..", "." or empty parts are dropped.
std::optional<std::set<std::string>> parse_publish_manifest(std::string_view text);

// The manifest's text for paths.
std::string format_publish_manifest(const std::set<std::string>& paths);

// base_url checked and normalised to end in '/'; empty stays empty. Throws Error{usage} for
// anything but an http(s) URL without query, fragment, quotes or blanks.
std::string normalise_base_url(std::string_view base_url);

} // namespace async
