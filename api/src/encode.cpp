#include "encode.h"

#include <boost/json/parse.hpp>

namespace plaza::api {
namespace {

boost::json::array Strings(const std::vector<std::string>& values) {
  return boost::json::array(values.begin(), values.end());
}

boost::json::array RoleNames(const std::vector<identity::Role>& roles) {
  boost::json::array out;
  for (identity::Role role : roles) out.emplace_back(identity::RoleName(role));
  return out;
}

std::string_view StateName(identity::AuthState state) {
  switch (state) {
    case identity::AuthState::kActive:
      return "active";
    case identity::AuthState::kSecondFactorPending:
      return "second_factor_pending";
    case identity::AuthState::kEnrolmentRequired:
      return "enrolment_required";
  }
  return "active";
}

std::string_view KindName(identity::PrincipalKind kind) {
  switch (kind) {
    case identity::PrincipalKind::kStaff:
      return "staff";
    case identity::PrincipalKind::kCustomer:
      return "customer";
    case identity::PrincipalKind::kApiToken:
      return "api_token";
  }
  return "staff";
}

// Stored JSON (audit details, event payloads) is ours and valid; should a row ever be
// damaged, the raw text is returned rather than failing the whole page.
boost::json::value EmbeddedJson(const std::string& text) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text, error);
  if (error) return boost::json::value(text);
  return value;
}

}  // namespace

boost::json::object Encode(const identity::Shop& shop) {
  return {{"id", shop.id},
          {"handle", shop.handle},
          {"name", shop.name},
          {"settings", {{"require_staff_2fa", shop.settings.require_staff_2fa}}},
          {"created_at", FormatRfc3339(shop.created_at)}};
}

boost::json::object Encode(const identity::StaffMember& staff) {
  return {{"id", staff.id},
          {"email", staff.email},
          {"name", staff.name},
          {"roles", RoleNames(staff.roles)},
          {"totp_enabled", staff.totp_enabled},
          {"disabled", staff.disabled},
          {"invitation_pending", !staff.has_password},
          {"created_at", FormatRfc3339(staff.created_at)}};
}

boost::json::object Encode(const identity::Customer& customer) {
  return {{"id", customer.id},
          {"email", customer.email},
          {"name", customer.name},
          {"tags", Strings(customer.tags)},
          {"created_at", FormatRfc3339(customer.created_at)}};
}

boost::json::object Encode(const identity::ApiTokenInfo& token) {
  boost::json::object out{{"id", token.id},
                          {"name", token.name},
                          {"prefix", token.prefix},
                          {"scopes", Strings(token.scopes)},
                          {"created_by", token.created_by},
                          {"created_at", FormatRfc3339(token.created_at)},
                          {"revoked", token.revoked}};
  out["last_used_at"] = token.last_used_at ? boost::json::value(FormatRfc3339(*token.last_used_at)) : nullptr;
  return out;
}

boost::json::object Encode(const identity::AuditEntry& entry) {
  return {{"id", entry.id},
          {"actor", entry.actor},
          {"action", entry.action},
          {"target", entry.target},
          {"details", EmbeddedJson(entry.details_json)},
          {"ip", entry.ip},
          {"at", FormatRfc3339(entry.at)}};
}

boost::json::object EncodeSession(const identity::Principal& principal) {
  boost::json::object out{{"kind", KindName(principal.kind)},   {"shop_id", principal.shop_id},
                          {"user_id", principal.user_id},       {"state", StateName(principal.state)},
                          {"csrf_token", principal.csrf_token}, {"expires_at", FormatRfc3339(principal.expires_at)}};
  if (principal.kind == identity::PrincipalKind::kStaff) {
    out["roles"] = RoleNames(principal.roles);
    boost::json::array permissions;
    for (identity::Permission permission : identity::AllPermissions()) {
      if (identity::Holds(principal, permission)) permissions.emplace_back(identity::PermissionName(permission));
    }
    out["permissions"] = std::move(permissions);
  }
  return out;
}

boost::json::object Encode(const channels::WebhookSubscription& subscription) {
  return {{"id", subscription.id},
          {"url", subscription.url},
          {"event_types", Strings(subscription.event_types)},
          {"active", subscription.active},
          {"deactivated_reason", subscription.deactivated_reason},
          {"created_at", FormatRfc3339(subscription.created_at)},
          {"updated_at", FormatRfc3339(subscription.updated_at)}};
}

boost::json::object Encode(const channels::WebhookDelivery& delivery) {
  boost::json::object out{{"id", delivery.id},
                          {"subscription_id", delivery.subscription_id},
                          {"event_id", delivery.event_id},
                          {"event_type", delivery.event_type},
                          {"state", channels::DeliveryStateName(delivery.state)},
                          {"attempts", delivery.attempts},
                          {"last_error", delivery.last_error},
                          {"created_at", FormatRfc3339(delivery.created_at)},
                          {"updated_at", FormatRfc3339(delivery.updated_at)}};
  out["last_status_code"] = delivery.last_status_code ? boost::json::value(*delivery.last_status_code) : nullptr;
  out["next_attempt_at"] =
      delivery.next_attempt_at ? boost::json::value(FormatRfc3339(*delivery.next_attempt_at)) : nullptr;
  return out;
}

boost::json::object Encode(const store::DeadLetter& dead_letter) {
  return {{"consumer", dead_letter.consumer},
          {"event_id", dead_letter.event.id},
          {"event_type", dead_letter.event.event_type},
          {"aggregate_type", dead_letter.event.aggregate_type},
          {"aggregate_id", dead_letter.event.aggregate_id},
          {"payload", EmbeddedJson(dead_letter.event.payload_json)},
          {"attempts", dead_letter.attempts},
          {"last_error", dead_letter.last_error},
          {"dead_at", FormatRfc3339(dead_letter.dead_at)}};
}

}  // namespace plaza::api
