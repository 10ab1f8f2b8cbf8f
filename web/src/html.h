#pragma once
// Building HTML safely: text and attribute values are escaped unless wrapped in
// Trusted, which only literals and already-rendered fragments may be.

#include <string>
#include <string_view>

#include "plaza/core/text.h"

namespace plaza::web {

// A fragment that is already valid, escaped HTML.
struct Trusted {
  std::string html;
};

// Escapes every value it receives as text.
class HtmlWriter {
 public:
  HtmlWriter& Raw(std::string_view literal_markup) {
    out_ += literal_markup;
    return *this;
  }
  HtmlWriter& Text(std::string_view untrusted) {
    out_ += text::EscapeHtml(untrusted);
    return *this;
  }
  HtmlWriter& Fragment(const Trusted& fragment) {
    out_ += fragment.html;
    return *this;
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// An error message for the top of a form (role="alert"), or nothing when empty.
Trusted ErrorBox(std::string_view message);

// The page shell: doctype, head with title and stylesheet, body with `content`.
std::string Layout(std::string_view title, const Trusted& content);

}  // namespace plaza::web
