#pragma once
// The frame of every storefront page: the head with its search and link-preview tags
// (canonical, hreflang per market, Open Graph, Twitter card, JSON-LD), the header with
// navigation, search, cart and market switch, and the footer with the policy pages.

#include <string>
#include <utility>
#include <vector>

#include "../html.h"
#include "plaza/http/response.h"
#include "visit.h"

namespace plaza::web::storefront {

struct PageMeta {
  std::string title;        // <title> and og:title, without the shop's name
  std::string description;  // meta description and og:description; plain text
  // The canonical path, e.g. "/products/linen-shirt"; it is the same in every market,
  // and hreflang alternates add "?market=<handle>".
  std::string path = "/";
  std::string og_type = "website";
  std::string image_url;  // absolute URL of the preview image, or empty
  // Further Open Graph properties, e.g. {"product:price:amount", "24.00"}.
  std::vector<std::pair<std::string, std::string>> og_properties{};
  // Serialised JSON-LD objects; each goes into its own data block, with "<" escaped.
  std::vector<std::string> json_ld{};
  // Pages that are the visitor's own (cart, checkout, account) are kept out of search.
  bool noindex = false;
};

// A full storefront page. The answer carries the visit's cookies; pages marked noindex
// are also "Cache-Control: no-store".
http::Response ShopPage(const PageServices& services, const Visit& visit, const PageMeta& meta, const Trusted& content,
                        int status = 200);

// The absolute URL of `path` on this shop.
std::string AbsoluteUrl(const PageServices& services, std::string_view path);

// JSON text made safe for a <script type="application/ld+json"> block.
std::string JsonForScript(std::string_view json);

}  // namespace plaza::web::storefront
