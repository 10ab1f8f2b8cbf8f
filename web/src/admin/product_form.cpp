#include "product_form.h"

#include <cctype>
#include <charconv>
#include <chrono>

#include "plaza/core/money.h"

namespace plaza::web::admin {
namespace {

// The id an input gets: its name, made safe for an id attribute.
std::string IdOf(std::string_view name) {
  std::string id = "f-";
  for (char c : name) id += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') ? c : '-';
  return id;
}

// The opening of a field: label, hint and the attributes that tie the error to it.
void OpenField(HtmlWriter& html, std::string_view label, std::string_view name, std::string_view hint) {
  const std::string id = IdOf(name);
  html.Raw("<div class=\"field\"><label for=\"").Text(id).Raw("\">").Text(label).Raw("</label>");
  if (!hint.empty()) html.Raw("<span class=\"hint\" id=\"").Text(id).Raw("-hint\">").Text(hint).Raw("</span>");
}

void DescribedBy(HtmlWriter& html, std::string_view name, bool hint, const FormErrors& errors) {
  const std::string id = IdOf(name);
  const bool error = !errors.For(name).empty();
  html.Raw(" id=\"").Text(id).Raw("\" name=\"").Text(name).Raw("\"");
  if (hint || error) {
    html.Raw(" aria-describedby=\"");
    if (hint) html.Text(id).Raw("-hint");
    if (hint && error) html.Raw(" ");
    if (error) html.Text(id).Raw("-error");
    html.Raw("\"");
  }
  if (error) html.Raw(" aria-invalid=\"true\"");
}

void CloseField(HtmlWriter& html, std::string_view name, const FormErrors& errors) {
  const std::string_view error = errors.For(name);
  if (!error.empty()) {
    html.Raw("<span class=\"field-error\" role=\"alert\" id=\"")
        .Text(IdOf(name))
        .Raw("-error\">")
        .Text(error)
        .Raw("</span>");
  }
  html.Raw("</div>");
}

}  // namespace

std::string_view FormErrors::For(std::string_view field) const {
  const auto found = fields.find(field);
  return found == fields.end() ? std::string_view() : std::string_view(found->second);
}

void FormErrors::Add(const Error& error, const FormFields& form) {
  const std::string name = FieldNameOf(error.field);
  if (!name.empty() && form.contains(name) && !fields.contains(name)) {
    fields.emplace(name, error.detail);
  } else if (summary.empty()) {
    summary = error.detail;
  }
}

std::string FieldNameOf(std::string_view json_pointer) {
  std::string name;
  for (char c : json_pointer) {
    if (c == '/') {
      if (!name.empty()) name += '_';
    } else {
      name += c;
    }
  }
  return name;
}

Trusted Input(std::string_view label, std::string_view name, std::string_view value, const FormErrors& errors,
              const InputOptions& options) {
  HtmlWriter html;
  OpenField(html, label, name, options.hint);
  html.Raw("<input type=\"").Text(options.type).Raw("\"");
  DescribedBy(html, name, !options.hint.empty(), errors);
  html.Raw(" value=\"").Text(value).Raw("\"");
  if (!options.attributes.empty()) html.Raw(" ").Raw(options.attributes);
  html.Raw(">");
  CloseField(html, name, errors);
  return {html.Take()};
}

Trusted TextArea(std::string_view label, std::string_view name, std::string_view value, const FormErrors& errors) {
  HtmlWriter html;
  OpenField(html, label, name, "");
  html.Raw("<textarea rows=\"6\"");
  DescribedBy(html, name, false, errors);
  html.Raw(">").Text(value).Raw("</textarea>");
  CloseField(html, name, errors);
  return {html.Take()};
}

Trusted Select(std::string_view label, std::string_view name, std::string_view selected,
               std::initializer_list<std::pair<std::string_view, std::string_view>> choices, const FormErrors& errors) {
  HtmlWriter html;
  OpenField(html, label, name, "");
  html.Raw("<select");
  DescribedBy(html, name, false, errors);
  html.Raw(">");
  for (const auto& [value, text] : choices) {
    html.Raw("<option value=\"")
        .Text(value)
        .Raw(value == selected ? "\" selected>" : "\">")
        .Text(text)
        .Raw("</option>");
  }
  html.Raw("</select>");
  CloseField(html, name, errors);
  return {html.Take()};
}

std::string MoneyText(std::int64_t minor, std::string_view currency) {
  return FormatMoney(Money{.minor = minor, .currency = std::string(currency)});
}

std::string AmountInputValue(std::int64_t minor, std::string_view currency) {
  auto found = FindCurrency(currency);
  return found.ok() ? FormatDecimalAmount(minor, *found) : std::to_string(minor);
}

Result<std::int64_t> ParseAmountField(std::string_view text, std::string_view currency, std::string_view field) {
  PLAZA_ASSIGN_OR_RETURN(const Currency found, FindCurrency(currency));
  auto amount = ParseDecimalAmount(text, found);
  if (!amount.ok()) {
    return Error::Invalid(
        "money/invalid-amount",
        "Enter an amount in " + std::string(currency) + " such as " + FormatDecimalAmount(1250, found) + ".",
        std::string(field));
  }
  return amount;
}

std::optional<std::int64_t> ParseCount(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::string QueryValue(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string TimeText(TimePoint at) {
  // RFC 3339 without seconds reads as a date and a time of day.
  std::string text = FormatRfc3339(at);
  if (text.size() >= 16) text = text.substr(0, 10) + " " + text.substr(11, 5);
  return text + " UTC";
}

}  // namespace plaza::web::admin
