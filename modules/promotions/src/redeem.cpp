// Counting uses exactly: conditional updates whose affected-row count decides, inside
// the caller's transaction.

#include <boost/json.hpp>
#include <set>
#include <string>

#include "plaza/promotions/promotions.h"
#include "plaza/store/outbox.h"
#include "records.h"

namespace plaza::promotions {
namespace {

Error LimitReached(std::int64_t promotion_id) {
  return Error{ErrorCode::kConflict,
               "promotions/limit-reached",
               "promotion " + std::to_string(promotion_id) + " has been used as often as it may be",
               {}};
}

Result<bool> ReleasesOnCancel(store::Transaction& tx, std::int64_t shop_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row,
                         tx.QueryOne("SELECT release_on_cancel FROM promotion_settings WHERE shop_id = ?", {shop_id}));
  return row ? row->Bool(0) : RedemptionPolicy{}.release_on_cancel;
}

}  // namespace

Status Redeem(store::Transaction& tx, std::int64_t shop_id, std::span<const AppliedDiscount> applied,
              std::int64_t order_id, std::optional<std::int64_t> customer_id, TimePoint now) {
  if (order_id <= 0) return Error::Invalid("promotions/invalid-order", "an order id is a positive number", "order_id");
  std::set<std::int64_t> seen;
  for (const AppliedDiscount& discount : applied) {
    if (!seen.insert(discount.promotion_id).second) {
      return Error::Conflict("promotions/already-redeemed", "a promotion can be redeemed once per order");
    }
    // The row's lock (PostgreSQL) or the single writer (SQLite) orders concurrent
    // redemptions; whoever finds uses == usage_limit changes nothing and fails.
    PLAZA_ASSIGN_OR_RETURN(auto counted,
                           tx.QueryOne("UPDATE promotions SET uses = uses + 1 WHERE shop_id = ? AND id = ? AND"
                                       " (usage_limit IS NULL OR uses < usage_limit) RETURNING per_customer_limit",
                                       {shop_id, discount.promotion_id}));
    if (!counted) {
      PLAZA_ASSIGN_OR_RETURN(auto exists, internal::FindPromotion(tx, shop_id, discount.promotion_id));
      if (!exists) {
        return Error::Conflict("promotions/unknown-promotion",
                               "promotion " + std::to_string(discount.promotion_id) + " no longer exists");
      }
      return LimitReached(discount.promotion_id);
    }
    const std::optional<std::int64_t> per_customer_limit = counted->OptionalInt(0);
    if (per_customer_limit && !customer_id) {
      return Error::Conflict("promotions/customer-required", "this promotion needs a signed-in customer");
    }
    if (customer_id) {
      // One counter row per (promotion, customer); the primary key makes concurrent
      // first uses meet on the same row, and the WHERE refuses a use past the limit.
      std::string sql =
          "INSERT INTO promotion_customer_uses (shop_id, promotion_id, customer_id, uses) VALUES (?, ?, ?, 1)"
          " ON CONFLICT (shop_id, promotion_id, customer_id) DO UPDATE SET uses = promotion_customer_uses.uses + 1";
      std::vector<store::Param> params = {shop_id, discount.promotion_id, *customer_id};
      if (per_customer_limit) {
        sql += " WHERE promotion_customer_uses.uses < ?";
        params.emplace_back(*per_customer_limit);
      }
      PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute(sql, params));
      if (result.affected_rows == 0) {
        return Error{
            ErrorCode::kConflict,
            "promotions/customer-limit-reached",
            "this customer has used promotion " + std::to_string(discount.promotion_id) + " as often as they may",
            {}};
      }
    }
    if (discount.code_id) {
      PLAZA_TRY(tx.Execute("UPDATE promotion_codes SET uses = uses + 1 WHERE shop_id = ? AND id = ?",
                           {shop_id, *discount.code_id}));
    }
    auto recorded = tx.Execute(
        "INSERT INTO promotion_redemptions (shop_id, promotion_id, code_id, order_id, customer_id, amount, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        {shop_id, discount.promotion_id, discount.code_id, order_id, customer_id, discount.amount, ToUnixMillis(now)});
    if (!recorded.ok()) {
      if (internal::IsUniqueViolation(recorded.error())) {
        return Error::Conflict("promotions/already-redeemed", "this order has already redeemed this promotion");
      }
      return std::move(recorded).error();
    }
    boost::json::object payload = {{"promotion_id", discount.promotion_id},
                                   {"order_id", order_id},
                                   {"amount", discount.amount},
                                   {"code", discount.code},
                                   {"creator", discount.creator}};
    if (customer_id) payload["customer_id"] = *customer_id;
    PLAZA_TRY(store::AppendEvent(tx,
                                 {.shop_id = shop_id,
                                  .aggregate_type = "promotion",
                                  .aggregate_id = std::to_string(discount.promotion_id),
                                  .event_type = "promotion.redeemed",
                                  .payload_json = boost::json::serialize(payload)},
                                 now));
  }
  return Ok();
}

Result<int> ReleaseRedemption(store::Transaction& tx, std::int64_t shop_id, std::int64_t order_id, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(const bool releases, ReleasesOnCancel(tx, shop_id));
  if (!releases) return 0;
  PLAZA_ASSIGN_OR_RETURN(auto redemptions,
                         tx.Execute("SELECT id, promotion_id, code_id, customer_id FROM promotion_redemptions WHERE"
                                    " shop_id = ? AND order_id = ? AND released_at IS NULL ORDER BY id",
                                    {shop_id, order_id}));
  int released = 0;
  for (const store::Row& row : redemptions.rows) {
    const std::int64_t promotion_id = row.Int(1);
    PLAZA_TRY(tx.Execute("UPDATE promotions SET uses = uses - 1 WHERE shop_id = ? AND id = ? AND uses > 0",
                         {shop_id, promotion_id}));
    if (auto code_id = row.OptionalInt(2)) {
      PLAZA_TRY(tx.Execute("UPDATE promotion_codes SET uses = uses - 1 WHERE shop_id = ? AND id = ? AND uses > 0",
                           {shop_id, *code_id}));
    }
    if (auto customer_id = row.OptionalInt(3)) {
      PLAZA_TRY(
          tx.Execute("UPDATE promotion_customer_uses SET uses = uses - 1 WHERE shop_id = ? AND promotion_id = ?"
                     " AND customer_id = ? AND uses > 0",
                     {shop_id, promotion_id, *customer_id}));
    }
    PLAZA_TRY(tx.Execute("UPDATE promotion_redemptions SET released_at = ? WHERE shop_id = ? AND id = ?",
                         {ToUnixMillis(now), shop_id, row.Int(0)}));
    PLAZA_TRY(store::AppendEvent(tx,
                                 {.shop_id = shop_id,
                                  .aggregate_type = "promotion",
                                  .aggregate_id = std::to_string(promotion_id),
                                  .event_type = "promotion.released",
                                  .payload_json = boost::json::serialize(
                                      boost::json::object{{"promotion_id", promotion_id}, {"order_id", order_id}})},
                                 now));
    ++released;
  }
  return released;
}

}  // namespace plaza::promotions
