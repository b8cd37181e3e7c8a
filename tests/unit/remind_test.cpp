#include <async/dates.hpp>
#include <async/error.hpp>
#include <async/process.hpp>
#include <async/remind.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <string>

using async::ErrorKind;
using async_test::error_of;

TEST_CASE("remind::validate_address") {
    CHECK_NOTHROW(async::validate_address("bob@example.com", "bob"));
    CHECK_NOTHROW(async::validate_address("bob+async@mail.example.com", "bob"));
    for (const char* bad :
         {"", "-oQ/tmp/x@example.com", "bob@example.com\nBcc: eve@example.com", "bob@example.com\r",
          "bob example@x.org", "<bob@example.com>", "bob", "@example.com", "bob@", "a@b@c",
          "bob@example.com,eve@example.com", "bob\x1b@example.com"}) {
        CAPTURE(bad);
        auto e = error_of([&] { async::validate_address(bad, "'bob'"); });
        CHECK(e.kind() == ErrorKind::data);
        CHECK(std::string{e.what()}.starts_with("refusing the address"));
    }
}

TEST_CASE("remind::mail_settings") {
    async::Config config;
    config.set("mail.sendmail", "sendmail", async::ConfigScope::builtin);
    CHECK(error_of([&] { async::mail_settings(config); }).kind() == ErrorKind::usage);
    config.set("mail.from", "-f@example.com", async::ConfigScope::workspace);
    CHECK(error_of([&] { async::mail_settings(config); }).kind() == ErrorKind::data);
    config.set("mail.from", "async@example.org", async::ConfigScope::workspace);
    auto mail = async::mail_settings(config);
    CHECK(mail.from == "async@example.org");
    CHECK(mail.sendmail == std::vector<std::string>{"sendmail"});
}

TEST_CASE("remind::render_message") {
    async_test::ScopedEnvVar tz{"TZ", "UTC"};
    async::Reminder r;
    r.person = async::Person{"bob", "Bob \"B\" Müller", "bob@example.com"};
    async::OwedItem item;
    item.kind = "review";
    item.key = "review:k3f9q2ma";
    item.title = "Pricing\r\nBcc: eve@example.com\r\n\r\nfake body " + std::string(500, 'x');
    item.due = async::parse_iso8601("2026-11-28T17:00:00Z");
    item.doc_id = "k3f9q2ma";
    item.from = "alice";
    async::MailSettings mail{{"sendmail"}, "async@example.org"};
    auto now = *async::parse_iso8601("2026-11-26T10:15:00Z");
    std::string msg = async::render_message(r, {item}, mail, now);

    auto blank = msg.find("\r\n\r\n");
    REQUIRE(blank != std::string::npos);
    std::string headers = msg.substr(0, blank + 2);
    std::string body = msg.substr(blank + 4);
    CHECK(headers.find("From: async <async@example.org>\r\n") == 0);
    CHECK(headers.find("\r\nTo: =?UTF-8?B?") != std::string::npos);
    CHECK(headers.find("<bob@example.com>\r\n") != std::string::npos);
    CHECK(headers.find("Subject: Reminder: 1 thing you owe (2026-11-26)\r\n") != std::string::npos);
    CHECK(headers.find("Date: Thu, 26 Nov 2026 10:15:00 +0000\r\n") != std::string::npos);
    CHECK(headers.find("Bcc") == std::string::npos);
    CHECK(body.find("- Feedback on \"Pricing Bcc: eve@example.com fake body xxx") !=
          std::string::npos);
    CHECK(body.find("async doc reply k3f9q2ma") != std::string::npos);
    // No bare LF, no line over 998 octets.
    std::size_t start = 0;
    while (start < msg.size()) {
        auto end = msg.find("\r\n", start);
        REQUIRE(end != std::string::npos);
        CHECK(msg.substr(start, end - start).find('\n') == std::string::npos);
        CHECK(end - start <= 998);
        start = end + 2;
    }
}

TEST_CASE("process::run_process_with_input") {
    SUBCASE("feeds stdin and captures stdout, larger than a pipe buffer") {
        std::string input(1 << 20, 'a');
        auto r = async::run_process_with_input({"cat"}, input, async::Capture::stdout_only);
        REQUIRE(r);
        CHECK(r->exit_status == 0);
        CHECK(r->out == input);
    }
    SUBCASE("a program that does not read is no crash") {
        auto r = async::run_process_with_input({"true"}, std::string(1 << 20, 'a'),
                                               async::Capture::none);
        REQUIRE(r);
        CHECK(r->exit_status == 0);
    }
    SUBCASE("exit status and missing programs") {
        auto r = async::run_process_with_input({"sh", "-c", "cat >/dev/null; exit 3"}, "x",
                                               async::Capture::none);
        REQUIRE(r);
        CHECK(r->exit_status == 3);
        CHECK_FALSE(
            async::run_process_with_input({"/nonexistent/sendmail"}, "x", async::Capture::none));
    }
}
