#pragma once
// Where a sign-in or profile form sends the visitor after it succeeds: the `next`
// parameter of /account/login, /account/signup and /account/profile/new. It arrives in a
// link anyone can craft, so only a path on this site is followed; anything else (another
// host, a scheme, a backslash that browsers read as a slash) is dropped and the page's own
// destination is used instead, so the forms cannot be turned into an open redirect.

#include <optional>
#include <string>
#include <string_view>

#include "catalog_view.h"

namespace plaza::web::storefront {

inline constexpr std::size_t kMaxNextLength = 2048;

// `next` when it is a local path: one leading "/", no "//" anywhere (a leading one is
// another host to a browser), no "\", only printable ASCII (it becomes a Location
// header), at most kMaxNextLength bytes. nullopt otherwise.
inline std::optional<std::string> SafeNext(std::string_view next) {
  if (next.empty() || next.size() > kMaxNextLength || next.front() != '/') return std::nullopt;
  if (next.find("//") != std::string_view::npos) return std::nullopt;
  for (const char c : next) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F || c == '\\') return std::nullopt;
  }
  return std::string(next);
}

// `page` with `next` as its query ("/account/login?next=%2Fpeople%2Fana"), or `page`
// alone when `next` is not a local path.
inline std::string WithNext(std::string_view page, std::string_view next) {
  std::string link(page);
  if (const auto safe = SafeNext(next)) link += "?next=" + QueryEscape(*safe);
  return link;
}

}  // namespace plaza::web::storefront
