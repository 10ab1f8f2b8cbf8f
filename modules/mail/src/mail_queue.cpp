#include "plaza/mail/mail_queue.h"

#include <boost/json.hpp>

#include "plaza/core/crypto.h"
#include "plaza/core/text.h"

namespace plaza::mail {
namespace {

bool HasLineBreak(std::string_view value) {
  return value.find_first_of("\r\n") != std::string_view::npos;
}

// Errors a retry cannot fix: the message is dead-lettered at once.
bool IsFinal(const Error& error) {
  return error.type == "mail/rejected" || error.type == "mail/header-injection";
}

}  // namespace

Status EnqueueMail(store::Transaction& tx, const MailMessage& message, TimePoint now) {
  // Refused here, where the caller can still act on it, rather than in the queue.
  if (HasLineBreak(message.to) || HasLineBreak(message.subject)) {
    return Error::Invalid("mail/header-injection", "mail headers must not contain line breaks");
  }
  const boost::json::object payload{{"to", message.to}, {"subject", message.subject}, {"text", message.text}};
  store::OutboxEvent event;
  event.shop_id = message.shop_id;
  event.aggregate_type = "mail";
  event.aggregate_id = text::HexEncode(crypto::RandomBytes(12));
  event.event_type = std::string(kMailRequestedEvent);
  event.payload_json = boost::json::serialize(payload);
  PLAZA_ASSIGN_OR_RETURN(const std::int64_t id, store::AppendEvent(tx, event, now));
  (void)id;  // the consumer finds the event through the dispatcher
  return Ok();
}

OutboxMailer::OutboxMailer(store::Database& db, const Clock& clock, Mailer& direct)
    : db_(db), clock_(clock), direct_(direct) {}

Status OutboxMailer::Send(const MailMessage& message) {
  // The outbox records every event under a shop; mail of none (a staff sign-in link)
  // is sent at once, still outside any transaction.
  if (message.shop_id <= 0) return direct_.Send(message);
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Status { return EnqueueMail(tx, message, now); });
}

std::vector<store::DeliveryOutcome> MailConsumer::Handle(std::span<const store::Delivery> batch) {
  std::vector<store::DeliveryOutcome> outcomes;
  outcomes.reserve(batch.size());
  for (const store::Delivery& delivery : batch) {
    const store::OutboxEvent& event = delivery.event;
    if (event.event_type != kMailRequestedEvent) {
      outcomes.push_back(store::DeliveryOutcome::Delivered());
      continue;
    }
    boost::system::error_code error;
    const boost::json::value parsed = boost::json::parse(event.payload_json, error);
    const boost::json::object* payload = error ? nullptr : parsed.if_object();
    const auto text = [&](std::string_view key) -> const boost::json::string* {
      const boost::json::value* value = payload == nullptr ? nullptr : payload->if_contains(key);
      return value == nullptr ? nullptr : value->if_string();
    };
    const boost::json::string* to = text("to");
    const boost::json::string* subject = text("subject");
    const boost::json::string* body = text("text");
    if (to == nullptr || subject == nullptr || body == nullptr) {
      outcomes.push_back(store::DeliveryOutcome::Failed("the mail event has no to, subject and text"));
      continue;
    }
    const Status sent =
        sender_.Send(MailMessage{std::string(*to), std::string(*subject), std::string(*body), event.shop_id});
    if (sent.ok()) {
      outcomes.push_back(store::DeliveryOutcome::Delivered());
    } else if (IsFinal(sent.error())) {
      outcomes.push_back(store::DeliveryOutcome::Failed(sent.error().detail));
    } else {
      outcomes.push_back(store::DeliveryOutcome::Retry(sent.error().detail));
    }
  }
  return outcomes;
}

}  // namespace plaza::mail
