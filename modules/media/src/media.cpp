#include "plaza/media/media.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <unordered_set>

#include "image.h"
#include "plaza/core/crypto.h"
#include "plaza/core/text.h"

namespace plaza::media {
namespace {

constexpr std::string_view kAssetColumns =
    "id, shop_id, uploader_profile_id, width, height, renditions, alt, created_at, path_token, storage_key";

// Assets one sweep transaction looks at: few enough that the referrers' IN lists and the
// transaction stay small.
constexpr std::int64_t kSweepBatch = 500;

template <typename Int>
std::optional<Int> ParseNumber(std::string_view text) {
  Int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<int> ParseInt(std::string_view text) {
  return ParseNumber<int>(text);
}

std::string FormatRenditions(const std::vector<Rendition>& renditions) {
  std::string out;
  for (const Rendition& rendition : renditions) {
    if (!out.empty()) out += ',';
    out += std::to_string(rendition.width) + "x" + std::to_string(rendition.height);
  }
  return out;
}

std::vector<Rendition> ParseRenditions(std::string_view text) {
  std::vector<Rendition> renditions;
  while (!text.empty()) {
    const std::size_t comma = std::min(text.find(','), text.size());
    const std::string_view item = text.substr(0, comma);
    const std::size_t x = item.find('x');
    if (x != std::string_view::npos) {
      const auto width = ParseInt(item.substr(0, x));
      const auto height = ParseInt(item.substr(x + 1));
      if (width && height) renditions.push_back({*width, *height});
    }
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
  return renditions;
}

struct StoredAsset {
  MediaAsset asset;
  std::string storage_key;
};

StoredAsset ReadAsset(const store::Row& row) {
  StoredAsset stored;
  MediaAsset& asset = stored.asset;
  asset.id = row.Int(0);
  asset.shop_id = row.Int(1);
  asset.uploader_profile_id = row.OptionalInt(2);
  asset.width = static_cast<int>(row.Int(3));
  asset.height = static_cast<int>(row.Int(4));
  asset.renditions = ParseRenditions(row.Text(5));
  asset.alt = row.Text(6);
  asset.created_at = FromUnixMillis(row.Int(7));
  asset.path_token = row.Text(8);
  stored.storage_key = row.Text(9);
  return stored;
}

Result<StoredAsset> LoadAsset(store::Transaction& tx, std::int64_t shop_id, std::int64_t media_id) {
  PLAZA_ASSIGN_OR_RETURN(
      auto row, tx.QueryOne("SELECT " + std::string(kAssetColumns) + " FROM media_assets WHERE shop_id = ? AND id = ?",
                            {shop_id, media_id}));
  if (!row) return Error::NotFound("no such image");
  return ReadAsset(*row);
}

std::string ObjectKey(std::string_view storage_key, int width) {
  return std::string(storage_key) + "/" + std::to_string(width) + ".webp";
}

Status ValidateAlt(std::string_view alt) {
  if (!text::IsValidUtf8(alt)) return Error::Invalid("validation/utf8", "the alt text is not valid UTF-8", "/alt");
  const std::size_t length = text::CodePointCount(alt);
  if (length > kMaxAltLength) {
    return Error::Invalid("validation/too-long",
                          "the alt text is " + std::to_string(length) + " characters long; at most " +
                              std::to_string(kMaxAltLength) + " are allowed",
                          "/alt");
  }
  return Ok();
}

std::vector<store::Param> IdParams(std::int64_t shop_id, const std::vector<std::int64_t>& ids) {
  std::vector<store::Param> params{shop_id};
  params.insert(params.end(), ids.begin(), ids.end());
  return params;
}

}  // namespace

struct MediaService::Batch {
  std::int64_t candidates = 0;  // assets the batch looked at
  std::int64_t last_id = 0;     // the last of them, where the next batch starts
  std::int64_t assets = 0;      // removed
  std::int64_t bytes = 0;
};

MediaService::MediaService(store::Database& db, const Clock& clock, MediaStore& store, ImageLimits limits)
    : db_(db), clock_(clock), store_(store), limits_(limits) {
  InitMedia();
}

Result<MediaAsset> MediaService::Upload(std::int64_t shop_id, const NewUpload& upload) {
  auto assets = UploadAll(shop_id, {upload});
  if (!assets.ok()) {
    Error error = assets.error();
    error.field = error.field.substr(std::min(error.field.size(), std::string_view("/0").size()));
    return error;
  }
  return std::move(assets->front());
}

Result<std::vector<MediaAsset>> MediaService::UploadAll(std::int64_t shop_id, const std::vector<NewUpload>& uploads) {
  struct Pending {
    MediaAsset asset;
    std::string storage_key;
    std::vector<EncodedRendition> encoded;
    std::int64_t byte_size = 0;
  };
  std::vector<Pending> pending;
  pending.reserve(uploads.size());
  for (std::size_t index = 0; index < uploads.size(); ++index) {
    const NewUpload& upload = uploads[index];
    auto encoded = [&]() -> Result<std::vector<EncodedRendition>> {
      PLAZA_TRY(ValidateAlt(upload.alt));
      return ProcessImage(upload.bytes, limits_);
    }();
    if (!encoded.ok()) {
      Error error = encoded.error();
      error.field = "/" + std::to_string(index) + error.field;
      return error;
    }
    Pending item;
    item.encoded = std::move(*encoded);
    // Random names, unrelated to anything the uploader chose. The shop's id first keeps
    // one shop's files together, for backups and for removing a shop.
    item.storage_key = std::to_string(shop_id) + "/" + text::HexEncode(crypto::RandomBytes(16));
    item.asset.shop_id = shop_id;
    item.asset.uploader_profile_id = upload.uploader_profile_id;
    item.asset.alt = upload.alt;
    item.asset.path_token = text::HexEncode(crypto::RandomBytes(12));
    for (const EncodedRendition& rendition : item.encoded) {
      item.asset.renditions.push_back({rendition.width, rendition.height});
      item.byte_size += static_cast<std::int64_t>(rendition.webp.size());
    }
    item.asset.width = item.asset.renditions.back().width;
    item.asset.height = item.asset.renditions.back().height;
    pending.push_back(std::move(item));
  }

  // The files go first: a row always names files that exist. When a write or the insert
  // fails, the files written so far are removed again.
  std::vector<std::string> written;
  auto remove_written = [&] {
    for (const std::string& key : written) {
      // Best effort: the upload already failed, and an unreferenced file harms nothing.
      (void)store_.Delete(key);
    }
  };
  for (const Pending& item : pending) {
    for (const EncodedRendition& rendition : item.encoded) {
      std::string key = ObjectKey(item.storage_key, rendition.width);
      const Status put = store_.Put(key, rendition.webp);
      if (!put.ok()) {
        remove_written();
        return put.error();
      }
      written.push_back(std::move(key));
    }
  }
  const TimePoint now = clock_.Now();
  auto inserted = db_.Write([&](store::Transaction& tx) -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> ids;
    for (const Pending& item : pending) {
      const MediaAsset& asset = item.asset;
      PLAZA_ASSIGN_OR_RETURN(
          auto row,
          tx.QueryOne(
              "INSERT INTO media_assets (shop_id, uploader_profile_id, width, height, renditions, alt, "
              "storage_key, path_token, byte_size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              {shop_id, asset.uploader_profile_id, asset.width, asset.height, FormatRenditions(asset.renditions),
               asset.alt, item.storage_key, asset.path_token, item.byte_size, ToUnixMillis(now)}));
      ids.push_back(row->Int(0));
    }
    return ids;
  });
  if (!inserted.ok()) {
    remove_written();
    return inserted.error();
  }
  std::vector<MediaAsset> assets;
  assets.reserve(pending.size());
  for (std::size_t i = 0; i < pending.size(); ++i) {
    pending[i].asset.id = (*inserted)[i];
    pending[i].asset.created_at = now;
    assets.push_back(std::move(pending[i].asset));
  }
  return assets;
}

Result<MediaAsset> MediaService::Get(std::int64_t shop_id, std::int64_t media_id) {
  return db_.Read([&](store::Transaction& tx) { return Get(tx, shop_id, media_id); });
}

Result<MediaAsset> MediaService::Get(store::Transaction& tx, std::int64_t shop_id, std::int64_t media_id) {
  PLAZA_ASSIGN_OR_RETURN(StoredAsset stored, LoadAsset(tx, shop_id, media_id));
  return std::move(stored.asset);
}

Result<std::vector<MediaAsset>> MediaService::GetOwned(store::Transaction& tx, std::int64_t shop_id,
                                                       const std::vector<std::int64_t>& media_ids,
                                                       std::int64_t uploader_profile_id, const std::string& field) {
  std::vector<MediaAsset> assets;
  assets.reserve(media_ids.size());
  for (std::size_t i = 0; i < media_ids.size(); ++i) {
    auto loaded = LoadAsset(tx, shop_id, media_ids[i]);
    if (!loaded.ok() && loaded.error().code != ErrorCode::kNotFound) return loaded.error();
    if (!loaded.ok() || loaded->asset.uploader_profile_id != uploader_profile_id) {
      return Error::Invalid("media/not-found", "image " + std::to_string(media_ids[i]) + " is not one of your uploads",
                            field + "/" + std::to_string(i));
    }
    assets.push_back(std::move(loaded->asset));
  }
  return assets;
}

Result<RenditionFile> MediaService::OpenRendition(std::int64_t shop_id, std::int64_t media_id,
                                                  std::string_view path_token, int width) {
  PLAZA_ASSIGN_OR_RETURN(StoredAsset stored,
                         db_.Read([&](store::Transaction& tx) { return LoadAsset(tx, shop_id, media_id); }));
  if (!crypto::ConstantTimeEquals(path_token, stored.asset.path_token)) return Error::NotFound("no such image");
  const bool has_width = std::ranges::any_of(stored.asset.renditions,
                                             [&](const Rendition& rendition) { return rendition.width == width; });
  if (!has_width) return Error::NotFound("no rendition of this image at that width");
  PLAZA_ASSIGN_OR_RETURN(std::string bytes, store_.Get(ObjectKey(stored.storage_key, width)));
  return RenditionFile{"image/webp", std::move(bytes)};
}

void MediaService::RegisterReferrer(MediaReferrer& referrer) {
  referrers_.push_back(&referrer);
}

Result<SweepResult> MediaService::SweepOrphans(std::optional<std::int64_t> shop_id,
                                               std::chrono::milliseconds older_than) {
  if (older_than < kMinOrphanGrace) {
    return Error::Invalid("media/grace-too-short",
                          "orphaned uploads are kept at least " + std::to_string(kMinOrphanGrace.count()) +
                              " hour, so a photo is never taken from a form being sent",
                          "/older_than");
  }
  if (referrers_.empty()) {
    Error error = Error::Internal("no module has said which images it uses, so every upload would look orphaned");
    error.type = "media/no-referrers";
    return error;
  }
  std::vector<std::int64_t> shops;
  if (shop_id) {
    shops.push_back(*shop_id);
  } else {
    // The maintenance pass over every tenant: the one query not scoped to a shop.
    PLAZA_ASSIGN_OR_RETURN(auto rows, db_.Read([&](store::Transaction& tx) {
      return tx.Execute("SELECT shop_id FROM media_assets UNION SELECT shop_id FROM media_deletions ORDER BY shop_id");
    }));
    for (const store::Row& row : rows.rows) shops.push_back(row.Int(0));
  }
  const TimePoint cutoff = clock_.Now() - older_than;
  SweepResult result;
  for (const std::int64_t shop : shops) {
    // Files a previous sweep could not delete go first.
    PLAZA_TRY(DeleteListedFiles(shop));
    std::int64_t after_id = 0;
    for (;;) {
      PLAZA_ASSIGN_OR_RETURN(const Batch batch, SweepBatch(shop, after_id, cutoff));
      result.assets += batch.assets;
      result.bytes += batch.bytes;
      if (batch.assets > 0) PLAZA_TRY(DeleteListedFiles(shop));
      if (batch.candidates < kSweepBatch) break;
      after_id = batch.last_id;
    }
    PLAZA_ASSIGN_OR_RETURN(auto left, db_.Read([&](store::Transaction& tx) {
      return tx.QueryOne("SELECT COUNT(*) FROM media_deletions WHERE shop_id = ?", {shop});
    }));
    result.files_left += left->Int(0);
  }
  return result;
}

Result<MediaService::Batch> MediaService::SweepBatch(std::int64_t shop_id, std::int64_t after_id, TimePoint cutoff) {
  const TimePoint now = clock_.Now();
  return db_.Write([&](store::Transaction& tx) -> Result<Batch> {
    Batch batch;
    // Staff uploads (no uploader profile) are never candidates: see SweepOrphans.
    PLAZA_ASSIGN_OR_RETURN(
        auto rows, tx.Execute("SELECT id, storage_key, renditions, byte_size FROM media_assets WHERE shop_id = ? AND "
                              "id > ? AND created_at < ? AND uploader_profile_id IS NOT NULL ORDER BY id LIMIT ?",
                              {shop_id, after_id, ToUnixMillis(cutoff), kSweepBatch}));
    batch.candidates = static_cast<std::int64_t>(rows.rows.size());
    if (rows.rows.empty()) return batch;
    batch.last_id = rows.rows.back().Int(0);
    std::vector<std::int64_t> candidates;
    candidates.reserve(rows.rows.size());
    for (const store::Row& row : rows.rows) candidates.push_back(row.Int(0));
    std::unordered_set<std::int64_t> used;
    for (MediaReferrer* referrer : referrers_) {
      PLAZA_ASSIGN_OR_RETURN(const std::vector<std::int64_t> in_use, referrer->InUse(tx, shop_id, candidates));
      used.insert(in_use.begin(), in_use.end());
    }
    std::vector<std::int64_t> orphans;
    for (const store::Row& row : rows.rows) {
      const std::int64_t id = row.Int(0);
      if (used.contains(id)) continue;
      orphans.push_back(id);
      batch.bytes += row.Int(3);
      for (const Rendition& rendition : ParseRenditions(row.Text(2))) {
        PLAZA_TRY(tx.Execute("INSERT INTO media_deletions (shop_id, object_key, created_at) VALUES (?, ?, ?)",
                             {shop_id, ObjectKey(row.Text(1), rendition.width), ToUnixMillis(now)}));
      }
    }
    if (orphans.empty()) return batch;
    PLAZA_ASSIGN_OR_RETURN(auto deleted, tx.Execute("DELETE FROM media_assets WHERE shop_id = ? AND id IN (" +
                                                        store::Placeholders(orphans.size()) + ")",
                                                    IdParams(shop_id, orphans)));
    batch.assets = deleted.affected_rows;
    return batch;
  });
}

Status MediaService::DeleteListedFiles(std::int64_t shop_id) {
  std::int64_t after_id = 0;
  for (;;) {
    PLAZA_ASSIGN_OR_RETURN(auto listed, db_.Read([&](store::Transaction& tx) {
      return tx.Execute("SELECT id, object_key FROM media_deletions WHERE shop_id = ? AND id > ? ORDER BY id LIMIT ?",
                        {shop_id, after_id, kSweepBatch});
    }));
    if (listed.rows.empty()) return Ok();
    std::vector<std::int64_t> done;
    for (const store::Row& row : listed.rows) {
      const std::string key = row.Text(1);
      const Status removed = store_.Delete(key);
      if (removed.ok()) {
        done.push_back(row.Int(0));
      } else {
        spdlog::warn("media: the orphaned file {} of shop {} could not be deleted, the next sweep tries again: {}", key,
                     shop_id, removed.error().detail);
      }
    }
    after_id = listed.rows.back().Int(0);
    if (!done.empty()) {
      PLAZA_TRY(db_.Write([&](store::Transaction& tx) -> Status {
        PLAZA_TRY(tx.Execute(
            "DELETE FROM media_deletions WHERE shop_id = ? AND id IN (" + store::Placeholders(done.size()) + ")",
            IdParams(shop_id, done)));
        return Ok();
      }));
    }
    if (static_cast<std::int64_t>(listed.rows.size()) < kSweepBatch) return Ok();
  }
}

std::optional<std::int64_t> MediaIdInUrl(std::string_view url, std::int64_t shop_id) {
  // The path begins after the scheme and host of an absolute URL.
  if (const std::size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    const std::size_t path = url.find('/', scheme + 3);
    if (path == std::string_view::npos) return std::nullopt;
    url.remove_prefix(path);
  }
  const std::string prefix = "/api/v1/shops/" + std::to_string(shop_id) + "/media/";
  if (!url.starts_with(prefix)) return std::nullopt;
  url.remove_prefix(prefix.size());
  const std::size_t slash = url.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto id = ParseNumber<std::int64_t>(url.substr(0, slash));
  if (!id || *id <= 0) return std::nullopt;
  return id;
}

std::string MediaPath(const MediaAsset& asset, int width) {
  return "/api/v1/shops/" + std::to_string(asset.shop_id) + "/media/" + std::to_string(asset.id) + "/" +
         asset.path_token + "/" + std::to_string(width) + ".webp";
}

}  // namespace plaza::media
