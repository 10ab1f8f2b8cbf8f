#pragma once
// Form pieces the commerce pages share: labelled inputs that show their error next to
// the field (role="alert", aria-describedby) and keep what was entered, the mapping of
// a module error's JSON pointer to the form field it came from, and how amounts and
// times read for a merchant.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "../html.h"
#include "admin_page.h"
#include "plaza/core/clock.h"
#include "plaza/core/error.h"
#include "plaza/core/result.h"

namespace plaza::web::admin {

// Errors of one submitted form: per field name, and one summary for the top.
struct FormErrors {
  std::map<std::string, std::string, std::less<>> fields;
  std::string summary;

  bool empty() const { return fields.empty() && summary.empty(); }
  // The message for `field`, or "".
  std::string_view For(std::string_view field) const;
  // Records a module's error at the field its pointer names ("/variants/0/sku" ->
  // "variants_0_sku") when the form has that field, else in the summary.
  void Add(const Error& error, const FormFields& form);
};

// "/variants/0/sku" -> "variants_0_sku".
std::string FieldNameOf(std::string_view json_pointer);

struct InputOptions {
  std::string_view type = "text";
  std::string_view hint{};        // shown under the label, linked with aria-describedby
  std::string_view attributes{};  // literal markup, e.g. "required min=\"0\""
};

// <label> + <input> with its error.
Trusted Input(std::string_view label, std::string_view name, std::string_view value, const FormErrors& errors,
              const InputOptions& options = {});
// <label> + <textarea> with its error.
Trusted TextArea(std::string_view label, std::string_view name, std::string_view value, const FormErrors& errors);
// <label> + <select>; `choices` are {value, label}.
Trusted Select(std::string_view label, std::string_view name, std::string_view selected,
               std::initializer_list<std::pair<std::string_view, std::string_view>> choices, const FormErrors& errors);

// "EUR 12.50" for people; "12.50" for an input's value.
std::string MoneyText(std::int64_t minor, std::string_view currency);
std::string AmountInputValue(std::int64_t minor, std::string_view currency);
// An amount typed into a form, in minor units of `currency`: "money/invalid-amount"
// with `field` for anything that is not a number with the currency's decimals.
Result<std::int64_t> ParseAmountField(std::string_view text, std::string_view currency, std::string_view field);
// A positive or zero whole number typed into a form, or nullopt.
std::optional<std::int64_t> ParseCount(std::string_view text);
// A value for a link's query string, percent-encoded.
std::string QueryValue(std::string_view value);
// "2026-11-23 19:12 UTC".
std::string TimeText(TimePoint at);

}  // namespace plaza::web::admin
