#include "ehrprep/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ehrprep {
namespace {

// Distinguishable on white and in greyscale print.
constexpr std::string_view kPalette[] = {"#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207",
                                         "#4b5563"};

std::string_view colour(std::size_t k) { return kPalette[k % std::size(kPalette)]; }

std::string percent(double value) { return fmt::format("{}%", static_cast<int>(std::lround(value * 100.0))); }

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

std::string svg_bar_chart(const std::vector<BarDatum>& bars, std::string_view title) {
    constexpr int kWidth = 720, kLabel = 200, kRow = 30, kTop = 10, kBarMax = 440;
    const int height = kTop * 2 + kRow * static_cast<int>(bars.size());
    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" "
        "aria-label=\"{2}\">\n<title>{2}</title>\n",
        kWidth, height, xml_escape(title));
    for (std::size_t k = 0; k < bars.size(); ++k) {
        const int y = kTop + kRow * static_cast<int>(k);
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\" fill=\"#111\">{}</text>\n",
                           kLabel - 8, y + 19, xml_escape(bars[k].label));
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"#e5e7eb\"/>\n", kLabel, y + 5, kBarMax);
        if (!bars[k].value) {
            out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#6b7280\">no scored answers</text>\n",
                               kLabel + 6, y + 19);
            continue;
        }
        const double value = std::clamp(*bars[k].value, 0.0, 1.0);
        const int width = static_cast<int>(std::lround(value * kBarMax));
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"{}\"/>\n", kLabel, y + 5, width,
                           colour(k));
        out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#111\">{}</text>\n", kLabel + kBarMax + 8,
                           y + 19, percent(value));
    }
    out += "</svg>\n";
    return out;
}

std::string svg_line_chart(const std::vector<std::string>& x_labels, const std::vector<LineSeries>& series,
                           std::string_view title) {
    constexpr int kWidth = 720, kLeft = 48, kRight = 16, kTop = 12, kPlot = 220;
    const int legend_rows = static_cast<int>((series.size() + 3) / 4);
    const int height = kTop + kPlot + 36 + 20 * legend_rows;
    const int plot_width = kWidth - kLeft - kRight;
    const std::size_t n = x_labels.size();
    auto x_of = [&](std::size_t k) {
        return n <= 1 ? kLeft + plot_width / 2.0 : kLeft + plot_width * static_cast<double>(k) / static_cast<double>(n - 1);
    };
    auto y_of = [&](double v) { return kTop + kPlot * (1.0 - std::clamp(v, 0.0, 1.0)); };

    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" role=\"img\" "
        "aria-label=\"{2}\">\n<title>{2}</title>\n",
        kWidth, height, xml_escape(title));
    for (int p = 0; p <= 100; p += 25) {
        const double y = y_of(p / 100.0);
        out += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#d1d5db\" stroke-width=\"1\"/>\n",
                           kLeft, y, kWidth - kRight, y);
        out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" font-size=\"11\" fill=\"#374151\">{}%</text>\n",
                           kLeft - 6, y + 4, p);
    }
    // Dates at the ends and a few between, so labels never overlap; the end ones are anchored
    // inwards so they are not cut off.
    const std::size_t step = std::max<std::size_t>(1, (n + 5) / 6);
    auto x_label = [&](std::size_t k) {
        const char* anchor = n > 1 && k == 0 ? "start" : n > 1 && k == n - 1 ? "end" : "middle";
        out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"{}\" font-size=\"11\" fill=\"#374151\">{}</text>\n",
                           x_of(k), kTop + kPlot + 16, anchor, xml_escape(x_labels[k]));
    };
    for (std::size_t k = 0; k < n; k += step)
        if (k + step < n || k == n - 1 || n == 1) x_label(k);
    if (n > 1 && (n - 1) % step != 0) x_label(n - 1);

    for (std::size_t s = 0; s < series.size(); ++s) {
        std::string points;
        std::string dots;
        for (std::size_t k = 0; k < series[s].values.size() && k < n; ++k) {
            if (!series[s].values[k]) continue;
            const double x = x_of(k), y = y_of(*series[s].values[k]);
            points += fmt::format("{}{:.1f},{:.1f}", points.empty() ? "" : " ", x, y);
            dots += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>{} {}: {}</title></circle>\n",
                                x, y, colour(s), xml_escape(series[s].name), xml_escape(x_labels[k]),
                                percent(*series[s].values[k]));
        }
        if (points.empty()) continue;
        out += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", colour(s), points);
        if (n <= 60) out += dots;
    }
    for (std::size_t s = 0; s < series.size(); ++s) {
        const int x = kLeft + static_cast<int>(s % 4) * 165;
        const int y = kTop + kPlot + 36 + 20 * static_cast<int>(s / 4);
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", x, y - 10, colour(s));
        out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#111\">{}</text>\n", x + 16, y,
                           xml_escape(series[s].name));
    }
    out += "</svg>\n";
    return out;
}

}  // namespace ehrprep
