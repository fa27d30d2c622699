#include "ehrprep/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ehrprep {
namespace {

// Okabe and Ito's palette, which people with any common colour-vision deficiency can tell
// apart, in the order that keeps neighbours most distinct; yellow is left out, being unreadable
// on white. Dark mode lifts the darker ones so that they stand out on a dark page.
constexpr std::size_t kPaletteSize = 7;

std::string percent(double value) { return fmt::format("{}%", static_cast<int>(std::lround(value * 100.0))); }

std::string svg_open(int width, int height, std::string_view title) {
    return fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
        "role=\"img\" aria-label=\"{2}\" font-family=\"system-ui, sans-serif\">\n<title>{2}</title>\n",
        width, height, xml_escape(title));
}

std::string series_attributes(const ChartSeries& series) {
    return fmt::format("class=\"{}\" data-series=\"{}\"", xml_escape(series.colour_class), xml_escape(series.key));
}

}  // namespace

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

std::string series_colour_class(std::size_t k) { return fmt::format("c{}", k % kPaletteSize); }

std::string_view chart_palette_css() {
    return R"(:root { --c0: #0072b2; --c1: #e69f00; --c2: #009e73; --c3: #cc79a7; --c4: #d55e00; --c5: #56b4e9; --c6: #8c6d1f;
  --c-all: #374151; --grid: #d1d5db; --track: #e5e7eb; }
@media screen and (prefers-color-scheme: dark) {
  :root { --c0: #4aa3df; --c1: #f0b030; --c2: #2bc49a; --c3: #e59acb; --c4: #f07a3a; --c5: #9ad3f5; --c6: #cfae5c;
    --c-all: #e5e7eb; --grid: #374151; --track: #1f2937; }
}
.c0 { color: var(--c0); } .c1 { color: var(--c1); } .c2 { color: var(--c2); } .c3 { color: var(--c3); }
.c4 { color: var(--c4); } .c5 { color: var(--c5); } .c6 { color: var(--c6); } .c-all { color: var(--c-all); }
svg.chart .grid { stroke: var(--grid); }
svg.chart .track { fill: var(--track); }
)";
}

std::string svg_bar_chart(const std::vector<BarDatum>& bars, std::string_view title) {
    constexpr int kWidth = 480, kLabel = 150, kRow = 30, kTop = 6, kBarMax = 270;
    const int height = kTop * 2 + kRow * static_cast<int>(bars.size());
    std::string out = svg_open(kWidth, height, title);
    for (std::size_t k = 0; k < bars.size(); ++k) {
        const BarDatum& bar = bars[k];
        const int y = kTop + kRow * static_cast<int>(k);
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"currentColor\">{}</text>\n",
                           kLabel - 8, y + 19, xml_escape(bar.series.name));
        out += fmt::format("<rect class=\"track\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"#e5e7eb\"/>\n", kLabel,
                           y + 5, kBarMax);
        if (!bar.value) {
            out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"currentColor\" opacity=\"0.7\">no scored "
                               "answers</text>\n",
                               kLabel + 6, y + 19);
            continue;
        }
        const double value = std::clamp(*bar.value, 0.0, 1.0);
        const int width = static_cast<int>(std::lround(value * kBarMax));
        out += fmt::format("<rect {} x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"currentColor\"/>\n",
                           series_attributes(bar.series), kLabel, y + 5, width);
        out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"currentColor\">{}</text>\n",
                           kLabel + kBarMax + 8, y + 19, percent(value));
    }
    out += "</svg>\n";
    return out;
}

std::string svg_line_chart(const std::vector<std::string>& x_labels, const std::vector<LineSeries>& series,
                           std::string_view title) {
    // The right margin holds each line's name where the line ends.
    constexpr int kWidth = 1000, kLeft = 44, kRight = 180, kTop = 12, kPlot = 240, kBottom = 28;
    constexpr double kLabelGap = 16;
    const int height = kTop + kPlot + kBottom;
    const int plot_right = kWidth - kRight;
    const int plot_width = plot_right - kLeft;
    const std::size_t n = x_labels.size();
    auto x_of = [&](std::size_t k) {
        return n <= 1 ? kLeft + plot_width / 2.0 : kLeft + plot_width * static_cast<double>(k) / static_cast<double>(n - 1);
    };
    auto y_of = [&](double v) { return kTop + kPlot * (1.0 - std::clamp(v, 0.0, 1.0)); };

    std::string out = svg_open(kWidth, height, title);
    for (int p = 0; p <= 100; p += 25) {
        const double y = y_of(p / 100.0);
        out += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#d1d5db\" "
                           "stroke-width=\"1\"/>\n",
                           kLeft, y, plot_right, y);
        out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"11\" fill=\"currentColor\" "
                           "opacity=\"0.8\">{}%</text>\n",
                           kLeft - 6, y + 4, p);
    }
    // Dates at the ends and a few between, so labels never overlap; the end ones are anchored
    // inwards so they are not cut off.
    const std::size_t step = std::max<std::size_t>(1, (n + 6) / 7);
    auto x_label = [&](std::size_t k) {
        const char* anchor = n > 1 && k == 0 ? "start" : n > 1 && k == n - 1 ? "end" : "middle";
        out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"{}\" font-size=\"11\" fill=\"currentColor\" "
                           "opacity=\"0.8\">{}</text>\n",
                           x_of(k), kTop + kPlot + 18, anchor, xml_escape(x_labels[k]));
    };
    for (std::size_t k = 0; k < n; k += step)
        if (k + step < n || k == n - 1 || n == 1) x_label(k);
    if (n > 1 && (n - 1) % step != 0) x_label(n - 1);

    // Where each line ends, and where its name goes: at the height it ends at, moved apart from
    // its neighbours just enough that no two names overlap.
    struct End {
        std::size_t series;
        double x, y;
        double label_y;
    };
    std::vector<End> ends;
    for (std::size_t s = 0; s < series.size(); ++s) {
        const auto& values = series[s].values;
        for (std::size_t k = std::min(values.size(), n); k-- > 0;) {
            if (!values[k]) continue;
            ends.push_back({s, x_of(k), y_of(*values[k]), y_of(*values[k])});
            break;
        }
    }
    std::sort(ends.begin(), ends.end(), [](const End& a, const End& b) { return a.y < b.y; });
    for (std::size_t k = 1; k < ends.size(); ++k)
        ends[k].label_y = std::max(ends[k].label_y, ends[k - 1].label_y + kLabelGap);
    if (!ends.empty()) ends.back().label_y = std::min<double>(ends.back().label_y, kTop + kPlot + 4);
    for (std::size_t k = ends.size(); k-- > 1;)
        ends[k - 1].label_y = std::min(ends[k - 1].label_y, ends[k].label_y - kLabelGap);

    // Totals are drawn last, on top of the lines they sum up.
    std::vector<std::size_t> order(series.size());
    for (std::size_t s = 0; s < order.size(); ++s) order[s] = s;
    std::stable_partition(order.begin(), order.end(), [&](std::size_t s) { return !series[s].emphasised; });
    for (std::size_t s : order) {
        const LineSeries& line = series[s];
        std::string points;
        std::string dots;
        for (std::size_t k = 0; k < line.values.size() && k < n; ++k) {
            if (!line.values[k]) continue;
            const double x = x_of(k), y = y_of(*line.values[k]);
            points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", x, y);
            dots += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"currentColor\"><title>{} {}: {}</title>"
                                "</circle>\n",
                                x, y, line.emphasised ? 3.5 : 2.5, xml_escape(line.series.name), xml_escape(x_labels[k]),
                                percent(*line.values[k]));
        }
        if (points.empty()) continue;
        out += fmt::format("<g {}>\n<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"{}\" "
                           "stroke-linejoin=\"round\" points=\"{}\"/>\n",
                           series_attributes(line.series), line.emphasised ? 3 : 1.75, points);
        if (n <= 60) out += dots;
        for (const End& end : ends) {
            if (end.series != s) continue;
            out += fmt::format("<polyline class=\"leader\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1\" "
                               "stroke-dasharray=\"2 3\" points=\"{:.1f},{:.1f} {},{:.1f} {},{:.1f}\"/>\n",
                               end.x, end.y, plot_right + 4, end.y, plot_right + 12, end.label_y);
            out += fmt::format("<rect x=\"{}\" y=\"{:.1f}\" width=\"10\" height=\"3\" fill=\"currentColor\"/>\n",
                               plot_right + 14, end.label_y - 1.5);
            out += fmt::format("<text class=\"end-label\" x=\"{}\" y=\"{:.1f}\" font-size=\"12\"{} "
                               "style=\"fill: var(--fg, #111)\">{}</text>\n",
                               plot_right + 28, end.label_y + 4, line.emphasised ? " font-weight=\"700\"" : "",
                               xml_escape(line.series.name));
        }
        out += "</g>\n";
    }
    out += "</svg>\n";
    return out;
}

}  // namespace ehrprep
