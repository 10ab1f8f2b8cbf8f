#include "plaza/reviews/migrations.h"

namespace plaza::reviews {

store::MigrationSet ReviewsMigrations() {
  return {"reviews",
          {
              {1, "reviews, ratings, review requests and product questions",
               // One review per author and product: submitting again edits it. product_id,
               // variant_id, order_id and the profile ids point into other modules by id
               // only (no foreign keys across modules). media_ids and signals are lists
               // joined by '\n'. The reply columns are NULL until staff reply.
               "CREATE TABLE reviews_reviews (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  product_id BIGINT NOT NULL,\n"
               "  variant_id BIGINT,\n"
               "  author_profile_id BIGINT NOT NULL,\n"
               "  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),\n"
               "  title TEXT NOT NULL,\n"
               "  body TEXT NOT NULL,\n"
               "  media_ids TEXT NOT NULL,\n"
               "  incentivised INTEGER NOT NULL CHECK (incentivised IN (0, 1)),\n"
               "  verified_buyer INTEGER NOT NULL CHECK (verified_buyer IN (0, 1)),\n"
               "  order_id BIGINT,\n"
               "  visibility TEXT NOT NULL CHECK (visibility IN ('visible', 'held', 'hidden', 'removed')),\n"
               "  signals TEXT NOT NULL,\n"
               "  reply_text TEXT,\n"
               "  reply_staff TEXT,\n"
               "  replied_at BIGINT,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL,\n"
               "  UNIQUE (shop_id, product_id, author_profile_id)\n"
               ");\n"
               "CREATE INDEX reviews_reviews_product ON reviews_reviews (shop_id, product_id, visibility, id);\n"
               "CREATE INDEX reviews_reviews_recent ON reviews_reviews (shop_id, product_id, created_at);\n"
               // The ratings of visible reviews: variant_id 0 is the whole product. Rows
               // change in the transaction that changes a review, so they always agree.
               "CREATE TABLE reviews_ratings (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  product_id BIGINT NOT NULL,\n"
               "  variant_id BIGINT NOT NULL,\n"
               "  review_count BIGINT NOT NULL CHECK (review_count >= 0),\n"
               "  rating_sum BIGINT NOT NULL CHECK (rating_sum >= 0),\n"
               "  stars_1 BIGINT NOT NULL CHECK (stars_1 >= 0),\n"
               "  stars_2 BIGINT NOT NULL CHECK (stars_2 >= 0),\n"
               "  stars_3 BIGINT NOT NULL CHECK (stars_3 >= 0),\n"
               "  stars_4 BIGINT NOT NULL CHECK (stars_4 >= 0),\n"
               "  stars_5 BIGINT NOT NULL CHECK (stars_5 >= 0),\n"
               "  PRIMARY KEY (shop_id, product_id, variant_id)\n"
               ");\n"
               // One review request per delivered order, however often the dispatcher
               // hands its order.delivered event out.
               "CREATE TABLE reviews_requests (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  order_id BIGINT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, order_id)\n"
               ");\n"
               // answer_count counts visible answers, so "unanswered" is one comparison.
               "CREATE TABLE reviews_questions (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  product_id BIGINT NOT NULL,\n"
               "  author_profile_id BIGINT NOT NULL,\n"
               "  body TEXT NOT NULL,\n"
               "  visibility TEXT NOT NULL CHECK (visibility IN ('visible', 'held', 'hidden', 'removed')),\n"
               "  upvotes BIGINT NOT NULL DEFAULT 0 CHECK (upvotes >= 0),\n"
               "  answer_count BIGINT NOT NULL DEFAULT 0 CHECK (answer_count >= 0),\n"
               "  accepted_answer_id BIGINT,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  updated_at BIGINT NOT NULL\n"
               ");\n"
               "CREATE INDEX reviews_questions_product ON reviews_questions (shop_id, product_id, id);\n"
               "CREATE INDEX reviews_questions_unanswered ON reviews_questions (shop_id, answer_count, id);\n"
               // A staff answer has no author profile: it speaks for the brand, and staff_actor
               // records who wrote it.
               "CREATE TABLE reviews_answers (\n"
               "  id {{pk}},\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  question_id BIGINT NOT NULL REFERENCES reviews_questions (id),\n"
               "  author_profile_id BIGINT,\n"
               "  staff_actor TEXT,\n"
               "  verified_owner INTEGER NOT NULL CHECK (verified_owner IN (0, 1)),\n"
               "  body TEXT NOT NULL,\n"
               "  visibility TEXT NOT NULL CHECK (visibility IN ('visible', 'held', 'hidden', 'removed')),\n"
               "  upvotes BIGINT NOT NULL DEFAULT 0 CHECK (upvotes >= 0),\n"
               "  created_at BIGINT NOT NULL,\n"
               "  CHECK ((author_profile_id IS NULL) <> (staff_actor IS NULL))\n"
               ");\n"
               "CREATE INDEX reviews_answers_question ON reviews_answers (shop_id, question_id, id);\n"
               "CREATE TABLE reviews_votes (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  target_kind TEXT NOT NULL CHECK (target_kind IN ('question', 'answer')),\n"
               "  target_id BIGINT NOT NULL,\n"
               "  profile_id BIGINT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, target_kind, target_id, profile_id)\n"
               ");\n"},
              {2, "review-request e-mails and the customers who turned them off",
               // One e-mail per delivered order, however often review.requested arrives.
               "CREATE TABLE reviews_request_mails (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  order_id BIGINT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, order_id)\n"
               ");\n"
               // A customer listed here receives no e-mails asking for reviews.
               "CREATE TABLE reviews_email_optouts (\n"
               "  shop_id BIGINT NOT NULL,\n"
               "  customer_id BIGINT NOT NULL,\n"
               "  created_at BIGINT NOT NULL,\n"
               "  PRIMARY KEY (shop_id, customer_id)\n"
               ");\n"},
          }};
}

}  // namespace plaza::reviews
