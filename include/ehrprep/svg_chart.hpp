#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ehrprep {

// Escapes & < > " ' so that any text is shown as text inside HTML or SVG, in content and in
// attribute values alike.
std::string xml_escape(std::string_view text);

// Which series a bar or a line belongs to. Its colour comes from its colour class through the
// page's stylesheet (chart_palette_css()), so a series given the same class has the same
// colour in every chart, in light and dark mode alike; `key` names it in the markup
// (data-series) for styling and for tests.
struct ChartSeries {
    std::string key;
    std::string name;
    std::string colour_class;
};

// The colour class of the k-th of several like series (tiers), and the one for their total,
// which stands apart from them.
std::string series_colour_class(std::size_t k);
inline constexpr std::string_view kTotalColourClass = "c-all";

// The CSS that gives charts their colours: a colour-blind-safe palette (Okabe and Ito's) for
// light pages, a lighter one for dark mode, and the neutral greys of axes and tracks.
std::string_view chart_palette_css();

struct BarDatum {
    ChartSeries series;
    std::optional<double> value;  // 0..1; none is drawn as "no data"
};

// Horizontal bars, one row per datum, labelled on the left, the percentage at the end of each.
std::string svg_bar_chart(const std::vector<BarDatum>& bars, std::string_view title);

struct LineSeries {
    ChartSeries series;
    std::vector<std::optional<double>> values;  // 0..1, one per x label; gaps are skipped
    bool emphasised = false;                    // drawn thicker, as a total is
};

// Lines over evenly spaced x positions on a 0-100% axis, each labelled with its name where it
// ends, so no legend is needed.
std::string svg_line_chart(const std::vector<std::string>& x_labels, const std::vector<LineSeries>& series,
                           std::string_view title);

}  // namespace ehrprep
