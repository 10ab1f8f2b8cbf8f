#include "plaza/media/migrations.h"

namespace plaza::media {

store::MigrationSet MediaMigrations() {
  return {"media",
          {
              {1, "media assets",
               // storage_key names the asset's objects in the MediaStore ("<key>/<width>.webp")
               // and path_token is part of its public URLs; both are random, never taken
               // from the upload. renditions lists "<width>x<height>" pairs, ascending and
               // separated by ',', which is all a reader needs to link them.
               // uploader_profile_id links to social by id only (no foreign key across
               // modules); NULL for staff uploads.
               "CREATE TABLE media_assets (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  uploader_profile_id BIGINT,\n"
               "  width INTEGER NOT NULL CHECK (width > 0),\n"
               "  height INTEGER NOT NULL CHECK (height > 0),\n"
               "  renditions TEXT NOT NULL,\n"
               "  alt TEXT NOT NULL,\n"
               "  storage_key TEXT NOT NULL,\n"
               "  path_token TEXT NOT NULL,\n"
               "  byte_size BIGINT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  UNIQUE (storage_key)\n"
               ");\n"
               "CREATE INDEX media_assets_uploader ON media_assets (shop_id, uploader_profile_id, id);\n"},
              {2, "orphan sweep",
               // The files of assets whose rows the sweep removed, until they are deleted:
               // written in the transaction that removes the rows, so a file whose
               // deletion fails (or a crash before it) is tried again by the next sweep.
               "CREATE TABLE media_deletions (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  object_key TEXT NOT NULL,\n"
               "  created_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE INDEX media_deletions_shop ON media_deletions (shop_id, id);\n"},
          }};
}

}  // namespace plaza::media
