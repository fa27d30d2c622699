#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ehrprep {

// The failure half of Result<T>: what went wrong, in one line a user can act on.
struct Error {
    std::string message;
};

// A value or an Error. Library modules return this instead of throwing across their
// boundaries so that callers decide how a failure is shown and which exit status it maps to.
template <typename T, typename E = Error>
class Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(E error) : state_(std::move(error)) {}

    [[nodiscard]] bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    [[nodiscard]] const E& error() const { return std::get<1>(state_); }

private:
    std::variant<T, E> state_;
};

// Result<void>: success carries nothing.
template <typename E>
class Result<void, E> {
public:
    Result() = default;
    Result(E error) : error_(std::move(error)), failed_(true) {}

    [[nodiscard]] bool has_value() const { return !failed_; }
    explicit operator bool() const { return has_value(); }
    [[nodiscard]] const E& error() const { return error_; }

private:
    E error_{};
    bool failed_ = false;
};

}  // namespace ehrprep
