// The admin side of promotions: definitions, codes, usage, the redemption policy.

#include <algorithm>
#include <string>

#include "plaza/promotions/promotions.h"
#include "records.h"

namespace plaza::promotions {
namespace {

// Codes are typed by customers and printed on flyers: short, unambiguous characters.
constexpr std::size_t kMinCodeLength = 3;
constexpr std::size_t kMaxCodeLength = 64;
constexpr std::size_t kMaxCreatorLength = 100;

Status CheckShop(std::int64_t shop_id) {
  if (shop_id <= 0) return Error::Invalid("promotions/shop-required", "promotions belong to a shop", "shop_id");
  return Ok();
}

Error PromotionNotFound() {
  return Error{ErrorCode::kNotFound, "promotions/not-found", "no such promotion", {}};
}

Status ValidateCode(const NewCode& code) {
  const std::string_view text = code.code;
  if (text.size() < kMinCodeLength || text.size() > kMaxCodeLength ||
      !std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      })) {
    return Error::Invalid("promotions/invalid-code", "a code is 3 to 64 letters, digits, '-' and '_'", "/code");
  }
  if (code.creator.size() > kMaxCreatorLength || std::any_of(code.creator.begin(), code.creator.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20;
      })) {
    return Error::Invalid("promotions/invalid-creator", "a creator is at most 100 characters", "/creator");
  }
  return Ok();
}

Result<std::vector<PromotionCode>> CodesOf(store::Transaction& tx, std::int64_t shop_id, std::int64_t promotion_id) {
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(internal::kCodeColumns) +
                                                     " FROM promotion_codes WHERE shop_id = ? AND promotion_id = ?"
                                                     " ORDER BY id",
                                                 {shop_id, promotion_id}));
  std::vector<PromotionCode> codes;
  codes.reserve(result.rows.size());
  for (const store::Row& row : result.rows) codes.push_back(internal::CodeFromRow(row));
  return codes;
}

}  // namespace

PromotionService::PromotionService(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

Result<Promotion> PromotionService::Create(std::int64_t shop_id, const PromotionDefinition& definition) {
  PLAZA_TRY(CheckShop(shop_id));
  PLAZA_TRY(ValidateDefinition(definition));
  const std::int64_t now = ToUnixMillis(clock_.Now());
  return db_.Write([&](store::Transaction& tx) -> Result<Promotion> {
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("INSERT INTO promotions (shop_id, automatic, active, definition, usage_limit,"
                              " per_customer_limit, uses, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)"
                              " RETURNING " +
                                  std::string(internal::kPromotionColumns),
                              {shop_id, definition.automatic, definition.active, EncodeDefinition(definition),
                               definition.usage_limit, definition.per_customer_limit, now, now}));
    if (!row) return Error::Internal("inserting a promotion returned nothing");
    return internal::PromotionFromRow(*row);
  });
}

Result<std::vector<Promotion>> PromotionService::List(std::int64_t shop_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<Promotion>> {
    PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT " + std::string(internal::kPromotionColumns) +
                                                       " FROM promotions WHERE shop_id = ? ORDER BY id",
                                                   {shop_id}));
    std::vector<Promotion> promotions;
    promotions.reserve(result.rows.size());
    for (const store::Row& row : result.rows) {
      PLAZA_ASSIGN_OR_RETURN(Promotion promotion, internal::PromotionFromRow(row));
      promotions.push_back(std::move(promotion));
    }
    return promotions;
  });
}

Result<Promotion> PromotionService::Get(std::int64_t shop_id, std::int64_t promotion_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<Promotion> {
    PLAZA_ASSIGN_OR_RETURN(auto promotion, internal::FindPromotion(tx, shop_id, promotion_id));
    if (!promotion) return PromotionNotFound();
    return std::move(*promotion);
  });
}

Result<Promotion> PromotionService::Update(std::int64_t shop_id, std::int64_t promotion_id,
                                           const PromotionDefinition& definition) {
  PLAZA_TRY(CheckShop(shop_id));
  PLAZA_TRY(ValidateDefinition(definition));
  const std::int64_t now = ToUnixMillis(clock_.Now());
  return db_.Write([&](store::Transaction& tx) -> Result<Promotion> {
    PLAZA_ASSIGN_OR_RETURN(auto existing, internal::FindPromotion(tx, shop_id, promotion_id));
    if (!existing) return PromotionNotFound();
    if (definition.automatic && !existing->definition.automatic) {
      PLAZA_ASSIGN_OR_RETURN(auto code, tx.QueryOne("SELECT 1 FROM promotion_codes WHERE shop_id = ? AND"
                                                    " promotion_id = ? LIMIT 1",
                                                    {shop_id, promotion_id}));
      if (code) {
        return Error{ErrorCode::kConflict, "promotions/automatic-has-no-codes",
                     "delete this promotion's codes before making it automatic", "/automatic"};
      }
    }
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("UPDATE promotions SET automatic = ?, active = ?, definition = ?, usage_limit = ?,"
                              " per_customer_limit = ?, updated_at = ? WHERE shop_id = ? AND id = ? RETURNING " +
                                  std::string(internal::kPromotionColumns),
                              {definition.automatic, definition.active, EncodeDefinition(definition),
                               definition.usage_limit, definition.per_customer_limit, now, shop_id, promotion_id}));
    if (!row) return PromotionNotFound();
    return internal::PromotionFromRow(*row);
  });
}

Status PromotionService::Delete(std::int64_t shop_id, std::int64_t promotion_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_TRY(
        tx.Execute("DELETE FROM promotion_codes WHERE shop_id = ? AND promotion_id = ?", {shop_id, promotion_id}));
    PLAZA_TRY(tx.Execute("DELETE FROM promotion_customer_uses WHERE shop_id = ? AND promotion_id = ?",
                         {shop_id, promotion_id}));
    PLAZA_ASSIGN_OR_RETURN(auto result,
                           tx.Execute("DELETE FROM promotions WHERE shop_id = ? AND id = ?", {shop_id, promotion_id}));
    if (result.affected_rows == 0) return PromotionNotFound();
    return Ok();
  });
}

Result<PromotionCode> PromotionService::AddCode(std::int64_t shop_id, std::int64_t promotion_id, const NewCode& code) {
  PLAZA_TRY(CheckShop(shop_id));
  PLAZA_TRY(ValidateCode(code));
  const std::int64_t now = ToUnixMillis(clock_.Now());
  return db_.Write([&](store::Transaction& tx) -> Result<PromotionCode> {
    PLAZA_ASSIGN_OR_RETURN(auto promotion, internal::FindPromotion(tx, shop_id, promotion_id));
    if (!promotion) return PromotionNotFound();
    if (promotion->definition.automatic) {
      return Error{ErrorCode::kConflict, "promotions/automatic-has-no-codes",
                   "an automatic promotion applies without a code", "/code"};
    }
    const std::string key = internal::CodeKey(code.code);
    PLAZA_ASSIGN_OR_RETURN(auto existing, internal::FindCode(tx, shop_id, key));
    const Error duplicate{ErrorCode::kConflict, "promotions/duplicate-code",
                          "this shop already has the code " + key + " (codes ignore letter case)", "/code"};
    if (existing) return duplicate;
    auto row = tx.QueryOne(
        "INSERT INTO promotion_codes (shop_id, promotion_id, code, code_key, creator, uses,"
        " created_at) VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING " +
            std::string(internal::kCodeColumns),
        {shop_id, promotion_id, code.code, key, code.creator, now});
    if (!row.ok()) {
      // A concurrent insert of the same code.
      if (internal::IsUniqueViolation(row.error())) return duplicate;
      return std::move(row).error();
    }
    if (!*row) return Error::Internal("inserting a code returned nothing");
    return internal::CodeFromRow(**row);
  });
}

Result<std::vector<PromotionCode>> PromotionService::ListCodes(std::int64_t shop_id, std::int64_t promotion_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<std::vector<PromotionCode>> {
    PLAZA_ASSIGN_OR_RETURN(auto promotion, internal::FindPromotion(tx, shop_id, promotion_id));
    if (!promotion) return PromotionNotFound();
    return CodesOf(tx, shop_id, promotion_id);
  });
}

Status PromotionService::DeleteCode(std::int64_t shop_id, std::int64_t promotion_id, std::int64_t code_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Write([&](store::Transaction& tx) -> Status {
    PLAZA_ASSIGN_OR_RETURN(auto result,
                           tx.Execute("DELETE FROM promotion_codes WHERE shop_id = ? AND promotion_id = ? AND id = ?",
                                      {shop_id, promotion_id, code_id}));
    if (result.affected_rows == 0) return Error::NotFound("no such code");
    return Ok();
  });
}

Result<UsageSummary> PromotionService::Usage(std::int64_t shop_id, std::int64_t promotion_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<UsageSummary> {
    PLAZA_ASSIGN_OR_RETURN(auto promotion, internal::FindPromotion(tx, shop_id, promotion_id));
    if (!promotion) return PromotionNotFound();
    UsageSummary summary;
    summary.promotion_id = promotion_id;
    summary.uses = promotion->uses;
    summary.usage_limit = promotion->definition.usage_limit;
    PLAZA_ASSIGN_OR_RETURN(auto customers,
                           tx.QueryOne("SELECT COUNT(DISTINCT customer_id) FROM promotion_redemptions WHERE shop_id = ?"
                                       " AND promotion_id = ? AND released_at IS NULL AND customer_id IS NOT NULL",
                                       {shop_id, promotion_id}));
    summary.customers = customers ? customers->Int(0) : 0;
    PLAZA_ASSIGN_OR_RETURN(summary.codes, CodesOf(tx, shop_id, promotion_id));
    return summary;
  });
}

Result<RedemptionPolicy> PromotionService::GetPolicy(std::int64_t shop_id) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Read([&](store::Transaction& tx) -> Result<RedemptionPolicy> {
    PLAZA_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT release_on_cancel FROM promotion_settings WHERE shop_id = ?", {shop_id}));
    RedemptionPolicy policy;
    if (row) policy.release_on_cancel = row->Bool(0);
    return policy;
  });
}

Result<RedemptionPolicy> PromotionService::SetPolicy(std::int64_t shop_id, const RedemptionPolicy& policy) {
  PLAZA_TRY(CheckShop(shop_id));
  return db_.Write([&](store::Transaction& tx) -> Result<RedemptionPolicy> {
    PLAZA_TRY(
        tx.Execute("INSERT INTO promotion_settings (shop_id, release_on_cancel) VALUES (?, ?)"
                   " ON CONFLICT (shop_id) DO UPDATE SET release_on_cancel = excluded.release_on_cancel",
                   {shop_id, policy.release_on_cancel}));
    return policy;
  });
}

Result<Evaluation> PromotionService::Evaluate(std::int64_t shop_id, const CartContext& cart) {
  PLAZA_TRY(CheckShop(shop_id));
  const TimePoint now = clock_.Now();
  return db_.Read([&](store::Transaction& tx) { return promotions::Evaluate(tx, shop_id, cart, now); });
}

}  // namespace plaza::promotions
