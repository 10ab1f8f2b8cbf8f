#include "plaza/reviews/reviews.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "plaza/reviews/review_requests.h"
#include "plaza/store/outbox.h"
#include "reviews_test_fixture.h"

namespace plaza::reviews::testing {
namespace {

using plaza::testing::BackendName;
using plaza::testing::TestBackends;

ReviewInput Stars(std::int64_t product_id, int rating, std::string body = "Fits well and the fabric is soft.") {
  return {.product_id = product_id, .rating = rating, .title = "My take", .body = std::move(body)};
}

TEST_P(ReviewsTest, VerifiedOnlyForADeliveredOrderLineOfTheSameCustomer) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile alice = MakeProfile("alice", 1);
  const social::Profile bob = MakeProfile("bob", 2);
  auto order = Buy(1, shirt.variant_ids[0], /*deliver=*/false);
  PLAZA_ASSERT_OK(order);

  auto before_delivery = reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 5));
  PLAZA_ASSERT_OK(before_delivery);
  EXPECT_FALSE(before_delivery->verified_buyer) << "paid but not delivered";
  EXPECT_FALSE(before_delivery->order_id);

  PLAZA_ASSERT_OK(orders_.Fulfil(kShop, order->id, {{order->lines[0].id, 1}}));
  auto shipped = reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 5));
  PLAZA_ASSERT_OK(shipped);
  EXPECT_FALSE(shipped->verified_buyer) << "shipped but not delivered";

  PLAZA_ASSERT_OK(orders_.MarkDelivered(kShop, order->id));
  auto stranger = reviews_.SubmitReview(kShop, bob.id, Stars(shirt.id, 1));
  PLAZA_ASSERT_OK(stranger);
  EXPECT_FALSE(stranger->verified_buyer) << "someone else's delivered order proves nothing";

  auto delivered = reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 4));
  PLAZA_ASSERT_OK(delivered);
  EXPECT_TRUE(delivered->verified_buyer);
  EXPECT_EQ(delivered->order_id, order->id);
  EXPECT_EQ(delivered->variant_id, shirt.variant_ids[0]) << "takes the variant bought";
  EXPECT_EQ(delivered->id, before_delivery->id) << "one review per customer and product";

  const TestProduct cap = MakeProduct("Cap");
  auto other_product = reviews_.SubmitReview(kShop, alice.id, Stars(cap.id, 4));
  PLAZA_ASSERT_OK(other_product);
  EXPECT_FALSE(other_product->verified_buyer) << "a delivered shirt does not verify a cap";
}

TEST_P(ReviewsTest, AProfileWithoutACustomerIsNeverVerified) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile creator = MakeProfile("creator", 0);
  auto review = reviews_.SubmitReview(kShop, creator.id, Stars(shirt.id, 5));
  PLAZA_ASSERT_OK(review);
  EXPECT_FALSE(review->verified_buyer);
}

TEST_P(ReviewsTest, EditingKeepsOneReviewAndMovesTheRating) {
  const TestProduct shirt = MakeProduct("Shirt", 2);
  const social::Profile alice = MakeProfile("alice", 1);
  auto first =
      reviews_.SubmitReview(kShop, alice.id, {.product_id = shirt.id, .variant_id = shirt.variant_ids[0], .rating = 5});
  PLAZA_ASSERT_OK(first);
  auto edited = reviews_.SubmitReview(kShop, alice.id,
                                      {.product_id = shirt.id,
                                       .variant_id = shirt.variant_ids[1],
                                       .rating = 2,
                                       .body = "Shrank.",
                                       .incentivised = true});
  PLAZA_ASSERT_OK(edited);
  EXPECT_EQ(edited->id, first->id);
  EXPECT_TRUE(edited->incentivised);
  EXPECT_EQ(edited->body, "Shrank.");
  auto product = reviews_.GetRating(kShop, shirt.id);
  PLAZA_ASSERT_OK(product);
  EXPECT_EQ(product->count, 1);
  EXPECT_EQ(product->average_tenths, 20);
  EXPECT_EQ(product->histogram, (std::array<std::int64_t, 5>{0, 1, 0, 0, 0}));
  EXPECT_EQ(reviews_.GetRating(kShop, shirt.id, shirt.variant_ids[0])->count, 0);
  EXPECT_EQ(reviews_.GetRating(kShop, shirt.id, shirt.variant_ids[1])->count, 1);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM reviews_reviews"), 1);
}

TEST_P(ReviewsTest, RatingsCountVisibleReviewsPerProductAndVariantRoundedHalfUp) {
  const TestProduct shirt = MakeProduct("Shirt", 2);
  const std::vector<int> ratings = {4, 4, 5};
  std::vector<Review> reviews;
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const social::Profile author = MakeProfile("buyer" + std::to_string(i), static_cast<std::int64_t>(i + 1));
    auto review = reviews_.SubmitReview(
        kShop, author.id, {.product_id = shirt.id, .variant_id = shirt.variant_ids[i % 2], .rating = ratings[i]});
    PLAZA_ASSERT_OK(review);
    reviews.push_back(*review);
  }
  auto product = reviews_.GetRating(kShop, shirt.id);
  PLAZA_ASSERT_OK(product);
  EXPECT_EQ(product->count, 3);
  EXPECT_EQ(product->average_tenths, 43);  // 13 / 3 = 4.33
  EXPECT_EQ(product->histogram, (std::array<std::int64_t, 5>{0, 0, 0, 2, 1}));
  auto first_variant = reviews_.GetRating(kShop, shirt.id, shirt.variant_ids[0]);
  EXPECT_EQ(first_variant->count, 2);
  EXPECT_EQ(first_variant->average_tenths, 45);  // 4.5 stays 4.5

  // A moderator hides the 5-star review: it leaves the rating, and comes back with it.
  PLAZA_ASSERT_OK(db().Write(
      [&](store::Transaction& tx) { return reviews_.SetVisibility(tx, kShop, reviews[2].id, Visibility::kHidden); }));
  EXPECT_EQ(reviews_.GetRating(kShop, shirt.id)->count, 2);
  EXPECT_EQ(reviews_.GetRating(kShop, shirt.id)->average_tenths, 40);
  EXPECT_EQ(reviews_.GetRating(kShop, shirt.id, shirt.variant_ids[0])->average_tenths, 40);
  EXPECT_EQ(reviews_.GetReview(kShop, reviews[2].id, std::nullopt).error().code, ErrorCode::kNotFound);
  PLAZA_ASSERT_OK(db().Write(
      [&](store::Transaction& tx) { return reviews_.SetVisibility(tx, kShop, reviews[2].id, Visibility::kVisible); }));
  EXPECT_EQ(reviews_.GetRating(kShop, shirt.id)->average_tenths, 43);
  auto many = reviews_.GetRatings(kShop, {shirt.id, 999});
  PLAZA_ASSERT_OK(many);
  ASSERT_EQ(many->size(), 1U);
  EXPECT_EQ(many->at(0).count, 3);
  EXPECT_EQ(reviews_.GetRating(kOtherShop, shirt.id)->count, 0);
}

TEST_P(ReviewsTest, ConcurrentReviewsKeepTheRatingExact) {
  const TestProduct shirt = MakeProduct("Shirt", 2);
  constexpr int kThreads = 8;
  constexpr int kEditsEach = 3;
  std::vector<social::Profile> authors;
  for (int i = 0; i < kThreads; ++i) authors.push_back(MakeProfile("author" + std::to_string(i), i + 1));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int edit = 0; edit < kEditsEach; ++edit) {
        const int rating = 1 + (i + edit) % 5;
        auto review = reviews_.SubmitReview(kShop, authors[static_cast<std::size_t>(i)].id,
                                            {.product_id = shirt.id,
                                             .variant_id = shirt.variant_ids[static_cast<std::size_t>((i + edit) % 2)],
                                             .rating = rating,
                                             .body = "edit " + std::to_string(edit) + " by " + std::to_string(i)});
        if (!review.ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  // Each author's last edit stands: rating 1 + (i + 2) % 5 on variant (i + 2) % 2.
  std::int64_t sum = 0;
  std::array<std::int64_t, 5> histogram{};
  for (int i = 0; i < kThreads; ++i) {
    const int rating = 1 + (i + kEditsEach - 1) % 5;
    sum += rating;
    ++histogram[static_cast<std::size_t>(rating - 1)];
  }
  auto product = reviews_.GetRating(kShop, shirt.id);
  PLAZA_ASSERT_OK(product);
  EXPECT_EQ(product->count, kThreads);
  EXPECT_EQ(product->histogram, histogram);
  EXPECT_EQ(product->average_tenths, (20 * sum + kThreads) / (2 * kThreads));
  const std::int64_t per_variant = reviews_.GetRating(kShop, shirt.id, shirt.variant_ids[0])->count +
                                   reviews_.GetRating(kShop, shirt.id, shirt.variant_ids[1])->count;
  EXPECT_EQ(per_variant, kThreads);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM reviews_reviews"), kThreads);
}

TEST_P(ReviewsTest, FakeReviewSignalsAreStoredForModerators) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile honest = MakeProfile("honest", 1);
  PLAZA_ASSERT_OK(Buy(1, shirt.variant_ids[0], true));
  AgeAccounts();
  auto clean = reviews_.SubmitReview(
      kShop, honest.id, Stars(shirt.id, 4, "The collar kept its shape after ten washes at forty degrees."));
  PLAZA_ASSERT_OK(clean);
  EXPECT_TRUE(clean->signals.empty()) << clean->signals.front();

  // A fresh account with no order posts a near-copy of the honest review.
  const social::Profile sock = MakeProfile("sock", 0);
  auto copy = reviews_.SubmitReview(
      kShop, sock.id, Stars(shirt.id, 5, "The collar kept its SHAPE after ten washes, at forty degrees!!"));
  PLAZA_ASSERT_OK(copy);
  const auto has = [&](const Review& review, std::string_view prefix) {
    return std::any_of(review.signals.begin(), review.signals.end(),
                       [&](const std::string& signal) { return signal.starts_with(prefix); });
  };
  EXPECT_TRUE(has(*copy, "near-duplicate: ")) << ::testing::PrintToString(copy->signals);
  EXPECT_TRUE(has(*copy, "no-order: "));
  EXPECT_TRUE(has(*copy, "new-account: "));
  EXPECT_FALSE(has(*copy, "burst: "));

  // Three more within the hour make five on one product.
  Review last;
  for (int i = 0; i < 3; ++i) {
    const social::Profile author = MakeProfile("burst" + std::to_string(i), 10 + i);
    auto review = reviews_.SubmitReview(kShop, author.id,
                                        Stars(shirt.id, 5, "Different words number " + std::to_string(i) + " here"));
    PLAZA_ASSERT_OK(review);
    last = *review;
  }
  EXPECT_TRUE(has(last, "burst: 5 reviews")) << ::testing::PrintToString(last.signals);
  auto flagged = reviews_.ListForStaff(Staff(), kShop, {.flagged_only = true});
  PLAZA_ASSERT_OK(flagged);
  EXPECT_EQ(flagged->reviews.size(), 4U);
  EXPECT_GE(NearDuplicatePercent("a b c d e", "A, b; c d  e"), 100);
  EXPECT_EQ(NearDuplicatePercent("one two three", "four five six"), 0);
}

TEST_P(ReviewsTest, HostileInputIsRefusedWithItsField) {
  const TestProduct shirt = MakeProduct("Shirt");
  const TestProduct foreign = MakeProduct("Foreign", 1, kOtherShop);
  const social::Profile alice = MakeProfile("alice", 1);
  struct Case {
    ReviewInput input;
    std::string type;
    std::string field;
  };
  const std::vector<Case> cases = {
      {Stars(shirt.id, 0), "validation/range", "/rating"},
      {Stars(shirt.id, 6), "validation/range", "/rating"},
      {{.product_id = shirt.id, .rating = 3, .title = std::string(151, 'x')}, "validation/too-long", "/title"},
      {Stars(shirt.id, 3, std::string(5001, 'y')), "validation/too-long", "/body"},
      {Stars(shirt.id, 3,
             "hid\xE2\x80\x8B"
             "den"),
       "reviews/invisible-character", "/body"},
      {Stars(shirt.id, 3, "bad\xFF"), "validation/utf8", "/body"},
      {Stars(shirt.id, 3, "bell\x07"), "reviews/control-character", "/body"},
      {{.product_id = shirt.id, .rating = 3, .media_ids = {1, 2, 3, 4, 5, 6, 7}},
       "reviews/too-many-photos",
       "/media_ids"},
      {{.product_id = shirt.id, .rating = 3, .media_ids = {4, 4}}, "reviews/duplicate-photo", "/media_ids/1"},
      {{.product_id = shirt.id, .variant_id = foreign.variant_ids[0], .rating = 3},
       "reviews/unknown-variant",
       "/variant_id"},
  };
  for (const Case& test : cases) {
    auto review = reviews_.SubmitReview(kShop, alice.id, test.input);
    ASSERT_FALSE(review.ok()) << test.type;
    EXPECT_EQ(review.error().type, test.type);
    EXPECT_EQ(review.error().field, test.field) << test.type;
  }
  EXPECT_EQ(reviews_.SubmitReview(kShop, alice.id, Stars(foreign.id, 3)).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM reviews_reviews"), 0);

  // Markup is text: stored as written, for encoders to escape.
  const std::string markup = "<script>alert(1)</script><img src=x onerror=alert(2)>";
  auto stored = reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 3, markup));
  PLAZA_ASSERT_OK(stored);
  EXPECT_EQ(stored->body, markup);
}

TEST_P(ReviewsTest, MerchantRepliesNeedCareReplyAndAreAudited) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile alice = MakeProfile("alice", 1);
  auto review = reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 2));
  PLAZA_ASSERT_OK(review);
  auto marketer = reviews_.Reply(Staff(kShop, identity::Role::kMarketer), kShop, review->id, "Sorry!");
  EXPECT_EQ(marketer.error().code, ErrorCode::kPermissionDenied);
  auto foreign_staff = reviews_.Reply(Staff(kOtherShop), kShop, review->id, "Sorry!");
  EXPECT_EQ(foreign_staff.error().code, ErrorCode::kNotFound);
  auto foreign_review = reviews_.Reply(Staff(kOtherShop), kOtherShop, review->id, "Sorry!");
  EXPECT_EQ(foreign_review.error().code, ErrorCode::kNotFound);

  auto replied = reviews_.Reply(Staff(), kShop, review->id, "Sorry, we'll send a new one.");
  PLAZA_ASSERT_OK(replied);
  ASSERT_TRUE(replied->reply);
  EXPECT_EQ(replied->reply->text, "Sorry, we'll send a new one.");
  EXPECT_EQ(replied->reply->staff, "staff:5");
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM audit_log WHERE action = 'review.replied' AND target = 'review:" +
                       std::to_string(review->id) + "'"),
            1);
  auto unreplied = reviews_.ListForStaff(Staff(), kShop, {.unreplied_only = true});
  PLAZA_ASSERT_OK(unreplied);
  EXPECT_TRUE(unreplied->reviews.empty());
  auto removed = reviews_.Reply(Staff(), kShop, review->id, "");
  PLAZA_ASSERT_OK(removed);
  EXPECT_FALSE(removed->reply);
  // The author's edit keeps the merchant's reply state as it was.
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM audit_log WHERE action = 'review.reply_removed'"), 1);
}

TEST_P(ReviewsTest, ListsSortFilterAndPageWithoutGapsOrRepeats) {
  const TestProduct shirt = MakeProduct("Shirt");
  constexpr int kReviews = 11;
  for (int i = 0; i < kReviews; ++i) {
    const social::Profile author = MakeProfile("author" + std::to_string(i), i + 1);
    PLAZA_ASSERT_OK(reviews_.SubmitReview(kShop, author.id, Stars(shirt.id, 1 + i % 5, "words " + std::to_string(i))));
  }
  for (const ReviewSort sort : {ReviewSort::kNewest, ReviewSort::kHighest, ReviewSort::kLowest}) {
    std::set<std::int64_t> seen;
    std::vector<int> ratings;
    ReviewQuery query{.product_id = shirt.id, .sort = sort, .page = {.limit = 4}};
    for (int pages = 0; pages < 10; ++pages) {
      auto page = reviews_.ListReviews(kShop, query);
      PLAZA_ASSERT_OK(page);
      for (const Review& review : page->reviews) {
        EXPECT_TRUE(seen.insert(review.id).second) << "repeated review " << review.id;
        ratings.push_back(review.rating);
      }
      if (page->next_cursor.empty()) break;
      query.page.cursor = page->next_cursor;
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(kReviews)) << ReviewSortName(sort);
    if (sort == ReviewSort::kHighest) {
      EXPECT_TRUE(std::is_sorted(ratings.rbegin(), ratings.rend()));
    }
    if (sort == ReviewSort::kLowest) {
      EXPECT_TRUE(std::is_sorted(ratings.begin(), ratings.end()));
    }
  }
  auto fives = reviews_.ListReviews(kShop, {.product_id = shirt.id, .rating = 5});
  PLAZA_ASSERT_OK(fives);
  EXPECT_EQ(fives->reviews.size(), 2U);  // authors 4 and 9
  auto bad_cursor = reviews_.ListReviews(kShop, {.product_id = shirt.id, .page = {.cursor = "x'; DROP TABLE"}});
  EXPECT_EQ(bad_cursor.error().type, "reviews/invalid-cursor");
  EXPECT_TRUE(reviews_.ListReviews(kOtherShop, {.product_id = shirt.id})->reviews.empty());
}

TEST_P(ReviewsTest, AHeldReviewIsSeenByItsAuthorOnly) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile alice = MakeProfile("alice", 1);
  const social::Profile bob = MakeProfile("bob", 2);
  auto review = reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 5));
  PLAZA_ASSERT_OK(review);
  PLAZA_ASSERT_OK(db().Write(
      [&](store::Transaction& tx) { return reviews_.SetVisibility(tx, kShop, review->id, Visibility::kHeld); }));
  EXPECT_EQ(reviews_.ListReviews(kShop, {.product_id = shirt.id, .viewer_profile_id = alice.id})->reviews.size(), 1U);
  EXPECT_TRUE(reviews_.ListReviews(kShop, {.product_id = shirt.id, .viewer_profile_id = bob.id})->reviews.empty());
  EXPECT_TRUE(reviews_.ListReviews(kShop, {.product_id = shirt.id})->reviews.empty());
  PLAZA_ASSERT_OK(reviews_.GetReview(kShop, review->id, alice.id));
  EXPECT_EQ(reviews_.GetReview(kShop, review->id, bob.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(reviews_.GetRating(kShop, shirt.id)->count, 0);
  // Editing a held review keeps it held and out of the rating.
  auto edited = reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 1));
  PLAZA_ASSERT_OK(edited);
  EXPECT_EQ(edited->visibility, Visibility::kHeld);
  EXPECT_EQ(reviews_.GetRating(kShop, shirt.id)->count, 0);
  PLAZA_ASSERT_OK(db().Write(
      [&](store::Transaction& tx) { return reviews_.SetVisibility(tx, kShop, review->id, Visibility::kRemoved); }));
  EXPECT_EQ(reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 5)).error().type, "reviews/removed");
}

TEST_P(ReviewsTest, ADeliveryRequestsOneReviewHoweverOftenItsEventArrives) {
  const TestProduct shirt = MakeProduct("Shirt");
  auto delivered = Buy(1, shirt.variant_ids[0], true);
  PLAZA_ASSERT_OK(delivered);
  auto guest = Buy(0, shirt.variant_ids[0], false);
  auto events = db().Read([&](store::Transaction& tx) -> Result<std::vector<store::Delivery>> {
    PLAZA_ASSIGN_OR_RETURN(const auto result,
                           tx.Execute("SELECT id, shop_id, aggregate_type, aggregate_id, event_type, payload"
                                      " FROM outbox_events WHERE event_type IN ('order.delivered', 'order.placed')"
                                      " ORDER BY id"));
    std::vector<store::Delivery> deliveries;
    for (const store::Row& row : result.rows) {
      deliveries.push_back({.event = {.id = row.Int(0),
                                      .shop_id = row.Int(1),
                                      .aggregate_type = row.Text(2),
                                      .aggregate_id = row.Text(3),
                                      .event_type = row.Text(4),
                                      .payload_json = row.Text(5)}});
    }
    return deliveries;
  });
  PLAZA_ASSERT_OK(events);
  const social::Profile buyer = MakeProfile("buyer", 1);
  ReviewRequestConsumer consumer(db(), clock_, notifications_);
  EXPECT_EQ(consumer.name(), "review-requests");
  for (int round = 0; round < 2; ++round) {
    const auto outcomes = consumer.Handle(*events);
    ASSERT_EQ(outcomes.size(), events->size());
    for (const store::DeliveryOutcome& outcome : outcomes) {
      EXPECT_EQ(outcome.status, store::DeliveryStatus::kDelivered) << outcome.error;
    }
  }
  EXPECT_EQ(*CountRows("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'review.requested'"), 1);
  auto payload = db().Read([&](store::Transaction& tx) -> Result<std::string> {
    PLAZA_ASSIGN_OR_RETURN(auto row,
                           tx.QueryOne("SELECT payload FROM outbox_events WHERE event_type = 'review.requested'"));
    return row->Text(0);
  });
  EXPECT_EQ(*payload, "{\"order_id\":" + std::to_string(delivered->id) + ",\"customer_id\":1,\"product_ids\":[" +
                          std::to_string(shirt.id) + "]}");
  // The buyer's community profile finds one notification per product, however often the
  // event arrived.
  auto inbox = notifications_.List(kShop, buyer.id, {}, false);
  PLAZA_ASSERT_OK(inbox);
  ASSERT_EQ(inbox->notifications.size(), 1U);
  EXPECT_EQ(inbox->notifications[0].kind, social::NotificationKind::kOrderSocial);
  EXPECT_EQ(inbox->notifications[0].subject_kind, "product");
  EXPECT_EQ(inbox->notifications[0].subject_id, shirt.id);
  const store::Delivery broken{.event = {.shop_id = kShop, .event_type = "order.delivered", .payload_json = "[]"}};
  EXPECT_EQ(consumer.Handle(std::span(&broken, 1)).at(0).status, store::DeliveryStatus::kFailed);
  (void)guest;  // placed only: its events must not ask anyone for a review
}

TEST_P(ReviewsTest, PhotosMustBeTheAuthorsOwnUploadsInTheShop) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile alice = MakeProfile("alice", 1);
  const social::Profile bob = MakeProfile("bob", 2);
  const std::int64_t mine = Upload(alice.id);
  const std::int64_t theirs = Upload(bob.id);
  ASSERT_NE(mine, 0);
  auto stolen =
      reviews_.SubmitReview(kShop, alice.id, {.product_id = shirt.id, .rating = 5, .media_ids = {mine, theirs}});
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.error().type, "media/not-found");
  EXPECT_EQ(stolen.error().field, "/media_ids/1");
  EXPECT_EQ(
      reviews_.SubmitReview(kShop, alice.id, {.product_id = shirt.id, .rating = 5, .media_ids = {999}}).error().field,
      "/media_ids/0");
  auto review = reviews_.SubmitReview(kShop, alice.id, {.product_id = shirt.id, .rating = 5, .media_ids = {mine}});
  PLAZA_ASSERT_OK(review);
  EXPECT_EQ(review->media_ids, std::vector<std::int64_t>{mine});
}

TEST_P(ReviewsTest, TheAuthorIsNotifiedOfTheMerchantsReply) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile alice = MakeProfile("alice", 1);
  auto review = reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 3));
  PLAZA_ASSERT_OK(review);
  PLAZA_ASSERT_OK(reviews_.Reply(Staff(), kShop, review->id, "Thank you!"));
  auto inbox = notifications_.List(kShop, alice.id, {}, false);
  PLAZA_ASSERT_OK(inbox);
  ASSERT_EQ(inbox->notifications.size(), 1U);
  EXPECT_EQ(inbox->notifications[0].kind, social::NotificationKind::kReviewReply);
  EXPECT_EQ(inbox->notifications[0].subject_id, review->id);
}

TEST_P(ReviewsTest, KeywordRulesMaskOrHoldAndModeratorsDecideThroughTheQueue) {
  const TestProduct shirt = MakeProduct("Shirt");
  const social::Profile alice = MakeProfile("alice", 1);
  const social::Profile bob = MakeProfile("bob", 2);
  const identity::Principal moderator = Staff(kShop, identity::Role::kModerator);
  PLAZA_ASSERT_OK(
      moderation_.CreateRule(moderator, kShop, {.pattern = "darn", .action = moderation::RuleAction::kMask}));
  PLAZA_ASSERT_OK(
      moderation_.CreateRule(moderator, kShop, {.pattern = "scam", .action = moderation::RuleAction::kHold}));

  auto masked = reviews_.SubmitReview(kShop, alice.id, Stars(shirt.id, 4, "A darn good shirt"));
  PLAZA_ASSERT_OK(masked);
  EXPECT_EQ(masked->body, "A **** good shirt");
  EXPECT_EQ(masked->visibility, Visibility::kVisible);

  auto held = reviews_.SubmitReview(kShop, bob.id, Stars(shirt.id, 1, "This shop is a s c a m"));
  PLAZA_ASSERT_OK(held);
  EXPECT_EQ(held->visibility, Visibility::kHeld);
  EXPECT_EQ(reviews_.GetRating(kShop, shirt.id)->count, 1) << "a held review stays out of the rating";
  auto queue = moderation_.ListQueue(moderator, kShop, {.kind = moderation::ContentKind::kReview});
  PLAZA_ASSERT_OK(queue);
  const moderation::QueueItem* item = nullptr;
  for (const moderation::QueueItem& entry : queue->items) {
    if (entry.content.id == held->id) item = &entry;
  }
  ASSERT_NE(item, nullptr);
  ASSERT_TRUE(item->summary);
  EXPECT_EQ(item->summary->author_profile_id, bob.id);
  EXPECT_TRUE(std::any_of(item->flags.begin(), item->flags.end(),
                          [](const std::string& flag) { return flag.starts_with("keyword rule: "); }));

  // The moderator lets it through: it joins the rating in the moderation transaction.
  PLAZA_ASSERT_OK(moderation_.Act(moderator, kShop, item->id, {.kind = moderation::ActionKind::kRestore}));
  EXPECT_EQ(reviews_.GetReview(kShop, held->id, std::nullopt)->visibility, Visibility::kVisible);
  auto rating = reviews_.GetRating(kShop, shirt.id);
  EXPECT_EQ(rating->count, 2);
  EXPECT_EQ(rating->average_tenths, 25);
}

TEST_P(ReviewsTest, ABannedAuthorCanNeitherReviewNorEdit) {
  const TestProduct shirt = MakeProduct("Shirt");
  const TestProduct cap = MakeProduct("Cap");
  const social::Profile troll = MakeProfile("troll", 1);
  const identity::Principal moderator = Staff(kShop, identity::Role::kModerator);
  auto review = reviews_.SubmitReview(kShop, troll.id, Stars(shirt.id, 1, "Terrible"));
  PLAZA_ASSERT_OK(review);
  auto queue = moderation_.ListQueue(moderator, kShop, {.kind = moderation::ContentKind::kReview});
  PLAZA_ASSERT_OK(queue);
  ASSERT_EQ(queue->items.size(), 1U) << "fake-review signals (no order, new account) put it in the queue";
  EXPECT_TRUE(queue->items[0].flags.at(0).starts_with("fake-review signals: "));
  PLAZA_ASSERT_OK(moderation_.Act(moderator, kShop, queue->items[0].id, {.kind = moderation::ActionKind::kBan}));
  EXPECT_EQ(reviews_.SubmitReview(kShop, troll.id, Stars(shirt.id, 1, "Edited")).error().type, "moderation/banned");
  EXPECT_EQ(reviews_.SubmitReview(kShop, troll.id, Stars(cap.id, 1)).error().type, "moderation/banned");
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewsTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::reviews::testing
