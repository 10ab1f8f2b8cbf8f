// The review and question pages over HTTP: a delivered buyer's review with a photo posted
// as multipart/form-data shows "Verified buyer" and the photo on the product page; a
// review without a purchase shows no badge; hostile text is escaped; a post without the
// CSRF token or with a bad rating writes nothing; the merchant's reply from the admin
// shows on the product page; another shop's review is absent in the admin; the answer
// form is offered only to customers who received the product, and others are told who can
// answer; the account page turns review-request e-mails off and on (CSRF checked).

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

#include "plaza/catalog/catalog.h"
#include "plaza/reviews/review_request_mail.h"
#include "plaza/reviews/reviews.h"
#include "plaza_test/images.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

constexpr std::string_view kBoundary = "----PlazaReviewPagesBoundary";

std::string Part(std::string_view name, std::string_view value) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"\r\n\r\n" + std::string(value) + "\r\n";
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class ReviewPagesTest : public ServerFixture {
 protected:
  ReviewPagesTest() : media_dir_(MakeTempDir("plaza-review-pages")) {}
  ~ReviewPagesTest() override {
    std::error_code ignored;  // a leftover temporary directory is harmless
    std::filesystem::remove_all(media_dir_, ignored);
  }

  std::map<std::string, std::string> ExtraFlags() const override { return {{"media_dir", media_dir_}}; }

  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("knits");
    sweater_ = SellInFrance(shop_, {.title = "Sweater",
                                    .sku = "SW-1",
                                    .weight_grams = 400,
                                    .price_minor = 8900,
                                    .stock = 10,
                                    .location = "Roubaix",
                                    .rate_name = "Standard",
                                    .shipping_minor = 490});
    catalog::CatalogService catalog(db(), clock());
    auto summaries = catalog.GetVariantSummaries(shop_.id, std::vector<std::int64_t>{sweater_.variant_id});
    ASSERT_TRUE(summaries.ok() && summaries->size() == 1);
    auto product = catalog.GetProduct(shop_.id, summaries->at(0).product_id);
    ASSERT_TRUE(product.ok());
    product_id_ = product->id;
    path_ = "/products/" + product->handle;
  }

  Credentials Member(const std::string& handle) {
    return JoinCommunity(shop_, handle, {.display_name = handle}).session;
  }

  static std::string CookieOf(const Credentials& customer) {
    return std::string(customer.headers.Get("Cookie").value_or(""));
  }

  http::testing::ClientResponse Page(const std::string& path, const std::string& cookie = {}) {
    http::Headers headers{{"Accept", "text/html"}};
    if (!cookie.empty()) headers.Set("Cookie", cookie);
    auto response = client().Get(path, headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse Post(const std::string& path, const std::string& cookie, const std::string& type,
                                     std::string body) {
    http::Headers headers{{"Cookie", cookie}, {"Content-Type", type}};
    auto response = client().Send("POST", path, std::move(body), headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse PostReview(const Credentials& customer, const std::string& csrf,
                                           const std::string& rating, const std::string& body,
                                           std::string_view photo = {}) {
    std::string form =
        Part("csrf_token", csrf) + Part("rating", rating) + Part("title", "My sweater") + Part("body", body);
    if (!photo.empty()) {
      form += "--" + std::string(kBoundary) +
              "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"me.png\"\r\n"
              "Content-Type: image/png\r\n\r\n" +
              std::string(photo) + "\r\n";
    }
    form += "--" + std::string(kBoundary) + "--\r\n";
    return Post(path_ + "/review", CookieOf(customer), "multipart/form-data; boundary=" + std::string(kBoundary),
                std::move(form));
  }

  std::string StaffCookie() {
    http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    std::string email = shop_.owner_email;
    const auto at = email.find('@');
    email.replace(at, 1, "%40");
    auto response =
        client().Send("POST", "/admin/login",
                      "shop=" + shop_.handle + "&email=" + email + "&password=" + shop_.owner_password, headers);
    EXPECT_TRUE(response.ok());
    if (!response.ok()) return {};
    EXPECT_EQ(response->status, 303) << response->body;
    return "plaza_staff=" + SetCookieValue(response->headers, "plaza_staff");
  }

  static std::string CsrfIn(const std::string& body) {
    const std::string marker = "name=\"csrf_token\" value=\"";
    const auto at = body.find(marker);
    if (at == std::string::npos) return {};
    const auto start = at + marker.size();
    return body.substr(start, body.find('"', start) - start);
  }

  std::int64_t ReviewCount() {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row,
                             tx.QueryOne("SELECT COUNT(*) FROM reviews_reviews WHERE shop_id = ?", {shop_.id}));
      return row->Int(0);
    });
    return count.ok() ? *count : -1;
  }

  std::string media_dir_;
  TestShop shop_;
  SellableVariant sweater_;
  std::int64_t product_id_ = 0;
  std::string path_;
};

TEST_P(ReviewPagesTest, ADeliveredBuyerReviewsWithAPhotoAndIsVerified) {
  const Credentials ana = Member("ana");
  BuyInFrance(shop_, ana.user_id, sweater_, true);
  auto form = Page(path_ + "/review", CookieOf(ana));
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_TRUE(Contains(form.body, "type=\"radio\" name=\"rating\""));
  const std::string csrf = CsrfIn(form.body);
  ASSERT_FALSE(csrf.empty());

  auto posted = PostReview(ana, csrf, "5", "Warm and soft.", media::testing::Png(400, 300));
  ASSERT_EQ(posted.status, 303) << posted.body;
  EXPECT_EQ(posted.headers.Get("Location").value_or(""), path_ + "#reviews");

  auto page = Page(path_);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "Verified buyer")) << page.body;
  EXPECT_TRUE(Contains(page.body, "Warm and soft."));
  // Only Plaza's own rendition paths, with the shown rendition's width and height set.
  EXPECT_TRUE(std::regex_search(page.body, std::regex("<img src=\"/api/v1/shops/[0-9]+/media/[0-9]+/[^/\"]+/([0-9]+)"
                                                      "\\.webp\" srcset=\"[^\"]+\" sizes=\"[^\"]+\" width=\"\\1\" "
                                                      "height=\"[0-9]+\"")))
      << page.body;
  EXPECT_TRUE(Contains(page.body, "5 out of 5 stars"));
  EXPECT_TRUE(Contains(page.body, "from 1 review"));
}

TEST_P(ReviewPagesTest, OnlyBuyersWhoReceivedTheProductAreOfferedTheAnswerForm) {
  const Credentials ana = Member("ana");
  const Credentials ben = Member("ben");
  BuyInFrance(shop_, ana.user_id, sweater_, true);
  const std::string form = "application/x-www-form-urlencoded";
  auto asked =
      Post(path_ + "/questions", CookieOf(ben), form, "csrf_token=" + ben.csrf_token + "&text=Does+it+pill%3F");
  ASSERT_EQ(asked.status, 303) << asked.body;
  auto listed = Page(path_, CookieOf(ben));
  ASSERT_EQ(listed.status, 200);
  std::smatch found;
  ASSERT_TRUE(std::regex_search(listed.body, found, std::regex(path_ + "/questions/([0-9]+)/upvote"))) << listed.body;
  const std::string answers = path_ + "/questions/" + found[1].str() + "/answers";
  const std::string line = "Customers who received this product can answer its questions.";

  // Ben asked but never bought it; a visitor is not signed in: neither gets the form.
  EXPECT_TRUE(Contains(listed.body, "Does it pill?"));
  EXPECT_FALSE(Contains(listed.body, "action=\"" + answers + "\"")) << listed.body;
  EXPECT_TRUE(Contains(listed.body, line));
  auto anonymous = Page(path_);
  EXPECT_FALSE(Contains(anonymous.body, "action=\"" + answers + "\""));
  EXPECT_TRUE(Contains(anonymous.body, line));
  // Posting anyway is refused by the same rule.
  auto refused = Post(answers, CookieOf(ben), form, "csrf_token=" + ben.csrf_token + "&text=No+idea");
  EXPECT_EQ(refused.status, 403) << refused.body;

  // Ana received it: the form is hers, and her answer is taken.
  auto owner = Page(path_, CookieOf(ana));
  EXPECT_TRUE(Contains(owner.body, "action=\"" + answers + "\"")) << owner.body;
  EXPECT_FALSE(Contains(owner.body, line));
  auto answered = Post(answers, CookieOf(ana), form, "csrf_token=" + ana.csrf_token + "&text=Not+after+a+winter.");
  ASSERT_EQ(answered.status, 303) << answered.body;
  auto shown = Page(path_);
  EXPECT_TRUE(Contains(shown.body, "Not after a winter."));
  EXPECT_TRUE(Contains(shown.body, "Owns this product"));
  EXPECT_FALSE(Contains(shown.body, "No idea"));
}

TEST_P(ReviewPagesTest, ReviewEmailsAreChosenOnTheAccountPage) {
  const Credentials ana = SignUpCustomer(shop_, "ana@example.fr");
  const auto wants = [&] {
    auto wanted = reviews::WantsReviewEmails(db(), shop_.id, ana.user_id);
    EXPECT_TRUE(wanted.ok());
    return wanted.ok() && *wanted;
  };
  const std::string box = "name=\"review_emails\" value=\"on\" aria-describedby=\"review-emails-hint\"";
  auto account = Page("/account", CookieOf(ana));
  ASSERT_EQ(account.status, 200) << account.body;
  EXPECT_TRUE(Contains(account.body, box + " checked>")) << account.body;
  EXPECT_TRUE(wants());

  const std::string form = "application/x-www-form-urlencoded";
  EXPECT_EQ(Post("/account/review-emails", CookieOf(ana), form, "csrf_token=wrong").status, 403);
  EXPECT_TRUE(wants());
  auto off = Post("/account/review-emails", CookieOf(ana), form, "csrf_token=" + ana.csrf_token);
  EXPECT_EQ(off.status, 303);
  EXPECT_EQ(off.headers.Get("Location").value_or(""), "/account?review_emails=off");
  EXPECT_FALSE(wants());
  auto shown = Page("/account?review_emails=off", CookieOf(ana));
  EXPECT_TRUE(Contains(shown.body, box + ">")) << shown.body;
  EXPECT_TRUE(Contains(shown.body, "We will no longer e-mail you to review what you receive."));

  auto on = Post("/account/review-emails", CookieOf(ana), form, "review_emails=on&csrf_token=" + ana.csrf_token);
  EXPECT_EQ(on.headers.Get("Location").value_or(""), "/account?review_emails=on");
  EXPECT_TRUE(wants());
  // Signed out, nothing is saved and the visitor is sent to log in.
  auto anonymous = Post("/account/review-emails", "", form, "csrf_token=x");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_TRUE(anonymous.headers.Get("Location").value_or("").starts_with("/account/login"));
}

TEST_P(ReviewPagesTest, ANonBuyersHostileReviewIsEscapedWithoutABadge) {
  const Credentials ben = Member("ben");
  const std::string csrf = CsrfIn(Page(path_ + "/review", CookieOf(ben)).body);
  ASSERT_FALSE(csrf.empty());
  auto posted = PostReview(ben, csrf, "2", "<script>alert(1)</script><img src=x onerror=alert(2)>");
  ASSERT_EQ(posted.status, 303) << posted.body;
  auto page = Page(path_);
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(Contains(page.body, "Verified buyer"));
  EXPECT_FALSE(Contains(page.body, "<script>alert(1)"));
  EXPECT_FALSE(Contains(page.body, "<img src=x"));
  EXPECT_TRUE(Contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(Contains(page.body, "2 out of 5 stars"));
}

TEST_P(ReviewPagesTest, WithoutTheTokenOrWithABadRatingNothingIsWritten) {
  const Credentials cleo = Member("cleo");
  const std::string csrf = CsrfIn(Page(path_ + "/review", CookieOf(cleo)).body);
  ASSERT_FALSE(csrf.empty());
  EXPECT_EQ(PostReview(cleo, "guess", "4", "Nice").status, 403);
  EXPECT_EQ(ReviewCount(), 0);

  auto refused = PostReview(cleo, csrf, "9", "Typed <text> stays");
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(Contains(refused.body, "id=\"rating-error\""));
  EXPECT_TRUE(Contains(refused.body, "role=\"alert\""));
  EXPECT_TRUE(Contains(refused.body, "Typed &lt;text&gt; stays</textarea>")) << "the typed text is kept, escaped";
  EXPECT_EQ(ReviewCount(), 0);
}

TEST_P(ReviewPagesTest, TheMerchantsReplyFromTheAdminShowsOnTheProductPage) {
  const Credentials dan = Member("dan");
  const std::string csrf = CsrfIn(Page(path_ + "/review", CookieOf(dan)).body);
  ASSERT_EQ(PostReview(dan, csrf, "3", "Itchy").status, 303);

  const std::string staff = StaffCookie();
  auto list = Page("/admin/reviews?filter=unanswered", staff);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(Contains(list.body, "Itchy"));
  const std::string staff_csrf = CsrfIn(list.body);
  ASSERT_FALSE(staff_csrf.empty());
  const std::string id = list.body.substr(list.body.find("/admin/reviews/") + 15);
  const std::string review_id = id.substr(0, id.find('/'));
  auto replied = Post("/admin/reviews/" + review_id + "/reply", staff, "application/x-www-form-urlencoded",
                      "csrf_token=" + staff_csrf + "&text=Try+a+silk+liner+%3Cb%3E");
  ASSERT_EQ(replied.status, 303) << replied.body;

  auto page = Page(path_);
  EXPECT_TRUE(Contains(page.body, "Reply from"));
  EXPECT_TRUE(Contains(page.body, "Try a silk liner &lt;b&gt;"));
  EXPECT_TRUE(Page("/admin/reviews?filter=unanswered", staff).body.find("Itchy") == std::string::npos);
}

TEST_P(ReviewPagesTest, AnotherShopsReviewIsAbsentInTheAdmin) {
  const TestShop other = CreateShop("linens");
  const SellableVariant sheet = SellInFrance(other, {.title = "Sheet",
                                                     .sku = "SH-1",
                                                     .weight_grams = 400,
                                                     .price_minor = 4900,
                                                     .stock = 10,
                                                     .location = "Lille",
                                                     .rate_name = "Standard",
                                                     .shipping_minor = 490});
  catalog::CatalogService catalog(db(), clock());
  auto summaries = catalog.GetVariantSummaries(other.id, std::vector<std::int64_t>{sheet.variant_id});
  ASSERT_TRUE(summaries.ok() && summaries->size() == 1);
  const Credentials eve = SignUpCustomer(other, "eve@example.fr");
  ASSERT_EQ(
      Call("POST", "/api/v1/shops/linens/customer/social/profile", eve, R"({"handle":"eve","display_name":"Eve"})")
          .status,
      201);
  auto review = Call("POST", "/api/v1/shops/linens/customer/reviews", eve,
                     R"({"product_id":)" + std::to_string(summaries->at(0).product_id) + R"(,"rating":1})");
  ASSERT_EQ(review.status, 201) << review.body;
  const std::string foreign = std::to_string(review.Json().at("id").as_int64());

  const std::string staff = StaffCookie();
  const std::string csrf = CsrfIn(Page("/admin/reviews", staff).body);
  auto replied = Post("/admin/reviews/" + foreign + "/reply", staff, "application/x-www-form-urlencoded",
                      "csrf_token=" + csrf + "&text=Hello");
  EXPECT_EQ(replied.status, 404);
  auto other_reviews =
      Call("GET", "/api/v1/shops/linens/reviews/products/" + std::to_string(summaries->at(0).product_id), {});
  EXPECT_FALSE(Contains(other_reviews.body, "Hello"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
