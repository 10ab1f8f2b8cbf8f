#include "plaza/social/migrations.h"

namespace plaza::social {

store::MigrationSet SocialMigrations() {
  return {"social",
          {
              {1, "profiles and the follow graph",
               // handle keeps the owner's spelling; handle_key is its lower-case form, the one
               // uniqueness and look-ups use. customer_id links to identity by id only (no
               // foreign key across modules); several NULLs are allowed by UNIQUE on both
               // engines. links holds validated URLs separated by '\n', which a URL cannot
               // contain. The two counts are maintained in the transaction that changes
               // social_follows, so they always equal the rows they count.
               "CREATE TABLE social_profiles (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  handle TEXT NOT NULL,\n"
               "  handle_key TEXT NOT NULL,\n"
               "  display_name TEXT NOT NULL,\n"
               "  bio TEXT NOT NULL,\n"
               "  avatar_url TEXT,\n"
               "  links TEXT NOT NULL,\n"
               "  kind TEXT NOT NULL CHECK (kind IN ('customer', 'brand', 'creator')),\n"
               "  is_private INTEGER NOT NULL,\n"
               "  customer_id BIGINT,\n"
               "  followers_count BIGINT NOT NULL DEFAULT 0 CHECK (followers_count >= 0),\n"
               "  following_count BIGINT NOT NULL DEFAULT 0 CHECK (following_count >= 0),\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, handle_key),\n"
               "  UNIQUE (shop_id, customer_id)\n"
               ");\n"
               // id orders the follower and following lists (newest first) and is the cursor.
               "CREATE TABLE social_follows (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  follower_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  followee_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, follower_id, followee_id),\n"
               "  CHECK (follower_id <> followee_id)\n"
               ");\n"
               "CREATE INDEX social_follows_followee ON social_follows (shop_id, followee_id, id);\n"
               "CREATE INDEX social_follows_follower ON social_follows (shop_id, follower_id, id);\n"
               "CREATE TABLE social_follow_requests (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  requester_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  target_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, requester_id, target_id)\n"
               ");\n"
               "CREATE INDEX social_follow_requests_target ON social_follow_requests (shop_id, target_id, id);\n"
               "CREATE TABLE social_blocks (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  blocker_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  blocked_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, blocker_id, blocked_id)\n"
               ");\n"
               "CREATE TABLE social_mutes (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  muter_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  muted_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, muter_id, muted_id)\n"
               ");\n"},
          }};
}

}  // namespace plaza::social
