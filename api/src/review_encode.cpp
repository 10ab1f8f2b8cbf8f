#include "review_encode.h"

#include "plaza/media/media.h"

namespace plaza::api {
namespace {

boost::json::object EncodeImage(const media::MediaAsset& asset) {
  boost::json::array renditions;
  for (const media::Rendition& rendition : asset.renditions) {
    renditions.push_back(boost::json::object{
        {"width", rendition.width}, {"height", rendition.height}, {"url", media::MediaPath(asset, rendition.width)}});
  }
  return {{"id", asset.id},
          {"width", asset.width},
          {"height", asset.height},
          {"alt", asset.alt},
          {"renditions", std::move(renditions)}};
}

boost::json::value OptionalId(const std::optional<std::int64_t>& id) {
  return id ? boost::json::value(*id) : boost::json::value(nullptr);
}

}  // namespace

Result<boost::json::object> EncodeReview(const ApiServices& services, std::int64_t shop_id,
                                         const reviews::Review& review, bool for_staff) {
  boost::json::array photos;
  for (const std::int64_t media_id : review.media_ids) {
    auto asset = services.media.Get(shop_id, media_id);
    // A photo deleted since the review was written is left out rather than failing the page.
    if (!asset.ok() && asset.error().code == ErrorCode::kNotFound) continue;
    if (!asset.ok()) return std::move(asset).error();
    photos.emplace_back(EncodeImage(*asset));
  }
  boost::json::object out{{"id", review.id},
                          {"product_id", review.product_id},
                          {"variant_id", OptionalId(review.variant_id)},
                          {"author_profile_id", review.author_profile_id},
                          {"rating", review.rating},
                          {"title", review.title},
                          {"body", review.body},
                          {"photos", std::move(photos)},
                          {"incentivised", review.incentivised},
                          {"verified_buyer", review.verified_buyer},
                          {"created_at", FormatRfc3339(review.created_at)},
                          {"updated_at", FormatRfc3339(review.updated_at)}};
  if (review.reply) {
    boost::json::object reply{{"text", review.reply->text}, {"replied_at", FormatRfc3339(review.reply->replied_at)}};
    if (for_staff) reply["staff"] = review.reply->staff;
    out["reply"] = std::move(reply);
  } else {
    out["reply"] = nullptr;
  }
  out["visibility"] = reviews::VisibilityName(review.visibility);
  if (for_staff) {
    out["order_id"] = OptionalId(review.order_id);
    out["signals"] = boost::json::array(review.signals.begin(), review.signals.end());
  }
  return out;
}

boost::json::object EncodeRating(const reviews::RatingSummary& rating) {
  boost::json::object histogram;
  for (std::size_t stars = 0; stars < rating.histogram.size(); ++stars) {
    histogram[std::to_string(stars + 1)] = rating.histogram[stars];
  }
  boost::json::object out{{"product_id", rating.product_id},
                          {"variant_id", OptionalId(rating.variant_id)},
                          {"count", rating.count},
                          {"average_tenths", rating.average_tenths},
                          {"histogram", std::move(histogram)}};
  out["average"] = rating.count == 0 ? boost::json::value(nullptr)
                                     : boost::json::value(std::to_string(rating.average_tenths / 10) + "." +
                                                          std::to_string(rating.average_tenths % 10));
  return out;
}

boost::json::object EncodeAnswer(const reviews::Answer& answer) {
  return {{"id", answer.id},
          {"question_id", answer.question_id},
          {"author_profile_id", OptionalId(answer.author_profile_id)},
          {"by_brand", answer.by_brand},
          {"verified_owner", answer.verified_owner},
          {"text", answer.text},
          {"visibility", reviews::VisibilityName(answer.visibility)},
          {"upvotes", answer.upvotes},
          {"created_at", FormatRfc3339(answer.created_at)}};
}

boost::json::object EncodeQuestion(const reviews::Question& question) {
  boost::json::array answers;
  for (const reviews::Answer& answer : question.answers) answers.emplace_back(EncodeAnswer(answer));
  return {{"id", question.id},
          {"product_id", question.product_id},
          {"author_profile_id", question.author_profile_id},
          {"text", question.text},
          {"visibility", reviews::VisibilityName(question.visibility)},
          {"upvotes", question.upvotes},
          {"answer_count", question.answer_count},
          {"accepted_answer_id", OptionalId(question.accepted_answer_id)},
          {"answers", std::move(answers)},
          {"created_at", FormatRfc3339(question.created_at)}};
}

}  // namespace plaza::api
