#include "plaza/social/feeds_migrations.h"

namespace plaza::social {

store::MigrationSet SocialFeedsMigrations() {
  return {"social_feeds",
          {
              {1, "notifications and purchase sharing",
               // id orders a recipient's list (newest first) and is its cursor. actor_id has
               // no foreign key: a notification outlives nothing it names, and pages join the
               // actor's current handle. read_at is NULL while unread; the partial index keeps
               // the unread count a short range scan however long the history grows.
               "CREATE TABLE social_notifications (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  recipient_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  kind TEXT NOT NULL,\n"
               "  actor_id BIGINT,\n"
               "  subject_kind TEXT NOT NULL,\n"
               "  subject_id BIGINT NOT NULL,\n"
               "  body TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  read_at BIGINT\n"
               ");\n"
               "CREATE INDEX social_notifications_recipient ON social_notifications (shop_id, recipient_id, id);\n"
               "CREATE INDEX social_notifications_unread ON social_notifications (shop_id, recipient_id)"
               " WHERE read_at IS NULL;\n"
               // One row per profile that opted in to show its purchases to its followers;
               // no row means not shared, the default.
               "CREATE TABLE social_purchase_sharing (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  profile_id BIGINT NOT NULL REFERENCES social_profiles (id) ON DELETE CASCADE,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, profile_id)\n"
               ");\n"},
              {2, "discovery candidates by time",
               // Discovery reads the newest posts of its time window. Walking the id order
               // instead, a shop whose last posts are older than the window scanned every
               // post to find none (650 ms at 1,000,000 posts); this index bounds the scan
               // to the window.
               "CREATE INDEX social_posts_created ON social_posts (shop_id, created_at, id);\n"},
              {3, "timeline candidates without the table",
               // The timeline reads every visible post of each followed author and keeps
               // those outside groups. With visibility in the predicate and group_id and
               // visibility as columns (SQLite counts a partial index as covering only
               // when its predicate's columns are in it), both engines answer from the
               // index alone instead of fetching ~600 scattered table pages a first page.
               "CREATE INDEX social_posts_timeline ON social_posts (shop_id, author_id, id, group_id, visibility) "
               "WHERE visibility = 'visible';\n"},
          }};
}

}  // namespace plaza::social
