#include "plaza/http/multipart.h"

#include "plaza/core/text.h"

namespace plaza::http {
namespace {

// RFC 2046 §5.1.1: a boundary is 1–70 of these, not ending in a space.
constexpr std::size_t kMaxBoundaryLength = 70;
// Lines in one part's head; Content-Disposition and Content-Type are all a form needs.
constexpr std::size_t kMaxHeadLines = 8;

Error Bad(std::string detail) {
  return Error::Invalid("http/bad-multipart", "The multipart/form-data body is malformed: " + detail + ".");
}

bool IsBoundaryChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && text::ToLowerAscii(a) == text::ToLowerAscii(b);
}

// A header's value split into its first item and `;`-separated parameters, with quoted
// strings unescaped: `form-data; name="file"; filename="a \"b\".jpg"`.
struct ParameterisedValue {
  std::string value;
  std::vector<std::pair<std::string, std::string>> parameters;  // names lower-cased

  const std::string* Find(std::string_view name) const {
    for (const auto& [key, parameter] : parameters) {
      if (key == name) return &parameter;
    }
    return nullptr;
  }
};

std::optional<ParameterisedValue> ParseParameterised(std::string_view input) {
  ParameterisedValue out;
  std::size_t pos = 0;
  auto skip_space = [&] {
    while (pos < input.size() && (input[pos] == ' ' || input[pos] == '\t')) ++pos;
  };
  skip_space();
  const std::size_t value_start = pos;
  while (pos < input.size() && input[pos] != ';') ++pos;
  out.value = text::ToLowerAscii(text::TrimAscii(input.substr(value_start, pos - value_start)));
  while (pos < input.size()) {
    ++pos;  // the ';'
    skip_space();
    const std::size_t name_start = pos;
    while (pos < input.size() && IsTokenChar(input[pos])) ++pos;
    if (pos == name_start || pos >= input.size() || input[pos] != '=') return std::nullopt;
    std::string name = text::ToLowerAscii(input.substr(name_start, pos - name_start));
    ++pos;  // the '='
    std::string parameter;
    if (pos < input.size() && input[pos] == '"') {
      ++pos;
      bool closed = false;
      while (pos < input.size()) {
        const char c = input[pos++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && pos < input.size()) {
          parameter += input[pos++];
        } else {
          parameter += c;
        }
      }
      if (!closed) return std::nullopt;
    } else {
      const std::size_t start = pos;
      while (pos < input.size() && IsTokenChar(input[pos])) ++pos;
      if (pos == start) return std::nullopt;
      parameter = std::string(input.substr(start, pos - start));
    }
    skip_space();
    if (pos < input.size() && input[pos] != ';') return std::nullopt;
    out.parameters.emplace_back(std::move(name), std::move(parameter));
  }
  return out;
}

Result<MultipartPart> ParseHead(std::string_view head, std::size_t index) {
  const std::string where = "part " + std::to_string(index + 1);
  MultipartPart part;
  part.content_type = "text/plain";
  bool has_disposition = false;
  std::size_t lines = 0;
  while (!head.empty()) {
    const std::size_t end = std::min(head.find("\r\n"), head.size());
    const std::string_view line = head.substr(0, end);
    head.remove_prefix(std::min(end + 2, head.size()));
    if (++lines > kMaxHeadLines)
      return Bad(where + " has more than " + std::to_string(kMaxHeadLines) + " header lines");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Bad(where + " has a header line without a name");
    const std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!IsTokenChar(c)) return Bad(where + " has a header with an invalid name");
    }
    const std::string_view value = text::TrimAscii(line.substr(colon + 1));
    for (char c : value) {
      if (c == '\r' || c == '\n' || c == '\0') return Bad(where + " has a control character in a header");
    }
    if (EqualsIgnoreCase(name, "Content-Disposition")) {
      if (has_disposition) return Bad(where + " has two Content-Disposition headers");
      has_disposition = true;
      std::optional<ParameterisedValue> disposition = ParseParameterised(value);
      if (!disposition) return Bad(where + " has a Content-Disposition that cannot be read");
      if (disposition->value != "form-data") return Bad(where + " is not form-data");
      const std::string* field_name = disposition->Find("name");
      if (field_name == nullptr || field_name->empty()) return Bad(where + " has no field name");
      if (!text::IsValidUtf8(*field_name)) return Bad(where + " has a field name that is not UTF-8");
      part.name = *field_name;
      if (const std::string* filename = disposition->Find("filename")) {
        if (!text::IsValidUtf8(*filename)) return Bad(where + " has a file name that is not UTF-8");
        part.filename = *filename;
      }
    } else if (EqualsIgnoreCase(name, "Content-Type")) {
      if (value.empty()) return Bad(where + " has an empty Content-Type");
      part.content_type = std::string(value);
    } else if (EqualsIgnoreCase(name, "Content-Transfer-Encoding")) {
      // RFC 7578 §4.7 deprecates it; browsers never send an encoding that changes bytes.
      const std::string encoding = text::ToLowerAscii(value);
      if (encoding != "binary" && encoding != "8bit" && encoding != "7bit") {
        return Bad(where + " uses Content-Transfer-Encoding " + encoding + ", which is not supported");
      }
    }
  }
  if (!has_disposition) return Bad(where + " has no Content-Disposition");
  return part;
}

}  // namespace

const MultipartPart* MultipartForm::Find(std::string_view name) const {
  for (const MultipartPart& part : parts) {
    if (part.name == name) return &part;
  }
  return nullptr;
}

Result<std::string> MultipartBoundary(std::string_view content_type) {
  const std::string media_type = text::ToLowerAscii(text::TrimAscii(content_type.substr(0, content_type.find(';'))));
  if (media_type != "multipart/form-data") {
    return Error::Invalid("http/unsupported-media-type", "The body must be sent as multipart/form-data; got " +
                                                             std::string(content_type.substr(0, 100)) + ".");
  }
  std::optional<ParameterisedValue> parsed = ParseParameterised(content_type);
  if (!parsed) return Bad("the parameters of its Content-Type cannot be read");
  const std::string* boundary = parsed->Find("boundary");
  if (boundary == nullptr || boundary->empty()) return Bad("the Content-Type has no boundary");
  if (boundary->size() > kMaxBoundaryLength) return Bad("the boundary is longer than 70 characters");
  for (char c : *boundary) {
    if (!IsBoundaryChar(c)) return Bad("the boundary contains a character RFC 2046 does not allow");
  }
  if (boundary->back() == ' ') return Bad("the boundary ends with a space");
  return *boundary;
}

Result<MultipartForm> ParseMultipartFormData(std::string_view content_type, std::string_view body,
                                             const MultipartLimits& limits) {
  PLAZA_ASSIGN_OR_RETURN(const std::string boundary, MultipartBoundary(content_type));
  const std::string delimiter = "--" + boundary;
  const std::string next_delimiter = "\r\n" + delimiter;

  // The first delimiter opens the body, or follows a preamble (which is ignored).
  std::size_t pos = 0;
  if (body.substr(0, delimiter.size()) != delimiter) {
    pos = body.find(next_delimiter);
    if (pos == std::string_view::npos) return Bad("no part starts with the boundary");
    pos += 2;
  }
  MultipartForm form;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return form;  // the close delimiter; an epilogue may follow
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;  // transport padding
    if (body.substr(pos, 2) != "\r\n") {
      return Bad(pos >= body.size() ? "the body ends without the closing boundary"
                                    : "a boundary line is followed by other text");
    }
    pos += 2;
    if (form.parts.size() == limits.max_parts) {
      return Bad("it has more than " + std::to_string(limits.max_parts) + " parts");
    }
    if (body.substr(pos, 2) == "\r\n") return Bad("part " + std::to_string(form.parts.size() + 1) + " has no headers");
    const std::size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos || head_end - pos > limits.max_part_head_bytes) {
      return Bad("the head of part " + std::to_string(form.parts.size() + 1) + " is longer than " +
                 std::to_string(limits.max_part_head_bytes) + " bytes or never ends");
    }
    PLAZA_ASSIGN_OR_RETURN(MultipartPart part, ParseHead(body.substr(pos, head_end - pos), form.parts.size()));
    const std::size_t content_start = head_end + 4;
    const std::size_t content_end = body.find(next_delimiter, content_start);
    if (content_end == std::string_view::npos) {
      return Bad("part " + std::to_string(form.parts.size() + 1) + " never ends (no closing boundary)");
    }
    part.body = body.substr(content_start, content_end - content_start);
    form.parts.push_back(std::move(part));
    pos = content_end + 2;
  }
}

Result<MultipartForm> ParseMultipartFormData(const Request& request, const MultipartLimits& limits) {
  const std::optional<std::string_view> content_type = request.headers.Get("Content-Type");
  if (!content_type) {
    return Error::Invalid("http/unsupported-media-type", "The body must be sent as multipart/form-data.");
  }
  return ParseMultipartFormData(*content_type, request.body, limits);
}

}  // namespace plaza::http
