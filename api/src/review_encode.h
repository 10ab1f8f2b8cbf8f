#pragma once
// JSON of reviews, ratings, questions and answers, shared by review_routes.cpp and
// question_routes.cpp. Texts are returned as written: clients escape them.

#include <boost/json/object.hpp>

#include "plaza/api/api.h"
#include "plaza/reviews/questions.h"
#include "plaza/reviews/reviews.h"

namespace plaza::api {

// A review with its photos as images ({id, width, height, alt, renditions}). Staff also
// see the fake-review signals, the visibility and who replied.
Result<boost::json::object> EncodeReview(const ApiServices& services, std::int64_t shop_id,
                                         const reviews::Review& review, bool for_staff);
// {count, average_tenths, average (a decimal string such as "4.3", null without reviews),
// histogram {"1".."5"}}.
boost::json::object EncodeRating(const reviews::RatingSummary& rating);
boost::json::object EncodeAnswer(const reviews::Answer& answer);
boost::json::object EncodeQuestion(const reviews::Question& question);

}  // namespace plaza::api
