#include "plaza/identity/migrations.h"

namespace plaza::identity {

// Notes on the schema:
// - Every table but `shops` is a tenant table keyed by shop_id, and every unique
//   constraint and lookup index starts with it, so rows co-locate by shop when
//   PostgreSQL is distributed.
// - Secrets are stored as hex SHA-256 digests (`token_hash`) or Argon2id PHC strings
//   (`password_hash`); the only raw values are the CSRF token, which a page must echo,
//   and TOTP secrets, which the server must read to check codes.
// - Roles and scopes are comma-separated names (see permissions.h); a handful of short
//   names per row does not justify a join table.
// - Times are Unix milliseconds; booleans are 0/1.
store::MigrationSet IdentityMigrations() {
  return {"identity",
          {{1, "accounts, sessions, tokens and the audit log",
            R"sql(CREATE TABLE shops (
  id {{pk}},
  handle TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  require_staff_2fa INTEGER NOT NULL DEFAULT 0 CHECK (require_staff_2fa IN (0, 1)),
  created_at BIGINT NOT NULL
);
CREATE TABLE staff_users (
  id {{pk}},
  shop_id BIGINT NOT NULL REFERENCES shops (id),
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  password_hash TEXT,
  roles TEXT NOT NULL,
  totp_secret TEXT,
  totp_pending_secret TEXT,
  totp_enabled INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at BIGINT NOT NULL,
  UNIQUE (shop_id, email)
);
CREATE TABLE customers (
  id {{pk}},
  shop_id BIGINT NOT NULL REFERENCES shops (id),
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (shop_id, email)
);
CREATE TABLE sessions (
  id {{pk}},
  shop_id BIGINT NOT NULL REFERENCES shops (id),
  token_hash TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('staff', 'customer')),
  user_id BIGINT NOT NULL,
  csrf_token TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'second_factor_pending', 'enrolment_required')),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  idle_expires_at BIGINT NOT NULL,
  absolute_expires_at BIGINT NOT NULL,
  ip TEXT NOT NULL,
  UNIQUE (shop_id, token_hash)
);
CREATE INDEX sessions_by_user ON sessions (shop_id, kind, user_id);
CREATE TABLE password_reset_tokens (
  id {{pk}},
  shop_id BIGINT NOT NULL REFERENCES shops (id),
  token_hash TEXT NOT NULL,
  account_kind TEXT NOT NULL CHECK (account_kind IN ('staff', 'customer')),
  user_id BIGINT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'invitation')),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  UNIQUE (shop_id, token_hash)
);
CREATE INDEX password_reset_tokens_by_user ON password_reset_tokens (shop_id, account_kind, user_id, created_at);
CREATE TABLE api_tokens (
  id {{pk}},
  shop_id BIGINT NOT NULL REFERENCES shops (id),
  token_hash TEXT NOT NULL,
  prefix TEXT NOT NULL,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT,
  UNIQUE (shop_id, token_hash)
);
CREATE TABLE login_attempts (
  id {{pk}},
  shop_id BIGINT NOT NULL REFERENCES shops (id),
  scope TEXT NOT NULL CHECK (scope IN ('staff', 'customer', 'ip', 'second_factor')),
  subject TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX login_attempts_by_subject ON login_attempts (shop_id, scope, subject, at);
CREATE TABLE audit_log (
  id {{pk}},
  shop_id BIGINT NOT NULL REFERENCES shops (id),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT NOT NULL,
  ip TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX audit_log_by_shop ON audit_log (shop_id, id);
)sql"},
           // One row per tag so uniqueness ignoring case is a constraint (tag_key is the
           // ASCII-lowercased tag), not a check the service must remember under concurrency.
           {2, "customer tags",
            R"sql(CREATE TABLE customer_tags (
  id {{pk}},
  shop_id BIGINT NOT NULL REFERENCES shops (id),
  customer_id BIGINT NOT NULL REFERENCES customers (id),
  tag TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  UNIQUE (shop_id, customer_id, tag_key)
);
)sql"}}};
}

}  // namespace plaza::identity
