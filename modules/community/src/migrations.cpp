#include "plaza/community/migrations.h"

namespace plaza::community {

store::MigrationSet CommunityMigrations() {
  return {"community",
          {
              {1, "groups, members, join requests, invitations, pins; ideas and supports",
               // handle_key is the lower-case handle, the one uniqueness and look-ups use. The
               // VIP columns are all NULL for an ordinary group; vip_tag and vip_min_orders are
               // the two alternative rules. Profile ids refer to social_profiles by id only (no
               // foreign key across modules). members_count is maintained in the transaction that
               // changes community_members.
               "CREATE TABLE community_groups (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  handle TEXT NOT NULL,\n"
               "  handle_key TEXT NOT NULL,\n"
               "  name TEXT NOT NULL,\n"
               "  description TEXT NOT NULL,\n"
               "  rules TEXT NOT NULL,\n"
               "  access TEXT NOT NULL CHECK (access IN ('public', 'private', 'invite_only')),\n"
               "  owner_profile_id BIGINT NOT NULL,\n"
               "  is_vip INTEGER NOT NULL DEFAULT 0,\n"
               "  vip_tag TEXT,\n"
               "  vip_min_orders BIGINT,\n"
               "  vip_member_tag TEXT,\n"
               "  members_count BIGINT NOT NULL DEFAULT 0 CHECK (members_count >= 0),\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, handle_key)\n"
               ");\n"
               // customer_id is copied from the member's profile on joining (a profile's owner
               // never changes), so VIP re-evaluation and member tags need no profile look-up.
               "CREATE TABLE community_members (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  group_id BIGINT NOT NULL REFERENCES community_groups (id) ON DELETE CASCADE,\n"
               "  profile_id BIGINT NOT NULL,\n"
               "  customer_id BIGINT,\n"
               "  role TEXT NOT NULL CHECK (role IN ('owner', 'moderator', 'member')),\n"
               "  joined_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, group_id, profile_id)\n"
               ");\n"
               "CREATE INDEX community_members_profile ON community_members (shop_id, profile_id, id);\n"
               "CREATE TABLE community_join_requests (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  group_id BIGINT NOT NULL REFERENCES community_groups (id) ON DELETE CASCADE,\n"
               "  profile_id BIGINT NOT NULL,\n"
               "  customer_id BIGINT,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, group_id, profile_id)\n"
               ");\n"
               "CREATE TABLE community_invitations (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  group_id BIGINT NOT NULL REFERENCES community_groups (id) ON DELETE CASCADE,\n"
               "  profile_id BIGINT NOT NULL,\n"
               "  customer_id BIGINT,\n"
               "  invited_by BIGINT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, group_id, profile_id)\n"
               ");\n"
               "CREATE INDEX community_invitations_profile ON community_invitations (shop_id, profile_id);\n"
               "CREATE TABLE community_pins (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  group_id BIGINT NOT NULL REFERENCES community_groups (id) ON DELETE CASCADE,\n"
               "  post_id BIGINT NOT NULL,\n"
               "  pinned_by BIGINT NOT NULL,\n"
               "  pinned_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, group_id, post_id)\n"
               ");\n"
               // supports_count is maintained in the
               // transaction that changes community_idea_supports, and status moves from 'open'
               // to 'review' in the same transaction that makes it reach the threshold.
               "CREATE TABLE community_ideas (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  author_profile_id BIGINT NOT NULL,\n"
               "  title TEXT NOT NULL,\n"
               "  description TEXT NOT NULL,\n"
               "  status TEXT NOT NULL CHECK (status IN ('open', 'review', 'accepted', 'declined')),\n"
               "  visibility TEXT NOT NULL CHECK (visibility IN ('visible', 'held', 'hidden', 'removed')),\n"
               "  supports_count BIGINT NOT NULL DEFAULT 0 CHECK (supports_count >= 0),\n"
               "  decline_reason TEXT,\n"
               "  product_id BIGINT,\n"
               "  decided_by TEXT,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  review_at BIGINT,\n"
               "  decided_at BIGINT,\n"
               "  updated_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE INDEX community_ideas_status ON community_ideas (shop_id, status, id);\n"
               "CREATE TABLE community_idea_supports (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  idea_id BIGINT NOT NULL REFERENCES community_ideas (id) ON DELETE CASCADE,\n"
               "  profile_id BIGINT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, idea_id, profile_id)\n"
               ");\n"
               "CREATE TABLE community_settings (\n"
               "  shop_id BIGINT PRIMARY KEY,\n"
               "  idea_support_threshold BIGINT NOT NULL CHECK (idea_support_threshold >= 1),\n"
               "  updated_at BIGINT NOT NULL\n"
               ");\n"},
              {2, "ideas ranked by support",
               "CREATE INDEX community_ideas_support ON community_ideas (shop_id, supports_count, id);\n"},
          }};
}

}  // namespace plaza::community
