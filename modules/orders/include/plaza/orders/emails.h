#pragma once
// The transactional e-mails of an order: confirmation, shipped, return approved and
// refund. Plain text, rendered from the order as stored, so the mail says exactly what
// the order says. Pure and thread-safe; sending is the caller's (a Mailer).

#include <string>
#include <string_view>

#include "plaza/core/mailer.h"
#include "plaza/orders/model.h"

namespace plaza::orders {

struct ShopIdentity {
  std::string name{};            // "Maison Plaza"
  std::string order_url_base{};  // "https://shop.example/account/orders/": the order id is appended
};

MailMessage OrderConfirmationEmail(const ShopIdentity& shop, const Order& order);
// `lines` are the quantities of this shipment, by order line id.
MailMessage OrderShippedEmail(const ShopIdentity& shop, const Order& order,
                              const std::vector<std::pair<std::int64_t, std::int64_t>>& shipped);
MailMessage ReturnApprovedEmail(const ShopIdentity& shop, const Order& order, const Return& return_request);
MailMessage RefundEmail(const ShopIdentity& shop, const Order& order, std::int64_t amount);

}  // namespace plaza::orders
