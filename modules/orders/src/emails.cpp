#include "plaza/orders/emails.h"

#include <sstream>

#include "plaza/core/money.h"

namespace plaza::orders {
namespace {

std::string Amount(std::int64_t minor, const std::string& currency) {
  return FormatMoney(Money{minor, currency});
}

std::string OrderName(const Order& order) {
  return "#" + std::to_string(order.id);
}

const OrderLine* FindLine(const Order& order, std::int64_t line_id) {
  for (const OrderLine& line : order.lines)
    if (line.id == line_id) return &line;
  return nullptr;
}

void WriteAddress(std::ostringstream& out, const Address& address) {
  out << address.name << "\n";
  if (!address.company.empty()) out << address.company << "\n";
  out << address.line1 << "\n";
  if (!address.line2.empty()) out << address.line2 << "\n";
  out << address.postal_code << (address.postal_code.empty() ? "" : " ") << address.city;
  if (!address.region.empty()) out << " " << address.region;
  out << "\n" << address.country << "\n";
}

void WriteFooter(std::ostringstream& out, const ShopIdentity& shop, const Order& order) {
  if (!shop.order_url_base.empty()) out << "\nYour order: " << shop.order_url_base << order.id << "\n";
  out << "\n" << shop.name << "\n";
}

}  // namespace

MailMessage OrderConfirmationEmail(const ShopIdentity& shop, const Order& order) {
  std::ostringstream out;
  out << "Thank you for your order " << OrderName(order) << ".\n\n";
  for (const OrderLine& line : order.lines) {
    out << line.quantity << " x " << line.title;
    if (!line.sku.empty()) out << " (" << line.sku << ")";
    out << "  " << Amount(line.unit_price * line.quantity, order.currency) << "\n";
  }
  out << "\nSubtotal: " << Amount(order.subtotal, order.currency) << "\n";
  if (order.discount_total > 0) out << "Discounts: -" << Amount(order.discount_total, order.currency) << "\n";
  out << "Shipping (" << order.shipping.name << "): " << Amount(order.shipping_total, order.currency) << "\n";
  out << (order.prices_include_tax ? "Including tax: " : "Tax: ") << Amount(order.tax_total, order.currency) << "\n";
  out << "Total: " << Amount(order.total, order.currency) << "\n\n";
  if (!order.shipping.promise_text.empty()) out << order.shipping.promise_text << "\n\n";
  out << "Shipping to:\n";
  WriteAddress(out, order.shipping_address);
  WriteFooter(out, shop, order);
  return {order.email, shop.name + ": order " + OrderName(order) + " confirmed", out.str(), order.shop_id};
}

MailMessage OrderShippedEmail(const ShopIdentity& shop, const Order& order,
                              const std::vector<std::pair<std::int64_t, std::int64_t>>& shipped) {
  std::ostringstream out;
  out << "Good news: items of your order " << OrderName(order) << " are on their way.\n\n";
  for (const auto& [line_id, quantity] : shipped) {
    if (const OrderLine* line = FindLine(order, line_id)) out << quantity << " x " << line->title << "\n";
  }
  if (!order.shipping.promise_text.empty()) out << "\n" << order.shipping.promise_text << "\n";
  WriteFooter(out, shop, order);
  return {order.email, shop.name + ": order " + OrderName(order) + " has shipped", out.str(), order.shop_id};
}

MailMessage ReturnApprovedEmail(const ShopIdentity& shop, const Order& order, const Return& return_request) {
  std::ostringstream out;
  out << "Your return for order " << OrderName(order) << " is approved.\n\nPlease send back:\n";
  for (const ReturnLine& item : return_request.lines) {
    if (const OrderLine* line = FindLine(order, item.order_line_id))
      out << item.quantity << " x " << line->title << "\n";
  }
  out << "\nWe refund you as soon as the parcel arrives.\n";
  WriteFooter(out, shop, order);
  return {order.email, shop.name + ": return for order " + OrderName(order) + " approved", out.str(), order.shop_id};
}

MailMessage RefundEmail(const ShopIdentity& shop, const Order& order, std::int64_t amount) {
  std::ostringstream out;
  out << "We refunded " << Amount(amount, order.currency) << " for order " << OrderName(order)
      << " to your original payment method.\n";
  out << "Depending on your bank, it can take a few days to appear on your statement.\n";
  WriteFooter(out, shop, order);
  return {order.email, shop.name + ": refund for order " + OrderName(order), out.str(), order.shop_id};
}

}  // namespace plaza::orders
