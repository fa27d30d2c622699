# Fails unless CTest has exactly one entry per Catch2 test case. A case whose name CTest cannot
# carry (a ';' splits it into fragments that match nothing) or that discovery missed would
# otherwise never run while the suite still reports success.
#
#   cmake -DCTEST=... -DBUILD_DIR=... -DTESTS=... -DEXCLUDE_LABEL=... -P check_test_count.cmake

execute_process(
  COMMAND "${TESTS}" --list-test-names-only
  OUTPUT_VARIABLE names
  RESULT_VARIABLE listed)
# Catch2 exits with the number of cases it listed; only a crash is a failure here.
if(NOT listed MATCHES "^[0-9]+$")
  message(FATAL_ERROR "${TESTS} --list-test-names-only failed: ${listed}")
endif()
# Lines are counted by their newlines rather than as a CMake list, which ';' would split.
string(REGEX REPLACE "[^\n]" "" newlines "${names}")
string(LENGTH "${newlines}" cases)

string(FIND "${names}" ";" semicolon)
if(NOT semicolon EQUAL -1)
  message(FATAL_ERROR "a Catch2 test case name contains ';', which CTest splits into names that match no case")
endif()

execute_process(
  COMMAND "${CTEST}" --test-dir "${BUILD_DIR}" -N -LE "${EXCLUDE_LABEL}"
  OUTPUT_VARIABLE listing
  RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT listing MATCHES "Total Tests: ([0-9]+)")
  message(FATAL_ERROR "ctest -N failed (${status}):\n${listing}")
endif()
set(entries "${CMAKE_MATCH_1}")

if(NOT cases EQUAL entries)
  message(FATAL_ERROR "${cases} Catch2 test cases but ${entries} CTest entries for them")
endif()
message(STATUS "${cases} Catch2 test cases, ${entries} CTest entries")
