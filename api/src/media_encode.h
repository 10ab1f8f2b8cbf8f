#pragma once
// The one JSON shape of an image in every API answer (posts, reviews, avatars, uploads):
// { "id", "width", "height", "alt", "renditions": [{ "width", "height", "url" }] }, the
// renditions ascending by width and each url a path on this server (media::MediaPath).

#include <boost/json/object.hpp>

#include "plaza/media/media.h"

namespace plaza::api {

boost::json::object EncodeMedia(const media::MediaAsset& asset);

}  // namespace plaza::api
