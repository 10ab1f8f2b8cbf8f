#include "settings_fields.h"

#include <charconv>

#include "plaza/core/money.h"
#include "plaza/core/text.h"

namespace plaza::web::admin {
namespace {

std::string ErrorId(std::string_view name) {
  return "f-" + std::string(name) + "-error";
}

// The label, and the aria attributes tying the input to its hint and error.
void Describe(HtmlWriter& html, std::string_view name, std::string_view hint, const std::string* error) {
  if (!hint.empty() || error) {
    html.Raw(" aria-describedby=\"");
    if (!hint.empty()) html.Raw("f-").Text(name).Raw("-hint");
    if (!hint.empty() && error) html.Raw(" ");
    if (error) html.Text(ErrorId(name));
    html.Raw("\"");
  }
  if (error) html.Raw(" aria-invalid=\"true\"");
}

void HintAndError(HtmlWriter& html, std::string_view name, std::string_view hint, const std::string* error) {
  if (!hint.empty()) html.Raw("<p class=\"hint\" id=\"f-").Text(name).Raw("-hint\">").Text(hint).Raw("</p>");
  if (error) {
    html.Raw("<p class=\"field-error\" role=\"alert\" id=\"").Text(ErrorId(name)).Raw("\">").Text(*error).Raw("</p>");
  }
}

}  // namespace

void FieldErrors::Add(const Error& error, const std::map<std::string, std::string, std::less<>>& pointers) {
  // The longest mapped prefix wins: "/buy_items/product_ids/0" before "/buy_items".
  std::string_view best_pointer;
  const std::string* best_field = nullptr;
  for (const auto& [pointer, field] : pointers) {
    const std::string_view p = error.field;
    const bool match =
        p == pointer || (p.starts_with(pointer) && p.size() > pointer.size() && p[pointer.size()] == '/');
    if (match && pointer.size() >= best_pointer.size()) {
      best_pointer = pointer;
      best_field = &field;
    }
  }
  if (best_field && !For(*best_field)) {
    Add(*best_field, error.detail);
  } else {
    AddGeneral(error.detail);
  }
}

const std::string* FieldErrors::For(std::string_view field) const {
  const auto found = by_field_.find(field);
  return found == by_field_.end() ? nullptr : &found->second;
}

Trusted Input(const InputSpec& spec, const FieldErrors& errors) {
  const std::string* error = errors.For(spec.name);
  HtmlWriter html;
  html.Raw("<div class=\"field\"><label for=\"f-")
      .Text(spec.name)
      .Raw("\">")
      .Text(spec.label)
      .Raw("</label><input id=\"f-")
      .Text(spec.name)
      .Raw("\" name=\"")
      .Text(spec.name)
      .Raw("\" type=\"")
      .Text(spec.type)
      .Raw("\" value=\"")
      .Text(spec.value)
      .Raw("\"");
  if (spec.required) html.Raw(" required");
  if (!spec.extra.empty()) html.Raw(" ").Raw(spec.extra);
  Describe(html, spec.name, spec.hint, error);
  html.Raw(">");
  HintAndError(html, spec.name, spec.hint, error);
  html.Raw("</div>");
  return {html.Take()};
}

Trusted TextArea(std::string_view name, std::string_view label, std::string_view value, const FieldErrors& errors,
                 std::string_view hint, int rows) {
  const std::string* error = errors.For(name);
  HtmlWriter html;
  html.Raw("<div class=\"field\"><label for=\"f-")
      .Text(name)
      .Raw("\">")
      .Text(label)
      .Raw("</label><textarea id=\"f-")
      .Text(name)
      .Raw("\" name=\"")
      .Text(name)
      .Raw("\" rows=\"")
      .Text(std::to_string(rows))
      .Raw("\"");
  Describe(html, name, hint, error);
  html.Raw(">").Text(value).Raw("</textarea>");
  HintAndError(html, name, hint, error);
  html.Raw("</div>");
  return {html.Take()};
}

Trusted Checkbox(std::string_view name, std::string_view label, bool checked) {
  HtmlWriter html;
  html.Raw("<div class=\"check\"><input type=\"checkbox\" id=\"f-")
      .Text(name)
      .Raw("\" name=\"")
      .Text(name)
      .Raw(checked ? "\" value=\"on\" checked>" : "\" value=\"on\">")
      .Raw("<label for=\"f-")
      .Text(name)
      .Raw("\">")
      .Text(label)
      .Raw("</label></div>");
  return {html.Take()};
}

Trusted Select(std::string_view name, std::string_view label,
               const std::vector<std::pair<std::string, std::string>>& options, std::string_view selected,
               const FieldErrors& errors) {
  const std::string* error = errors.For(name);
  HtmlWriter html;
  html.Raw("<div class=\"field\"><label for=\"f-")
      .Text(name)
      .Raw("\">")
      .Text(label)
      .Raw("</label><select id=\"f-")
      .Text(name)
      .Raw("\" name=\"")
      .Text(name)
      .Raw("\"");
  Describe(html, name, {}, error);
  html.Raw(">");
  for (const auto& [value, text] : options) {
    html.Raw("<option value=\"")
        .Text(value)
        .Raw(value == selected ? "\" selected>" : "\">")
        .Text(text)
        .Raw("</option>");
  }
  html.Raw("</select>");
  HintAndError(html, name, {}, error);
  html.Raw("</div>");
  return {html.Take()};
}

Trusted FormErrorBox(const FieldErrors& errors) {
  if (!errors.general().empty()) return ErrorBox(errors.general());
  if (errors.empty()) return {};
  return ErrorBox("Some fields need attention; see the messages next to them.");
}

Trusted ActionButton(const AdminRequest& request, std::string_view action, std::string_view label,
                     const std::vector<std::pair<std::string, std::string>>& hidden) {
  HtmlWriter html;
  html.Raw("<form method=\"post\" class=\"inline\" action=\"")
      .Text(action)
      .Raw("\">")
      .Fragment(CsrfField(request.staff));
  for (const auto& [name, value] : hidden) {
    html.Raw("<input type=\"hidden\" name=\"").Text(name).Raw("\" value=\"").Text(value).Raw("\">");
  }
  html.Raw("<button type=\"submit\" class=\"secondary\">").Text(label).Raw("</button></form>");
  return {html.Take()};
}

std::optional<std::int64_t> ParseInteger(std::string_view text, std::string_view field, std::string_view what,
                                         FieldErrors& errors, std::int64_t min, std::int64_t max) {
  text = text::TrimAscii(text);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    errors.Add(field, std::string(what) + " must be a whole number.");
    return std::nullopt;
  }
  if (value < min || value > max) {
    errors.Add(field,
               std::string(what) + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ".");
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> ParseAmount(std::string_view text, std::string_view currency, std::string_view field,
                                        FieldErrors& errors) {
  auto found = FindCurrency(currency);
  if (!found.ok()) {
    errors.Add(field, "Choose a known currency first; the amount is in its units.");
    return std::nullopt;
  }
  auto amount = ParseDecimalAmount(text::TrimAscii(text), *found);
  if (!amount.ok()) {
    errors.Add(field, "Write the amount like 12.50 (at most " + std::to_string(found->minor_digits) + " decimals in " +
                          std::string(currency) + ").");
    return std::nullopt;
  }
  if (*amount < 0) {
    errors.Add(field, "The amount cannot be negative.");
    return std::nullopt;
  }
  return *amount;
}

std::optional<TimePoint> ParseDateTime(std::string_view text, std::string_view field, FieldErrors& errors) {
  text = text::TrimAscii(text);
  std::string candidate(text);
  // datetime-local sends "2026-12-03T14:00" or with seconds; the admin reads it as UTC.
  if (candidate.size() == 16) candidate += ":00Z";
  if (candidate.size() == 19) candidate += "Z";
  auto parsed = ParseRfc3339(candidate);
  if (!parsed.ok()) {
    errors.Add(field, "Write a date and time like 2026-12-03T14:00 (UTC).");
    return std::nullopt;
  }
  return *parsed;
}

std::string DateTimeInputValue(TimePoint at) {
  // FormatRfc3339 writes "2026-12-03T14:00:00Z" (perhaps with milliseconds).
  return FormatRfc3339(at).substr(0, 16);
}

std::optional<std::vector<std::int64_t>> ParseIdList(std::string_view text, std::string_view field,
                                                     FieldErrors& errors) {
  std::vector<std::int64_t> ids;
  for (const std::string& item : SplitList(text, false)) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (ec != std::errc() || end != item.data() + item.size() || id <= 0) {
      errors.Add(field, "\"" + item + "\" is not an id; list ids as numbers separated by commas.");
      return std::nullopt;
    }
    ids.push_back(id);
  }
  return ids;
}

std::vector<std::string> SplitList(std::string_view text, bool upper) {
  std::vector<std::string> items;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) items.push_back(std::move(current));
    current.clear();
  };
  for (const char c : text) {
    if (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      flush();
    } else {
      current += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    }
  }
  flush();
  return items;
}

std::string JoinList(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

http::Response RedirectWithNotice(std::string_view path, std::string_view notice) {
  return http::Response::Redirect(std::string(path) + "?notice=" + std::string(notice));
}

}  // namespace plaza::web::admin
