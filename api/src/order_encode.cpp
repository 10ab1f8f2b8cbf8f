#include "order_encode.h"

#include <boost/json.hpp>

namespace plaza::api {
namespace {

boost::json::object EncodeShipping(const orders::ShippingChoice& shipping) {
  return {{"rate_id", shipping.rate_id},
          {"name", shipping.name},
          {"price", shipping.price},
          {"delivery_promise",
           {{"earliest", shipping.promise_earliest},
            {"latest", shipping.promise_latest},
            {"text", shipping.promise_text}}}};
}

std::string_view DispositionName(orders::Disposition disposition) {
  switch (disposition) {
    case orders::Disposition::kRestock:
      return "restock";
    case orders::Disposition::kWriteOff:
      return "write_off";
    case orders::Disposition::kUndecided:
      return "undecided";
  }
  return "undecided";
}

boost::json::value OptionalTime(const std::optional<TimePoint>& time) {
  if (!time) return nullptr;
  return boost::json::value(FormatRfc3339(*time));
}

}  // namespace

boost::json::object EncodeAddress(const orders::Address& a) {
  return {{"name", a.name},
          {"company", a.company},
          {"line1", a.line1},
          {"line2", a.line2},
          {"city", a.city},
          {"region", a.region},
          {"postal_code", a.postal_code},
          {"country", a.country},
          {"phone", a.phone}};
}

boost::json::object EncodeCart(const orders::Cart& cart) {
  boost::json::array lines;
  for (const orders::CartLineView& line : cart.lines) {
    boost::json::object encoded{{"variant_id", line.variant_id},
                                {"product_id", line.product_id},
                                {"title", line.title},
                                {"sku", line.sku},
                                {"quantity", line.quantity},
                                {"unit_price", line.unit_price},
                                {"subtotal", line.subtotal},
                                {"discount", line.discount},
                                {"tax", line.tax},
                                {"total", line.total}};
    if (line.compare_at) encoded["compare_at"] = *line.compare_at;
    if (!line.problem.empty()) encoded["problem"] = line.problem;
    lines.emplace_back(std::move(encoded));
  }
  boost::json::array discounts;
  for (const orders::DiscountView& d : cart.discounts)
    discounts.emplace_back(boost::json::object{
        {"promotion_id", d.promotion_id}, {"title", d.title}, {"code", d.code}, {"amount", d.amount}});
  boost::json::array rejected;
  for (const orders::CodeProblem& p : cart.rejected_codes)
    rejected.emplace_back(boost::json::object{{"code", p.code}, {"type", p.type}, {"detail", p.detail}});
  boost::json::array codes;
  for (const std::string& code : cart.codes) codes.emplace_back(code);
  boost::json::array options;
  for (const orders::ShippingChoice& option : cart.shipping_options) options.emplace_back(EncodeShipping(option));
  boost::json::object out{
      {"token", cart.token},
      {"state", orders::CartStateName(cart.state)},
      {"market_id", cart.market_id},
      {"currency", cart.currency},
      {"country", cart.country},
      {"prices_include_tax", cart.prices_include_tax},
      {"version", cart.version},
      {"lines", std::move(lines)},
      {"codes", std::move(codes)},
      {"discounts", std::move(discounts)},
      {"rejected_codes", std::move(rejected)},
      {"email", cart.email},
      {"shipping_address",
       cart.shipping_address ? boost::json::value(EncodeAddress(*cart.shipping_address)) : boost::json::value(nullptr)},
      {"shipping_options", std::move(options)},
      {"shipping", cart.shipping ? boost::json::value(EncodeShipping(*cart.shipping)) : boost::json::value(nullptr)},
      {"subtotal", cart.subtotal},
      {"discount_total", cart.discount_total},
      {"shipping_total", cart.shipping_total},
      {"tax_total", cart.tax_total},
      {"total", cart.total},
      {"reserved_until", OptionalTime(cart.reserved_until)}};
  if (cart.order_id) out["order_id"] = *cart.order_id;
  return out;
}

boost::json::object EncodeOrder(const orders::Order& order) {
  boost::json::array lines;
  for (const orders::OrderLine& line : order.lines)
    lines.emplace_back(boost::json::object{{"id", line.id},
                                           {"variant_id", line.variant_id},
                                           {"product_id", line.product_id},
                                           {"title", line.title},
                                           {"sku", line.sku},
                                           {"quantity", line.quantity},
                                           {"unit_price", line.unit_price},
                                           {"discount", line.discount},
                                           {"tax", line.tax},
                                           {"total", line.total},
                                           {"fulfilled_quantity", line.fulfilled_quantity},
                                           {"returned_quantity", line.returned_quantity}});
  boost::json::array codes;
  for (const std::string& code : order.codes) codes.emplace_back(code);
  const orders::Attribution& a = order.attribution;
  return {{"id", order.id},
          {"status", orders::OrderStatusName(order.status)},
          {"customer_id", order.customer_id ? boost::json::value(*order.customer_id) : boost::json::value(nullptr)},
          {"email", order.email},
          {"currency", order.currency},
          {"prices_include_tax", order.prices_include_tax},
          {"lines", std::move(lines)},
          {"subtotal", order.subtotal},
          {"discount_total", order.discount_total},
          {"shipping_total", order.shipping_total},
          {"tax_total", order.tax_total},
          {"total", order.total},
          {"refunded_total", order.refunded_total},
          {"shipping_address", EncodeAddress(order.shipping_address)},
          {"shipping", EncodeShipping(order.shipping)},
          {"codes", std::move(codes)},
          {"payment_id", order.payment_id ? boost::json::value(*order.payment_id) : boost::json::value(nullptr)},
          {"attribution",
           {{"utm_source", a.utm_source},
            {"utm_medium", a.utm_medium},
            {"utm_campaign", a.utm_campaign},
            {"utm_content", a.utm_content},
            {"utm_term", a.utm_term},
            {"fbclid", a.fbclid},
            {"gclid", a.gclid},
            {"ttclid", a.ttclid}}},
          {"placed_at", FormatRfc3339(order.placed_at)},
          {"paid_at", OptionalTime(order.paid_at)},
          {"fulfilled_at", OptionalTime(order.fulfilled_at)},
          {"delivered_at", OptionalTime(order.delivered_at)},
          {"cancelled_at", OptionalTime(order.cancelled_at)}};
}

boost::json::object EncodeReturn(const orders::Return& r) {
  boost::json::array lines;
  for (const orders::ReturnLine& line : r.lines)
    lines.emplace_back(boost::json::object{{"order_line_id", line.order_line_id},
                                           {"quantity", line.quantity},
                                           {"disposition", DispositionName(line.disposition)}});
  return {{"id", r.id},
          {"order_id", r.order_id},
          {"status", orders::ReturnStatusName(r.status)},
          {"reason", r.reason},
          {"lines", std::move(lines)},
          {"refund_amount", r.refund_amount},
          {"requested_at", FormatRfc3339(r.requested_at)},
          {"updated_at", FormatRfc3339(r.updated_at)}};
}

boost::json::object EncodeSavedAddress(const orders::SavedAddress& saved) {
  return {{"id", saved.id},
          {"address", EncodeAddress(saved.address)},
          {"created_at", FormatRfc3339(saved.created_at)},
          {"updated_at", FormatRfc3339(saved.updated_at)}};
}

}  // namespace plaza::api
