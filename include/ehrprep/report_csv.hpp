#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "ehrprep/history.hpp"

namespace ehrprep {

// One RFC 4180 cell: quoted when it holds a comma, quote or line break, and prefixed with an
// apostrophe when a spreadsheet would run it as a formula.
std::string csv_cell(std::string_view text);

// The CSV report: a header, then one row per attempt as the attempts are given, so rows stream
// as the history is read. Which attempts (those of the sessions SessionSelection chose) is the
// caller's to say.
class CsvReportWriter {
public:
    explicit CsvReportWriter(std::ostream& out);

    void add(const Attempt& attempt);
    void finish();

private:
    std::ostream& out_;
};

}  // namespace ehrprep
