#pragma once
// The reviews and the questions of a product page, and the forms they post to
// (review_pages.cpp): the product page calls ReviewSections once.

#include <cstdint>
#include <string_view>

#include "../html.h"
#include "plaza/core/result.h"
#include "plaza/http/request.h"
#include "plaza/web/pages.h"
#include "visit.h"

namespace plaza::web::storefront {

// The rating summary, the reviews (sorted and filtered by the request's ?sort= and
// ?stars=, paged with ?reviews_after=) and the questions with their answers and forms,
// for the product at `product_path` ("/products/{handle}").
Result<Trusted> ReviewSections(const PageServices& services, const Visit& visit, const http::Request& request,
                               std::int64_t product_id, std::string_view product_path);

// The /account section where a signed-in customer chooses whether a delivered order
// brings an e-mail asking for reviews (reviews::SetReviewEmails, posted to
// /account/review-emails); `request` carries the notice after saving
// (?review_emails=on|off). Empty for a visitor who is not signed in.
Trusted ReviewEmailSection(const PageServices& services, const Visit& visit, const http::Request& request);

}  // namespace plaza::web::storefront
