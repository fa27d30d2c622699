#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ehrprep {

// Exit statuses, documented in the README's "Exit status" table.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;      // an I/O failure while doing what was asked
inline constexpr int kExitBadInput = 2;     // bad arguments or input: an option, a bank, an id, an answer file
inline constexpr int kExitInterrupted = 130;

// What went wrong, in one line a user can act on, and the exit status it ends a command with.
// Most failures are about what the user gave, so that is the default; the file system's
// errors say they are I/O failures, and a command may decide otherwise for its own files (an
// unreadable bank is bad input).
struct Error {
    std::string message;
    int exit_status = kExitBadInput;
    // Lines that name their own file and place ("bank.json:3:9: ..."), shown as they are after
    // the message: a bank can have many problems at once.
    std::vector<std::string> located{};
};

// A value or an Error. Library modules return this instead of throwing across their
// boundaries so that callers decide how a failure is shown.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
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

    [[nodiscard]] const E& error() const& { return std::get<1>(state_); }
    E&& error() && { return std::get<1>(std::move(state_)); }

private:
    std::variant<T, E> state_;
};

// Result<void>: success carries nothing.
template <typename E>
class [[nodiscard]] Result<void, E> {
public:
    Result() = default;
    Result(E error) : error_(std::move(error)), failed_(true) {}

    [[nodiscard]] bool has_value() const { return !failed_; }
    explicit operator bool() const { return has_value(); }
    [[nodiscard]] const E& error() const& { return error_; }
    E&& error() && { return std::move(error_); }

private:
    E error_{};
    bool failed_ = false;
};

}  // namespace ehrprep
