#pragma once
// HTTP header fields: an ordered list of name/value pairs with case-insensitive names
// (RFC 9110 §5.1). Used by requests, responses and the test client.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plaza::http {

// True when `a` and `b` are equal ignoring ASCII case, as header names and tokens compare.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// A small ordered multimap. Requests carry a dozen fields, so a vector with linear,
// case-insensitive search beats a hash map and keeps the order the peer sent.
// Not thread-safe; owned by the request or response that holds it.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;
  using const_iterator = std::vector<Field>::const_iterator;

  Headers() = default;
  Headers(std::initializer_list<Field> fields) : fields_(fields) {}

  // The first value of `name`, if present. The view lives as long as this field is
  // neither removed nor replaced.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  // Replaces every field called `name` by one field with `value`.
  void Set(std::string_view name, std::string value);
  // Sets `name` only when it is absent; returns true when it did.
  bool SetIfAbsent(std::string_view name, std::string value);
  // Appends a field, keeping existing ones of the same name (Set-Cookie needs this).
  void Add(std::string name, std::string value);
  // Removes every field called `name`.
  void Remove(std::string_view name);

  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  const_iterator begin() const { return fields_.begin(); }
  const_iterator end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace plaza::http
