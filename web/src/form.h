#pragma once
// Decoding application/x-www-form-urlencoded bodies from the pages' forms.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "html.h"
#include "plaza/core/result.h"
#include "plaza/http/request.h"
#include "plaza/identity/permissions.h"

namespace plaza::web {

// The form fields of a POST; a repeated field keeps its last value. Fails with
// kInvalidArgument for a wrong content type, a malformed escape or invalid UTF-8.
Result<std::map<std::string, std::string, std::less<>>> ReadForm(const http::Request& request);

// A page's id from its path or a form ("42"): a positive decimal integer, nothing else.
std::optional<std::int64_t> ParseId(std::string_view text);

// Whether a query's cursor may be one a module issued: a short base64url-like token.
// Anything else is ignored rather than handed to the module.
bool IsCursor(std::string_view text);

// The hidden field with the signed-in customer's or staff member's CSRF token that every
// state-changing form carries.
Trusted CsrfField(const identity::Principal& principal);

}  // namespace plaza::web
