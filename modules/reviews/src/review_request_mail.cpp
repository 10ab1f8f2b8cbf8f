#include "plaza/reviews/review_request_mail.h"

#include <boost/json.hpp>
#include <sstream>

#include "plaza/catalog/catalog.h"

namespace plaza::reviews {
namespace {

struct Requested {
  std::int64_t order_id = 0;
  std::int64_t customer_id = 0;
  std::vector<std::int64_t> product_ids{};
};

// The review.requested payload; nullopt when it is unusable.
std::optional<Requested> ParseRequested(const std::string& payload_json) {
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(payload_json, ec);
  const boost::json::object* payload = ec ? nullptr : parsed.if_object();
  if (payload == nullptr) return std::nullopt;
  const boost::json::value* order_id = payload->if_contains("order_id");
  const boost::json::value* customer_id = payload->if_contains("customer_id");
  const boost::json::value* product_ids = payload->if_contains("product_ids");
  if (order_id == nullptr || !order_id->is_int64() || customer_id == nullptr || !customer_id->is_int64() ||
      product_ids == nullptr || !product_ids->is_array()) {
    return std::nullopt;
  }
  Requested requested{.order_id = order_id->as_int64(), .customer_id = customer_id->as_int64()};
  for (const boost::json::value& id : product_ids->as_array()) {
    if (!id.is_int64()) return std::nullopt;
    requested.product_ids.push_back(id.as_int64());
  }
  return requested;
}

struct Reviewable {
  std::string title;
  std::string handle;
};

MailMessage RequestEmail(const std::string& shop_name, const std::string& base_url, const orders::Order& order,
                         const std::vector<Reviewable>& products) {
  std::ostringstream out;
  out << "Your order #" << order.id << " has arrived. How do you like "
      << (products.size() == 1 ? "it" : "what you received") << "?\n\n"
      << "A few words help other customers choose, and " << shop_name << " reads every review.\n\n";
  for (const Reviewable& product : products) {
    out << product.title << "\nReview it: " << base_url << "/products/" << product.handle << "/review\n\n";
  }
  out << "You receive this e-mail once per delivered order. To stop these e-mails, untick \"E-mail me to review "
         "what I receive\" on your account page: "
      << base_url << "/account\n\n"
      << shop_name << "\n";
  return {order.email, shop_name + ": how was your order #" + std::to_string(order.id) + "?", out.str(), order.shop_id};
}

}  // namespace

Result<bool> WantsReviewEmails(store::Database& db, std::int64_t shop_id, std::int64_t customer_id) {
  return db.Read([&](store::Transaction& tx) -> Result<bool> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT 1 FROM reviews_email_optouts WHERE shop_id = ? AND "
                                                 "customer_id = ?",
                                                 {shop_id, customer_id}));
    return !row.has_value();
  });
}

Status SetReviewEmails(store::Database& db, const Clock& clock, std::int64_t shop_id, std::int64_t customer_id,
                       bool wanted) {
  const TimePoint now = clock.Now();
  return db.Write([&](store::Transaction& tx) -> Status {
    if (wanted) {
      PLAZA_TRY(tx.Execute("DELETE FROM reviews_email_optouts WHERE shop_id = ? AND customer_id = ?",
                           {shop_id, customer_id}));
    } else {
      PLAZA_TRY(
          tx.Execute("INSERT INTO reviews_email_optouts (shop_id, customer_id, created_at) VALUES (?, ?, ?)"
                     " ON CONFLICT (shop_id, customer_id) DO NOTHING",
                     {shop_id, customer_id, ToUnixMillis(now)}));
    }
    return Ok();
  });
}

std::vector<store::DeliveryOutcome> ReviewRequestMailConsumer::Handle(std::span<const store::Delivery> batch) {
  std::vector<store::DeliveryOutcome> outcomes;
  outcomes.reserve(batch.size());
  for (const store::Delivery& delivery : batch) outcomes.push_back(HandleOne(delivery.event));
  return outcomes;
}

store::DeliveryOutcome ReviewRequestMailConsumer::HandleOne(const store::OutboxEvent& event) {
  if (event.event_type != "review.requested") return store::DeliveryOutcome::Delivered();
  const std::optional<Requested> requested = ParseRequested(event.payload_json);
  if (!requested) return store::DeliveryOutcome::Failed("review.requested without order_id, customer_id, product_ids");
  auto order = orders_.GetOrder(event.shop_id, requested->order_id);
  if (!order.ok()) {
    if (order.error().code == ErrorCode::kNotFound) return store::DeliveryOutcome::Delivered();
    return store::DeliveryOutcome::Retry(order.error().detail);
  }
  if (order->email.empty()) return store::DeliveryOutcome::Delivered();
  auto wanted = WantsReviewEmails(db_, event.shop_id, requested->customer_id);
  if (!wanted.ok()) return store::DeliveryOutcome::Retry(wanted.error().detail);
  if (!*wanted) return store::DeliveryOutcome::Delivered();

  // Claimed in the transaction that reads the products, so what is sent matches one
  // moment of the catalog and a second delivery finds the claim.
  const TimePoint now = clock_.Now();
  auto claimed = db_.Write([&](store::Transaction& tx) -> Result<std::vector<Reviewable>> {
    PLAZA_ASSIGN_OR_RETURN(
        const auto claim,
        tx.Execute("INSERT INTO reviews_request_mails (shop_id, order_id, created_at) VALUES (?, ?, ?)"
                   " ON CONFLICT (shop_id, order_id) DO NOTHING",
                   {event.shop_id, requested->order_id, ToUnixMillis(now)}));
    std::vector<Reviewable> products;
    if (claim.affected_rows == 0) return products;  // mailed already, on an earlier delivery of the event
    for (const std::int64_t product_id : requested->product_ids) {
      auto product = catalog::GetProduct(tx, event.shop_id, product_id);
      if (!product.ok()) {
        if (product.error().code == ErrorCode::kNotFound) continue;
        return product.error();
      }
      // A product taken off sale has no review form to link to.
      if (product->status != catalog::ProductStatus::kActive) continue;
      products.push_back({product->title, product->handle});
    }
    return products;
  });
  if (!claimed.ok()) return store::DeliveryOutcome::Retry(claimed.error().detail);
  if (claimed->empty()) return store::DeliveryOutcome::Delivered();

  const std::string shop_name = options_.shop_name ? options_.shop_name(event.shop_id) : std::string("Plaza");
  const Status sent = mailer_.Send(RequestEmail(shop_name, options_.public_base_url, *order, *claimed));
  if (sent.ok()) return store::DeliveryOutcome::Delivered();
  // Given back so the retry sends it; should that fail too, the message is lost rather
  // than sent twice.
  const Status released = db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("DELETE FROM reviews_request_mails WHERE shop_id = ? AND order_id = ?",
                         {event.shop_id, requested->order_id}));
    return Ok();
  });
  if (!released.ok()) return store::DeliveryOutcome::Failed(sent.error().detail + "; " + released.error().detail);
  return store::DeliveryOutcome::Retry(sent.error().detail);
}

}  // namespace plaza::reviews
