#include "plaza/http/request.h"

#include <array>
#include <cassert>

namespace plaza::http {
namespace {

constexpr std::array<std::string_view, 8> kMethodNames = {"GET",   "HEAD",   "POST",    "PUT",
                                                          "PATCH", "DELETE", "OPTIONS", "OTHER"};

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True when the comma-separated header value contains `token` (case-insensitive).
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view item = TrimSpaces(value.substr(0, comma));
    if (EqualsIgnoreCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string_view MethodName(Method method) {
  return kMethodNames[static_cast<std::size_t>(method)];
}

Method ParseMethod(std::string_view token) {
  for (std::size_t i = 0; i + 1 < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == token) return static_cast<Method>(i);
  }
  return Method::kOther;
}

std::optional<std::string_view> Params::Get(std::string_view name) const {
  for (const Param& param : params_) {
    if (param.first == name) return std::string_view(param.second);
  }
  return std::nullopt;
}

std::vector<std::string_view> Params::GetAll(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const Param& param : params_) {
    if (param.first == name) values.emplace_back(param.second);
  }
  return values;
}

std::string_view Request::PathParam(std::string_view name) const {
  std::optional<std::string_view> value = path_params.Get(name);
  assert(value.has_value() && "the route pattern does not declare this parameter");
  return value.value_or(std::string_view());
}

std::optional<std::string_view> Request::Cookie(std::string_view name) const {
  // Browsers send one Cookie field, but HTTP/2 proxies may split it; look at all.
  for (const auto& [field_name, field_value] : headers) {
    if (!EqualsIgnoreCase(field_name, "Cookie")) continue;
    std::string_view rest = field_value;
    while (!rest.empty()) {
      std::size_t semicolon = rest.find(';');
      std::string_view pair = TrimSpaces(rest.substr(0, semicolon));
      std::size_t equals = pair.find('=');
      if (equals != std::string_view::npos && TrimSpaces(pair.substr(0, equals)) == name) {
        std::string_view value = TrimSpaces(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        return value;
      }
      if (semicolon == std::string_view::npos) break;
      rest.remove_prefix(semicolon + 1);
    }
  }
  return std::nullopt;
}

bool Request::IsWebSocketUpgrade() const {
  std::optional<std::string_view> upgrade = headers.Get("Upgrade");
  std::optional<std::string_view> connection = headers.Get("Connection");
  return method == Method::kGet && upgrade && connection && HasToken(*upgrade, "websocket") &&
         HasToken(*connection, "upgrade");
}

}  // namespace plaza::http
