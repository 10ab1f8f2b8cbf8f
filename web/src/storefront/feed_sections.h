#pragma once
// The parts of the community feeds that other storefront pages show (feed_pages.cpp):
// the header's community links with the unread notification count, the purchase-sharing
// choice on /account, and the product page's "From the community" section with the
// social-proof line.

#include <cstdint>
#include <string_view>

#include "../html.h"
#include "plaza/core/result.h"
#include "plaza/http/request.h"
#include "plaza/web/pages.h"
#include "visit.h"

namespace plaza::web::storefront {

// Links to /feed, /groups and /ideas, and for a signed-in customer /account/notifications
// with the number of unread notifications.
Trusted CommunityLinks(const PageServices& services, const Visit& visit);

// The /account section where a signed-in customer chooses whether the profiles following
// them may see what they bought; a customer without a community profile is sent to
// create one first. `request` carries the notice after saving (?sharing=on|off).
Trusted PurchaseSharingSection(const PageServices& services, const Visit& visit, const http::Request& request);

// "N people you follow bought this" (opted-in buyers only) and the posts tagging the
// product, newest first, paged with ?community_after= on the product page
// /products/{product_handle}.
Result<Trusted> CommunitySection(const PageServices& services, const Visit& visit, const http::Request& request,
                                 std::int64_t product_id, std::string_view product_handle);

}  // namespace plaza::web::storefront
