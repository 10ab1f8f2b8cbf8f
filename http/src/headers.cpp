#include "plaza/http/headers.h"

#include <algorithm>
#include <utility>

namespace plaza::http {
namespace {

char LowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const Field& field : fields_) {
    if (EqualsIgnoreCase(field.first, name)) return std::string_view(field.second);
  }
  return std::nullopt;
}

void Headers::Set(std::string_view name, std::string value) {
  auto it = std::find_if(fields_.begin(), fields_.end(),
                         [&](const Field& field) { return EqualsIgnoreCase(field.first, name); });
  if (it == fields_.end()) {
    fields_.emplace_back(std::string(name), std::move(value));
    return;
  }
  it->second = std::move(value);
  // Drop later duplicates so Set really leaves one field.
  fields_.erase(std::remove_if(std::next(it), fields_.end(),
                               [&](const Field& field) { return EqualsIgnoreCase(field.first, name); }),
                fields_.end());
}

bool Headers::SetIfAbsent(std::string_view name, std::string value) {
  if (Has(name)) return false;
  fields_.emplace_back(std::string(name), std::move(value));
  return true;
}

void Headers::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Remove(std::string_view name) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const Field& field) { return EqualsIgnoreCase(field.first, name); }),
                fields_.end());
}

}  // namespace plaza::http
