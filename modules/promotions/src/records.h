#pragma once
// Row mapping and lookups shared by the module's source files. Every function taking a
// shop_id filters by it.

#include <optional>
#include <string>
#include <string_view>

#include "plaza/promotions/promotions.h"

namespace plaza::promotions::internal {

inline constexpr std::string_view kPromotionColumns = "id, shop_id, definition, uses, created_at, updated_at";
inline constexpr std::string_view kCodeColumns = "id, shop_id, promotion_id, code, creator, uses, created_at";

Result<Promotion> PromotionFromRow(const store::Row& row);
PromotionCode CodeFromRow(const store::Row& row);

Result<std::optional<Promotion>> FindPromotion(store::Transaction& tx, std::int64_t shop_id, std::int64_t promotion_id);
// The code whose key is `key` (CodeKey), in any promotion of the shop.
Result<std::optional<PromotionCode>> FindCode(store::Transaction& tx, std::int64_t shop_id, std::string_view key);

// How codes are compared: surrounding spaces dropped, ASCII letters upper-cased.
std::string CodeKey(std::string_view code);

bool IsUniqueViolation(const Error& error);

}  // namespace plaza::promotions::internal
