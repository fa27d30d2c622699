#pragma once

#include <string>

#include "ehrprep/progress.hpp"

namespace ehrprep {

// Version of the JSON report's shape, documented in the README; bumped when a field changes
// meaning or goes away, not when one is added.
inline constexpr int kReportSchemaVersion = 1;

// The JSON report, every view of the report for scripts, laid out as nlohmann's dump(2) lays
// out a document.
std::string render_json(const ProgressReport& report);

}  // namespace ehrprep
