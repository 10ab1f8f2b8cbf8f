#include "plaza/payments/migrations.h"

namespace plaza::payments {

store::MigrationSet PaymentsMigrations() {
  return {"payments",
          {
              {1, "payments, their transactions, and the test provider's state",
               // payments.idempotency_key is the key of the authorising call: unique per
               // shop, so retries record one payment. request_fingerprint detects a key
               // reused for another request. Cards keep brand and last four digits only.
               // payment_transactions.idempotency_key is unique per shop for the same
               // reason; webhook-made transactions use "webhook:<reference>".
               // test_provider_*: the provider's side, kept apart from Plaza's record as a
               // real processor's would be.
               "CREATE TABLE payments (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  order_reference TEXT NOT NULL,\n"
               "  provider TEXT NOT NULL,\n"
               "  method TEXT NOT NULL,\n"
               "  provider_reference TEXT NOT NULL,\n"
               "  status TEXT NOT NULL,\n"
               "  currency TEXT NOT NULL,\n"
               "  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),\n"
               "  captured_minor BIGINT NOT NULL DEFAULT 0 CHECK (captured_minor >= 0),\n"
               "  refunded_minor BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),\n"
               "  decline_reason TEXT NOT NULL DEFAULT '',\n"
               "  card_brand TEXT NOT NULL DEFAULT '',\n"
               "  card_last4 TEXT NOT NULL DEFAULT '',\n"
               "  idempotency_key TEXT NOT NULL,\n"
               "  request_fingerprint TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, idempotency_key),\n"
               "  CHECK (captured_minor <= amount_minor AND refunded_minor <= captured_minor)\n"
               ");\n"
               "CREATE INDEX payments_order ON payments (shop_id, order_reference, id);\n"
               "CREATE INDEX payments_provider_reference ON payments (shop_id, provider, provider_reference);\n"
               "CREATE TABLE payment_transactions (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  payment_id BIGINT NOT NULL REFERENCES payments (id),\n"
               "  kind TEXT NOT NULL CHECK (kind IN ('authorization', 'capture', 'void', 'refund')),\n"
               "  status TEXT NOT NULL,\n"
               "  amount_minor BIGINT NOT NULL,\n"
               "  currency TEXT NOT NULL,\n"
               "  idempotency_key TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, idempotency_key)\n"
               ");\n"
               "CREATE INDEX payment_transactions_payment ON payment_transactions (shop_id, payment_id, id);\n"
               "CREATE TABLE test_provider_charges (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  reference TEXT NOT NULL UNIQUE,\n"
               "  status TEXT NOT NULL,\n"
               "  currency TEXT NOT NULL,\n"
               "  amount_minor BIGINT NOT NULL,\n"
               "  captured_minor BIGINT NOT NULL DEFAULT 0,\n"
               "  refunded_minor BIGINT NOT NULL DEFAULT 0,\n"
               "  decline_reason TEXT NOT NULL DEFAULT '',\n"
               "  card_brand TEXT NOT NULL,\n"
               "  card_last4 TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE TABLE test_provider_operations (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  idempotency_key TEXT NOT NULL,\n"
               "  operation TEXT NOT NULL,\n"
               "  result TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, idempotency_key)\n"
               ");\n"
               "CREATE TABLE test_provider_accounts (\n"
               "  shop_id BIGINT PRIMARY KEY,\n"
               "  webhook_secret TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL\n"
               ");\n"},
          }};
}

}  // namespace plaza::payments
