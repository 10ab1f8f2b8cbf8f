#pragma once
// JSON representations of the modules' types, as the API returns them. Secrets never
// appear here except where a call's whole point is to show one once (new API token,
// new webhook secret), and those are added by the handler that creates them.

#include <boost/json/object.hpp>

#include "plaza/channels/webhooks.h"
#include "plaza/identity/identity_service.h"
#include "plaza/store/outbox_dispatcher.h"

namespace plaza::api {

boost::json::object Encode(const identity::Shop& shop);
boost::json::object Encode(const identity::StaffMember& staff);
boost::json::object Encode(const identity::Customer& customer);
boost::json::object Encode(const identity::ApiTokenInfo& token);
boost::json::object Encode(const identity::AuditEntry& entry);
// The caller's own session: who, which shop, the CSRF token for later requests, state.
boost::json::object EncodeSession(const identity::Principal& principal);
boost::json::object Encode(const channels::WebhookSubscription& subscription);
boost::json::object Encode(const channels::WebhookDelivery& delivery);
boost::json::object Encode(const store::DeadLetter& dead_letter);

template <typename T>
boost::json::array EncodeAll(const std::vector<T>& items) {
  boost::json::array out;
  out.reserve(items.size());
  for (const T& item : items) out.emplace_back(Encode(item));
  return out;
}

}  // namespace plaza::api
