#include "plaza/reviews/review_requests.h"

#include <algorithm>
#include <boost/json.hpp>

#include "plaza/orders/purchases.h"
#include "plaza/social/profiles.h"
#include "plaza/store/outbox.h"

namespace plaza::reviews {
namespace {

// The order.delivered payload's order id; nullopt when the payload is unusable.
std::optional<std::int64_t> OrderIdOf(const std::string& payload_json) {
  boost::system::error_code ec;
  const boost::json::value payload = boost::json::parse(payload_json, ec);
  if (ec || !payload.is_object()) return std::nullopt;
  const boost::json::value* order_id = payload.as_object().if_contains("order_id");
  if (order_id == nullptr || !order_id->is_int64()) return std::nullopt;
  return order_id->as_int64();
}

}  // namespace

std::vector<store::DeliveryOutcome> ReviewRequestConsumer::Handle(std::span<const store::Delivery> batch) {
  std::vector<store::DeliveryOutcome> outcomes;
  outcomes.reserve(batch.size());
  for (const store::Delivery& delivery : batch) {
    const store::OutboxEvent& event = delivery.event;
    if (event.event_type != "order.delivered") {
      outcomes.push_back(store::DeliveryOutcome::Delivered());
      continue;
    }
    const std::optional<std::int64_t> order_id = OrderIdOf(event.payload_json);
    if (!order_id) {
      outcomes.push_back(store::DeliveryOutcome::Failed("order.delivered without an order_id"));
      continue;
    }
    const TimePoint now = clock_.Now();
    const Status done = db_.Write([&](store::Transaction& tx) -> Status {
      PLAZA_ASSIGN_OR_RETURN(const auto claimed,
                             tx.Execute("INSERT INTO reviews_requests (shop_id, order_id, created_at) VALUES (?, ?, ?)"
                                        " ON CONFLICT (shop_id, order_id) DO NOTHING",
                                        {event.shop_id, *order_id, ToUnixMillis(now)}));
      if (claimed.affected_rows == 0) return Ok();  // requested already, on an earlier delivery of the event
      PLAZA_ASSIGN_OR_RETURN(const auto lines, orders::DeliveredLinesOfOrder(tx, event.shop_id, *order_id));
      // Reviews are written by signed-in customers; a guest's order has nobody to ask.
      if (lines.empty() || lines.front().customer_id == 0) return Ok();
      boost::json::array products;
      for (const orders::DeliveredLine& line : lines) {
        const bool seen = std::any_of(products.begin(), products.end(),
                                      [&](const boost::json::value& id) { return id.as_int64() == line.product_id; });
        if (!seen) products.emplace_back(line.product_id);
      }
      const std::int64_t customer_id = lines.front().customer_id;
      PLAZA_ASSIGN_OR_RETURN(const auto profile_id, social::ProfileIdOfCustomer(tx, event.shop_id, customer_id));
      if (profile_id) {
        for (const boost::json::value& product_id : products) {
          PLAZA_TRY(notifications_.Notify(tx, event.shop_id,
                                          {.recipient_profile_id = *profile_id,
                                           .kind = social::NotificationKind::kOrderSocial,
                                           .subject_kind = "product",
                                           .subject_id = product_id.as_int64()}));
        }
      }
      const boost::json::object payload{
          {"order_id", *order_id}, {"customer_id", customer_id}, {"product_ids", std::move(products)}};
      PLAZA_TRY(store::AppendEvent(tx,
                                   {.shop_id = event.shop_id,
                                    .aggregate_type = "order",
                                    .aggregate_id = std::to_string(*order_id),
                                    .event_type = "review.requested",
                                    .payload_json = boost::json::serialize(payload)},
                                   now));
      return Ok();
    });
    outcomes.push_back(done.ok() ? store::DeliveryOutcome::Delivered()
                                 : store::DeliveryOutcome::Retry(done.error().detail));
  }
  return outcomes;
}

}  // namespace plaza::reviews
