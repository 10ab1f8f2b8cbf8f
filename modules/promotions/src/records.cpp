#include "records.h"

#include "plaza/core/text.h"

namespace plaza::promotions::internal {

Result<Promotion> PromotionFromRow(const store::Row& row) {
  Promotion promotion;
  promotion.id = row.Int(0);
  promotion.shop_id = row.Int(1);
  auto definition = DecodeDefinition(row.Text(2));
  // Only this module writes the column, always from a validated definition.
  if (!definition.ok()) {
    return Error::Internal("promotion " + std::to_string(promotion.id) +
                           " has an unreadable definition: " + definition.error().detail);
  }
  promotion.definition = std::move(definition).value();
  promotion.uses = row.Int(3);
  promotion.created_at = FromUnixMillis(row.Int(4));
  promotion.updated_at = FromUnixMillis(row.Int(5));
  return promotion;
}

PromotionCode CodeFromRow(const store::Row& row) {
  PromotionCode code;
  code.id = row.Int(0);
  code.shop_id = row.Int(1);
  code.promotion_id = row.Int(2);
  code.code = row.Text(3);
  code.creator = row.Text(4);
  code.uses = row.Int(5);
  code.created_at = FromUnixMillis(row.Int(6));
  return code;
}

Result<std::optional<Promotion>> FindPromotion(store::Transaction& tx, std::int64_t shop_id,
                                               std::int64_t promotion_id) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kPromotionColumns) +
                                                   " FROM promotions WHERE shop_id = ? AND id = ?",
                                               {shop_id, promotion_id}));
  if (!row) return std::optional<Promotion>();
  PLAZA_ASSIGN_OR_RETURN(Promotion promotion, PromotionFromRow(*row));
  return std::optional<Promotion>(std::move(promotion));
}

Result<std::optional<PromotionCode>> FindCode(store::Transaction& tx, std::int64_t shop_id, std::string_view key) {
  PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kCodeColumns) +
                                                   " FROM promotion_codes WHERE shop_id = ? AND code_key = ?",
                                               {shop_id, key}));
  if (!row) return std::optional<PromotionCode>();
  return std::optional<PromotionCode>(CodeFromRow(*row));
}

std::string CodeKey(std::string_view code) {
  std::string key(text::TrimAscii(code));
  for (char& c : key) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return key;
}

bool IsUniqueViolation(const Error& error) {
  return error.type == "db/unique-violation";
}

}  // namespace plaza::promotions::internal
