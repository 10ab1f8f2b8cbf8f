#include "assets.h"

#include <cstdlib>

namespace plaza::web {

std::optional<Asset> FindAsset(std::string_view name) {
  for (const Asset& asset : EmbeddedAssets()) {
    if (asset.name == name) return asset;
  }
  return std::nullopt;
}

std::string AssetUrl(std::string_view name) {
  const std::optional<Asset> asset = FindAsset(name);
  // A page naming an asset that is not in web/assets/ is a build mistake, not input.
  if (!asset) std::abort();
  return "/assets/" + std::string(name) + "?v=" + std::string(asset->version);
}

}  // namespace plaza::web
