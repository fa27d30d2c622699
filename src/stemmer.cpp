#include "ehrprep/stemmer.hpp"

#include <algorithm>
#include <new>

#include <libstemmer.h>

namespace ehrprep {

void Stemmer::Deleter::operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }

Stemmer::Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {
    // Only allocation failure can make this null: the algorithm and encoding are built in.
    if (!stemmer_) throw std::bad_alloc();
}

Stemmer::~Stemmer() = default;

std::string Stemmer::stem(std::string_view word) {
    if (word.empty() || std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::string(word);
    const sb_symbol* out = sb_stemmer_stem(stemmer_.get(), reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
    if (out == nullptr) return std::string(word);
    return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer_.get())));
}

}  // namespace ehrprep
