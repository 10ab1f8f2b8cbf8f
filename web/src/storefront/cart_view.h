#pragma once
// What the cart, checkout and account pages share: the visitor's cart in the visit's
// market, amounts in the cart's currency, form fields with their inline errors, and
// redirects after a post that keep the visit's cookies.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "../html.h"
#include "plaza/http/request.h"
#include "plaza/http/response.h"
#include "plaza/orders/model.h"
#include "shop_page.h"
#include "visit.h"

namespace plaza::web::storefront {

using FormFields = std::map<std::string, std::string, std::less<>>;

// The value of `name` in `form`, or "" when absent.
std::string FormValue(const FormFields& form, std::string_view name);

// "EUR 12.50": minor units of `currency` for people.
std::string FormatAmount(std::int64_t minor, const std::string& currency);

// The visitor's cart, or nullopt when there is none (no cookie, unknown token, or an
// empty cart that was already ordered). A cart priced in another market than the one the
// visitor now shops in is re-created in the visit's market with the lines that sell
// there, and the cart cookie moves to it (visit.cookies).
Result<std::optional<orders::Cart>> VisitorCart(const PageServices& services, Visit& visit);

// The visitor's cart, created in the visit's market (its first country) when there is
// none yet; the cart cookie is added to visit.cookies. The cart is open for changes: a
// cart in checkout is taken back out of it.
Result<orders::Cart> EditableCart(const PageServices& services, Visit& visit);

// The meta of a page that is the visitor's own: kept out of search engines.
PageMeta PrivatePage(std::string title, std::string path);

// A 303 to `location` that carries the visit's cookies.
http::Response RedirectAfterPost(const Visit& visit, std::string location);

// The subtotal, discount, shipping, tax and total of `cart`, as a description list.
Trusted CartTotals(const orders::Cart& cart);

// An order's lines, totals, shipping address and delivery promise.
Trusted OrderDetails(const orders::Order& order);

// The order when this visitor may see it: placed with the visit's cart, or by the
// logged-in customer. nullopt for every other id, so order numbers cannot be probed.
std::optional<orders::Order> VisibleOrder(const PageServices& services, const Visit& visit, std::int64_t order_id);

// An input's label, the input keeping `value`, and its error (role="alert", tied to the
// input by aria-describedby) when `error` is not empty. `attributes` are literal markup.
struct InputSpec {
  std::string_view id;  // also the field's name
  std::string_view label;
  std::string_view value;
  std::string_view error;
  std::string_view type = "text";
  std::string_view attributes{};
};
Trusted LabelledInput(const InputSpec& spec);

// A message at the top of a page or form (role="alert"), or nothing when empty.
Trusted Alert(std::string_view message);

// The answer to a form post that another site sent (see same_origin.h): 403 with a page
// that says so, and nothing changed.
http::Response CrossSiteRefused(const PageServices& services, const Visit& visit);

// A storefront page whose body is one heading and one message (errors that leave
// nothing else to show).
http::Response MessagePage(const PageServices& services, const Visit& visit, std::string_view title,
                           std::string_view message, int status);

// The start of a guest form post (cart, checkout): the visit, the same-origin check and
// the form; or the answer to send instead when one of them fails.
struct GuestPost {
  Visit visit;
  FormFields form;
};
std::variant<GuestPost, http::Response> BeginGuestPost(const PageServices& services, const http::Request& request);

// A plain-words message for a cart or checkout error, without internal slugs.
std::string Explain(const Error& error);

}  // namespace plaza::web::storefront
