#pragma once

#include <iosfwd>
#include <string>

#include "ehrprep/progress.hpp"

namespace ehrprep {

// Version of the JSON report's shape, documented in the README; bumped when a field changes
// meaning or goes away, not when one is added.
inline constexpr int kReportSchemaVersion = 1;

// The JSON report, every view of the report for scripts, laid out as nlohmann's dump(2) lays
// out a document. Written to `out` as it is made, a piece at a time, so that memory does not
// grow with the number of sessions it lists.
void write_json(const ProgressReport& report, std::ostream& out);
std::string render_json(const ProgressReport& report);  // the same, as one string

}  // namespace ehrprep
