#pragma once
// Result<T>: a value or an Error. Expected failures (not found, invalid input, sold out)
// travel as values through modules; only the API edge turns them into responses.

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "plaza/core/error.h"

namespace plaza {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok()
  const Error& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Error> state_;
};

// Result of an operation that produces nothing but may fail.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& {
    assert(failed_);
    return error_;
  }
  Error&& error() && {
    assert(failed_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

inline Status Ok() {
  return {};
}

}  // namespace plaza

// Returns the error of `expr` from the enclosing function when it failed.
#define PLAZA_CONCAT_INNER_(a, b) a##b
#define PLAZA_CONCAT_(a, b) PLAZA_CONCAT_INNER_(a, b)

// `tmp` is a generated variable name and `lhs` a declaration ("const Foo foo"): neither
// may be parenthesised, and every expression argument already is.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define PLAZA_TRY(expr) PLAZA_TRY_IMPL_(PLAZA_CONCAT_(plaza_try_, __COUNTER__), expr)
#define PLAZA_TRY_IMPL_(tmp, expr)                                   \
  do {                                                               \
    if (auto tmp = (expr); !tmp.ok()) return std::move(tmp).error(); \
  } while (false)

// Declares `lhs` from the value of `expr`, or returns its error.
#define PLAZA_ASSIGN_OR_RETURN(lhs, expr) \
  PLAZA_ASSIGN_OR_RETURN_IMPL_(PLAZA_CONCAT_(plaza_result_, __COUNTER__), lhs, expr)
#define PLAZA_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).error();      \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
