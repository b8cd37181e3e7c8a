#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <iostream>

namespace {

// Counts the test cases that actually ran. CTest runs this binary once per discovered test
// case with --test-case=NAME; a name doctest's discovery mangles (a ';' splits it) matches
// nothing, and doctest would report that empty run as a success.
struct RunCounter : doctest::IReporter {
    static inline unsigned s_started = 0;
    static inline bool s_run_ended = false;

    explicit RunCounter(const doctest::ContextOptions&) {}

    void test_case_start(const doctest::TestCaseData&) override { ++s_started; }
    void test_run_end(const doctest::TestRunStats&) override { s_run_ended = true; }

    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("run_counter", 1, RunCounter);

} // namespace

int main(int argc, char** argv) {
    doctest::Context context{argc, argv};
    int result = context.run();
    if (context.shouldExit()) {
        return result;
    }
    // A run (not a query such as --list-test-cases) that executed no test case proves nothing.
    if (RunCounter::s_run_ended && RunCounter::s_started == 0) {
        std::cerr << "unit_tests: error: no test case matched the filters\n";
        return result != 0 ? result : 1;
    }
    return result;
}
