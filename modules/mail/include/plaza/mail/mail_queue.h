#pragma once
// Mail through the transactional outbox (plaza/store/outbox.h): a message to send is an
// outbox event "mail.requested", and MailConsumer hands each one to a real Mailer (SMTP)
// from the dispatcher's thread. The sender never waits on the mail server, a message is
// never sent from inside a database transaction, and a server that is down or answers
// "try again later" is retried on the outbox's back-off schedule until it takes the
// message or the event becomes a dead letter (RequeueDeadLetter sends it again).
//
// A mail event belongs to the message's shop (MailMessage::shop_id), so staff find its
// dead letter among their shop's; each message is its own aggregate, so one refused
// message does not hold back the others. Mail of no shop (shop_id 0) cannot be queued
// and OutboxMailer sends it at once.

#include <span>
#include <string_view>
#include <vector>

#include "plaza/core/clock.h"
#include "plaza/core/mailer.h"
#include "plaza/store/database.h"
#include "plaza/store/outbox.h"
#include "plaza/store/outbox_dispatcher.h"

namespace plaza::mail {

inline constexpr std::string_view kMailRequestedEvent = "mail.requested";

// Queues `message` inside the caller's transaction, so it is sent if and only if the
// transaction commits. "mail/header-injection" for a header with a line break.
// REQUIRES: `tx` is a write transaction; message.shop_id > 0.
Status EnqueueMail(store::Transaction& tx, const MailMessage& message, TimePoint now);

// A Mailer whose Send queues a shop's message in a transaction of its own and returns
// once it is durably queued; a message of no shop goes straight to `direct`.
// Thread-safe. Everything must outlive it.
class OutboxMailer final : public Mailer {
 public:
  OutboxMailer(store::Database& db, const Clock& clock, Mailer& direct);
  Status Send(const MailMessage& message) override;

 private:
  store::Database& db_;
  const Clock& clock_;
  Mailer& direct_;
};

// Sends queued mail with `sender`. Other events are acknowledged untouched. A message
// the server refused for good ("mail/rejected", "mail/header-injection") or an unusable
// payload is dead-lettered at once; anything else is retried.
// Thread-safety: as the dispatcher requires; `sender` must be thread-safe and outlive it.
class MailConsumer final : public store::OutboxConsumer {
 public:
  static constexpr std::string_view kName = "mail";

  explicit MailConsumer(Mailer& sender) : sender_(sender) {}

  std::string_view name() const override { return kName; }
  std::vector<store::DeliveryOutcome> Handle(std::span<const store::Delivery> batch) override;

 private:
  Mailer& sender_;
};

}  // namespace plaza::mail
