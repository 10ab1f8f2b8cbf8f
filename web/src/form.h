#pragma once
// Decoding application/x-www-form-urlencoded bodies from the pages' forms.

#include <map>
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

// The hidden field with the signed-in customer's or staff member's CSRF token that every
// state-changing form carries.
Trusted CsrfField(const identity::Principal& principal);

}  // namespace plaza::web
