#include "plaza/media/media.h"

#include <algorithm>
#include <charconv>

#include "image.h"
#include "plaza/core/crypto.h"
#include "plaza/core/text.h"

namespace plaza::media {
namespace {

constexpr std::string_view kAssetColumns =
    "id, shop_id, uploader_profile_id, width, height, renditions, alt, created_at, path_token, storage_key";

std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
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

}  // namespace

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

std::string MediaPath(const MediaAsset& asset, int width) {
  return "/api/v1/shops/" + std::to_string(asset.shop_id) + "/media/" + std::to_string(asset.id) + "/" +
         asset.path_token + "/" + std::to_string(width) + ".webp";
}

}  // namespace plaza::media
