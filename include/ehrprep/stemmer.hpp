#pragma once

#include <memory>
#include <string>
#include <string_view>

struct sb_stemmer;

namespace ehrprep {

// Snowball English stemmer ("encrypting", "encryption" -> "encrypt"). Owns a libstemmer
// instance, which keeps a working buffer, so one Stemmer must not be shared between threads.
class Stemmer {
public:
    Stemmer();
    Stemmer(Stemmer&&) noexcept = default;
    Stemmer& operator=(Stemmer&&) noexcept = default;
    ~Stemmer();

    // Stems a folded, lower-case word. Words with digits are returned unchanged: "hl7" is a
    // name, not an inflected form.
    [[nodiscard]] std::string stem(std::string_view word);

private:
    struct Deleter {
        void operator()(sb_stemmer* stemmer) const;
    };
    std::unique_ptr<sb_stemmer, Deleter> stemmer_;
};

}  // namespace ehrprep
