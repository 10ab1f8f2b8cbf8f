#pragma once
// Labelled form controls with their error next to them, for the admin's settings-style
// pages (promotions, markets and shipping, staff, tokens, webhooks, import). A module's
// Error names the offending member with a JSON pointer; FieldErrors maps it to the form
// field the merchant typed it in, so the message appears beside that input.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../html.h"
#include "admin_page.h"
#include "plaza/core/clock.h"
#include "plaza/core/error.h"

namespace plaza::web::admin {

class FieldErrors {
 public:
  void Add(std::string_view field, std::string message) { by_field_.emplace(std::string(field), std::move(message)); }
  // Puts `error` beside the form field its pointer names ("/countries/2" -> the form
  // field `pointers` maps "/countries" to), or at the top of the form when none does.
  void Add(const Error& error, const std::map<std::string, std::string, std::less<>>& pointers);
  void AddGeneral(std::string message) { general_ = std::move(message); }
  bool empty() const { return by_field_.empty() && general_.empty(); }
  const std::string* For(std::string_view field) const;
  const std::string& general() const { return general_; }

 private:
  std::map<std::string, std::string, std::less<>> by_field_;
  std::string general_;
};

// A text-like input with its label, hint and error. `type` is "text", "number", "email",
// "url", "date", "datetime-local" or "time".
struct InputSpec {
  std::string_view name;
  std::string_view label;
  std::string_view value;
  std::string_view type = "text";
  std::string_view hint = {};
  bool required = false;
  std::string_view extra = {};  // literal attributes, e.g. "min=\"0\""
};
Trusted Input(const InputSpec& spec, const FieldErrors& errors);
Trusted TextArea(std::string_view name, std::string_view label, std::string_view value, const FieldErrors& errors,
                 std::string_view hint = {}, int rows = 4);
Trusted Checkbox(std::string_view name, std::string_view label, bool checked);
Trusted Select(std::string_view name, std::string_view label,
               const std::vector<std::pair<std::string, std::string>>& options, std::string_view selected,
               const FieldErrors& errors);
// The form's general error (role="alert"), or nothing.
Trusted FormErrorBox(const FieldErrors& errors);

// A POST button in a form of its own (deactivate, revoke, requeue), with the CSRF field.
Trusted ActionButton(const AdminRequest& request, std::string_view action, std::string_view label,
                     const std::vector<std::pair<std::string, std::string>>& hidden = {});

// Parsing what a merchant typed. Each returns nullopt after adding a precise message to
// `errors` for `field`.
std::optional<std::int64_t> ParseInteger(std::string_view text, std::string_view field, std::string_view what,
                                         FieldErrors& errors, std::int64_t min, std::int64_t max);
// "12.50" in `currency` -> 1250; the currency must be known.
std::optional<std::int64_t> ParseAmount(std::string_view text, std::string_view currency, std::string_view field,
                                        FieldErrors& errors);
// "2026-12-03T14:00" (a datetime-local input, read as UTC) or RFC 3339.
std::optional<TimePoint> ParseDateTime(std::string_view text, std::string_view field, FieldErrors& errors);
// TimePoint -> "2026-12-03T14:00" for a datetime-local input (UTC).
std::string DateTimeInputValue(TimePoint at);
// "1, 2 3" -> {1, 2, 3}.
std::optional<std::vector<std::int64_t>> ParseIdList(std::string_view text, std::string_view field,
                                                     FieldErrors& errors);
// "FR, de be" -> {"FR", "DE", "BE"}: split on commas and spaces, upper-cased.
std::vector<std::string> SplitList(std::string_view text, bool upper);
std::string JoinList(const std::vector<std::string>& items, std::string_view separator = ", ");

// A redirect after a successful form: 303 to `path` with ?notice=<code>.
http::Response RedirectWithNotice(std::string_view path, std::string_view notice);

}  // namespace plaza::web::admin
