# Fails when CTest's view of the unit tests differs from the unit binary's own: every doctest
# test case must be registered exactly once (doctest's discovery mangles some names, e.g. a
# ';' splits one case into fragments that run nothing).
# Usage: cmake -DUNIT_TESTS=<unit_tests binary> -DTEST_DIR=<build>/tests -P unit_discovery.cmake
execute_process(COMMAND "${UNIT_TESTS}" --count OUTPUT_VARIABLE count_out RESULT_VARIABLE count_rc)
if(NOT count_rc EQUAL 0 OR NOT count_out MATCHES "passing the current filters: ([0-9]+)")
  message(FATAL_ERROR "cannot count the test cases of ${UNIT_TESTS}: ${count_out}")
endif()
set(cases ${CMAKE_MATCH_1})
execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${TEST_DIR}" -N -L "^unit$"
                OUTPUT_VARIABLE ctest_out RESULT_VARIABLE ctest_rc)
if(NOT ctest_rc EQUAL 0 OR NOT ctest_out MATCHES "Total Tests: ([0-9]+)")
  message(FATAL_ERROR "cannot list the unit tests registered with CTest: ${ctest_out}")
endif()
set(registered ${CMAKE_MATCH_1})
if(NOT cases EQUAL registered)
  message(FATAL_ERROR "unit_tests has ${cases} test cases but CTest registered ${registered}: "
                      "a test case name doctest's discovery cannot carry (';')?")
endif()
message(STATUS "${cases} unit test cases, all registered with CTest")
