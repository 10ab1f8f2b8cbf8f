// Customer tags: labels staff give customers, which promotions may require. Stored one
// row per tag with an ASCII-lowercased key, so "VIP" and "vip" are the same tag.

#include <algorithm>

#include "plaza/core/text.h"
#include "plaza/identity/identity_service.h"
#include "plaza/store/outbox.h"
#include "records.h"

namespace plaza::identity {
namespace {

Error TagError(std::string type, std::string detail, std::string field) {
  return Error::Invalid(std::move(type), std::move(detail), std::move(field));
}

// Trims every tag and refuses empty, overlong, non-UTF-8 or control-character tags and
// duplicates ignoring case. Returns the tags sorted ignoring case.
Result<std::vector<std::string>> NormaliseTags(const std::vector<std::string>& tags) {
  if (tags.size() > kMaxCustomerTags) {
    return TagError("identity/too-many-tags", "a customer has at most " + std::to_string(kMaxCustomerTags) + " tags",
                    "/tags");
  }
  std::vector<std::pair<std::string, std::string>> keyed;  // (key, tag)
  for (std::size_t tag_idx = 0; tag_idx < tags.size(); ++tag_idx) {
    const std::string field = "/tags/" + std::to_string(tag_idx);
    const std::string tag(text::TrimAscii(tags[tag_idx]));
    if (tag.empty()) return TagError("identity/invalid-tag", "a tag cannot be empty", field);
    if (!text::IsValidUtf8(tag)) return TagError("identity/invalid-tag", "a tag must be valid UTF-8 text", field);
    if (text::CodePointCount(tag) > kMaxCustomerTagLength) {
      return TagError("identity/invalid-tag",
                      "a tag is at most " + std::to_string(kMaxCustomerTagLength) + " characters long", field);
    }
    if (std::any_of(tag.begin(), tag.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
      return TagError("identity/invalid-tag", "a tag cannot contain control characters", field);
    }
    std::string key = text::ToLowerAscii(tag);
    const auto same = std::find_if(keyed.begin(), keyed.end(), [&](const auto& entry) { return entry.first == key; });
    if (same != keyed.end()) {
      return TagError("identity/duplicate-tag", "\"" + tag + "\" is already in the list as \"" + same->second + "\"",
                      field);
    }
    keyed.emplace_back(std::move(key), tag);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> out;
  out.reserve(keyed.size());
  for (auto& [key, tag] : keyed) out.push_back(std::move(tag));
  return out;
}

}  // namespace

Result<std::vector<std::string>> CustomerTags(store::Transaction& tx, std::int64_t shop_id, std::int64_t customer_id) {
  PLAZA_ASSIGN_OR_RETURN(auto result, tx.Execute("SELECT tag FROM customer_tags WHERE shop_id = ? AND customer_id = ?"
                                                 " ORDER BY tag_key",
                                                 {shop_id, customer_id}));
  std::vector<std::string> tags;
  tags.reserve(result.rows.size());
  for (const store::Row& row : result.rows) tags.push_back(row.Text(0));
  return tags;
}

Result<bool> SetSystemCustomerTag(store::Transaction& tx, std::int64_t shop_id, std::int64_t customer_id,
                                  std::string_view tag, bool present, std::string_view reason, TimePoint now) {
  PLAZA_ASSIGN_OR_RETURN(auto account, internal::LoadAccountById(tx, AccountKind::kCustomer, shop_id, customer_id));
  if (!account) return Error::NotFound("no such customer");
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> checked, NormaliseTags({std::string(tag)}));
  const std::string key = text::ToLowerAscii(checked.front());
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> previous, CustomerTags(tx, shop_id, customer_id));
  const bool has = std::any_of(previous.begin(), previous.end(),
                               [&](const std::string& existing) { return text::ToLowerAscii(existing) == key; });
  if (has == present) return false;
  if (present) {
    if (previous.size() >= kMaxCustomerTags) {
      return TagError("identity/too-many-tags", "a customer has at most " + std::to_string(kMaxCustomerTags) + " tags",
                      "/tags");
    }
    PLAZA_TRY(tx.Execute("INSERT INTO customer_tags (shop_id, customer_id, tag, tag_key) VALUES (?, ?, ?, ?)",
                         {shop_id, customer_id, checked.front(), key}));
  } else {
    PLAZA_TRY(tx.Execute("DELETE FROM customer_tags WHERE shop_id = ? AND customer_id = ? AND tag_key = ?",
                         {shop_id, customer_id, key}));
  }
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> after_tags, CustomerTags(tx, shop_id, customer_id));
  boost::json::array before(previous.begin(), previous.end());
  boost::json::array after(after_tags.begin(), after_tags.end());
  AuditEntry entry;
  entry.shop_id = shop_id;
  entry.actor = "system";
  entry.action = "customer.tags_changed";
  entry.target = "customer:" + std::to_string(customer_id);
  entry.details_json = internal::Serialize({{"before", before}, {"after", after}, {"reason", std::string(reason)}});
  entry.at = now;
  PLAZA_TRY(AppendAudit(tx, entry));
  store::OutboxEvent event;
  event.shop_id = shop_id;
  event.aggregate_type = "customer";
  event.aggregate_id = std::to_string(customer_id);
  event.event_type = "customer.tags_changed";
  event.payload_json = internal::Serialize({{"customer_id", customer_id}, {"tags", after}});
  PLAZA_TRY(store::AppendEvent(tx, event, now));
  return true;
}

Result<Customer> IdentityService::SetCustomerTags(const Principal& actor, std::int64_t shop_id,
                                                  std::int64_t customer_id, const std::vector<std::string>& tags) {
  PLAZA_TRY(Authorize(actor, shop_id, Permission::kCustomersManage));
  PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> normalised, NormaliseTags(tags));
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Customer> {
    PLAZA_ASSIGN_OR_RETURN(auto account, internal::LoadAccountById(tx, AccountKind::kCustomer, shop_id, customer_id));
    if (!account) return Error::NotFound("no such customer");
    PLAZA_ASSIGN_OR_RETURN(std::vector<std::string> previous, CustomerTags(tx, shop_id, customer_id));
    Customer customer = internal::CustomerFromAccount(*account);
    customer.tags = normalised;
    if (previous == normalised) return customer;
    PLAZA_TRY(tx.Execute("DELETE FROM customer_tags WHERE shop_id = ? AND customer_id = ?", {shop_id, customer_id}));
    if (!normalised.empty()) {
      std::string sql = "INSERT INTO customer_tags (shop_id, customer_id, tag, tag_key) VALUES ";
      std::vector<store::Param> params;
      for (std::size_t tag_idx = 0; tag_idx < normalised.size(); ++tag_idx) {
        sql += tag_idx == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)";
        params.insert(params.end(),
                      {shop_id, customer_id, normalised[tag_idx], text::ToLowerAscii(normalised[tag_idx])});
      }
      PLAZA_TRY(tx.Execute(sql, params));
    }
    boost::json::array before(previous.begin(), previous.end());
    boost::json::array after(normalised.begin(), normalised.end());
    const std::string details = internal::Serialize({{"before", before}, {"after", after}});
    PLAZA_TRY(AppendAudit(
        tx, AuditBy(actor, "customer.tags_changed", "customer:" + std::to_string(customer_id), details, now)));
    store::OutboxEvent event;
    event.shop_id = shop_id;
    event.aggregate_type = "customer";
    event.aggregate_id = std::to_string(customer_id);
    event.event_type = "customer.tags_changed";
    event.payload_json = internal::Serialize({{"customer_id", customer_id}, {"tags", after}});
    PLAZA_TRY(store::AppendEvent(tx, event, now));
    return customer;
  });
}

}  // namespace plaza::identity
