#include "plaza/orders/order_service.h"

#include <boost/json.hpp>
#include <map>

#include "cart_internal.h"
#include "order_store.h"
#include "plaza/core/crypto.h"
#include "plaza/core/text.h"
#include "plaza/inventory/inventory.h"
#include "plaza/orders/totals.h"
#include "plaza/payments/manual_provider.h"
#include "plaza/payments/payment_service.h"
#include "plaza/pricing/pricing.h"
#include "plaza/promotions/promotions.h"
#include "plaza/store/idempotency.h"

namespace plaza::orders {

using internal::CartLineRow;
using internal::CartRow;
using internal::LinePointer;
using internal::PricedCart;

namespace {

constexpr std::size_t kMaxEmailLength = 254;

Error CartLocked() {
  return Error::Conflict("orders/cart-locked", "the cart is checking out; leave checkout to change its lines");
}

Status ValidateQuantity(std::int64_t quantity, std::string_view field) {
  if (quantity < 1) return Error::Invalid("orders/invalid-quantity", "quantity must be at least 1", std::string(field));
  if (quantity > kMaxLineQuantity)
    return Error::Invalid("orders/invalid-quantity", "quantity must be at most " + std::to_string(kMaxLineQuantity),
                          std::string(field));
  return Ok();
}

Status ValidateEmail(std::string_view email) {
  const auto at = email.find('@');
  if (email.empty() || email.size() > kMaxEmailLength || at == std::string_view::npos || at == 0 ||
      email.find('.', at) == std::string_view::npos || email.back() == '.' ||
      email.find_first_of(" \t\r\n<>,;\"") != std::string_view::npos)
    return Error::Invalid("validation/email", "not an e-mail address", "/email");
  return Ok();
}

// The problem of the line holding `variant_id`, as an error naming `field`.
Status LineProblem(const Cart& cart, std::int64_t variant_id, std::string_view field) {
  for (const CartLineView& line : cart.lines) {
    if (line.variant_id != variant_id || line.problem.empty()) continue;
    if (line.problem == "orders/unknown-variant")
      return Error::Invalid(line.problem, "no variant " + std::to_string(variant_id) + " in this shop",
                            std::string(field));
    Error error = Error::Conflict(
        line.problem, line.problem == "pricing/not-priced"         ? "the variant has no price in this market"
                      : line.problem == "orders/currency-mismatch" ? "the variant is priced in another currency"
                                                                   : "the variant is not for sale");
    error.field = std::string(field);
    return error;
  }
  return Ok();
}

std::string CartActor(const std::string& token) {
  return "cart:" + token;
}

}  // namespace

OrderService::OrderService(store::Database& db, const Clock& clock, inventory::InventoryService& inventory,
                           shipping::ShippingService& shipping, payments::PaymentService& payments, Mailer& mailer,
                           OrderServiceOptions options)
    : db_(db),
      clock_(clock),
      inventory_(inventory),
      shipping_(shipping),
      payments_(payments),
      mailer_(mailer),
      options_(std::move(options)) {}

// ---- carts ----

Result<Cart> OrderService::CreateCart(std::int64_t shop_id, const NewCart& input) {
  std::string upper;
  for (char c : text::TrimAscii(input.country)) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.size() != 2 || !std::isupper(static_cast<unsigned char>(upper[0])) ||
      !std::isupper(static_cast<unsigned char>(upper[1])))
    return Error::Invalid("address/invalid-country", "country must be an ISO 3166-1 alpha-2 code", "/country");
  const std::string token = crypto::RandomToken(24);
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Cart> {
    PLAZA_ASSIGN_OR_RETURN(const pricing::Market market, pricing::MarketForCountry(tx, shop_id, upper));
    if (!input.currency.empty() && input.currency != market.currency)
      return Error::Invalid("orders/currency-mismatch",
                            "carts shipping to " + upper + " are in " + market.currency + ", not " + input.currency,
                            "/currency");
    PLAZA_ASSIGN_OR_RETURN(
        auto inserted, tx.Execute("INSERT INTO order_carts (shop_id, token, customer_id, market_id, currency,"
                                  " country, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                                  {shop_id, token, input.customer_id, market.id, market.currency, upper,
                                   ToUnixMillis(now), ToUnixMillis(now)}));
    (void)inserted;  // the cart is read back below
    PLAZA_ASSIGN_OR_RETURN(const CartRow cart, internal::LoadCart(tx, shop_id, token));
    PLAZA_ASSIGN_OR_RETURN(PricedCart priced, internal::PriceCart(tx, cart, {}, shipping_, now));
    return std::move(priced.view);
  });
}

Result<Cart> OrderService::GetCart(std::int64_t shop_id, const std::string& token) {
  const TimePoint now = clock_.Now();
  return db_.Read([&](store::Transaction& tx) -> Result<Cart> {
    PLAZA_ASSIGN_OR_RETURN(const CartRow cart, internal::LoadCart(tx, shop_id, token));
    PLAZA_ASSIGN_OR_RETURN(const auto lines, internal::LoadLines(tx, shop_id, cart.id));
    PLAZA_ASSIGN_OR_RETURN(PricedCart priced, internal::PriceCart(tx, cart, lines, shipping_, now));
    return std::move(priced.view);
  });
}

namespace {

// Runs `change` on an open cart's lines, then prices the result in the same
// transaction and runs `check` on it: a change that leaves the cart unpriceable (an
// amount overflow) or adds a line that cannot be bought rolls back whole.
template <typename Change, typename Check>
Result<Cart> ChangeLines(store::Database& db, shipping::ShippingService& shipping, TimePoint now, std::int64_t shop_id,
                         const std::string& token, Change&& change, Check&& check) {
  return db.Write([&](store::Transaction& tx) -> Result<Cart> {
    PLAZA_ASSIGN_OR_RETURN(CartRow cart, internal::LoadCart(tx, shop_id, token));
    if (cart.state != CartState::kOpen) return CartLocked();
    PLAZA_ASSIGN_OR_RETURN(auto lines, internal::LoadLines(tx, shop_id, cart.id));
    PLAZA_TRY(change(tx, cart, lines));
    PLAZA_TRY(internal::TouchCart(tx, cart, now));
    ++cart.version;
    PLAZA_ASSIGN_OR_RETURN(lines, internal::LoadLines(tx, shop_id, cart.id));
    PLAZA_ASSIGN_OR_RETURN(PricedCart priced, internal::PriceCart(tx, cart, lines, shipping, now));
    PLAZA_TRY(check(priced.view));
    return std::move(priced.view);
  });
}

Status NoCheck(const Cart&) {
  return Ok();
}

Status Discard(Result<store::QueryResult> result) {
  if (!result.ok()) return std::move(result).error();
  return Ok();
}

}  // namespace

Result<Cart> OrderService::AddLine(std::int64_t shop_id, const std::string& token, const LineInput& line) {
  PLAZA_TRY(ValidateQuantity(line.quantity, "/quantity"));
  if (line.variant_id <= 0)
    return Error::Invalid("orders/unknown-variant", "variant_id must be a positive id", "/variant_id");
  return ChangeLines(
      db_, shipping_, clock_.Now(), shop_id, token,
      [&](store::Transaction& tx, const CartRow& cart, const std::vector<CartLineRow>& lines) -> Status {
        for (const CartLineRow& existing : lines) {
          if (existing.variant_id != line.variant_id) continue;
          PLAZA_TRY(ValidateQuantity(existing.quantity + line.quantity, "/quantity"));
          return Discard(tx.Execute(
              "UPDATE order_cart_lines SET quantity = ? WHERE shop_id = ? AND cart_id = ? AND variant_id = ?",
              {existing.quantity + line.quantity, shop_id, cart.id, line.variant_id}));
        }
        if (lines.size() >= kMaxCartLines)
          return Error::Invalid("orders/too-many-lines",
                                "a cart holds at most " + std::to_string(kMaxCartLines) + " lines", "/variant_id");
        return Discard(tx.Execute(
            "INSERT INTO order_cart_lines (shop_id, cart_id, variant_id, quantity, position) VALUES (?, ?, ?, ?, ?)",
            {shop_id, cart.id, line.variant_id, line.quantity, static_cast<std::int64_t>(lines.size())}));
      },
      [&](const Cart& cart) { return LineProblem(cart, line.variant_id, "/variant_id"); });
}

Result<Cart> OrderService::UpdateLine(std::int64_t shop_id, const std::string& token, const LineInput& line) {
  PLAZA_TRY(ValidateQuantity(line.quantity, "/quantity"));
  return ChangeLines(
      db_, shipping_, clock_.Now(), shop_id, token,
      [&](store::Transaction& tx, const CartRow& cart, const std::vector<CartLineRow>&) -> Status {
        PLAZA_ASSIGN_OR_RETURN(
            auto result,
            tx.Execute("UPDATE order_cart_lines SET quantity = ? WHERE shop_id = ? AND cart_id = ? AND variant_id = ?",
                       {line.quantity, shop_id, cart.id, line.variant_id}));
        if (result.affected_rows == 0) {
          Error error = Error::NotFound("the cart has no line for this variant");
          error.field = "/variant_id";
          return error;
        }
        return Ok();
      },
      NoCheck);
}

Result<Cart> OrderService::RemoveLine(std::int64_t shop_id, const std::string& token, std::int64_t variant_id) {
  return ChangeLines(
      db_, shipping_, clock_.Now(), shop_id, token,
      [&](store::Transaction& tx, const CartRow& cart, const std::vector<CartLineRow>&) -> Status {
        PLAZA_ASSIGN_OR_RETURN(
            auto result, tx.Execute("DELETE FROM order_cart_lines WHERE shop_id = ? AND cart_id = ? AND variant_id = ?",
                                    {shop_id, cart.id, variant_id}));
        if (result.affected_rows == 0) return Error::NotFound("the cart has no line for this variant");
        return Ok();
      },
      NoCheck);
}

Result<Cart> OrderService::SetCodes(std::int64_t shop_id, const std::string& token,
                                    const std::vector<std::string>& codes) {
  if (codes.size() > promotions::kMaxCodesPerRequest)
    return Error::Invalid("orders/too-many-codes", "at most 20 codes per cart", "/codes");
  std::vector<std::string> cleaned;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const std::string code(text::TrimAscii(codes[i]));
    if (code.empty() || code.size() > 64 || code.find(',') != std::string::npos)
      return Error::Invalid("promotions/invalid-code", "not a discount code", "/codes/" + std::to_string(i));
    cleaned.push_back(code);
  }
  return ChangeLines(
      db_, shipping_, clock_.Now(), shop_id, token,
      [&](store::Transaction& tx, CartRow& cart, const std::vector<CartLineRow>&) -> Status {
        cart.codes = cleaned;
        return Discard(tx.Execute("UPDATE order_carts SET codes = ? WHERE shop_id = ? AND id = ?",
                                  {internal::JoinCodes(cleaned), shop_id, cart.id}));
      },
      NoCheck);
}

Result<std::optional<std::int64_t>> OrderService::ClaimGuestOrder(std::int64_t shop_id, const std::string& guest_token,
                                                                  std::int64_t customer_id,
                                                                  std::string_view customer_email) {
  const std::string email = text::ToLowerAscii(text::TrimAscii(customer_email));
  return db_.Write([&](store::Transaction& tx) -> Result<std::optional<std::int64_t>> {
    PLAZA_ASSIGN_OR_RETURN(auto order,
                           tx.QueryOne("SELECT id, email FROM order_orders WHERE shop_id = ? AND cart_token = ?"
                                       " AND customer_id IS NULL",
                                       {shop_id, guest_token}));
    if (!order || text::ToLowerAscii(text::TrimAscii(order->Text(1))) != email) return std::optional<std::int64_t>();
    const std::int64_t order_id = order->Int(0);
    PLAZA_TRY(Discard(tx.Execute("UPDATE order_orders SET customer_id = ? WHERE shop_id = ? AND id = ?",
                                 {customer_id, shop_id, order_id})));
    return std::optional<std::int64_t>(order_id);
  });
}

Result<Cart> OrderService::MergeOnLogin(std::int64_t shop_id, const std::string& guest_token,
                                        std::int64_t customer_id) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Cart> {
    PLAZA_ASSIGN_OR_RETURN(CartRow guest, internal::LoadCart(tx, shop_id, guest_token));
    if (guest.state != CartState::kOpen) return CartLocked();
    PLAZA_ASSIGN_OR_RETURN(auto existing,
                           tx.QueryOne("SELECT token FROM order_carts WHERE shop_id = ? AND customer_id = ?"
                                       " AND state = 'open' AND id <> ? ORDER BY updated_at DESC, id DESC LIMIT 1",
                                       {shop_id, customer_id, guest.id}));
    CartRow target = guest;
    if (existing) {
      PLAZA_ASSIGN_OR_RETURN(target, internal::LoadCart(tx, shop_id, existing->Text(0)));
      PLAZA_ASSIGN_OR_RETURN(const auto guest_lines, internal::LoadLines(tx, shop_id, guest.id));
      PLAZA_ASSIGN_OR_RETURN(const auto target_lines, internal::LoadLines(tx, shop_id, target.id));
      std::int64_t position = static_cast<std::int64_t>(target_lines.size());
      for (const CartLineRow& line : guest_lines) {
        const CartLineRow* same = nullptr;
        for (const CartLineRow& t : target_lines)
          if (t.variant_id == line.variant_id) same = &t;
        if (same != nullptr) {
          PLAZA_TRY(Discard(tx.Execute(
              "UPDATE order_cart_lines SET quantity = ? WHERE shop_id = ? AND cart_id = ? AND variant_id = ?",
              {std::min(kMaxLineQuantity, same->quantity + line.quantity), shop_id, target.id, line.variant_id})));
        } else if (position < static_cast<std::int64_t>(kMaxCartLines)) {
          PLAZA_TRY(
              Discard(tx.Execute("INSERT INTO order_cart_lines (shop_id, cart_id, variant_id, quantity, position)"
                                 " VALUES (?, ?, ?, ?, ?)",
                                 {shop_id, target.id, line.variant_id, line.quantity, position++})));
        }
      }
      if (target.codes.empty() && !guest.codes.empty()) {
        target.codes = guest.codes;
        PLAZA_TRY(Discard(tx.Execute("UPDATE order_carts SET codes = ? WHERE shop_id = ? AND id = ?",
                                     {internal::JoinCodes(guest.codes), shop_id, target.id})));
      }
      PLAZA_TRY(
          Discard(tx.Execute("DELETE FROM order_cart_lines WHERE shop_id = ? AND cart_id = ?", {shop_id, guest.id})));
      PLAZA_TRY(Discard(tx.Execute("DELETE FROM order_carts WHERE shop_id = ? AND id = ?", {shop_id, guest.id})));
    } else {
      PLAZA_TRY(Discard(tx.Execute("UPDATE order_carts SET customer_id = ? WHERE shop_id = ? AND id = ?",
                                   {customer_id, shop_id, guest.id})));
      target.customer_id = customer_id;
    }
    PLAZA_TRY(internal::TouchCart(tx, target, now));
    ++target.version;
    PLAZA_ASSIGN_OR_RETURN(const auto lines, internal::LoadLines(tx, shop_id, target.id));
    PLAZA_ASSIGN_OR_RETURN(PricedCart priced, internal::PriceCart(tx, target, lines, shipping_, now));
    return std::move(priced.view);
  });
}

// ---- checkout ----

namespace {

// The first line that blocks checkout, as an error naming it.
Status CheckLines(const Cart& cart) {
  if (cart.lines.empty()) return Error::Invalid("orders/cart-empty", "the cart has no lines", "/lines");
  for (std::size_t i = 0; i < cart.lines.size(); ++i) {
    if (!cart.lines[i].problem.empty())
      PLAZA_TRY(LineProblem(cart, cart.lines[i].variant_id, LinePointer(i, "variant_id")));
  }
  return Ok();
}

// Inventory names lines "/lines/i/…" in the order they were given, which is the cart's.
Error MapInventoryError(Error error) {
  if (error.field.empty() && error.type == "inventory/insufficient-stock") error.field = "/lines";
  return error;
}

}  // namespace

Status OrderService::CheckAvailability(std::int64_t shop_id, const std::vector<LineInput>& lines) {
  std::vector<std::int64_t> variant_ids;
  variant_ids.reserve(lines.size());
  for (const LineInput& line : lines) variant_ids.push_back(line.variant_id);
  PLAZA_ASSIGN_OR_RETURN(const auto availability,
                         inventory_.GetAvailability(shop_id, variant_ids, inventory::SalesChannel::kOnlineStore));
  for (std::size_t i = 0; i < lines.size() && i < availability.size(); ++i) {
    const inventory::Availability& a = availability[i];
    const bool from_stock = a.state == inventory::StockState::kInStock || a.state == inventory::StockState::kLowStock;
    if (a.state == inventory::StockState::kOutOfStock || (from_stock && a.available < lines[i].quantity)) {
      Error error = Error::Conflict("inventory/insufficient-stock",
                                    a.available == 0 ? "sold out" : "only " + std::to_string(a.available) + " left");
      error.field = LinePointer(i, "quantity");
      return error;
    }
  }
  return Ok();
}

Result<Cart> OrderService::StartCheckout(std::int64_t shop_id, const std::string& token) {
  const TimePoint now = clock_.Now();
  // Price and check in a snapshot first, so the write transaction that takes the stock is
  // short: on PostgreSQL every read inside a serializable writer widens what a concurrent
  // buyer can conflict with, and a flash sale is hundreds of buyers on one row.
  struct Checked {
    CartRow cart;
    std::vector<CartLineRow> lines;
  };
  PLAZA_ASSIGN_OR_RETURN(const Checked checked, db_.Read([&](store::Transaction& tx) -> Result<Checked> {
    PLAZA_ASSIGN_OR_RETURN(CartRow cart, internal::LoadCart(tx, shop_id, token));
    if (cart.state == CartState::kOrdered)
      return Error::Conflict("orders/already-ordered", "this cart has already been ordered");
    PLAZA_ASSIGN_OR_RETURN(auto lines, internal::LoadLines(tx, shop_id, cart.id));
    if (cart.state == CartState::kOpen) {
      PLAZA_ASSIGN_OR_RETURN(const PricedCart priced, internal::PriceCart(tx, cart, lines, shipping_, now));
      PLAZA_TRY(CheckLines(priced.view));
    }
    return Checked{std::move(cart), std::move(lines)};
  }));
  if (checked.cart.state == CartState::kOpen) {
    std::vector<LineInput> wanted;
    for (const CartLineRow& line : checked.lines) wanted.push_back({line.variant_id, line.quantity});
    // A snapshot read answers "sold out" without joining the writers that contend for the
    // last units; Reserve below stays the authority.
    PLAZA_TRY(CheckAvailability(shop_id, wanted));
    PLAZA_TRY(db_.Write([&](store::Transaction& tx) -> Status {
      PLAZA_ASSIGN_OR_RETURN(const CartRow cart, internal::LoadCart(tx, shop_id, token));
      if (cart.version != checked.cart.version || cart.state != CartState::kOpen)
        return Error::Conflict("orders/cart-changed", "the cart changed meanwhile; review it and retry");
      // One key per locked version of the cart: inventory treats a key as the identity of
      // one set of lines, and a cart re-opened and changed is another set.
      const std::string key = "cart:" + token + ":" + std::to_string(cart.version);
      inventory::ReservationRequest request{.key = key,
                                            .channel = inventory::SalesChannel::kOnlineStore,
                                            .ttl = options_.reservation_ttl,
                                            .actor = CartActor(token)};
      for (const CartLineRow& line : checked.lines) request.lines.push_back({line.variant_id, line.quantity});
      auto reservation = inventory_.Reserve(tx, shop_id, request);
      if (!reservation.ok()) return MapInventoryError(std::move(reservation).error());
      return Discard(
          tx.Execute("UPDATE order_carts SET state = 'checkout', reservation_key = ?,"
                     " reservation_expires_at = ?, version = version + 1, updated_at = ?"
                     " WHERE shop_id = ? AND id = ?",
                     {key, ToUnixMillis(reservation->expires_at), ToUnixMillis(now), shop_id, cart.id}));
    }));
  }
  return GetCart(shop_id, token);
}

Result<Cart> OrderService::LeaveCheckout(std::int64_t shop_id, const std::string& token) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Cart> {
    PLAZA_ASSIGN_OR_RETURN(CartRow cart, internal::LoadCart(tx, shop_id, token));
    if (cart.state == CartState::kOrdered)
      return Error::Conflict("orders/already-ordered", "this cart has already been ordered");
    if (cart.state == CartState::kCheckout) {
      PLAZA_ASSIGN_OR_RETURN(const auto released,
                             inventory_.Release(tx, shop_id, cart.reservation_key, CartActor(token)));
      (void)released;  // a hold that already expired is returned as is
      PLAZA_TRY(
          Discard(tx.Execute("UPDATE order_carts SET state = 'open', reservation_expires_at = NULL"
                             " WHERE shop_id = ? AND id = ?",
                             {shop_id, cart.id})));
      cart.state = CartState::kOpen;
      PLAZA_TRY(internal::TouchCart(tx, cart, now));
      ++cart.version;
    }
    PLAZA_ASSIGN_OR_RETURN(const auto lines, internal::LoadLines(tx, shop_id, cart.id));
    PLAZA_ASSIGN_OR_RETURN(PricedCart priced, internal::PriceCart(tx, cart, lines, shipping_, now));
    return std::move(priced.view);
  });
}

namespace {

// Extends the hold of a cart in checkout; the caller's step then records the new end.
std::optional<TimePoint> ExtendHold(inventory::InventoryService& inventory, std::int64_t shop_id,
                                    const std::string& key, std::chrono::milliseconds ttl) {
  auto extended = inventory.Extend(shop_id, key, ttl);
  // A hold that expired is not an error for this step: place-order reports it, and the
  // shopper starts checkout again.
  if (!extended.ok()) return std::nullopt;
  return extended->expires_at;
}

// Runs one checkout step (contact, address, shipping) and extends the stock hold. The
// write transaction only stores the step; the cart is priced afterwards in a snapshot.
template <typename Step>
Status CheckoutStep(store::Database& db, inventory::InventoryService& inventory, const OrderServiceOptions& options,
                    TimePoint now, std::int64_t shop_id, const std::string& token, Step&& step) {
  std::string key;
  {
    auto current =
        db.Read([&](store::Transaction& tx) -> Result<CartRow> { return internal::LoadCart(tx, shop_id, token); });
    if (!current.ok()) return std::move(current).error();
    if (current->state == CartState::kOrdered)
      return Error::Conflict("orders/already-ordered", "this cart has already been ordered");
    if (current->state == CartState::kCheckout) key = current->reservation_key;
  }
  std::optional<TimePoint> held_until;
  if (!key.empty()) held_until = ExtendHold(inventory, shop_id, key, options.reservation_ttl);
  return db.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(CartRow cart, internal::LoadCart(tx, shop_id, token));
    if (cart.state == CartState::kOrdered)
      return Error::Conflict("orders/already-ordered", "this cart has already been ordered");
    PLAZA_TRY(step(tx, cart));
    if (held_until && cart.reservation_key == key) {
      PLAZA_TRY(Discard(tx.Execute("UPDATE order_carts SET reservation_expires_at = ? WHERE shop_id = ? AND id = ?",
                                   {ToUnixMillis(*held_until), shop_id, cart.id})));
    }
    return internal::TouchCart(tx, cart, now);
  });
}

}  // namespace

Result<Cart> OrderService::SetContact(std::int64_t shop_id, const std::string& token, const std::string& email) {
  const std::string trimmed(text::TrimAscii(email));
  PLAZA_TRY(ValidateEmail(trimmed));
  PLAZA_TRY(CheckoutStep(
      db_, inventory_, options_, clock_.Now(), shop_id, token, [&](store::Transaction& tx, CartRow& cart) -> Status {
        cart.email = trimmed;
        return Discard(
            tx.Execute("UPDATE order_carts SET email = ? WHERE shop_id = ? AND id = ?", {trimmed, shop_id, cart.id}));
      }));
  return GetCart(shop_id, token);
}

Result<Cart> OrderService::SetShippingAddress(std::int64_t shop_id, const std::string& token, const Address& address) {
  PLAZA_ASSIGN_OR_RETURN(const Address valid, ValidateAddress(address, "/shipping_address"));
  PLAZA_TRY(CheckoutStep(db_, inventory_, options_, clock_.Now(), shop_id, token,
                         [&](store::Transaction& tx, CartRow& cart) -> Status {
                           cart.shipping_address = valid;
                           // A new address may change which rates apply: choose again.
                           cart.shipping_rate_id.reset();
                           return Discard(
                               tx.Execute("UPDATE order_carts SET shipping_address = ?, shipping_rate_id = NULL"
                                          " WHERE shop_id = ? AND id = ?",
                                          {AddressToJson(valid), shop_id, cart.id}));
                         }));
  return GetCart(shop_id, token);
}

Result<Cart> OrderService::SelectShipping(std::int64_t shop_id, const std::string& token, std::int64_t rate_id) {
  PLAZA_ASSIGN_OR_RETURN(const Cart current, GetCart(shop_id, token));
  bool offered = false;
  for (const ShippingChoice& option : current.shipping_options) offered = offered || option.rate_id == rate_id;
  // Place-order prices the cart again, so an option withdrawn after this check is caught
  // there ("orders/checkout-incomplete" on "/rate_id").
  if (!offered)
    return Error::Invalid("orders/unknown-shipping-rate", "not a shipping option for this cart and address",
                          "/rate_id");
  PLAZA_TRY(CheckoutStep(
      db_, inventory_, options_, clock_.Now(), shop_id, token, [&](store::Transaction& tx, CartRow& cart) -> Status {
        return Discard(tx.Execute("UPDATE order_carts SET shipping_rate_id = ? WHERE shop_id = ? AND id = ?",
                                  {rate_id, shop_id, cart.id}));
      }));
  return GetCart(shop_id, token);
}

// ---- placing the order ----

namespace {

Status ValidateAttribution(const Attribution& a) {
  const std::pair<std::string_view, const std::string*> fields[] = {{"utm_source", &a.utm_source},
                                                                    {"utm_medium", &a.utm_medium},
                                                                    {"utm_campaign", &a.utm_campaign},
                                                                    {"utm_content", &a.utm_content},
                                                                    {"utm_term", &a.utm_term},
                                                                    {"fbclid", &a.fbclid},
                                                                    {"gclid", &a.gclid},
                                                                    {"ttclid", &a.ttclid}};
  for (const auto& [name, value] : fields) {
    if (value->size() > kMaxAttributionLength || !text::IsValidUtf8(*value))
      return Error::Invalid(
          "orders/invalid-attribution",
          std::string(name) + " must be UTF-8 of at most " + std::to_string(kMaxAttributionLength) + " bytes",
          "/attribution/" + std::string(name));
  }
  return Ok();
}

// The provider that takes `method`: cards go to the configured provider, the methods
// paid outside Plaza to the manual one.
Result<std::string> ProviderFor(const std::string& method, const std::string& card_provider) {
  if (method == "card") return card_provider;
  if (method == "bank_transfer" || method == "cash_on_delivery") return std::string(payments::kManualProviderName);
  return Error::Invalid("orders/unknown-payment-method",
                        "choose a payment method: card, bank transfer or cash on delivery", "/payment/method");
}

Error Incomplete(std::string detail, std::string field) {
  return Error::Invalid("orders/checkout-incomplete", std::move(detail), std::move(field));
}

Status CheckReady(const CartRow& cart, const PricedCart& priced) {
  if (cart.state == CartState::kOrdered)
    return Error::Conflict("orders/already-ordered", "this cart has already been ordered");
  if (cart.state != CartState::kCheckout) return Incomplete("start checkout first", "/checkout");
  PLAZA_TRY(CheckLines(priced.view));
  if (cart.email.empty()) return Incomplete("an e-mail address is required", "/email");
  if (!cart.shipping_address) return Incomplete("a shipping address is required", "/shipping_address");
  if (!priced.shipping) return Incomplete("choose a shipping option", "/rate_id");
  return Ok();
}

std::string OutcomeBody(std::int64_t order_id, const std::string& nonce) {
  return boost::json::serialize(boost::json::object{{"order_id", order_id}, {"nonce", nonce}});
}

std::pair<std::int64_t, std::string> ParseOutcome(const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return {0, {}};
  const auto& object = value.as_object();
  const auto* id = object.if_contains("order_id");
  const auto* nonce = object.if_contains("nonce");
  return {id != nullptr && id->is_int64() ? id->as_int64() : 0,
          nonce != nullptr && nonce->is_string() ? std::string(nonce->as_string()) : std::string()};
}

}  // namespace

Result<Order> OrderService::PlaceOrder(std::int64_t shop_id, const std::string& token, const PlaceOrderInput& input) {
  PLAZA_TRY(store::ValidateIdempotencyKey(input.idempotency_key));
  PLAZA_TRY(ValidateAttribution(input.attribution));
  PLAZA_ASSIGN_OR_RETURN(const std::string provider, ProviderFor(input.payment.method, options_.payment_provider));
  const TimePoint now = clock_.Now();
  const store::IdempotencyKey key{.shop_id = shop_id,
                                  .operation = "orders.place",
                                  .caller = CartActor(token),
                                  .key = input.idempotency_key,
                                  .fingerprint = input.fingerprint};

  // 1. A replay, or the cart as it will be ordered.
  struct Prepared {
    std::int64_t replayed_order_id = 0;
    CartRow cart{};
    PricedCart priced{};
  };
  PLAZA_ASSIGN_OR_RETURN(Prepared prepared, db_.Read([&](store::Transaction& tx) -> Result<Prepared> {
    PLAZA_ASSIGN_OR_RETURN(auto earlier, store::FindIdempotencyRecord(tx, key));
    if (earlier) return Prepared{.replayed_order_id = ParseOutcome(earlier->body).first};
    Prepared result;
    PLAZA_ASSIGN_OR_RETURN(result.cart, internal::LoadCart(tx, shop_id, token));
    PLAZA_ASSIGN_OR_RETURN(const auto lines, internal::LoadLines(tx, shop_id, result.cart.id));
    PLAZA_ASSIGN_OR_RETURN(result.priced, internal::PriceCart(tx, result.cart, lines, shipping_, now));
    PLAZA_TRY(CheckReady(result.cart, result.priced));
    return result;
  }));
  if (prepared.replayed_order_id != 0) return FinishPlaced(shop_id, prepared.replayed_order_id, false);
  const Cart& view = prepared.priced.view;

  // 2. Authorise outside any transaction. The payment's key is derived from the client's,
  // so every retry of this request reaches the same payment and moves no money again.
  std::optional<payments::Payment> payment;
  if (view.total > 0) {
    payments::AuthorizeInput authorize{.idempotency_key = "order:" + token + ":" + input.idempotency_key,
                                       .order_reference = CartActor(token),
                                       .provider = provider,
                                       .method = input.payment.method,
                                       .amount = Money{view.total, view.currency}};
    // A manual method ignores card fields a form without scripts still sent.
    if (input.payment.card_number && input.payment.method == "card")
      authorize.card = payments::CardDetails{.number = *input.payment.card_number,
                                             .exp_month = input.payment.exp_month,
                                             .exp_year = input.payment.exp_year,
                                             .cvc = input.payment.cvc};
    PLAZA_ASSIGN_OR_RETURN(payment, payments_.Authorize(shop_id, authorize));
    if (payment->status == payments::PaymentStatus::kDeclined || payment->status == payments::PaymentStatus::kFailed ||
        payment->status == payments::PaymentStatus::kVoided) {
      Error error = Error::Conflict(
          "orders/payment-declined",
          "the payment was declined" + (payment->decline_reason.empty() ? "" : ": " + payment->decline_reason));
      error.field = "/payment";
      return error;
    }
  }

  // 3. Everything else in one transaction, with the Idempotency-Key record.
  const std::string nonce = crypto::RandomToken(12);
  const promotions::Evaluation& evaluation = prepared.priced.evaluation;
  auto outcome = store::RunIdempotent(db_, key, now, [&](store::Transaction& tx) -> Result<store::IdempotentOutcome> {
    PLAZA_ASSIGN_OR_RETURN(const CartRow cart, internal::LoadCart(tx, shop_id, token));
    if (cart.state == CartState::kOrdered)
      return Error::Conflict("orders/already-ordered", "this cart has already been ordered");
    if (cart.version != prepared.cart.version || cart.state != CartState::kCheckout)
      return Error::Conflict("orders/cart-changed", "the cart changed while the order was placed; review it and retry");
    std::string codes;
    for (const promotions::AppliedDiscount& discount : evaluation.discounts) {
      if (discount.code.empty()) continue;
      if (!codes.empty()) codes += ',';
      codes += discount.code;
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto inserted,
        tx.QueryOne("INSERT INTO order_orders (shop_id, cart_token, customer_id, email, status, market_id, currency,"
                    " prices_include_tax, subtotal, discount_total, shipping_total, tax_total, total,"
                    " shipping_address, shipping_method, payment_id, reservation_key, codes, attribution, placed_at,"
                    " updated_at) VALUES (?, ?, ?, ?, 'placed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " RETURNING id",
                    {shop_id,
                     token,
                     cart.customer_id,
                     cart.email,
                     cart.market_id,
                     cart.currency,
                     view.prices_include_tax,
                     view.subtotal,
                     view.discount_total,
                     view.shipping_total,
                     view.tax_total,
                     view.total,
                     AddressToJson(*cart.shipping_address),
                     internal::ShippingToJson(*view.shipping),
                     payment ? std::optional<std::int64_t>(payment->id) : std::nullopt,
                     cart.reservation_key,
                     codes,
                     internal::AttributionToJson(input.attribution),
                     ToUnixMillis(now),
                     ToUnixMillis(now)}));
    if (!inserted) return Error::Internal("INSERT … RETURNING id returned no row");
    const std::int64_t order_id = inserted->Int(0);

    // All lines in one statement, so the count of statements does not grow with the cart.
    std::string sql =
        "INSERT INTO order_lines (shop_id, order_id, position, variant_id, product_id, title, sku, quantity,"
        " unit_price, discount, tax, total) VALUES ";
    std::vector<store::Param> params;
    params.reserve(view.lines.size() * 12);
    for (std::size_t i = 0; i < view.lines.size(); ++i) {
      const CartLineView& line = view.lines[i];
      sql += i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      for (store::Param param :
           {store::Param(shop_id), store::Param(order_id), store::Param(static_cast<std::int64_t>(i)),
            store::Param(line.variant_id), store::Param(line.product_id), store::Param(line.title),
            store::Param(line.sku), store::Param(line.quantity), store::Param(line.unit_price),
            store::Param(line.discount), store::Param(line.tax), store::Param(line.total)})
        params.push_back(std::move(param));
    }
    PLAZA_TRY(Discard(tx.Execute(sql, params)));

    auto converted = inventory_.Convert(tx, shop_id, cart.reservation_key, "order:" + std::to_string(order_id));
    if (!converted.ok()) return std::move(converted).error();
    if (!evaluation.discounts.empty())
      PLAZA_TRY(promotions::Redeem(tx, shop_id, evaluation.discounts, order_id, cart.customer_id, now));
    PLAZA_TRY(
        Discard(tx.Execute("UPDATE order_carts SET state = 'ordered', order_id = ?, version = version + 1,"
                           " updated_at = ? WHERE shop_id = ? AND id = ?",
                           {order_id, ToUnixMillis(now), shop_id, cart.id})));
    const Order placed{.id = order_id,
                       .shop_id = shop_id,
                       .customer_id = cart.customer_id,
                       .email = cart.email,
                       .status = OrderStatus::kPlaced,
                       .currency = cart.currency,
                       .total = view.total};
    PLAZA_TRY(internal::AppendOrderEvent(tx, placed, "order.placed", now));
    return store::IdempotentOutcome{201, OutcomeBody(order_id, nonce)};
  });
  if (!outcome.ok())
    return Undo(shop_id, token, prepared.cart.reservation_key,
                payment ? std::optional<std::int64_t>(payment->id) : std::nullopt, std::move(outcome).error());
  const auto [order_id, outcome_nonce] = ParseOutcome(outcome->body);
  // A payment confirmed later (a card by its provider, a bank transfer or cash on delivery
  // by staff) is confirmed to the buyer when it settles (SettlePayment), so nobody is
  // thanked for an order whose money never comes.
  const bool awaits_provider = payment && payment->status == payments::PaymentStatus::kPending;
  return FinishPlaced(shop_id, order_id, outcome_nonce == nonce && !awaits_provider);
}

Error OrderService::Undo(std::int64_t shop_id, const std::string& token, const std::string& reservation_key,
                         std::optional<std::int64_t> payment_id, Error error) {
  auto existing = db_.Read([&](store::Transaction& tx) -> Result<std::optional<Order>> {
    PLAZA_ASSIGN_OR_RETURN(const auto order_id, internal::FindOrderForCart(tx, shop_id, token));
    if (!order_id) return std::optional<Order>();
    PLAZA_ASSIGN_OR_RETURN(Order order, internal::LoadOrder(tx, shop_id, *order_id));
    return std::optional<Order>(std::move(order));
  });
  // Unless an order holds this very authorisation, nothing may stay charged.
  const bool payment_kept = existing.ok() && *existing && payment_id && (*existing)->payment_id == payment_id;
  if (payment_id && !payment_kept) {
    auto voided = payments_.Void(shop_id, *payment_id, "order-void:" + std::to_string(*payment_id));
    (void)voided;  // an authorisation that cannot be voided lapses at the provider; the error below is what matters
  }
  if (existing.ok() && *existing)
    return Error::Conflict("orders/already-ordered", "this cart has already been ordered");
  // The cart goes back to editing with its stock released: the shopper starts checkout
  // again and sees what changed (a code used up, a hold expired).
  auto released = db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(const auto reservation, inventory_.Release(tx, shop_id, reservation_key, CartActor(token)));
    (void)reservation;  // an expired hold is returned as is
    return Discard(
        tx.Execute("UPDATE order_carts SET state = 'open', reservation_expires_at = NULL,"
                   " version = version + 1 WHERE shop_id = ? AND token = ? AND state = 'checkout'"
                   " AND reservation_key = ?",
                   {shop_id, token, reservation_key}));
  });
  (void)released;  // an unreleased hold expires on its own after its TTL
  return error;
}

Result<Order> OrderService::FinishPlaced(std::int64_t shop_id, std::int64_t order_id, bool send_confirmation) {
  PLAZA_ASSIGN_OR_RETURN(Order order, GetOrder(shop_id, order_id));
  if (options_.capture_on_place && order.status == OrderStatus::kPlaced && order.payment_id) {
    auto captured = CapturePayment(shop_id, order_id);
    if (captured.ok()) order = std::move(captured).value();
    // Otherwise the order stays placed (a pending payment, a provider outage) and staff
    // capture later; the order itself is not in doubt.
  }
  if (send_confirmation) {
    const Status sent = mailer_.Send(OrderConfirmationEmail(Identity(shop_id), order));
    (void)sent;  // the order stands without its e-mail; the mailer logs its failures
  }
  return order;
}

ShopIdentity OrderService::Identity(std::int64_t shop_id) const {
  ShopIdentity identity{.name = "Plaza", .order_url_base = options_.order_url_base};
  if (options_.shop_name) identity.name = options_.shop_name(shop_id);
  return identity;
}

// ---- orders ----

Result<Order> OrderService::GetOrder(std::int64_t shop_id, std::int64_t order_id) {
  return db_.Read([&](store::Transaction& tx) { return internal::LoadOrder(tx, shop_id, order_id); });
}

Result<std::vector<Order>> OrderService::ListOrders(std::int64_t shop_id, const OrderQuery& query) {
  if (query.limit < 1 || query.limit > kMaxOrderPage)
    return Error::Invalid("validation/range", "limit must be 1 to " + std::to_string(kMaxOrderPage), "/limit");
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Order>> {
    std::string sql = "SELECT id FROM order_orders WHERE shop_id = ?";
    std::vector<store::Param> params = {shop_id};
    if (query.customer_id) {
      sql += " AND customer_id = ?";
      params.emplace_back(*query.customer_id);
    }
    if (query.status) {
      sql += " AND status = ?";
      params.emplace_back(std::string(OrderStatusName(*query.status)));
    }
    if (query.before_id > 0) {
      sql += " AND id < ?";
      params.emplace_back(query.before_id);
    }
    sql += " ORDER BY id DESC LIMIT ?";
    params.emplace_back(query.limit);
    PLAZA_ASSIGN_OR_RETURN(auto ids, tx.Execute(sql, params));
    std::vector<Order> orders;
    for (const store::Row& row : ids.rows) {
      PLAZA_ASSIGN_OR_RETURN(Order order, internal::LoadOrder(tx, shop_id, row.Int(0)));
      orders.push_back(std::move(order));
    }
    return orders;
  });
}

Result<Order> OrderService::Transition(std::int64_t shop_id, std::int64_t order_id, OrderStatus to,
                                       std::string_view time_column, std::string_view event_type) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Order> {
    PLAZA_ASSIGN_OR_RETURN(Order order, internal::LoadOrder(tx, shop_id, order_id));
    PLAZA_TRY(internal::UpdateOrderStatus(tx, order, to, time_column, now));
    order.status = to;
    PLAZA_TRY(internal::AppendOrderEvent(tx, order, event_type, now));
    return internal::LoadOrder(tx, shop_id, order_id);
  });
}

Result<Order> OrderService::CapturePayment(std::int64_t shop_id, std::int64_t order_id) {
  PLAZA_ASSIGN_OR_RETURN(const Order order, GetOrder(shop_id, order_id));
  if (!order.payment_id) return Error::Conflict("orders/no-payment", "the order has no payment to capture");
  if (order.status != OrderStatus::kPlaced) return order;
  PLAZA_ASSIGN_OR_RETURN(
      const payments::Payment payment,
      payments_.Capture(shop_id, *order.payment_id, std::nullopt, "order-capture:" + std::to_string(order_id)));
  if (payment.status != payments::PaymentStatus::kCaptured)
    return Error::Conflict("orders/payment-not-captured",
                           "the payment is " + std::string(payments::PaymentStatusName(payment.status)));
  auto paid = Transition(shop_id, order_id, OrderStatus::kPaid, "paid_at", "order.paid");
  // Concurrent retries capture once (the provider key) and the first marks the order paid.
  if (!paid.ok() && paid.error().code == ErrorCode::kConflict) return GetOrder(shop_id, order_id);
  return paid;
}

Result<Order> OrderService::Fulfil(std::int64_t shop_id, std::int64_t order_id,
                                   const std::vector<FulfilmentLine>& lines) {
  if (lines.empty()) return Error::Invalid("validation/required", "name the lines to fulfil", "/lines");
  if (lines.size() > kMaxCartLines) return Error::Invalid("validation/range", "too many lines", "/lines");
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(Order order, db_.Write([&](store::Transaction& tx) -> Result<Order> {
    PLAZA_ASSIGN_OR_RETURN(Order order, internal::LoadOrder(tx, shop_id, order_id));
    std::map<std::int64_t, std::int64_t> shipping_now;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const OrderLine* line = nullptr;
      for (const OrderLine& l : order.lines)
        if (l.id == lines[i].order_line_id) line = &l;
      if (line == nullptr) {
        Error error = Error::NotFound("the order has no such line");
        error.field = LinePointer(i, "order_line_id");
        return error;
      }
      shipping_now[line->id] += lines[i].quantity;
      if (lines[i].quantity < 1 || line->fulfilled_quantity + shipping_now[line->id] > line->quantity)
        return Error::Invalid(
            "orders/invalid-quantity",
            "at most " + std::to_string(line->quantity - line->fulfilled_quantity) + " left to fulfil",
            LinePointer(i, "quantity"));
    }
    bool complete = true;
    for (OrderLine& line : order.lines) {
      const auto it = shipping_now.find(line.id);
      if (it != shipping_now.end()) {
        line.fulfilled_quantity += it->second;
        PLAZA_TRY(Discard(tx.Execute("UPDATE order_lines SET fulfilled_quantity = ? WHERE shop_id = ? AND id = ?",
                                     {line.fulfilled_quantity, shop_id, line.id})));
      }
      complete = complete && line.fulfilled_quantity == line.quantity;
    }
    const OrderStatus to = complete ? OrderStatus::kFulfilled : OrderStatus::kPartiallyFulfilled;
    PLAZA_TRY(internal::UpdateOrderStatus(tx, order, to, complete ? "fulfilled_at" : "", now));
    order.status = to;
    PLAZA_TRY(internal::AppendOrderEvent(tx, order, "order.fulfilled", now));
    if (complete) {
      // Stock leaves with the order in one transaction; pre-ordered or backordered units
      // not yet received refuse it (inventory/awaiting-stock) and nothing changes.
      PLAZA_ASSIGN_OR_RETURN(const std::string reservation_key, internal::ReservationKeyOf(tx, shop_id, order_id));
      if (!reservation_key.empty()) {
        PLAZA_TRY(inventory_.Fulfil(tx, shop_id, reservation_key, "order:" + std::to_string(order_id)));
      }
    }
    return internal::LoadOrder(tx, shop_id, order_id);
  }));
  std::vector<std::pair<std::int64_t, std::int64_t>> shipped;
  shipped.reserve(lines.size());
  for (const FulfilmentLine& line : lines) shipped.emplace_back(line.order_line_id, line.quantity);
  const Status sent = mailer_.Send(OrderShippedEmail(Identity(shop_id), order, shipped));
  (void)sent;  // the fulfilment stands without its e-mail
  return order;
}

Result<Order> OrderService::MarkDelivered(std::int64_t shop_id, std::int64_t order_id) {
  return Transition(shop_id, order_id, OrderStatus::kDelivered, "delivered_at", "order.delivered");
}

Result<Order> OrderService::Cancel(std::int64_t shop_id, std::int64_t order_id) {
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(const Order cancelled, db_.Write([&](store::Transaction& tx) -> Result<Order> {
    return CancelInTransaction(tx, shop_id, order_id, now);
  }));
  if (!cancelled.payment_id) return cancelled;
  PLAZA_ASSIGN_OR_RETURN(const payments::Payment payment, payments_.Get(shop_id, *cancelled.payment_id));
  if (payment.status == payments::PaymentStatus::kAuthorized || payment.status == payments::PaymentStatus::kPending) {
    auto voided = payments_.Void(shop_id, payment.id, "order-cancel:" + std::to_string(order_id));
    if (!voided.ok()) return std::move(voided).error();
    return cancelled;
  }
  const std::int64_t refundable = payment.captured_minor - payment.refunded_minor;
  if (refundable <= 0) return cancelled;
  return Refund(shop_id, order_id, refundable);
}

Result<Order> OrderService::CancelInTransaction(store::Transaction& tx, std::int64_t shop_id, std::int64_t order_id,
                                                TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(Order order, internal::LoadOrder(tx, shop_id, order_id));
  for (const OrderLine& line : order.lines) {
    if (line.fulfilled_quantity > 0)
      return Error::Conflict("orders/invalid-transition", "part of the order shipped; refund instead of cancelling");
  }
  PLAZA_TRY(internal::UpdateOrderStatus(tx, order, OrderStatus::kCancelled, "cancelled_at", now));
  order.status = OrderStatus::kCancelled;
  PLAZA_ASSIGN_OR_RETURN(const std::string key, internal::ReservationKeyOf(tx, shop_id, order_id));
  PLAZA_ASSIGN_OR_RETURN(const auto restocked,
                         inventory_.Cancel(tx, shop_id, key, "order:" + std::to_string(order_id)));
  (void)restocked;
  PLAZA_ASSIGN_OR_RETURN(const int released, promotions::ReleaseRedemption(tx, shop_id, order_id, now));
  (void)released;  // the shop's policy decides whether uses come back
  PLAZA_TRY(internal::AppendOrderEvent(tx, order, "order.cancelled", now));
  return internal::LoadOrder(tx, shop_id, order_id);
}

Result<Order> OrderService::Refund(std::int64_t shop_id, std::int64_t order_id, std::optional<std::int64_t> amount) {
  PLAZA_ASSIGN_OR_RETURN(const Order order, GetOrder(shop_id, order_id));
  if (!order.payment_id) return Error::Conflict("orders/no-payment", "the order has no payment to refund");
  PLAZA_ASSIGN_OR_RETURN(const payments::Payment payment, payments_.Get(shop_id, *order.payment_id));
  const std::int64_t refundable = payment.captured_minor - payment.refunded_minor;
  const std::int64_t to_refund = amount.value_or(refundable);
  if (to_refund < 1 || to_refund > refundable)
    return Error::Invalid("orders/refund-exceeds-paid",
                          "at most " + FormatMoney({refundable, order.currency}) + " can be refunded", "/amount");
  // The key names the refund by what was refunded before it, so a retry after a crash
  // reaches the same provider refund, and a later refund is a new one.
  PLAZA_ASSIGN_OR_RETURN(
      const payments::Payment refunded,
      payments_.Refund(shop_id, payment.id, to_refund,
                       "order-refund:" + std::to_string(order_id) + ":" + std::to_string(payment.refunded_minor)));
  (void)refunded;
  return RecordRefund(shop_id, order, to_refund);
}

Result<Order> OrderService::RecordRefund(std::int64_t shop_id, const Order& order, std::int64_t amount) {
  const TimePoint now = clock_.Now();
  PLAZA_ASSIGN_OR_RETURN(Order updated, db_.Write([&](store::Transaction& tx) -> Result<Order> {
    PLAZA_TRY(
        Discard(tx.Execute("UPDATE order_orders SET refunded_total = refunded_total + ?, updated_at = ?"
                           " WHERE shop_id = ? AND id = ?",
                           {amount, ToUnixMillis(now), shop_id, order.id})));
    PLAZA_TRY(internal::AppendOrderEvent(tx, order, "order.refunded", now, amount));
    return internal::LoadOrder(tx, shop_id, order.id);
  }));
  const Status sent = mailer_.Send(RefundEmail(Identity(shop_id), updated, amount));
  (void)sent;  // the refund stands without its e-mail
  return updated;
}

// ---- returns ----

namespace {

constexpr std::size_t kMaxReasonLength = 1000;

Result<int> ReturnWindowDays(store::Transaction& tx, std::int64_t shop_id, int fallback) {
  PLAZA_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT return_window_days FROM order_settings WHERE shop_id = ?", {shop_id}));
  return row ? static_cast<int>(row->Int(0)) : fallback;
}

}  // namespace

Status OrderService::SetReturnWindow(std::int64_t shop_id, int days) {
  if (days < 1 || days > 365)
    return Error::Invalid("validation/range", "the return window is 1 to 365 days", "/return_window_days");
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(
        auto updated,
        tx.Execute("UPDATE order_settings SET return_window_days = ? WHERE shop_id = ?", {days, shop_id}));
    if (updated.affected_rows > 0) return Ok();
    return Discard(
        tx.Execute("INSERT INTO order_settings (shop_id, return_window_days) VALUES (?, ?)", {shop_id, days}));
  });
}

Result<int> OrderService::GetReturnWindow(std::int64_t shop_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<int> {
    return ReturnWindowDays(tx, shop_id, options_.default_return_window_days);
  });
}

Result<Return> OrderService::RequestReturn(std::int64_t shop_id, std::int64_t customer_id, std::int64_t order_id,
                                           const ReturnRequestInput& input) {
  const std::string reason(text::TrimAscii(input.reason));
  if (reason.empty() || reason.size() > kMaxReasonLength || !text::IsValidUtf8(reason))
    return Error::Invalid("validation/length", "give a reason of 1 to 1000 characters", "/reason");
  if (input.lines.empty()) return Error::Invalid("validation/required", "name the lines to return", "/lines");
  if (input.lines.size() > kMaxCartLines) return Error::Invalid("validation/range", "too many lines", "/lines");
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Return> {
    PLAZA_ASSIGN_OR_RETURN(const Order order, internal::LoadOrder(tx, shop_id, order_id));
    if (order.customer_id != customer_id) {
      Error error = Error::NotFound("no such order");
      error.type = "orders/order-not-found";
      return error;
    }
    if (order.status != OrderStatus::kFulfilled && order.status != OrderStatus::kDelivered &&
        order.status != OrderStatus::kPartiallyFulfilled)
      return Error::Conflict("returns/not-returnable", "only shipped goods can be returned");
    PLAZA_ASSIGN_OR_RETURN(const int days, ReturnWindowDays(tx, shop_id, options_.default_return_window_days));
    const std::optional<TimePoint> since = order.delivered_at ? order.delivered_at : order.fulfilled_at;
    if (since && now > *since + std::chrono::days(days))
      return Error::Conflict("returns/window-closed",
                             "returns are accepted for " + std::to_string(days) + " days after delivery");
    std::map<std::int64_t, std::int64_t> asked;
    for (std::size_t i = 0; i < input.lines.size(); ++i) {
      const OrderLine* line = nullptr;
      for (const OrderLine& l : order.lines)
        if (l.id == input.lines[i].order_line_id) line = &l;
      if (line == nullptr) {
        Error error = Error::NotFound("the order has no such line");
        error.field = LinePointer(i, "order_line_id");
        return error;
      }
      asked[line->id] += input.lines[i].quantity;
      if (input.lines[i].quantity < 1 || line->returned_quantity + asked[line->id] > line->fulfilled_quantity)
        return Error::Invalid("returns/invalid-quantity",
                              "at most " + std::to_string(line->fulfilled_quantity - line->returned_quantity) +
                                  " shipped units can be returned",
                              LinePointer(i, "quantity"));
    }
    PLAZA_ASSIGN_OR_RETURN(auto inserted,
                           tx.QueryOne("INSERT INTO order_returns (shop_id, order_id, status, reason,"
                                       " requested_at, updated_at) VALUES (?, ?, 'requested', ?, ?, ?)"
                                       " RETURNING id",
                                       {shop_id, order_id, reason, ToUnixMillis(now), ToUnixMillis(now)}));
    if (!inserted) return Error::Internal("INSERT … RETURNING id returned no row");
    const std::int64_t return_id = inserted->Int(0);
    for (const auto& [line_id, quantity] : asked) {
      PLAZA_TRY(
          Discard(tx.Execute("INSERT INTO order_return_lines (shop_id, return_id, order_line_id, quantity)"
                             " VALUES (?, ?, ?, ?)",
                             {shop_id, return_id, line_id, quantity})));
      PLAZA_TRY(
          Discard(tx.Execute("UPDATE order_lines SET returned_quantity = returned_quantity + ?"
                             " WHERE shop_id = ? AND id = ?",
                             {quantity, shop_id, line_id})));
    }
    PLAZA_ASSIGN_OR_RETURN(const Return created, internal::LoadReturn(tx, shop_id, return_id));
    PLAZA_TRY(internal::AppendReturnEvent(tx, shop_id, created, "return.requested", now));
    return created;
  });
}

namespace {

Status SetReturnStatus(store::Transaction& tx, std::int64_t shop_id, const Return& current, ReturnStatus to,
                       TimePoint now) {
  PLAZA_TRY(CheckTransition(current.status, to));
  PLAZA_ASSIGN_OR_RETURN(auto updated,
                         tx.Execute("UPDATE order_returns SET status = ?, updated_at = ? WHERE shop_id = ? AND id = ?"
                                    " AND status = ?",
                                    {std::string(ReturnStatusName(to)), ToUnixMillis(now), shop_id, current.id,
                                     std::string(ReturnStatusName(current.status))}));
  if (updated.affected_rows != 1) return Error::Conflict("returns/concurrent-change", "the return changed meanwhile");
  return Ok();
}

}  // namespace

Result<Return> OrderService::ApproveReturn(std::int64_t shop_id, std::int64_t return_id) {
  const TimePoint now = clock_.Now();
  Order order;
  PLAZA_ASSIGN_OR_RETURN(const Return approved, db_.Write([&](store::Transaction& tx) -> Result<Return> {
    PLAZA_ASSIGN_OR_RETURN(Return current, internal::LoadReturn(tx, shop_id, return_id));
    PLAZA_TRY(SetReturnStatus(tx, shop_id, current, ReturnStatus::kApproved, now));
    current.status = ReturnStatus::kApproved;
    PLAZA_TRY(internal::AppendReturnEvent(tx, shop_id, current, "return.approved", now));
    PLAZA_ASSIGN_OR_RETURN(order, internal::LoadOrder(tx, shop_id, current.order_id));
    return current;
  }));
  const Status sent = mailer_.Send(ReturnApprovedEmail(Identity(shop_id), order, approved));
  (void)sent;  // the approval stands without its e-mail
  return approved;
}

Result<Return> OrderService::RejectReturn(std::int64_t shop_id, std::int64_t return_id) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Return> {
    PLAZA_ASSIGN_OR_RETURN(Return current, internal::LoadReturn(tx, shop_id, return_id));
    PLAZA_TRY(SetReturnStatus(tx, shop_id, current, ReturnStatus::kRejected, now));
    current.status = ReturnStatus::kRejected;
    // The units may be asked for again.
    for (const ReturnLine& line : current.lines)
      PLAZA_TRY(
          Discard(tx.Execute("UPDATE order_lines SET returned_quantity = returned_quantity - ?"
                             " WHERE shop_id = ? AND id = ?",
                             {line.quantity, shop_id, line.order_line_id})));
    PLAZA_TRY(internal::AppendReturnEvent(tx, shop_id, current, "return.rejected", now));
    return current;
  });
}

Result<Return> OrderService::ReceiveReturn(std::int64_t shop_id, std::int64_t return_id,
                                           const ReceiveReturnInput& input) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Return> {
    PLAZA_ASSIGN_OR_RETURN(Return current, internal::LoadReturn(tx, shop_id, return_id));
    PLAZA_TRY(SetReturnStatus(tx, shop_id, current, ReturnStatus::kReceived, now));
    PLAZA_ASSIGN_OR_RETURN(const Order order, internal::LoadOrder(tx, shop_id, current.order_id));
    std::vector<inventory::Line> restock;
    std::vector<inventory::Line> write_off;
    for (ReturnLine& line : current.lines) {
      // Lines the input does not name are restocked: the usual case for unopened goods.
      line.disposition = Disposition::kRestock;
      for (const ReceivedLine& received : input.lines)
        if (received.order_line_id == line.order_line_id) line.disposition = received.disposition;
      std::int64_t variant_id = 0;
      for (const OrderLine& order_line : order.lines)
        if (order_line.id == line.order_line_id) variant_id = order_line.variant_id;
      (line.disposition == Disposition::kWriteOff ? write_off : restock).push_back({variant_id, line.quantity});
      PLAZA_TRY(
          Discard(tx.Execute("UPDATE order_return_lines SET disposition = ? WHERE shop_id = ? AND return_id = ?"
                             " AND order_line_id = ?",
                             {line.disposition == Disposition::kWriteOff ? "write_off" : "restock", shop_id, return_id,
                              line.order_line_id})));
    }
    const std::string actor = "return:" + std::to_string(return_id);
    if (!restock.empty()) {
      if (!input.location_id)
        return Error::Invalid("validation/required", "name the location restocked units go to", "/location_id");
      PLAZA_TRY(inventory_.Restock(tx, shop_id, restock, input.location_id, "return received", actor));
    }
    if (!write_off.empty())
      PLAZA_TRY(inventory_.Restock(tx, shop_id, write_off, std::nullopt, "return written off", actor));
    current.status = ReturnStatus::kReceived;
    PLAZA_TRY(internal::AppendReturnEvent(tx, shop_id, current, "return.received", now));
    return current;
  });
}

Result<Return> OrderService::RefundReturn(std::int64_t shop_id, std::int64_t return_id,
                                          std::optional<std::int64_t> amount) {
  PLAZA_ASSIGN_OR_RETURN(Return current, GetReturn(shop_id, return_id));
  PLAZA_TRY(CheckTransition(current.status, ReturnStatus::kRefunded));
  PLAZA_ASSIGN_OR_RETURN(const Order order, GetOrder(shop_id, current.order_id));
  // What the returned units were paid for: each line's total shared per unit, rounded
  // down so the sum never exceeds what was paid.
  std::int64_t due = 0;
  for (const ReturnLine& line : current.lines) {
    for (const OrderLine& order_line : order.lines) {
      if (order_line.id != line.order_line_id) continue;
      PLAZA_ASSIGN_OR_RETURN(const std::int64_t share,
                             MulDiv(order_line.total, line.quantity, order_line.quantity, Rounding::kDown));
      due += share;
    }
  }
  const std::int64_t to_refund = amount.value_or(due);
  PLAZA_ASSIGN_OR_RETURN(const Order refunded, Refund(shop_id, order.id, to_refund));
  (void)refunded;
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Return> {
    PLAZA_ASSIGN_OR_RETURN(Return latest, internal::LoadReturn(tx, shop_id, return_id));
    PLAZA_TRY(SetReturnStatus(tx, shop_id, latest, ReturnStatus::kRefunded, now));
    PLAZA_TRY(Discard(tx.Execute("UPDATE order_returns SET refund_amount = ? WHERE shop_id = ? AND id = ?",
                                 {to_refund, shop_id, return_id})));
    latest.status = ReturnStatus::kRefunded;
    latest.refund_amount = to_refund;
    PLAZA_TRY(internal::AppendReturnEvent(tx, shop_id, latest, "return.refunded", now));
    return latest;
  });
}

Result<Return> OrderService::GetReturn(std::int64_t shop_id, std::int64_t return_id) {
  return db_.Read([&](store::Transaction& tx) { return internal::LoadReturn(tx, shop_id, return_id); });
}

Result<std::vector<Return>> OrderService::ListReturns(std::int64_t shop_id, std::optional<std::int64_t> order_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Return>> {
    std::string sql = "SELECT id FROM order_returns WHERE shop_id = ?";
    std::vector<store::Param> params = {shop_id};
    if (order_id) {
      sql += " AND order_id = ?";
      params.emplace_back(*order_id);
    }
    sql += " ORDER BY id DESC LIMIT 200";
    PLAZA_ASSIGN_OR_RETURN(auto ids, tx.Execute(sql, params));
    std::vector<Return> returns;
    for (const store::Row& row : ids.rows) {
      PLAZA_ASSIGN_OR_RETURN(Return item, internal::LoadReturn(tx, shop_id, row.Int(0)));
      returns.push_back(std::move(item));
    }
    return returns;
  });
}

// ---- customer addresses ----

namespace {

constexpr int kMaxAddressesPerCustomer = 50;

Result<SavedAddress> LoadAddress(store::Transaction& tx, std::int64_t shop_id, std::int64_t customer_id,
                                 std::int64_t address_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, customer_id, address, created_at, updated_at"
                                               " FROM order_customer_addresses WHERE shop_id = ? AND customer_id = ?"
                                               " AND id = ?",
                                               {shop_id, customer_id, address_id}));
  if (!row) return Error::NotFound("no such address");
  SavedAddress saved{.id = row->Int(0),
                     .customer_id = row->Int(1),
                     .created_at = FromUnixMillis(row->Int(3)),
                     .updated_at = FromUnixMillis(row->Int(4))};
  PLAZA_ASSIGN_OR_RETURN(saved.address, AddressFromJson(row->Text(2)));
  return saved;
}

}  // namespace

Result<SavedAddress> OrderService::AddAddress(std::int64_t shop_id, std::int64_t customer_id, const Address& address) {
  PLAZA_ASSIGN_OR_RETURN(const Address valid, ValidateAddress(address, ""));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<SavedAddress> {
    PLAZA_ASSIGN_OR_RETURN(auto count, tx.QueryOne("SELECT COUNT(*) FROM order_customer_addresses WHERE shop_id = ?"
                                                   " AND customer_id = ?",
                                                   {shop_id, customer_id}));
    if (count && count->Int(0) >= kMaxAddressesPerCustomer)
      return Error::Conflict("orders/too-many-addresses", "a customer keeps at most 50 addresses");
    PLAZA_ASSIGN_OR_RETURN(
        auto inserted, tx.QueryOne("INSERT INTO order_customer_addresses (shop_id, customer_id,"
                                   " address, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                                   " RETURNING id",
                                   {shop_id, customer_id, AddressToJson(valid), ToUnixMillis(now), ToUnixMillis(now)}));
    if (!inserted) return Error::Internal("INSERT … RETURNING id returned no row");
    return LoadAddress(tx, shop_id, customer_id, inserted->Int(0));
  });
}

Result<std::vector<SavedAddress>> OrderService::ListAddresses(std::int64_t shop_id, std::int64_t customer_id) {
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<SavedAddress>> {
    PLAZA_ASSIGN_OR_RETURN(auto rows, tx.Execute("SELECT id, customer_id, address, created_at, updated_at"
                                                 " FROM order_customer_addresses WHERE shop_id = ? AND customer_id = ?"
                                                 " ORDER BY id",
                                                 {shop_id, customer_id}));
    std::vector<SavedAddress> addresses;
    for (const store::Row& row : rows.rows) {
      SavedAddress saved{.id = row.Int(0),
                         .customer_id = row.Int(1),
                         .created_at = FromUnixMillis(row.Int(3)),
                         .updated_at = FromUnixMillis(row.Int(4))};
      PLAZA_ASSIGN_OR_RETURN(saved.address, AddressFromJson(row.Text(2)));
      addresses.push_back(std::move(saved));
    }
    return addresses;
  });
}

Result<SavedAddress> OrderService::UpdateAddress(std::int64_t shop_id, std::int64_t customer_id,
                                                 std::int64_t address_id, const Address& address) {
  PLAZA_ASSIGN_OR_RETURN(const Address valid, ValidateAddress(address, ""));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<SavedAddress> {
    PLAZA_ASSIGN_OR_RETURN(auto updated,
                           tx.Execute("UPDATE order_customer_addresses SET address = ?, updated_at = ?"
                                      " WHERE shop_id = ? AND customer_id = ? AND id = ?",
                                      {AddressToJson(valid), ToUnixMillis(now), shop_id, customer_id, address_id}));
    if (updated.affected_rows == 0) return Error::NotFound("no such address");
    return LoadAddress(tx, shop_id, customer_id, address_id);
  });
}

Status OrderService::DeleteAddress(std::int64_t shop_id, std::int64_t customer_id, std::int64_t address_id) {
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto deleted, tx.Execute("DELETE FROM order_customer_addresses WHERE shop_id = ?"
                                                    " AND customer_id = ? AND id = ?",
                                                    {shop_id, customer_id, address_id}));
    if (deleted.affected_rows == 0) return Error::NotFound("no such address");
    return Ok();
  });
}

}  // namespace plaza::orders
