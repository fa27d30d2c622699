#include <catch2/catch.hpp>

#include <sstream>

#include "ehrprep/app_context.hpp"
#include "ehrprep/posix_platform.hpp"
#include "support/process.hpp"

using namespace ehrprep;

namespace {

struct Harness {
    std::ostringstream out, err;
    std::istringstream in;
    PosixFileSystem files;
    SystemClock clock;
    AppContext ctx(Environment env, bool terminal = false, std::size_t columns = 0) {
        return AppContext{Console{out, err, in, terminal, false, columns}, files, clock, std::move(env)};
    }
};

}  // namespace

TEST_CASE("data lives in --data-dir, then EHRPREP_HOME, then XDG_DATA_HOME, then ~/.local/share", "[app]") {
    Harness h;
    GlobalOptions options;
    CHECK(data_directory(h.ctx({{"HOME", "/home/u"}}), options).value() == "/home/u/.local/share/ehrprep");
    CHECK(data_directory(h.ctx({{"HOME", "/home/u"}, {"XDG_DATA_HOME", "/x"}}), options).value() == "/x/ehrprep");
    // The XDG spec says a relative path must be ignored.
    CHECK(data_directory(h.ctx({{"HOME", "/home/u"}, {"XDG_DATA_HOME", "rel"}}), options).value() ==
          "/home/u/.local/share/ehrprep");
    CHECK(data_directory(h.ctx({{"XDG_DATA_HOME", "/x"}, {"EHRPREP_HOME", "/e"}}), options).value() == "/e");
    options.data_dir = "/d";
    CHECK(data_directory(h.ctx({{"EHRPREP_HOME", "/e"}}), options).value() == "/d");
    auto nowhere = data_directory(h.ctx({}), GlobalOptions{});
    REQUIRE_FALSE(nowhere);
    CHECK(nowhere.error().exit_status == kExitBadInput);
}

TEST_CASE("the locale decides between Unicode and ASCII drawing", "[app]") {
    CHECK(locale_is_utf8({{"LANG", "en_US.UTF-8"}}));
    CHECK(locale_is_utf8({{"LC_ALL", "C.utf8"}, {"LANG", "C"}}));
    CHECK_FALSE(locale_is_utf8({{"LC_ALL", "C"}, {"LANG", "en_US.UTF-8"}}));
    CHECK_FALSE(locale_is_utf8({}));
}

TEST_CASE("output width comes from the terminal, then COLUMNS", "[app]") {
    Harness h;
    CHECK(output_width(h.ctx({}, true, 120), 80) == 120);
    CHECK(output_width(h.ctx({{"COLUMNS", "60"}}, false), 80) == 60);
    CHECK(output_width(h.ctx({{"COLUMNS", "junk"}}, false), 80) == 80);
    CHECK(output_width(h.ctx({}, false), 0) == 0);
}

TEST_CASE("colour is off off-terminal and under NO_COLOR unless forced", "[app]") {
    Harness h;
    GlobalOptions options;
    CHECK(make_style(h.ctx({}, true), options).enabled());
    CHECK_FALSE(make_style(h.ctx({}, false), options).enabled());
    CHECK_FALSE(make_style(h.ctx({{"NO_COLOR", "1"}}, true), options).enabled());
    CHECK(make_style(h.ctx({{"NO_COLOR", ""}}, true), options).enabled());  // empty means unset
    options.color = ColorMode::Always;
    CHECK(make_style(h.ctx({{"NO_COLOR", "1"}}, false), options).enabled());
}
