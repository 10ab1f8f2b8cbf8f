#include "order_store.h"

#include <boost/json.hpp>

#include "cart_internal.h"
#include "plaza/store/outbox.h"

namespace plaza::orders::internal {
namespace {

constexpr std::string_view kOrderColumns =
    "id, shop_id, customer_id, email, status, market_id, currency, prices_include_tax, subtotal, discount_total, "
    "shipping_total, tax_total, total, refunded_total, shipping_address, shipping_method, payment_id, codes, "
    "attribution, placed_at, paid_at, fulfilled_at, delivered_at, cancelled_at, updated_at";

std::optional<TimePoint> OptionalTime(const store::Row& row, std::size_t column) {
  if (auto ms = row.OptionalInt(column)) return FromUnixMillis(*ms);
  return std::nullopt;
}

boost::json::object ParseObject(const std::string& json) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return {};
  return std::move(value.as_object());
}

std::string TextMember(const boost::json::object& object, std::string_view key) {
  const auto* member = object.if_contains(key);
  return member != nullptr && member->is_string() ? std::string(member->as_string()) : std::string();
}

std::int64_t IntMember(const boost::json::object& object, std::string_view key) {
  const auto* member = object.if_contains(key);
  return member != nullptr && member->is_int64() ? member->as_int64() : 0;
}

}  // namespace

std::string AttributionToJson(const Attribution& a) {
  return boost::json::serialize(boost::json::object{{"utm_source", a.utm_source},
                                                    {"utm_medium", a.utm_medium},
                                                    {"utm_campaign", a.utm_campaign},
                                                    {"utm_content", a.utm_content},
                                                    {"utm_term", a.utm_term},
                                                    {"fbclid", a.fbclid},
                                                    {"gclid", a.gclid},
                                                    {"ttclid", a.ttclid}});
}

Attribution AttributionFromJson(const std::string& json) {
  const boost::json::object o = ParseObject(json);
  return {TextMember(o, "utm_source"),  TextMember(o, "utm_medium"), TextMember(o, "utm_campaign"),
          TextMember(o, "utm_content"), TextMember(o, "utm_term"),   TextMember(o, "fbclid"),
          TextMember(o, "gclid"),       TextMember(o, "ttclid")};
}

std::string ShippingToJson(const ShippingChoice& s) {
  return boost::json::serialize(boost::json::object{{"rate_id", s.rate_id},
                                                    {"name", s.name},
                                                    {"price", s.price},
                                                    {"promise_earliest", s.promise_earliest},
                                                    {"promise_latest", s.promise_latest},
                                                    {"promise_text", s.promise_text}});
}

ShippingChoice ShippingFromJson(const std::string& json) {
  const boost::json::object o = ParseObject(json);
  return {IntMember(o, "rate_id"),           TextMember(o, "name"),           IntMember(o, "price"),
          TextMember(o, "promise_earliest"), TextMember(o, "promise_latest"), TextMember(o, "promise_text")};
}

Result<Order> LoadOrder(store::Transaction& tx, std::int64_t shop_id, std::int64_t order_id) {
  PLAZA_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT " + std::string(kOrderColumns) + " FROM order_orders WHERE shop_id = ? AND id = ?",
                            {shop_id, order_id}));
  if (!row) {
    Error error = Error::NotFound("no such order");
    error.type = "orders/order-not-found";
    return error;
  }
  Order order{.id = row->Int(0),
              .shop_id = row->Int(1),
              .customer_id = row->OptionalInt(2),
              .email = row->Text(3),
              .status = ParseOrderStatus(row->Text(4)).value_or(OrderStatus::kPlaced),
              .market_id = row->Int(5),
              .currency = row->Text(6),
              .prices_include_tax = row->Bool(7),
              .subtotal = row->Int(8),
              .discount_total = row->Int(9),
              .shipping_total = row->Int(10),
              .tax_total = row->Int(11),
              .total = row->Int(12),
              .refunded_total = row->Int(13),
              .shipping = ShippingFromJson(row->Text(15)),
              .codes = SplitCodes(row->Text(17)),
              .payment_id = row->OptionalInt(16),
              .attribution = AttributionFromJson(row->Text(18)),
              .placed_at = FromUnixMillis(row->Int(19)),
              .paid_at = OptionalTime(*row, 20),
              .fulfilled_at = OptionalTime(*row, 21),
              .delivered_at = OptionalTime(*row, 22),
              .cancelled_at = OptionalTime(*row, 23),
              .updated_at = FromUnixMillis(row->Int(24))};
  PLAZA_ASSIGN_OR_RETURN(order.shipping_address, AddressFromJson(row->Text(14)));
  PLAZA_ASSIGN_OR_RETURN(
      auto lines, tx.Execute("SELECT id, variant_id, product_id, title, sku, quantity, unit_price, discount, tax,"
                             " total, fulfilled_quantity, returned_quantity FROM order_lines"
                             " WHERE shop_id = ? AND order_id = ? ORDER BY position",
                             {shop_id, order_id}));
  for (const store::Row& line : lines.rows) {
    order.lines.push_back({.id = line.Int(0),
                           .variant_id = line.Int(1),
                           .product_id = line.Int(2),
                           .title = line.Text(3),
                           .sku = line.Text(4),
                           .quantity = line.Int(5),
                           .unit_price = line.Int(6),
                           .discount = line.Int(7),
                           .tax = line.Int(8),
                           .total = line.Int(9),
                           .fulfilled_quantity = line.Int(10),
                           .returned_quantity = line.Int(11)});
  }
  return order;
}

Result<std::optional<std::int64_t>> FindOrderForCart(store::Transaction& tx, std::int64_t shop_id,
                                                     const std::string& cart_token) {
  PLAZA_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT id FROM order_orders WHERE shop_id = ? AND cart_token = ?", {shop_id, cart_token}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->Int(0));
}

Result<std::string> ReservationKeyOf(store::Transaction& tx, std::int64_t shop_id, std::int64_t order_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT reservation_key FROM order_orders WHERE shop_id = ? AND id = ?",
                                               {shop_id, order_id}));
  if (!row) return Error::NotFound("no such order");
  return row->Text(0);
}

Status UpdateOrderStatus(store::Transaction& tx, const Order& order, OrderStatus to, std::string_view time_column,
                         TimePoint now) {
  PLAZA_TRY(CheckTransition(order.status, to));
  std::string sql = "UPDATE order_orders SET status = ?, updated_at = ?";
  if (!time_column.empty()) sql += ", " + std::string(time_column) + " = ?";
  // The status in the WHERE clause makes a concurrent change of the same order lose
  // cleanly instead of overwriting it.
  sql += " WHERE shop_id = ? AND id = ? AND status = ?";
  std::vector<store::Param> params = {std::string(OrderStatusName(to)), ToUnixMillis(now)};
  if (!time_column.empty()) params.emplace_back(ToUnixMillis(now));
  params.emplace_back(order.shop_id);
  params.emplace_back(order.id);
  params.emplace_back(std::string(OrderStatusName(order.status)));
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute(sql, params));
  if (result.affected_rows != 1) return Error::Conflict("orders/concurrent-change", "the order changed meanwhile");
  return Ok();
}

Status AppendOrderEvent(store::Transaction& tx, const Order& order, std::string_view event_type, TimePoint now,
                        std::int64_t amount) {
  boost::json::object payload{{"order_id", order.id},
                              {"status", OrderStatusName(order.status)},
                              {"currency", order.currency},
                              {"total", order.total},
                              {"email", order.email}};
  if (order.customer_id) payload["customer_id"] = *order.customer_id;
  if (amount != 0) payload["amount"] = amount;
  store::OutboxEvent event{.shop_id = order.shop_id,
                           .aggregate_type = "order",
                           .aggregate_id = std::to_string(order.id),
                           .event_type = std::string(event_type),
                           .payload_json = boost::json::serialize(payload)};
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, store::AppendEvent(tx, event, now));
  (void)id;  // consumers find the event through the dispatcher
  return Ok();
}

Result<Return> LoadReturn(store::Transaction& tx, std::int64_t shop_id, std::int64_t return_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id, order_id, status, reason, refund_amount, requested_at,"
                                               " updated_at FROM order_returns WHERE shop_id = ? AND id = ?",
                                               {shop_id, return_id}));
  if (!row) {
    Error error = Error::NotFound("no such return");
    error.type = "returns/not-found";
    return error;
  }
  Return result{.id = row->Int(0),
                .order_id = row->Int(1),
                .status = ParseReturnStatus(row->Text(2)).value_or(ReturnStatus::kRequested),
                .reason = row->Text(3),
                .refund_amount = row->Int(4),
                .requested_at = FromUnixMillis(row->Int(5)),
                .updated_at = FromUnixMillis(row->Int(6))};
  PLAZA_ASSIGN_OR_RETURN(auto lines, tx.Execute("SELECT order_line_id, quantity, disposition FROM order_return_lines"
                                                " WHERE shop_id = ? AND return_id = ? ORDER BY id",
                                                {shop_id, return_id}));
  for (const store::Row& line : lines.rows) {
    const std::string disposition = line.Text(2);
    result.lines.push_back({.order_line_id = line.Int(0),
                            .quantity = line.Int(1),
                            .disposition = disposition == "restock"     ? Disposition::kRestock
                                           : disposition == "write_off" ? Disposition::kWriteOff
                                                                        : Disposition::kUndecided});
  }
  return result;
}

Status AppendReturnEvent(store::Transaction& tx, std::int64_t shop_id, const Return& return_request,
                         std::string_view event_type, TimePoint now) {
  boost::json::object payload{{"return_id", return_request.id},
                              {"order_id", return_request.order_id},
                              {"status", ReturnStatusName(return_request.status)},
                              {"refund_amount", return_request.refund_amount}};
  store::OutboxEvent event{.shop_id = shop_id,
                           .aggregate_type = "return",
                           .aggregate_id = std::to_string(return_request.id),
                           .event_type = std::string(event_type),
                           .payload_json = boost::json::serialize(payload)};
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, store::AppendEvent(tx, event, now));
  (void)id;  // consumers find the event through the dispatcher
  return Ok();
}

}  // namespace plaza::orders::internal
