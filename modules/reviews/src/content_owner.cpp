#include "plaza/reviews/content_owner.h"

namespace plaza::reviews {
namespace {

// Moderators read the excerpt in the queue; a whole review would crowd it.
constexpr std::size_t kExcerptBytes = 280;

std::string Excerpt(std::string_view text) {
  if (text.size() <= kExcerptBytes) return std::string(text);
  std::size_t end = kExcerptBytes;
  // Back up to a code point boundary so the excerpt stays valid UTF-8.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "…";
}

Error NotOurs() {
  Error error = Error::NotFound("no such content");
  error.type = "reviews/not-found";
  return error;
}

}  // namespace

void ReviewContentOwner::RegisterWith(moderation::ModerationService& moderation) {
  for (const moderation::ContentKind kind :
       {moderation::ContentKind::kReview, moderation::ContentKind::kQuestion, moderation::ContentKind::kAnswer}) {
    moderation.RegisterOwner(kind, *this);
  }
}

Result<moderation::ContentSummary> ReviewContentOwner::Describe(store::Transaction& tx, std::int64_t shop_id,
                                                                moderation::ContentRef ref) {
  switch (ref.kind) {
    case moderation::ContentKind::kReview: {
      PLAZA_ASSIGN_OR_RETURN(const Review review, reviews_.LoadReview(tx, shop_id, ref.id));
      const std::string text = review.title.empty() ? review.body : review.title + "\n" + review.body;
      return moderation::ContentSummary{.author_profile_id = review.author_profile_id,
                                        .excerpt = std::to_string(review.rating) + "/5: " + Excerpt(text),
                                        .visibility = review.visibility,
                                        .created_at = review.created_at};
    }
    case moderation::ContentKind::kQuestion: {
      PLAZA_ASSIGN_OR_RETURN(const Question question, questions_.LoadQuestion(tx, shop_id, ref.id));
      return moderation::ContentSummary{.author_profile_id = question.author_profile_id,
                                        .excerpt = Excerpt(question.text),
                                        .visibility = question.visibility,
                                        .created_at = question.created_at};
    }
    case moderation::ContentKind::kAnswer: {
      PLAZA_ASSIGN_OR_RETURN(const Answer answer, questions_.LoadAnswer(tx, shop_id, ref.id));
      // A staff answer has no author profile; moderation then has nobody to warn or ban.
      return moderation::ContentSummary{.author_profile_id = answer.author_profile_id.value_or(0),
                                        .excerpt = Excerpt(answer.text),
                                        .visibility = answer.visibility,
                                        .created_at = answer.created_at};
    }
    default:
      return NotOurs();
  }
}

Status ReviewContentOwner::SetVisibility(store::Transaction& tx, std::int64_t shop_id, moderation::ContentRef ref,
                                         moderation::Visibility visibility) {
  switch (ref.kind) {
    case moderation::ContentKind::kReview:
      return reviews_.SetVisibility(tx, shop_id, ref.id, visibility);
    case moderation::ContentKind::kQuestion:
      return questions_.SetQuestionVisibility(tx, shop_id, ref.id, visibility);
    case moderation::ContentKind::kAnswer:
      return questions_.SetAnswerVisibility(tx, shop_id, ref.id, visibility);
    default:
      return NotOurs();
  }
}

}  // namespace plaza::reviews
