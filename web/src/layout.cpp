#include "assets.h"
#include "html.h"

namespace plaza::web {

Trusted ErrorBox(std::string_view message) {
  if (message.empty()) return {};
  HtmlWriter html;
  html.Raw("<p class=\"error\" role=\"alert\">").Text(message).Raw("</p>");
  return {html.Take()};
}

std::string Layout(std::string_view title, const Trusted& content) {
  HtmlWriter page;
  page.Raw(
          "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          "<link rel=\"stylesheet\" href=\"")
      .Text(AssetUrl("plaza.css"))
      .Raw("\"><link rel=\"icon\" type=\"image/svg+xml\" href=\"")
      .Text(AssetUrl("favicon.svg"))
      .Raw("\"><title>")
      .Text(title)
      .Raw(" · Plaza</title></head><body><main>")
      .Fragment(content)
      .Raw("</main></body></html>\n");
  return page.Take();
}

}  // namespace plaza::web
