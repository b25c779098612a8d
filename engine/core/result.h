// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/core/error.h"

namespace slipway::core {

/// A value or an Error, in the style of std::expected (C++23) and Qt Creator's Utils::Result.
/// Every failure that comes from the outside world travels as a Result; exceptions thrown by
/// libraries are caught at the adapter and turned into an Error.
template <typename T>
class [[nodiscard]] Result {
public:
    static_assert(!std::is_same_v<std::remove_cvref_t<T>, Error>, "Result<Error> is ambiguous");

    Result(const T& value) : m_state(std::in_place_index<0>, value) {}
    Result(T&& value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    /// The value; calling it on an error is a programmer error.
    T& value() & {
        assert(ok());
        return std::get<0>(m_state);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(m_state);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(m_state));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    template <typename U>
    T valueOr(U&& fallback) const& {
        return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
    }

    /// The error; calling it on a value is a programmer error.
    const Error& error() const {
        assert(!ok());
        return std::get<1>(m_state);
    }

private:
    std::variant<T, Error> m_state;
};

/// Success carries nothing; failure carries an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const {
        assert(m_failed);
        return m_error;
    }

private:
    Error m_error{ErrorCode::Internal, {}};
    bool m_failed = false;
};

/// Spelled-out success for Result<void>: `return core::success();`
inline Result<void> success() {
    return {};
}

}  // namespace slipway::core
