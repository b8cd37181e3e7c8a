#include <async/html.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace {

std::optional<std::string> known(std::string_view id) {
    if (id == "k3f9q2ma") {
        return std::string{"../k3f9q2ma/index.html"};
    }
    return std::nullopt;
}

} // namespace

TEST_CASE("html::escape_html") {
    CHECK(async::escape_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
    CHECK(async::escape_html("a & \"b\" 'c'") == "a &amp; &quot;b&quot; &#39;c&#39;");
    SUBCASE("controls and invalid UTF-8 become U+FFFD, newlines and tabs stay") {
        CHECK(async::escape_html("a\x01" "b\x1b" "c") == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
        CHECK(async::escape_html("x\xff" "y") == "x\xEF\xBF\xBD" "y");
        CHECK(async::escape_html("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong '/'
        CHECK(async::escape_html("a\tb\nc") == "a\tb\nc");
        CHECK(async::escape_html("caf\xC3\xA9") == "caf\xC3\xA9");
    }
}

TEST_CASE("html::safe_url") {
    CHECK(async::safe_url("https://example.com/x") == "https://example.com/x");
    CHECK(async::safe_url("mailto:bob@example.com") == "mailto:bob@example.com");
    CHECK(async::safe_url("attachments/a.ogg") == "attachments/a.ogg");
    CHECK(async::safe_url("#k3f9") == "#k3f9");
    CHECK(async::safe_url("a/b:c") == "a/b:c");
    CHECK(async::safe_url("javascript:alert(1)") == "#");
    CHECK(async::safe_url("JaVaScRiPt:alert(1)") == "#");
    CHECK(async::safe_url(" \x01java\tscript:alert(1)") == "#");
    CHECK(async::safe_url("data:text/html,x") == "#");
    CHECK(async::safe_url("vbscript:x") == "#");
    CHECK(async::safe_url(":x") == "#");
    CHECK(async::is_remote_url("https://x/y.png"));
    CHECK(async::is_remote_url("HTTP://x/y.png"));
    CHECK(async::is_remote_url("//x/y.png"));
    CHECK_FALSE(async::is_remote_url("attachments/y.png"));
    CHECK(async::url_encode_segment("a b#?.ogg") == "a%20b%23%3F.ogg");
}

TEST_CASE("html::markdown_to_html") {
    SUBCASE("Markdown renders; raw HTML is text") {
        auto html = async::markdown_to_html("# Hi\n\n*x* <b>y</b>\n\n<script>alert(1)</script>\n", known);
        CHECK(html.find("<h1>Hi</h1>") != std::string::npos);
        CHECK(html.find("<em>x</em> &lt;b&gt;y&lt;/b&gt;") != std::string::npos);
        CHECK(html.find("<script") == std::string::npos);
        CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    }
    SUBCASE("hostile link schemes are neutralised") {
        auto html = async::markdown_to_html("[a](javascript:alert(1)) [b](<java&#115;cript:x>) "
                                            "[c](https://e.com/?a=1&b=2)\n",
                                            known);
        CHECK(html.find("javascript") == std::string::npos);
        CHECK(html.find("<a href=\"#\">a</a>") != std::string::npos);
        CHECK(html.find("<a href=\"#\">b</a>") != std::string::npos);
        CHECK(html.find("<a href=\"https://e.com/?a=1&amp;b=2\">c</a>") != std::string::npos);
    }
    SUBCASE("remote images become links, local ones stay") {
        auto html = async::markdown_to_html("![chart](https://cdn.example/c.png) ![local](attachments/l.png)\n", known);
        CHECK(html.find("<a href=\"https://cdn.example/c.png\">chart</a>") != std::string::npos);
        CHECK(html.find("<img src=\"attachments/l.png\" alt=\"local\">") != std::string::npos);
        CHECK(html.find("<img src=\"http") == std::string::npos);
    }
    SUBCASE("#id references resolve outside code and links") {
        auto html = async::markdown_to_html("See #k3f9q2ma, [it](#k3f9q2ma) and #unknown1.\n\n"
                                            "`#k3f9q2ma`\n\n[#k3f9q2ma](https://x.example/)\n",
                                            known);
        CHECK(html.find("See <a href=\"../k3f9q2ma/index.html\">#k3f9q2ma</a>,") != std::string::npos);
        CHECK(html.find("<a href=\"../k3f9q2ma/index.html\">it</a>") != std::string::npos);
        CHECK(html.find("#unknown1.") != std::string::npos);
        CHECK(html.find("<code>#k3f9q2ma</code>") != std::string::npos);
        CHECK(html.find("<a href=\"https://x.example/\">#k3f9q2ma</a>") != std::string::npos);
    }
    SUBCASE("any input: NUL, invalid UTF-8, deep nesting") {
        std::string odd = std::string{"a\0b\xff", 4} + std::string(5000, '>') + std::string(5000, '[');
        auto html = async::markdown_to_html(odd, {});
        CHECK(html.find('\0') == std::string::npos);
        CHECK_FALSE(html.empty());
    }
    SUBCASE("nothing past the end of the view is read") {
        std::string buffer = "see [x](y) ) <script>SECRET</script>";
        auto html = async::markdown_to_html(std::string_view(buffer).substr(0, 9), known);
        CHECK(html.find("SECRET") == std::string::npos);
        CHECK(html.find("[x](y") != std::string::npos);
    }
}
