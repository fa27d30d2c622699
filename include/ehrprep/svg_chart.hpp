#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ehrprep {

// Escapes & < > " ' so that any text is shown as text inside HTML or SVG, in content and in
// attribute values alike.
std::string xml_escape(std::string_view text);

struct BarDatum {
    std::string label;
    std::optional<double> value;  // 0..1; none is drawn as "no data"
};

// Horizontal bars, one row per datum, with the percentage at the end of each bar.
std::string svg_bar_chart(const std::vector<BarDatum>& bars, std::string_view title);

struct LineSeries {
    std::string name;
    std::vector<std::optional<double>> values;  // 0..1, one per x label; gaps are skipped
};

// Lines over evenly spaced x positions, a 0-100% axis and a legend.
std::string svg_line_chart(const std::vector<std::string>& x_labels, const std::vector<LineSeries>& series,
                           std::string_view title);

}  // namespace ehrprep
