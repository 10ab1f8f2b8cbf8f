#pragma once
// Refusing form posts that another site made a visitor's browser send (CSRF). Browsers
// send Origin on every cross-origin POST and Sec-Fetch-Site on every request; a post
// without either comes from a client that is not a browser, which cookies cannot be
// ridden through, so it is let through.

#include <string_view>

#include "plaza/http/request.h"

namespace plaza::web {

// True when `request` was sent from a page of another origin than the Host it went to.
inline bool CrossOrigin(const http::Request& request) {
  const auto fetch_site = request.Header("Sec-Fetch-Site");
  if (fetch_site && *fetch_site != "same-origin" && *fetch_site != "none") return true;
  const auto origin = request.Header("Origin");
  const auto host = request.Header("Host");
  if (!origin) return false;
  if (*origin == "null" || !host) return true;
  const auto scheme_end = origin->find("://");
  return scheme_end == std::string_view::npos || origin->substr(scheme_end + 3) != *host;
}

}  // namespace plaza::web
