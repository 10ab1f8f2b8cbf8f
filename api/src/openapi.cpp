// The OpenAPI 3.1 description of /api/v1. Written as a table next to the routes;
// api/src/openapi_test.cpp fails when a route exists that the table lacks, or the
// other way round, so the document stays true.

#include <boost/json/parse.hpp>

#include "plaza/api/api.h"

namespace plaza::api {
namespace {

enum class Auth { kNone, kStaffSession, kCustomerSession, kStaffOrToken };

struct Operation {
  std::string_view method;  // lower-case, as OpenAPI keys it
  std::string_view path;
  std::string_view summary;
  std::string_view tag;
  Auth auth;
  int success_status;
  std::string_view request_fields;   // JSON Schema "properties" of the body, or empty
  std::string_view required_fields;  // JSON array of required properties
};

constexpr std::string_view kLogIn = R"({"email":{"type":"string","format":"email"},"password":{"type":"string"}})";
constexpr std::string_view kNewPost =
    R"({"text":{"type":"string","maxLength":2200},"media_ids":{"type":"array","maxItems":10,"items":{"type":"integer"}},"products":{"type":"array","maxItems":10,"items":{"type":"object","required":["product_id"],"properties":{"product_id":{"type":"integer"},"variant_id":{"type":"integer"}}}},"group_id":{"type":"integer"}})";
constexpr std::string_view kReport =
    R"({"kind":{"enum":["post","comment","review","question","answer","idea","profile"]},"id":{"type":"integer"},"reason":{"enum":["spam","harassment","hate","sexual","violence","misinformation","illegal","other"]},"note":{"type":"string","maxLength":1000}})";
constexpr std::string_view kKeywordRule =
    R"({"pattern":{"type":"string","maxLength":100,"description":"a trailing * also matches longer words"},"action":{"enum":["mask","hold"]}})";
constexpr std::string_view kModerationAction =
    R"({"action":{"enum":["hide","restore","remove","warn","ban","dismiss"]},"note":{"type":"string","maxLength":1000},"duration_hours":{"type":"integer","minimum":1,"description":"ban only; absent bans permanently"}})";
constexpr std::string_view kNewGroup =
    R"({"handle":{"type":"string","pattern":"^[A-Za-z0-9_.]{3,30}$"},"name":{"type":"string","maxLength":80},"description":{"type":"string","maxLength":2000},"rules":{"type":"string","maxLength":5000},"access":{"enum":["public","private","invite_only"]}})";
constexpr std::string_view kGroupUpdate =
    R"({"name":{"type":"string","maxLength":80},"description":{"type":"string","maxLength":2000},"rules":{"type":"string","maxLength":5000},"access":{"enum":["public","private","invite_only"]}})";
constexpr std::string_view kVipRule =
    R"({"customer_tag":{"type":"string","maxLength":100,"description":"either this or min_paid_orders"},"min_paid_orders":{"type":"integer","minimum":1},"member_tag":{"type":"string","maxLength":100,"description":"given to members' customers; a promotion requiring it is the member-only offer"}})";
constexpr std::string_view kNewIdea =
    R"({"title":{"type":"string","maxLength":120},"description":{"type":"string","maxLength":5000}})";
constexpr std::string_view kDeclineIdea = R"({"reason":{"type":"string","maxLength":1000}})";
constexpr std::string_view kIdeaSettings = R"({"support_threshold":{"type":"integer","minimum":1,"maximum":1000000}})";
constexpr std::string_view kCode = R"({"code":{"type":"string","pattern":"^[0-9]{6}$"}})";
constexpr std::string_view kRoles =
    R"({"type":"array","items":{"enum":["owner","admin","support_agent","marketer","moderator","legal_reviewer"]}})";

constexpr std::string_view kShippingZone =
    R"({"name":{"type":"string"},"destinations":{"type":"array","items":{"type":"object","properties":{"country":{"type":"string"},"region":{"type":"string"}}}}})";
constexpr std::string_view kShippingRate =
    R"({"name":{"type":"string"},"kind":{"enum":["flat","weight","price","free_over"]},"currency":{"type":"string"},"price_minor":{"type":"integer"},"min_value":{"type":"integer"},"max_value":{"type":"integer"},"transit_min_days":{"type":"integer"},"transit_max_days":{"type":"integer"}})";
constexpr std::string_view kShippingRateRequired =
    R"(["name","kind","currency","price_minor","transit_min_days","transit_max_days"])";

constexpr std::string_view kMarket =
    R"({"handle":{"type":"string","pattern":"^[a-z0-9][a-z0-9-]{0,63}$"},"name":{"type":"string"},"countries":{"type":"array","items":{"type":"string","pattern":"^[A-Z]{2}$"}},"currency":{"type":"string","pattern":"^[A-Z]{3}$"},"prices_include_tax":{"type":"boolean"},"is_default":{"type":"boolean"}})";
constexpr std::string_view kPrices =
    R"({"prices":{"type":"array","maxItems":500,"items":{"type":"object","required":["variant_id","amount"],"properties":{"variant_id":{"type":"integer"},"amount":{"type":"integer","minimum":0},"compare_at_amount":{"type":["integer","null"]},"sale_amount":{"type":["integer","null"]},"sale_starts_at":{"type":["string","null"],"format":"date-time"},"sale_ends_at":{"type":["string","null"],"format":"date-time"}}}}})";
constexpr std::string_view kTaxRate =
    R"({"region":{"type":"string","pattern":"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"},"tax_class":{"type":"string"},"basis_points":{"type":"integer","minimum":0},"rate":{"type":"object","properties":{"numerator":{"type":"integer"},"denominator":{"type":"integer"}}},"name":{"type":"string"}})";
constexpr std::string_view kPromotion =
    R"({"title":{"type":"string"},"kind":{"enum":["percentage","fixed_amount","free_shipping","buy_x_get_y"]},"automatic":{"type":"boolean"},"active":{"type":"boolean"},"percent_off":{"type":"integer","minimum":0,"maximum":10000,"description":"basis points"},"amount":{"type":"integer"},"currency":{"type":"string"},"applies_to":{"type":"object","properties":{"product_ids":{"type":"array","items":{"type":"integer"}},"variant_ids":{"type":"array","items":{"type":"integer"}},"collection_ids":{"type":"array","items":{"type":"integer"}}}},"buy_quantity":{"type":"integer"},"buy_items":{"type":"object","properties":{"product_ids":{"type":"array","items":{"type":"integer"}},"variant_ids":{"type":"array","items":{"type":"integer"}},"collection_ids":{"type":"array","items":{"type":"integer"}}}},"get_quantity":{"type":"integer"},"get_items":{"type":"object","properties":{"product_ids":{"type":"array","items":{"type":"integer"}},"variant_ids":{"type":"array","items":{"type":"integer"}},"collection_ids":{"type":"array","items":{"type":"integer"}}}},"minimum_subtotal":{"type":["integer","null"]},"customer_tags":{"type":"array","items":{"type":"string"}},"first_order_only":{"type":"boolean"},"market_ids":{"type":"array","items":{"type":"integer"}},"usage_limit":{"type":["integer","null"]},"per_customer_limit":{"type":["integer","null"]},"starts_at":{"type":["string","null"],"format":"date-time"},"ends_at":{"type":["string","null"],"format":"date-time"},"combines_with":{"type":"object","properties":{"product":{"type":"boolean"},"order":{"type":"boolean"},"shipping":{"type":"boolean"}}},"priority":{"type":"integer"}})";

constexpr std::string_view kInventoryLocation =
    R"({"name":{"type":"string"},"priority":{"type":"integer","description":"lower is drawn on first"},"active":{"type":"boolean"}})";
constexpr std::string_view kInventoryItem =
    R"({"sku":{"type":"string"},"allow_backorder":{"type":"boolean"},"low_stock_threshold":{"type":["integer","null"],"minimum":0}})";
constexpr std::string_view kInventoryMovement =
    R"({"location_id":{"type":"integer"},"quantity":{"type":"integer","description":"receive: > 0; adjust: non-zero, negative removes"},"reason":{"type":"string"}})";

constexpr std::string_view kProduct =
    R"({"handle":{"type":"string"},"title":{"type":"string"},"description_html":{"type":"string"},"vendor":{"type":"string"},"product_type":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}},"condition":{"enum":["new","refurbished","used"]},"google_product_category":{"type":"string"},"seo_title":{"type":"string"},"seo_description":{"type":"string"},"status":{"enum":["draft","active","archived"]},"channels":{"type":"array","items":{"enum":["online_store","meta","tiktok","pinterest","google"]}},"option_names":{"type":"array","maxItems":3,"items":{"type":"string"}},"variants":{"type":"array","maxItems":2000,"items":{"type":"object","properties":{"id":{"type":"integer"},"option_values":{"type":"array","items":{"type":"string"}},"sku":{"type":"string"},"gtin":{"type":"string"},"mpn":{"type":"string"},"weight_grams":{"type":"integer"},"requires_shipping":{"type":"boolean"},"tax_class":{"type":"string"},"image_url":{"type":"string"},"attributes":{"type":"array"}}}},"media":{"type":"array","items":{"type":"object","required":["url"],"properties":{"url":{"type":"string"},"alt":{"type":"string"}}}},"attributes":{"type":"array","items":{"type":"object","required":["key"],"properties":{"key":{"type":"string"},"value":{"type":"string"},"values":{"type":"array","items":{"type":"string"}}}}}})";
constexpr std::string_view kCollection =
    R"({"handle":{"type":"string"},"title":{"type":"string"},"description_html":{"type":"string"},"rule_based":{"type":"boolean"},"match_all":{"type":"boolean"},"rules":{"type":"array","items":{"type":"object","required":["field","relation","value"],"properties":{"field":{"enum":["tag","vendor","product_type","title"]},"relation":{"enum":["equals","not_equals","contains"]},"value":{"type":"string"}}}},"product_ids":{"type":"array","items":{"type":"integer"}},"published":{"type":"boolean"}})";
constexpr std::string_view kAttributeDefinition =
    R"({"owner":{"enum":["product","variant"]},"key":{"type":"string","pattern":"^[a-z0-9_]{1,64}$"},"name":{"type":"string"},"type":{"enum":["text","integer","decimal","boolean","list","product_reference","variant_reference"]},"required":{"type":"boolean"}})";

constexpr std::string_view kAddress =
    R"({"name":{"type":"string"},"company":{"type":"string"},"line1":{"type":"string"},"line2":{"type":"string"},"city":{"type":"string"},"region":{"type":"string","description":"ISO 3166-2 subdivision without the country prefix; required in US, CA, AU, JP"},"postal_code":{"type":"string"},"country":{"type":"string","pattern":"^[A-Z]{2}$"},"phone":{"type":"string"}})";
constexpr std::string_view kPlaceOrder =
    R"({"payment":{"type":"object","properties":{"method":{"type":"string"},"card_number":{"type":"string"},"exp_month":{"type":"integer"},"exp_year":{"type":"integer"},"cvc":{"type":"string"}}},"attribution":{"type":"object","properties":{"utm_source":{"type":"string"},"utm_medium":{"type":"string"},"utm_campaign":{"type":"string"},"utm_content":{"type":"string"},"utm_term":{"type":"string"},"fbclid":{"type":"string"},"gclid":{"type":"string"},"ttclid":{"type":"string"}}}})";
constexpr std::string_view kOrderLines =
    R"({"lines":{"type":"array","maxItems":250,"items":{"type":"object","required":["order_line_id","quantity"],"properties":{"order_line_id":{"type":"integer"},"quantity":{"type":"integer","minimum":1}}}}})";
constexpr std::string_view kSocialProfile =
    R"({"handle":{"type":"string","pattern":"^[A-Za-z0-9_.]{3,30}$","description":"unique per shop ignoring case; no leading, trailing or doubled '.'"},"display_name":{"type":"string","maxLength":80},"bio":{"type":"string","maxLength":500,"description":"plain text; HTML is kept as text"},"avatar_url":{"type":["string","null"],"format":"uri"},"links":{"type":"array","maxItems":5,"items":{"type":"string","format":"uri","description":"http or https"}},"is_private":{"type":"boolean"}})";

constexpr std::string_view kManagedProfile =
    R"({"handle":{"type":"string"},"display_name":{"type":"string"},"bio":{"type":"string"},"avatar_url":{"type":["string","null"]},"links":{"type":"array","items":{"type":"string"}},"is_private":{"type":"boolean"},"kind":{"enum":["brand","creator"]},"customer_id":{"type":["integer","null"],"description":"a creator's own customer account"}})";

constexpr std::string_view kReview =
    R"({"product_id":{"type":"integer"},"variant_id":{"type":"integer","description":"the variant reviewed; a verified buyer's review takes the variant bought"},"rating":{"type":"integer","minimum":1,"maximum":5},"title":{"type":"string","maxLength":150},"body":{"type":"string","maxLength":5000},"media_ids":{"type":"array","maxItems":6,"items":{"type":"integer"},"description":"the author's own uploads, from POST /customer/media"},"incentivised":{"type":"boolean","description":"the author received something for the review; shown with it"}})";
constexpr std::string_view kReviewReply =
    R"({"text":{"type":"string","maxLength":2000,"description":"empty removes the reply"}})";
constexpr std::string_view kQuestion =
    R"({"product_id":{"type":"integer"},"text":{"type":"string","minLength":1,"maxLength":1000}})";
constexpr std::string_view kAnswer = R"({"text":{"type":"string","minLength":1,"maxLength":3000}})";
constexpr std::string_view kAcceptAnswer = R"({"answer_id":{"type":"integer"}})";

constexpr std::string_view kAmount =
    R"({"amount":{"type":"integer","minimum":1,"description":"minor units; all that remains when absent"}})";

const Operation kOperations[] = {
    {"post", "/api/v1/shops/{shop}/media",
     "Upload an image for the shop (catalog.write): multipart/form-data with file and alt, or the image as the body "
     "with Content-Type image/* and ?alt=",
     "media", Auth::kStaffOrToken, 201, "", "[]"},
    {"get", "/api/v1/shops/{shop}/media/{id}", "An uploaded image and its renditions (catalog.read)", "media",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/media",
     "Upload an image as the customer's social profile, for a post, review or avatar", "media", Auth::kCustomerSession,
     201, "", "[]"},
    {"get", "/api/v1/shops/{shop}/media/{id}/{token}/{file}",
     "One rendition (file is <width>.webp), as linked by an answer's renditions[].url; cached for a year", "media",
     Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}", "Public information about a shop", "shops", Auth::kNone, 200, "", "[]"},
    {"patch", "/api/v1/shops/{shop}/settings", "Change shop settings (shop.manage)", "shops", Auth::kStaffOrToken, 200,
     R"({"require_staff_2fa":{"type":"boolean"}})", "[]"},
    {"post", "/api/v1/shops/{shop}/staff/session", "Staff log-in; sets the plaza_staff cookie", "sessions", Auth::kNone,
     201, kLogIn, R"(["email","password"])"},
    {"get", "/api/v1/shops/{shop}/staff/session", "The current staff session and its CSRF token", "sessions",
     Auth::kStaffSession, 200, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/staff/session", "Staff log-out", "sessions", Auth::kStaffSession, 204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/staff/session/revoke-all", "End every session of this staff account", "sessions",
     Auth::kStaffSession, 204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/staff/session/second-factor", "Complete log-in with a TOTP code", "sessions",
     Auth::kStaffSession, 200, kCode, R"(["code"])"},
    {"post", "/api/v1/shops/{shop}/staff/password", "Change one's own staff password", "sessions", Auth::kStaffSession,
     204, R"({"current_password":{"type":"string"},"new_password":{"type":"string"}})",
     R"(["current_password","new_password"])"},
    {"post", "/api/v1/shops/{shop}/staff/totp", "Begin TOTP enrolment", "sessions", Auth::kStaffSession, 201, "", "[]"},
    {"post", "/api/v1/shops/{shop}/staff/totp/confirm", "Confirm TOTP enrolment with a code", "sessions",
     Auth::kStaffSession, 200, kCode, R"(["code"])"},
    {"post", "/api/v1/shops/{shop}/staff/totp/disable", "Turn one's own TOTP off", "sessions", Auth::kStaffSession, 204,
     kCode, R"(["code"])"},
    {"post", "/api/v1/shops/{shop}/customers", "Customer sign-up; sets the plaza_customer cookie", "customers",
     Auth::kNone, 201,
     R"({"email":{"type":"string","format":"email"},"password":{"type":"string","minLength":10},"name":{"type":"string"}})",
     R"(["email","password","name"])"},
    {"post", "/api/v1/shops/{shop}/customers/session", "Customer log-in", "customers", Auth::kNone, 201, kLogIn,
     R"(["email","password"])"},
    {"get", "/api/v1/shops/{shop}/customers/session", "The current customer session", "customers",
     Auth::kCustomerSession, 200, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customers/session", "Customer log-out", "customers", Auth::kCustomerSession, 204,
     "", "[]"},
    {"post", "/api/v1/shops/{shop}/customers/session/revoke-all", "End every session of this customer", "customers",
     Auth::kCustomerSession, 204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customers/password", "Change one's own customer password", "customers",
     Auth::kCustomerSession, 204, R"({"current_password":{"type":"string"},"new_password":{"type":"string"}})",
     R"(["current_password","new_password"])"},
    {"get", "/api/v1/shops/{shop}/customers/me", "The signed-in customer", "customers", Auth::kCustomerSession, 200, "",
     "[]"},
    {"get", "/api/v1/shops/{shop}/customers/{id}", "A customer (customers.read)", "customers", Auth::kStaffOrToken, 200,
     "", "[]"},
    {"get", "/api/v1/shops/{shop}/customers/{id}/tags", "A customer's tags (customers.read)", "customers",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/customers/{id}/tags", "Replace a customer's tags (customers.manage)", "customers",
     Auth::kStaffOrToken, 200, R"({"tags":{"type":"array","items":{"type":"string","maxLength":100},"maxItems":50}})",
     R"(["tags"])"},
    {"post", "/api/v1/shops/{shop}/password-resets", "Ask for a password-reset mail (always 202)", "sessions",
     Auth::kNone, 202, R"({"email":{"type":"string","format":"email"},"account":{"enum":["staff","customer"]}})",
     R"(["email","account"])"},
    {"post", "/api/v1/password-resets/consume", "Set a new password with a reset or invitation token", "sessions",
     Auth::kNone, 204, R"({"token":{"type":"string"},"password":{"type":"string"}})", R"(["token","password"])"},
    {"get", "/api/v1/shops/{shop}/staff-members", "List staff (staff.manage)", "staff", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"post", "/api/v1/shops/{shop}/staff-members", "Create or invite a staff member (staff.manage)", "staff",
     Auth::kStaffOrToken, 201, "", R"(["email","name","roles"])"},
    {"get", "/api/v1/shops/{shop}/staff-members/{id}", "A staff member", "staff", Auth::kStaffOrToken, 200, "", "[]"},
    {"patch", "/api/v1/shops/{shop}/staff-members/{id}", "Change a staff member's roles", "staff", Auth::kStaffOrToken,
     200, "", R"(["roles"])"},
    {"delete", "/api/v1/shops/{shop}/staff-members/{id}", "Disable a staff member", "staff", Auth::kStaffOrToken, 204,
     "", "[]"},
    {"post", "/api/v1/shops/{shop}/staff-members/{id}/totp-reset", "Remove a staff member's second factor", "staff",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/api-tokens", "List API tokens (tokens.manage)", "api-tokens", Auth::kStaffOrToken,
     200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/api-tokens", "Create an API token; the token is shown once", "api-tokens",
     Auth::kStaffOrToken, 201, R"({"name":{"type":"string"},"scopes":{"type":"array","items":{"type":"string"}}})",
     R"(["name","scopes"])"},
    {"delete", "/api/v1/shops/{shop}/api-tokens/{id}", "Revoke an API token", "api-tokens", Auth::kStaffOrToken, 204,
     "", "[]"},
    {"get", "/api/v1/shops/{shop}/audit", "The audit log, newest first (audit.read)", "audit", Auth::kStaffOrToken, 200,
     "", "[]"},
    {"get", "/api/v1/shops/{shop}/webhooks", "List webhook subscriptions (webhooks.manage)", "webhooks",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/webhooks", "Subscribe a URL to events; the secret is shown once", "webhooks",
     Auth::kStaffOrToken, 201,
     R"({"url":{"type":"string","format":"uri"},"event_types":{"type":"array","items":{"type":"string"}},"active":{"type":"boolean"}})",
     R"(["url","event_types"])"},
    {"get", "/api/v1/shops/{shop}/webhooks/{id}", "A webhook subscription", "webhooks", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"patch", "/api/v1/shops/{shop}/webhooks/{id}", "Change a webhook subscription", "webhooks", Auth::kStaffOrToken,
     200,
     R"({"url":{"type":"string","format":"uri"},"event_types":{"type":"array","items":{"type":"string"}},"active":{"type":"boolean"}})",
     "[]"},
    {"delete", "/api/v1/shops/{shop}/webhooks/{id}", "Delete a webhook subscription", "webhooks", Auth::kStaffOrToken,
     204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/webhooks/{id}/rotate-secret", "Replace the signing secret", "webhooks",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/webhooks/{id}/deliveries", "Delivery records, newest first", "webhooks",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/inventory/locations", "Stock locations by priority (catalog.read)", "inventory",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/inventory/locations", "Create a stock location (inventory.manage)", "inventory",
     Auth::kStaffOrToken, 201, kInventoryLocation, R"(["name"])"},
    {"get", "/api/v1/shops/{shop}/inventory/locations/{id}", "A location with its stock levels", "inventory",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"patch", "/api/v1/shops/{shop}/inventory/locations/{id}", "Rename, reprioritise or deactivate a location",
     "inventory", Auth::kStaffOrToken, 200, kInventoryLocation, "[]"},
    {"delete", "/api/v1/shops/{shop}/inventory/locations/{id}", "Delete a location that holds no stock", "inventory",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/inventory/items", "Inventory items by id (query: after, limit)", "inventory",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/inventory/items", "Create an inventory item", "inventory", Auth::kStaffOrToken, 201,
     kInventoryItem, "[]"},
    {"get", "/api/v1/shops/{shop}/inventory/items/{id}", "An item with its levels per location", "inventory",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"patch", "/api/v1/shops/{shop}/inventory/items/{id}", "Change an item's SKU, backorder policy or threshold",
     "inventory", Auth::kStaffOrToken, 200, kInventoryItem, "[]"},
    {"put", "/api/v1/shops/{shop}/inventory/items/{id}/preorder", "Set the item's pre-order arrival date and cap",
     "inventory", Auth::kStaffOrToken, 200,
     R"({"arrival":{"type":"string","format":"date-time"},"cap":{"type":"integer","minimum":0}})",
     R"(["arrival","cap"])"},
    {"delete", "/api/v1/shops/{shop}/inventory/items/{id}/preorder", "End the item's pre-order", "inventory",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/inventory/items/{id}/receive", "Receive units at a location", "inventory",
     Auth::kStaffOrToken, 200, kInventoryMovement, R"(["location_id","quantity","reason"])"},
    {"post", "/api/v1/shops/{shop}/inventory/items/{id}/adjust", "Correct on-hand units at a location", "inventory",
     Auth::kStaffOrToken, 200, kInventoryMovement, R"(["location_id","quantity","reason"])"},
    {"post", "/api/v1/shops/{shop}/inventory/items/{id}/transfer", "Move units between locations", "inventory",
     Auth::kStaffOrToken, 200,
     R"({"from_location_id":{"type":"integer"},"to_location_id":{"type":"integer"},"quantity":{"type":"integer","minimum":1},"reason":{"type":"string"}})",
     R"(["from_location_id","to_location_id","quantity","reason"])"},
    {"get", "/api/v1/shops/{shop}/inventory/buffers", "Channel buffers (query: item_id)", "inventory",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/inventory/buffers", "Hold units of an item back from a set of channels", "inventory",
     Auth::kStaffOrToken, 201,
     R"({"item_id":{"type":"integer"},"channels":{"type":"array","items":{"enum":["online_store","meta","tiktok","pinterest","google","live","pos"]}},"quantity":{"type":"integer","minimum":0}})",
     R"(["item_id","channels","quantity"])"},
    {"delete", "/api/v1/shops/{shop}/inventory/buffers/{id}", "Remove a channel buffer", "inventory",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/inventory/variants", "Set the items a variant draws on, and its per-order limit",
     "inventory", Auth::kStaffOrToken, 200,
     R"({"variant_id":{"type":"integer"},"components":{"type":"array","items":{"type":"object","required":["item_id","quantity"],"properties":{"item_id":{"type":"integer"},"quantity":{"type":"integer","minimum":1}}}},"max_per_order":{"type":["integer","null"],"minimum":1}})",
     R"(["variant_id","components"])"},
    {"get", "/api/v1/shops/{shop}/inventory/variants/{id}", "The items a variant draws on", "inventory",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/inventory/ledger",
     "Stock movements, newest first (query: item_id, location_id, before, limit)", "inventory", Auth::kStaffOrToken,
     200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/inventory/availability",
     "Availability state of variants on a channel (query: variant_ids=1,2,3, channel)", "inventory",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/outbox/dead-letters", "Events no consumer could deliver", "outbox",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/outbox/dead-letters/{consumer}/{event_id}/requeue", "Retry a dead letter", "outbox",
     Auth::kStaffOrToken, 202, "", "[]"},
    {"get", "/api/v1/shops/{shop}/shipping/quote",
     "Shipping options and delivery promises for a destination and cart (query: country, region, currency, "
     "subtotal_minor, weight_grams, preorder_arrival)",
     "shipping", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/shipping/zones", "List shipping zones (orders.read)", "shipping", Auth::kStaffOrToken,
     200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/shipping/zones", "Create a shipping zone (shipping.write)", "shipping",
     Auth::kStaffOrToken, 201, kShippingZone, R"(["name","destinations"])"},
    {"get", "/api/v1/shops/{shop}/shipping/zones/{id}", "A shipping zone", "shipping", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"put", "/api/v1/shops/{shop}/shipping/zones/{id}", "Replace a zone's name and destinations", "shipping",
     Auth::kStaffOrToken, 200, kShippingZone, R"(["name","destinations"])"},
    {"delete", "/api/v1/shops/{shop}/shipping/zones/{id}", "Delete a zone and its rates", "shipping",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/shipping/zones/{id}/rates", "A zone's rates", "shipping", Auth::kStaffOrToken, 200,
     "", "[]"},
    {"post", "/api/v1/shops/{shop}/shipping/zones/{id}/rates", "Add a rate to a zone", "shipping", Auth::kStaffOrToken,
     201, kShippingRate, kShippingRateRequired},
    {"get", "/api/v1/shops/{shop}/shipping/rates/{id}", "A shipping rate", "shipping", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"put", "/api/v1/shops/{shop}/shipping/rates/{id}", "Replace a shipping rate", "shipping", Auth::kStaffOrToken, 200,
     kShippingRate, kShippingRateRequired},
    {"delete", "/api/v1/shops/{shop}/shipping/rates/{id}", "Delete a shipping rate", "shipping", Auth::kStaffOrToken,
     204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/shipping/settings", "Fulfilment settings", "shipping", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"put", "/api/v1/shops/{shop}/shipping/settings", "Replace fulfilment settings", "shipping", Auth::kStaffOrToken,
     200,
     R"({"time_zone":{"type":"string"},"processing_days":{"type":"integer","minimum":0},"cutoff_time":{"type":"string","pattern":"^[0-2][0-9]:[0-5][0-9]$"},"working_days":{"type":"array","items":{"enum":["mon","tue","wed","thu","fri","sat","sun"]}}})",
     R"(["time_zone","processing_days","cutoff_time","working_days"])"},
    {"get", "/api/v1/shops/{shop}/shipping/holidays", "Holidays, shop-wide and per destination country", "shipping",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/shipping/holidays", "Add a holiday", "shipping", Auth::kStaffOrToken, 201,
     R"({"date":{"type":"string","format":"date"},"country":{"type":"string"},"name":{"type":"string"}})",
     R"(["date"])"},
    {"delete", "/api/v1/shops/{shop}/shipping/holidays/{id}", "Delete a holiday", "shipping", Auth::kStaffOrToken, 204,
     "", "[]"},
    {"get", "/api/v1/shops/{shop}/payments/{id}", "A payment and its transactions (orders.read)", "payments",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/payments/test-provider/webhook",
     "The test provider's webhook, signed in Plaza-Test-Provider-Signature", "payments", Auth::kNone, 200,
     R"({"type":{"enum":["payment.succeeded","payment.failed"]},"reference":{"type":"string"},"reason":{"type":"string"}})",
     R"(["type","reference"])"},
    {"get", "/api/v1/shops/{shop}/storefront/markets", "The shop's markets: countries, currency, tax display",
     "pricing", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/markets", "List markets (catalog.read)", "pricing", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"post", "/api/v1/shops/{shop}/markets", "Create a market (pricing.write)", "pricing", Auth::kStaffOrToken, 201,
     kMarket, R"(["handle","name","currency"])"},
    {"get", "/api/v1/shops/{shop}/markets/{id}", "A market", "pricing", Auth::kStaffOrToken, 200, "", "[]"},
    {"patch", "/api/v1/shops/{shop}/markets/{id}", "Change a market", "pricing", Auth::kStaffOrToken, 200, kMarket,
     "[]"},
    {"delete", "/api/v1/shops/{shop}/markets/{id}", "Delete a market with its prices and tax rates", "pricing",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/markets/{id}/prices", "A market's prices, by variant id (?after=&limit=)", "pricing",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/markets/{id}/prices", "Set up to 500 variant prices in a market, all or nothing",
     "pricing", Auth::kStaffOrToken, 200, kPrices, R"(["prices"])"},
    {"delete", "/api/v1/shops/{shop}/markets/{id}/prices/{variant_id}",
     "Remove a variant's price; it is no longer purchasable in the market", "pricing", Auth::kStaffOrToken, 204, "",
     "[]"},
    {"get", "/api/v1/shops/{shop}/variant-prices/{variant_id}", "A variant's prices in every market", "pricing",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/markets/{id}/tax-rates", "A market's tax rates", "pricing", Auth::kStaffOrToken, 200,
     "", "[]"},
    {"put", "/api/v1/shops/{shop}/markets/{id}/tax-rates", "Set the rate of a region and tax class", "pricing",
     Auth::kStaffOrToken, 200, kTaxRate, R"(["region"])"},
    {"delete", "/api/v1/shops/{shop}/markets/{id}/tax-rates/{rate_id}", "Delete a tax rate", "pricing",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/promotions", "List promotions (promotions.write)", "promotions", Auth::kStaffOrToken,
     200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/promotions", "Create a promotion", "promotions", Auth::kStaffOrToken, 201,
     kPromotion, R"(["title","kind"])"},
    {"get", "/api/v1/shops/{shop}/promotions/{id}", "A promotion", "promotions", Auth::kStaffOrToken, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/promotions/{id}", "Replace a promotion's definition; uses and codes stay",
     "promotions", Auth::kStaffOrToken, 200, kPromotion, R"(["title","kind"])"},
    {"delete", "/api/v1/shops/{shop}/promotions/{id}", "Delete a promotion and its codes", "promotions",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/promotions/{id}/codes", "A promotion's codes with their uses", "promotions",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/promotions/{id}/codes", "Add a code, optionally a creator's", "promotions",
     Auth::kStaffOrToken, 201,
     R"({"code":{"type":"string","pattern":"^[A-Za-z0-9_-]{3,64}$"},"creator":{"type":"string"}})", R"(["code"])"},
    {"delete", "/api/v1/shops/{shop}/promotions/{id}/codes/{code_id}", "Delete a code", "promotions",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/promotions/{id}/usage", "Uses, limit, customers and per-code uses", "promotions",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/promotion-settings", "The redemption policy for cancelled orders", "promotions",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/promotion-settings", "Set the redemption policy", "promotions", Auth::kStaffOrToken,
     200, R"({"release_on_cancel":{"type":"boolean"}})", R"(["release_on_cancel"])"},
    {"post", "/api/v1/shops/{shop}/carts", "Create a cart for a country's market", "carts", Auth::kNone, 201,
     R"({"country":{"type":"string"},"currency":{"type":"string"}})", R"(["country"])"},
    {"get", "/api/v1/shops/{shop}/carts/{token}", "A cart, priced now", "carts", Auth::kNone, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/carts/{token}/lines", "Add units of a variant", "carts", Auth::kNone, 200,
     R"({"variant_id":{"type":"integer"},"quantity":{"type":"integer","minimum":1,"maximum":1000000}})",
     R"(["variant_id","quantity"])"},
    {"put", "/api/v1/shops/{shop}/carts/{token}/lines/{variant_id}", "Set a line's quantity", "carts", Auth::kNone, 200,
     R"({"quantity":{"type":"integer","minimum":1,"maximum":1000000}})", R"(["quantity"])"},
    {"delete", "/api/v1/shops/{shop}/carts/{token}/lines/{variant_id}", "Remove a line", "carts", Auth::kNone, 200, "",
     "[]"},
    {"put", "/api/v1/shops/{shop}/carts/{token}/codes", "Replace the discount codes", "carts", Auth::kNone, 200,
     R"({"codes":{"type":"array","maxItems":20,"items":{"type":"string"}}})", R"(["codes"])"},
    {"post", "/api/v1/shops/{shop}/carts/{token}/checkout", "Start checkout: hold the stock, lock the lines", "carts",
     Auth::kNone, 200, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/carts/{token}/checkout", "Leave checkout: release the stock", "carts", Auth::kNone,
     200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/carts/{token}/contact", "Checkout: contact e-mail", "carts", Auth::kNone, 200,
     R"({"email":{"type":"string","format":"email"}})", R"(["email"])"},
    {"put", "/api/v1/shops/{shop}/carts/{token}/shipping-address", "Checkout: shipping address, validated per country",
     "carts", Auth::kNone, 200, kAddress, R"(["name","line1","city","country"])"},
    {"put", "/api/v1/shops/{shop}/carts/{token}/shipping-method", "Checkout: one of the cart's shipping options",
     "carts", Auth::kNone, 200, R"({"rate_id":{"type":"integer"}})", R"(["rate_id"])"},
    {"post", "/api/v1/shops/{shop}/carts/{token}/order", "Place the order (Idempotency-Key required)", "carts",
     Auth::kNone, 201, kPlaceOrder, "[]"},
    {"get", "/api/v1/shops/{shop}/customer/orders", "The signed-in customer's orders", "customers",
     Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/orders/{id}", "One of the customer's orders", "customers",
     Auth::kCustomerSession, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/orders/{id}/returns", "Request a return within the return window",
     "customers", Auth::kCustomerSession, 201,
     R"({"lines":{"type":"array","items":{"type":"object","properties":{"order_line_id":{"type":"integer"},"quantity":{"type":"integer"}}}},"reason":{"type":"string"}})",
     R"(["lines","reason"])"},
    {"post", "/api/v1/shops/{shop}/customer/carts/merge", "Merge a guest cart into the customer's cart", "customers",
     Auth::kCustomerSession, 200, R"({"token":{"type":"string"}})", R"(["token"])"},
    {"get", "/api/v1/shops/{shop}/customer/addresses", "The customer's saved addresses", "customers",
     Auth::kCustomerSession, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/addresses", "Save an address", "customers", Auth::kCustomerSession, 201,
     kAddress, R"(["name","line1","city","country"])"},
    {"put", "/api/v1/shops/{shop}/customer/addresses/{id}", "Replace a saved address", "customers",
     Auth::kCustomerSession, 200, kAddress, R"(["name","line1","city","country"])"},
    {"delete", "/api/v1/shops/{shop}/customer/addresses/{id}", "Delete a saved address", "customers",
     Auth::kCustomerSession, 204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/social/managed-profiles", "Create a brand or creator profile (growth.manage)",
     "social", Auth::kStaffOrToken, 201, kManagedProfile, R"(["handle","display_name","kind"])"},
    {"get", "/api/v1/shops/{shop}/social/managed-profiles/{id}", "A brand or creator profile (growth.manage)", "social",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"patch", "/api/v1/shops/{shop}/social/managed-profiles/{id}", "Change a brand or creator profile (growth.manage)",
     "social", Auth::kStaffOrToken, 200, kSocialProfile, "[]"},
    {"get", "/api/v1/shops/{shop}/social/profiles/{handle}",
     "A profile as an anonymous visitor sees it (a private one without bio and links)", "social", Auth::kNone, 200, "",
     "[]"},
    {"get", "/api/v1/shops/{shop}/social/profiles/{handle}/followers",
     "Followers of a public profile, newest first; ?cursor, limit", "social", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/social/profiles/{handle}/following",
     "Profiles a public profile follows, newest first; ?cursor, limit", "social", Auth::kNone, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/profile", "Create the signed-in customer's profile", "social",
     Auth::kCustomerSession, 201, kSocialProfile, R"(["handle","display_name"])"},
    {"get", "/api/v1/shops/{shop}/customer/social/profile", "The signed-in customer's profile", "social",
     Auth::kCustomerSession, 200, "", "[]"},
    {"patch", "/api/v1/shops/{shop}/customer/social/profile",
     "Change the customer's profile; going public approves pending requests", "social", Auth::kCustomerSession, 200,
     kSocialProfile, "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/profiles/{handle}",
     "A profile as the customer sees it, with the relationship; 404 when it blocks them", "social",
     Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/profiles/{handle}/followers",
     "Followers of a profile the customer may see; ?cursor, limit", "social", Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/profiles/{handle}/following",
     "Profiles followed by a profile the customer may see; ?cursor, limit", "social", Auth::kCustomerSession, 200, "",
     "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/following/{handle}",
     "Follow, or ask to follow a private profile; answers the state", "social", Auth::kCustomerSession, 200, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/following/{handle}", "Unfollow, or withdraw a pending request",
     "social", Auth::kCustomerSession, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/follow-requests",
     "Pending requests to follow the customer; ?cursor, limit", "social", Auth::kCustomerSession, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/follow-requests/{handle}/approve", "Approve a follow request",
     "social", Auth::kCustomerSession, 204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/follow-requests/{handle}/decline", "Decline a follow request",
     "social", Auth::kCustomerSession, 204, "", "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/blocks/{handle}",
     "Block: ends follows both ways and hides the customer's profile from them", "social", Auth::kCustomerSession, 204,
     "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/blocks/{handle}", "Unblock", "social", Auth::kCustomerSession, 204,
     "", "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/mutes/{handle}", "Mute: hide from the customer's timeline", "social",
     Auth::kCustomerSession, 204, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/mutes/{handle}", "Unmute", "social", Auth::kCustomerSession, 204,
     "", "[]"},
    {"get", "/api/v1/shops/{shop}/social/groups",
     "Groups an anonymous visitor may see (public and private, never invite-only), newest first; ?cursor, limit",
     "groups", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/social/groups/{handle}",
     "A public or private group's header, rules and whether its content is readable", "groups", Auth::kNone, 200, "",
     "[]"},
    {"get", "/api/v1/shops/{shop}/social/groups/{handle}/members",
     "Members of a public group in joining order; ?cursor, limit", "groups", Auth::kNone, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/groups", "Create a group; the customer's profile owns it", "groups",
     Auth::kCustomerSession, 201, kNewGroup, R"(["handle","name"])"},
    {"get", "/api/v1/shops/{shop}/customer/social/groups",
     "Groups the customer may see, invite-only ones they belong to or are invited to included; ?cursor, limit",
     "groups", Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/my-groups", "Groups the customer belongs to; ?cursor, limit",
     "groups", Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/groups/{id}",
     "A group with the customer's standing (role, request, invitation); 404 for a hidden invite-only group", "groups",
     Auth::kCustomerSession, 200, "", "[]"},
    {"patch", "/api/v1/shops/{shop}/customer/social/groups/{id}",
     "Change a group's name, description, rules or access (owner and moderators)", "groups", Auth::kCustomerSession,
     200, kGroupUpdate, "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/groups/{id}/membership",
     "Join (public, invited, or qualifying for a VIP group) or ask to join (private); answers the state", "groups",
     Auth::kCustomerSession, 200, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/groups/{id}/membership", "Leave a group or withdraw a request",
     "groups", Auth::kCustomerSession, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/groups/{id}/members",
     "Members of a group whose content the customer may read; ?cursor, limit", "groups", Auth::kCustomerSession, 200,
     "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/groups/{id}/requests", "Pending join requests (moderators)", "groups",
     Auth::kCustomerSession, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/groups/{id}/requests/{profile}/approve",
     "Approve a join request (moderators)", "groups", Auth::kCustomerSession, 204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/groups/{id}/requests/{profile}/decline",
     "Decline a join request (moderators)", "groups", Auth::kCustomerSession, 204, "", "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/groups/{id}/invitations/{profile}",
     "Invite a profile (moderators); the invitee is notified", "groups", Auth::kCustomerSession, 204, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/groups/{id}/members/{profile}",
     "Remove a member (moderators; a moderator only by the owner)", "groups", Auth::kCustomerSession, 204, "", "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/groups/{id}/moderators/{profile}",
     "Make a member a moderator (owner)", "groups", Auth::kCustomerSession, 204, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/groups/{id}/moderators/{profile}",
     "Make a moderator a member again (owner)", "groups", Auth::kCustomerSession, 204, "", "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/groups/{id}/pins/{post}",
     "Pin one of the group's posts, at most 3 (moderators)", "groups", Auth::kCustomerSession, 204, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/groups/{id}/pins/{post}", "Unpin a post (moderators)", "groups",
     Auth::kCustomerSession, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/community/groups",
     "Every group of the shop, invite-only ones included (moderation.act); ?cursor, limit", "groups",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/community/groups/{id}", "A group with its VIP rule (moderation.act)", "groups",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/community/groups/{id}/vip",
     "Make a group VIP: membership follows a customer tag or paid orders; members get member_tag (customers.manage)",
     "groups", Auth::kStaffOrToken, 200, kVipRule, "[]"},
    {"delete", "/api/v1/shops/{shop}/community/groups/{id}/vip",
     "Make a VIP group ordinary again; members stay, the member tag goes (customers.manage)", "groups",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/community/groups/{id}/vip/reevaluate",
     "Re-check every member against the VIP rule (customers.manage)", "groups", Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/social/ideas", "Visible ideas, newest first; ?status, cursor, limit", "ideas",
     Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/social/ideas/{id}", "A visible idea with its support count and decision", "ideas",
     Auth::kNone, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/ideas", "Submit a product idea", "ideas", Auth::kCustomerSession,
     201, kNewIdea, R"(["title","description"])"},
    {"get", "/api/v1/shops/{shop}/customer/social/ideas",
     "Ideas as the customer sees them (their own held ones included); ?status, cursor, limit", "ideas",
     Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/ideas/{id}", "An idea and whether the customer supports it", "ideas",
     Auth::kCustomerSession, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/ideas/{id}/support",
     "Support an idea (once; never one's own); reaching the threshold sends it to review", "ideas",
     Auth::kCustomerSession, 200, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/ideas/{id}/support",
     "Withdraw a support while the idea is undecided", "ideas", Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/community/ideas",
     "Every idea, held and hidden ones included (catalog.read); ?status, cursor, limit", "ideas", Auth::kStaffOrToken,
     200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/community/ideas/{id}", "An idea (catalog.read)", "ideas", Auth::kStaffOrToken, 200,
     "", "[]"},
    {"post", "/api/v1/shops/{shop}/community/ideas/{id}/accept",
     "Accept an idea in review: a draft product crediting its author (catalog.write)", "ideas", Auth::kStaffOrToken,
     200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/community/ideas/{id}/decline",
     "Decline an idea with a reason shown to its author (catalog.write)", "ideas", Auth::kStaffOrToken, 200,
     kDeclineIdea, R"(["reason"])"},
    {"get", "/api/v1/shops/{shop}/community/idea-settings",
     "The support threshold that sends an idea to review (catalog.read)", "ideas", Auth::kStaffOrToken, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/community/idea-settings",
     "Set the support threshold; open ideas already past it go to review (catalog.write)", "ideas", Auth::kStaffOrToken,
     200, kIdeaSettings, R"(["support_threshold"])"},
    {"get", "/api/v1/shops/{shop}/social/posts/{id}",
     "A post as an anonymous visitor sees it, product tags priced in ?market / ?country", "posts", Auth::kNone, 200, "",
     "[]"},
    {"get", "/api/v1/shops/{shop}/social/posts/{id}/comments",
     "Top-level comments of a post, oldest first, each with its replies; ?cursor, limit", "posts", Auth::kNone, 200, "",
     "[]"},
    {"get", "/api/v1/shops/{shop}/social/profiles/{handle}/posts",
     "Posts of a public profile outside groups, newest first; ?cursor, limit, market, country", "posts", Auth::kNone,
     200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/social/hashtags/{tag}/posts",
     "Posts carrying a hashtag, newest first; ?cursor, limit, market, country", "posts", Auth::kNone, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/posts",
     "Post as the customer: text, media ids, product tags, optional group", "posts", Auth::kCustomerSession, 201,
     kNewPost, "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/posts/{id}", "A post as the customer sees it", "posts",
     Auth::kCustomerSession, 200, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/posts/{id}", "Delete the customer's own post with its comments",
     "posts", Auth::kCustomerSession, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/profiles/{handle}/posts",
     "Posts of a profile the customer may see; ?cursor, limit", "posts", Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/social/discovery",
     "Discovery feed: public posts of the last week ranked by engagement, time decay and author diversity; ?cursor, "
     "limit",
     "feeds", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/social/products/{id}/posts",
     "From the community: posts tagging the product, newest first; ?cursor, limit, market, country", "feeds",
     Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/timeline",
     "The customer's timeline: posts of followed profiles and their own, newest first; ?cursor, limit", "feeds",
     Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/discovery",
     "Discovery feed without the profiles the customer blocks, mutes or is blocked by; ?cursor, limit", "feeds",
     Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/products/{id}/posts",
     "Posts tagging the product as the customer may see them; ?cursor, limit", "feeds", Auth::kCustomerSession, 200, "",
     "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/products/{id}/followed-buyers",
     "How many profiles the customer follows paid for the product (only those sharing purchases), naming up to 3",
     "feeds", Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/notifications",
     "The customer's notifications, newest first, with the unread count; ?cursor, limit, unread=true", "feeds",
     Auth::kCustomerSession, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/notifications/{id}/read", "Mark one notification read", "feeds",
     Auth::kCustomerSession, 204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/notifications/read-all",
     "Mark every notification read; answers how many changed", "feeds", Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/purchase-sharing",
     "Whether the customer shows their purchases to the profiles following them", "feeds", Auth::kCustomerSession, 200,
     "", "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/purchase-sharing",
     "Choose whether followers may count the customer's purchases (off until turned on)", "feeds",
     Auth::kCustomerSession, 200, R"({"share_purchases":{"type":"boolean"}})", R"(["share_purchases"])"},
    {"get", "/api/v1/shops/{shop}/customer/social/hashtags/{tag}/posts",
     "Posts carrying a hashtag as the customer may see them; ?cursor, limit", "posts", Auth::kCustomerSession, 200, "",
     "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/posts/{id}/like", "Like a post; answers the post", "posts",
     Auth::kCustomerSession, 200, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/posts/{id}/like", "Take a like back; answers the post", "posts",
     Auth::kCustomerSession, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/customer/social/posts/{id}/save", "Save a post; answers the post", "posts",
     Auth::kCustomerSession, 200, "", "[]"},
    {"delete", "/api/v1/shops/{shop}/customer/social/posts/{id}/save", "Unsave a post; answers the post", "posts",
     Auth::kCustomerSession, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/saves",
     "The customer's saved posts, most recently saved first; ?cursor, limit", "posts", Auth::kCustomerSession, 200, "",
     "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/posts/{id}/shares",
     "Record a share; answers the link with UTM parameters and the customer's referral", "posts",
     Auth::kCustomerSession, 201, R"({"channel":{"type":"string","pattern":"^[a-z0-9_-]{1,40}$"}})", "[]"},
    {"get", "/api/v1/shops/{shop}/customer/social/posts/{id}/comments",
     "Comments of a post as the customer sees them; ?cursor, limit", "posts", Auth::kCustomerSession, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/social/posts/{id}/comments",
     "Comment on a post, or reply to a comment (parent_id), three levels deep", "posts", Auth::kCustomerSession, 201,
     R"({"text":{"type":"string","maxLength":1000},"parent_id":{"type":"integer"}})", R"(["text"])"},
    {"delete", "/api/v1/shops/{shop}/customer/social/comments/{id}",
     "Delete the customer's own comment (a tombstone keeps the place of one with replies)", "posts",
     Auth::kCustomerSession, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/orders",
     "List orders, newest first (orders.read); ?status, customer_id, before_id, limit", "orders", Auth::kStaffOrToken,
     200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/orders/{id}", "An order (orders.read)", "orders", Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/orders/{id}/capture", "Capture the order's payment (orders.manage)", "orders",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/orders/{id}/mark-paid",
     "Record that a bank transfer or cash on delivery arrived: the order becomes paid (orders.manage)", "orders",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/orders/{id}/fulfilments", "Ship quantities of lines (orders.manage)", "orders",
     Auth::kStaffOrToken, 200, kOrderLines, R"(["lines"])"},
    {"post", "/api/v1/shops/{shop}/orders/{id}/delivered", "Mark a fulfilled order delivered (orders.manage)", "orders",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/orders/{id}/cancel",
     "Cancel: restock, release codes, void or refund (orders.manage)", "orders", Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/orders/{id}/refunds", "Refund to the original payment (orders.manage)", "orders",
     Auth::kStaffOrToken, 200, kAmount, "[]"},
    {"get", "/api/v1/shops/{shop}/returns", "List returns (orders.read); ?order_id", "orders", Auth::kStaffOrToken, 200,
     "", "[]"},
    {"get", "/api/v1/shops/{shop}/returns/{id}", "A return (orders.read)", "orders", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"post", "/api/v1/shops/{shop}/returns/{id}/approve", "Approve a return (orders.manage)", "orders",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/returns/{id}/reject", "Reject a return (orders.manage)", "orders",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/returns/{id}/receive",
     "Receive a return: restock at location_id or write off lines (orders.manage)", "orders", Auth::kStaffOrToken, 200,
     R"({"location_id":{"type":"integer"},"write_off_line_ids":{"type":"array","items":{"type":"integer"}}})",
     R"(["write_off_line_ids"])"},
    {"post", "/api/v1/shops/{shop}/returns/{id}/refund", "Refund a received return (orders.manage)", "orders",
     Auth::kStaffOrToken, 200, kAmount, "[]"},
    {"put", "/api/v1/shops/{shop}/order-settings", "Set the return window (orders.manage)", "orders",
     Auth::kStaffOrToken, 200, R"({"return_window_days":{"type":"integer","minimum":1,"maximum":365}})",
     R"(["return_window_days"])"},
    {"post", "/api/v1/shops/{shop}/customer/moderation/reports",
     "Report content; one open report per customer and content", "moderation", Auth::kCustomerSession, 201, kReport,
     R"(["kind","id","reason"])"},
    {"get", "/api/v1/shops/{shop}/moderation/rules", "Keyword rules (moderation.act)", "moderation",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/moderation/rules",
     "Add a keyword rule, matched after Unicode normalisation (moderation.act)", "moderation", Auth::kStaffOrToken, 201,
     kKeywordRule, R"(["pattern","action"])"},
    {"get", "/api/v1/shops/{shop}/moderation/rules/{id}", "A keyword rule (moderation.act)", "moderation",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/moderation/rules/{id}", "Change a keyword rule (moderation.act)", "moderation",
     Auth::kStaffOrToken, 200, kKeywordRule, R"(["pattern","action"])"},
    {"delete", "/api/v1/shops/{shop}/moderation/rules/{id}", "Delete a keyword rule (moderation.act)", "moderation",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/moderation/queue",
     "The moderation queue, oldest first; ?state=open|resolved, kind, reason, author_profile_id, cursor, limit "
     "(moderation.act)",
     "moderation", Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/moderation/queue/{id}",
     "A queue item with its reports, flags and the author's trust (moderation.act)", "moderation", Auth::kStaffOrToken,
     200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/moderation/queue/{id}/actions",
     "Hide, restore, remove, warn, ban or dismiss; resolves the item, audited (moderation.act)", "moderation",
     Auth::kStaffOrToken, 200, kModerationAction, R"(["action"])"},
    {"get", "/api/v1/shops/{shop}/moderation/bans",
     "Bans, newest first; ?active=true|false, profile_id (moderation.act)", "moderation", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"post", "/api/v1/shops/{shop}/moderation/bans/{id}/lift", "End a ban now, audited (moderation.act)", "moderation",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/moderation/warnings", "Warnings, newest first; ?profile_id (moderation.act)",
     "moderation", Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/products",
     "Products (query: status, channel, collection_id, cursor, limit; catalog.read)", "catalog", Auth::kStaffOrToken,
     200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/products", "Create a product with its variants (catalog.write)", "catalog",
     Auth::kStaffOrToken, 201, kProduct, R"(["title"])"},
    {"get", "/api/v1/shops/{shop}/products/{id}", "A product (catalog.read)", "catalog", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"put", "/api/v1/shops/{shop}/products/{id}", "Replace a product; unlisted variants are deleted (catalog.write)",
     "catalog", Auth::kStaffOrToken, 200, kProduct, R"(["title"])"},
    {"delete", "/api/v1/shops/{shop}/products/{id}", "Delete a product (catalog.write)", "catalog", Auth::kStaffOrToken,
     204, "", "[]"},
    {"put", "/api/v1/shops/{shop}/products/{id}/status", "Set a product's status (catalog.write)", "catalog",
     Auth::kStaffOrToken, 200, R"({"status":{"enum":["draft","active","archived"]}})", R"(["status"])"},
    {"put", "/api/v1/shops/{shop}/products/{id}/channels", "Set the channels a product is published to (catalog.write)",
     "catalog", Auth::kStaffOrToken, 200,
     R"({"channels":{"type":"array","items":{"enum":["online_store","meta","tiktok","pinterest","google"]}}})",
     R"(["channels"])"},
    {"get", "/api/v1/shops/{shop}/collections", "Collections (catalog.read)", "catalog", Auth::kStaffOrToken, 200, "",
     "[]"},
    {"post", "/api/v1/shops/{shop}/collections", "Create a manual or rule-based collection (catalog.write)", "catalog",
     Auth::kStaffOrToken, 201, kCollection, R"(["title"])"},
    {"get", "/api/v1/shops/{shop}/collections/{id}", "A collection (catalog.read)", "catalog", Auth::kStaffOrToken, 200,
     "", "[]"},
    {"put", "/api/v1/shops/{shop}/collections/{id}", "Replace a collection (catalog.write)", "catalog",
     Auth::kStaffOrToken, 200, kCollection, R"(["title"])"},
    {"delete", "/api/v1/shops/{shop}/collections/{id}", "Delete a collection (catalog.write)", "catalog",
     Auth::kStaffOrToken, 204, "", "[]"},
    {"get", "/api/v1/shops/{shop}/attributes", "Custom attribute definitions (catalog.read)", "catalog",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/attributes", "Define a custom attribute (catalog.write)", "catalog",
     Auth::kStaffOrToken, 201, kAttributeDefinition, R"(["key","name","type"])"},
    {"delete", "/api/v1/shops/{shop}/attributes/{id}", "Delete an unused attribute definition (catalog.write)",
     "catalog", Auth::kStaffOrToken, 204, "", "[]"},
    {"post", "/api/v1/shops/{shop}/catalog/import",
     "Import a Shopify product CSV (body text/csv; query: dry_run, location_id; catalog.write); per-row issues",
     "catalog", Auth::kStaffOrToken, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/catalog/export",
     "Every product as Shopify CSV, priced in the default market (catalog.read)", "catalog", Auth::kStaffOrToken, 200,
     "", "[]"},
    {"get", "/api/v1/shops/{shop}/storefront/products",
     "Active products published to the online store, with prices and availability (query: market, country, cursor, "
     "limit)",
     "catalog", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/storefront/products/{handle}", "One visible product with prices and availability",
     "catalog", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/storefront/collections/{handle}", "A published collection with its visible products",
     "catalog", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/storefront/search",
     "Search with facets (query: q, vendor, product_type, tag, option, collection, min_price, max_price, in_stock, "
     "offset, limit, market, country)",
     "catalog", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/reviews/products/{id}",
     "A product's visible reviews with its rating (query: sort newest|highest|lowest, rating, variant_id, cursor, "
     "limit)",
     "reviews", Auth::kNone, 200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/reviews/products/{id}/rating",
     "A product's (or with variant_id, a variant's) rating: count, average, histogram", "reviews", Auth::kNone, 200, "",
     "[]"},
    {"post", "/api/v1/shops/{shop}/customer/reviews",
     "Review a product as the customer's profile, or edit that review (201 when created, 200 when edited)", "reviews",
     Auth::kCustomerSession, 201, kReview, R"(["product_id","rating"])"},
    {"get", "/api/v1/shops/{shop}/customer/reviews/products/{id}",
     "The customer's own review of a product, whatever its moderation state", "reviews", Auth::kCustomerSession, 200,
     "", "[]"},
    {"get", "/api/v1/shops/{shop}/care/reviews",
     "Every review of the shop with its fake-review signals (care.reply; query: product_id, visibility, flagged, "
     "unreplied, cursor, limit)",
     "reviews", Auth::kStaffOrToken, 200, "", "[]"},
    {"put", "/api/v1/shops/{shop}/care/reviews/{id}/reply",
     "Reply to a review as the merchant, replacing an earlier reply (care.reply; audited)", "reviews",
     Auth::kStaffOrToken, 200, kReviewReply, R"(["text"])"},
    {"get", "/api/v1/shops/{shop}/questions/products/{id}",
     "A product's questions with their answers, most upvoted first (query: cursor, limit)", "questions", Auth::kNone,
     200, "", "[]"},
    {"get", "/api/v1/shops/{shop}/questions/{id}", "One question with its answers, the accepted one first", "questions",
     Auth::kNone, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/questions", "Ask about a product as the customer's profile", "questions",
     Auth::kCustomerSession, 201, kQuestion, R"(["product_id","text"])"},
    {"post", "/api/v1/shops/{shop}/customer/questions/{id}/answers",
     "Answer a question as a customer who received the product", "questions", Auth::kCustomerSession, 201, kAnswer,
     R"(["text"])"},
    {"post", "/api/v1/shops/{shop}/customer/questions/{id}/upvote", "Upvote a question (once per profile)", "questions",
     Auth::kCustomerSession, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/answers/{id}/upvote", "Upvote an answer (once per profile)", "questions",
     Auth::kCustomerSession, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/customer/questions/{id}/accept", "The asker accepts one answer of their question",
     "questions", Auth::kCustomerSession, 200, kAcceptAnswer, R"(["answer_id"])"},
    {"get", "/api/v1/shops/{shop}/care/questions/unanswered",
     "Questions without a visible answer, oldest first (care.reply; query: cursor, limit)", "questions",
     Auth::kStaffOrToken, 200, "", "[]"},
    {"post", "/api/v1/shops/{shop}/care/questions/{id}/answers",
     "Answer a question for the brand (care.reply; audited)", "questions", Auth::kStaffOrToken, 201, kAnswer,
     R"(["text"])"},
    {"post", "/api/v1/shops/{shop}/care/questions/{id}/accept", "Accept an answer of a question (care.reply; audited)",
     "questions", Auth::kStaffOrToken, 200, kAcceptAnswer, R"(["answer_id"])"},
};

boost::json::array SecurityFor(Auth auth) {
  switch (auth) {
    case Auth::kNone:
      return {};
    case Auth::kStaffSession:
      return {{{"staffSession", boost::json::array{}}}};
    case Auth::kCustomerSession:
      return {{{"customerSession", boost::json::array{}}}};
    case Auth::kStaffOrToken:
      return {boost::json::object{{"staffSession", boost::json::array{}}},
              boost::json::object{{"apiToken", boost::json::array{}}}};
  }
  return {};
}

boost::json::array PathParameters(std::string_view path) {
  boost::json::array parameters;
  for (std::size_t open = path.find('{'); open != std::string_view::npos; open = path.find('{', open + 1)) {
    const std::size_t close = path.find('}', open);
    const std::string name(path.substr(open + 1, close - open - 1));
    boost::json::object schema{{"type", "string"}};
    const std::string description =
        name == "shop" ? "the shop's numeric id or its handle" : "the " + name + " of the resource";
    parameters.emplace_back(boost::json::object{
        {"name", name}, {"in", "path"}, {"required", true}, {"description", description}, {"schema", schema}});
  }
  return parameters;
}

// Uploads take an image, not JSON, and renditions answer with one.
void MediaBodies(const Operation& operation, boost::json::object& entry) {
  const boost::json::object binary{{"type", "string"}, {"contentMediaType", "application/octet-stream"}};
  if (operation.method == "post") {
    const boost::json::object form{
        {"type", "object"},
        {"required", {"file"}},
        {"properties", {{"file", binary}, {"alt", {{"type", "string"}, {"maxLength", 500}}}}}};
    entry["requestBody"] = {{"required", true},
                            {"content",
                             {{"multipart/form-data", {{"schema", form}}},
                              {"image/jpeg", {{"schema", binary}}},
                              {"image/png", {{"schema", binary}}},
                              {"image/webp", {{"schema", binary}}}}}};
  } else if (operation.path.ends_with("{file}")) {
    entry["responses"].as_object()["200"] = {{"description", "the rendition"},
                                             {"content", {{"image/webp", {{"schema", binary}}}}}};
  }
}

boost::json::value Build() {
  boost::json::object problem_ref{{"$ref", "#/components/schemas/Problem"}};
  boost::json::object problem_response{{"description", "An RFC 9457 problem"},
                                       {"content", {{"application/problem+json", {{"schema", problem_ref}}}}}};
  boost::json::object paths;
  for (const Operation& operation : kOperations) {
    boost::json::object responses;
    boost::json::object success{{"description", "success"}};
    if (operation.success_status != 204) {
      success["content"] = {{"application/json", {{"schema", {{"type", "object"}}}}}};
    }
    responses[std::to_string(operation.success_status)] = success;
    responses["default"] = problem_response;
    boost::json::object entry{{"summary", operation.summary},
                              {"tags", {operation.tag}},
                              {"operationId", std::string(operation.method) + std::string(operation.path)},
                              {"responses", responses},
                              {"security", SecurityFor(operation.auth)}};
    boost::json::array parameters = PathParameters(operation.path);
    if (operation.method != "get" && operation.path.starts_with("/api/v1/shops/{shop}")) {
      // api/src/idempotency.h: every mutating shop route takes one.
      parameters.emplace_back(boost::json::object{
          {"name", "Idempotency-Key"},
          {"in", "header"},
          {"required", false},
          {"description", "Retries with the same key replay the first successful answer instead of repeating it"},
          {"schema", {{"type", "string"}, {"minLength", 1}, {"maxLength", 255}}}});
    }
    if (!parameters.empty()) entry["parameters"] = parameters;
    if (operation.method != "get" && operation.method != "delete") {
      boost::json::object schema{{"type", "object"}, {"additionalProperties", false}};
      if (!operation.request_fields.empty()) schema["properties"] = boost::json::parse(operation.request_fields);
      if (operation.path.ends_with("/staff-members") || operation.path.ends_with("/staff-members/{id}")) {
        schema["properties"] = {{"email", {{"type", "string"}, {"format", "email"}}},
                                {"name", {{"type", "string"}}},
                                {"password", {{"type", "string"}}},
                                {"roles", boost::json::parse(kRoles)}};
      }
      schema["required"] = boost::json::parse(operation.required_fields);
      entry["requestBody"] = {{"required", !schema["required"].as_array().empty()},
                              {"content", {{"application/json", {{"schema", schema}}}}}};
    }
    if (operation.tag == "media") MediaBodies(operation, entry);
    boost::json::value& path_item = paths[operation.path];
    if (!path_item.is_object()) path_item.emplace_object();
    path_item.as_object()[operation.method] = std::move(entry);
  }
  return paths;
}

}  // namespace

const boost::json::value& OpenApiDocument() {
  static const boost::json::value kDocument = [] {
    boost::json::object document{
        {"openapi", "3.1.0"},
        {"info",
         {{"title", "Plaza API"},
          {"version", "1"},
          {"description",
           "Shops, accounts, sessions, API tokens, webhooks and the audit log. Errors are RFC 9457 "
           "problem+json with a stable type; see docs/http.md."}}},
        {"paths", Build()},
        {"components",
         {{"securitySchemes",
           {{"staffSession", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kStaffSessionCookie}}},
            {"customerSession", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kCustomerSessionCookie}}},
            {"apiToken", {{"type", "http"}, {"scheme", "bearer"}}}}},
          {"schemas",
           {{"Problem",
             {{"type", "object"},
              {"required", {"type", "title", "status"}},
              {"properties",
               {{"type", {{"type", "string"}}},
                {"title", {{"type", "string"}}},
                {"status", {{"type", "integer"}}},
                {"detail", {{"type", "string"}}},
                {"field", {{"type", "string"}}},
                {"request_id", {{"type", "string"}}}}}}}}}}}};
    return boost::json::value(std::move(document));
  }();
  return kDocument;
}

}  // namespace plaza::api
