// The profile pages over HTTP: log-in and sign-up follow only a local `next`; a customer
// creates their community profile and comes back to where they were; follow, unfollow,
// mute and block through plain forms (CSRF and another site's posts refused); a private
// profile shows its header only until its owner approves the request; a blocked viewer
// gets 404; the edit form escapes hostile text, refuses bad links at the field and
// stores an avatar that is shown only from Plaza's own media path.

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "plaza_test/images.h"
#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

constexpr std::string_view kBoundary = "----PlazaProfilePagesBoundary";

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::string Escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

std::string Part(std::string_view name, std::string_view value) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"\r\n\r\n" + std::string(value) + "\r\n";
}

std::string FilePart(std::string_view name, std::string_view filename, std::string_view bytes) {
  return "--" + std::string(kBoundary) + "\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"; filename=\"" + std::string(filename) + "\"\r\nContent-Type: image/png\r\n\r\n" + std::string(bytes) +
         "\r\n";
}

class ProfilePagesTest : public ServerFixture {
 protected:
  std::map<std::string, std::string> ExtraFlags() const override { return {{"media_dir", media_dir_.path()}}; }

  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("circle");
    base_ = "/api/v1/shops/" + shop_.handle;
  }

  Credentials Member(const std::string& handle, bool is_private = false, const std::string& bio = {}) {
    return JoinCommunity(shop_, handle, {.is_private = is_private, .bio = bio}).session;
  }

  void Publish(const Credentials& author, const std::string& text) {
    auto post = Call("POST", base_ + "/customer/social/posts", author, R"({"text":")" + text + R"("})");
    EXPECT_EQ(post.status, 201) << post.body;
  }

  static std::string CookieOf(const Credentials& customer) {
    return std::string(customer.headers.Get("Cookie").value_or(""));
  }

  std::string Origin() const { return "http://127.0.0.1:" + std::to_string(port()); }

  http::testing::ClientResponse Page(const std::string& path, const Credentials* customer = nullptr) {
    http::Headers headers{{"Accept", "text/html"}};
    if (customer != nullptr) headers.Set("Cookie", CookieOf(*customer));
    auto response = client().Get(path, headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse Send(const std::string& path, const Credentials* customer, const std::string& type,
                                     std::string body, const std::string& origin = {}) {
    http::Headers headers{{"Content-Type", type}, {"Origin", origin.empty() ? Origin() : origin}};
    if (customer != nullptr) headers.Set("Cookie", CookieOf(*customer));
    auto response = client().Send("POST", path, std::move(body), headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  // A one-button form of the profile pages, posted with the customer's token.
  http::testing::ClientResponse Act(const std::string& path, const Credentials* customer,
                                    const std::string& extra = {}) {
    const std::string token = customer != nullptr ? "csrf_token=" + Escape(customer->csrf_token) : std::string();
    return Send(path, customer, "application/x-www-form-urlencoded", token + extra);
  }

  http::testing::ClientResponse SaveProfile(const Credentials& customer, const std::string& csrf,
                                            const std::string& fields, std::string_view avatar = {}) {
    std::string body = Part("csrf_token", csrf) + fields;
    if (!avatar.empty()) body += FilePart("avatar", "me.png", avatar);
    body += "--" + std::string(kBoundary) + "--\r\n";
    return Send("/account/profile", &customer, "multipart/form-data; boundary=" + std::string(kBoundary),
                std::move(body));
  }

  static std::string Location(const http::testing::ClientResponse& response) {
    return std::string(response.headers.Get("Location").value_or(""));
  }

  TempDir media_dir_{"plaza-profile-pages"};
  TestShop shop_;
  std::string base_;
};

TEST_P(ProfilePagesTest, LogInAndSignUpFollowOnlyALocalNext) {
  auto login = Page("/account/login?next=" + Escape("/people/ana"));
  ASSERT_EQ(login.status, 200);
  EXPECT_TRUE(Contains(login.body, "<input type=\"hidden\" name=\"next\" value=\"/people/ana\">")) << login.body;
  EXPECT_TRUE(Contains(login.body, "href=\"/account/signup?next=%2Fpeople%2Fana\""));
  for (const std::string bad :
       {"//evil.example/x", "/\\evil.example", "https://evil.example", "/x\r\nSet-Cookie: a=b"}) {
    auto page = Page("/account/login?next=" + Escape(bad));
    EXPECT_FALSE(Contains(page.body, "name=\"next\"")) << bad;
  }

  const std::string password = "&password=buyer-password-1";
  auto signed_up = Send("/account/signup", nullptr, "application/x-www-form-urlencoded",
                        "name=Ana&email=ana%40example.fr" + password + "&next=" + Escape("/people/ana?tab=posts"));
  ASSERT_EQ(signed_up.status, 303) << signed_up.body;
  EXPECT_EQ(Location(signed_up), "/people/ana?tab=posts");

  for (const std::string bad : {"//evil.example/x", "/\\evil.example", "https://evil.example", "/x\r\nSet-Cookie: a=b",
                                "javascript:alert(1)"}) {
    auto logged_in = Send("/account/login", nullptr, "application/x-www-form-urlencoded",
                          "email=ana%40example.fr" + password + "&next=" + Escape(bad));
    ASSERT_EQ(logged_in.status, 303) << bad << logged_in.body;
    EXPECT_EQ(Location(logged_in), "/account") << bad;
  }
  auto logged_in = Send("/account/login", nullptr, "application/x-www-form-urlencoded",
                        "email=ana%40example.fr" + password + "&next=" + Escape("/posts/4"));
  EXPECT_EQ(Location(logged_in), "/posts/4");
  // A failed log-in keeps the destination for the next try.
  auto failed = Send("/account/login", nullptr, "application/x-www-form-urlencoded",
                     "email=ana%40example.fr&password=wrong-password-1&next=" + Escape("/posts/4"));
  EXPECT_EQ(failed.status, 401);
  EXPECT_TRUE(Contains(failed.body, "name=\"next\" value=\"/posts/4\""));
}

TEST_P(ProfilePagesTest, ACustomerCreatesTheirProfileAndComesBack) {
  Member("bob");
  const Credentials cleo = SignUpCustomer(shop_, "cleo@example.fr");
  auto bob_page = Page("/people/bob", &cleo);
  ASSERT_EQ(bob_page.status, 200);
  EXPECT_TRUE(Contains(bob_page.body, "/account/profile/new?next=")) << bob_page.body;
  auto follow = Act("/people/bob/follow", &cleo);
  EXPECT_EQ(follow.status, 303);
  EXPECT_TRUE(Location(follow).starts_with("/account/profile/new?next=")) << Location(follow);

  EXPECT_TRUE(Contains(Page("/account", &cleo).body, "<a href=\"/account/profile\">Your community profile</a>"));
  auto edit_first = Page("/account/profile", &cleo);
  EXPECT_EQ(edit_first.status, 303);
  EXPECT_EQ(Location(edit_first), "/account/profile/new?next=%2Faccount%2Fprofile");
  auto form = Page("/account/profile/new?next=" + Escape("/people/bob"), &cleo);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(Contains(form.body, "name=\"next\" value=\"/people/bob\""));
  const std::string token = "csrf_token=" + Escape(cleo.csrf_token);
  const std::string type = "application/x-www-form-urlencoded";

  auto taken = Send("/account/profile/new", &cleo, type, token + "&handle=BOB&display_name=Cleo&next=%2Fpeople%2Fbob");
  EXPECT_EQ(taken.status, 409);
  EXPECT_TRUE(Contains(taken.body, "aria-describedby=\"handle-hint handle-error\"")) << taken.body;
  EXPECT_TRUE(Contains(taken.body, "role=\"alert\" id=\"handle-error\">That handle is taken"));
  EXPECT_TRUE(Contains(taken.body, "name=\"next\" value=\"/people/bob\""));
  auto invalid = Send("/account/profile/new", &cleo, type, token + "&handle=a+b&display_name=Cleo");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_TRUE(Contains(invalid.body, "id=\"handle-error\"")) << invalid.body;
  auto forged = Send("/account/profile/new", &cleo, type, "csrf_token=nope&handle=cleo&display_name=Cleo");
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(Page("/people/cleo").status, 404);

  auto created = Send(
      "/account/profile/new", &cleo, type,
      token + "&handle=cleo&display_name=" + Escape("<script>alert(1)</script>") + "&next=" + Escape("/people/bob"));
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(Location(created), "/people/bob");
  auto cleo_page = Page("/people/cleo");
  ASSERT_EQ(cleo_page.status, 200);
  EXPECT_TRUE(Contains(cleo_page.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_FALSE(Contains(cleo_page.body, "<script>alert(1)"));
  // Someone with a profile already goes straight on.
  auto again = Page("/account/profile/new?next=" + Escape("/people/bob"), &cleo);
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(Location(again), "/people/bob");

  const Credentials dan = SignUpCustomer(shop_, "dan@example.fr");
  auto elsewhere =
      Send("/account/profile/new", &dan, type,
           "csrf_token=" + Escape(dan.csrf_token) + "&handle=dan&display_name=Dan&next=" + Escape("//evil.example"));
  ASSERT_EQ(elsewhere.status, 303);
  EXPECT_EQ(Location(elsewhere), "/people/dan");
  auto anonymous = Page("/account/profile/new?next=" + Escape("/people/bob"));
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_TRUE(Location(anonymous).starts_with("/account/login?next=")) << Location(anonymous);
}

TEST_P(ProfilePagesTest, FollowMuteAndBlockThroughForms) {
  const Credentials ana = Member("ana");
  const Credentials bob = Member("bob");
  Publish(bob, "<i>hello</i> from bob");

  auto anonymous = Page("/people/bob");
  ASSERT_EQ(anonymous.status, 200);
  EXPECT_TRUE(Contains(anonymous.body, "Log in to follow"));
  EXPECT_TRUE(Contains(anonymous.body, "&lt;i&gt;hello&lt;/i&gt; from bob")) << anonymous.body;
  EXPECT_FALSE(Contains(anonymous.body, "<i>hello"));
  auto not_signed_in = Act("/people/bob/follow", nullptr);
  EXPECT_EQ(not_signed_in.status, 303);
  EXPECT_TRUE(Location(not_signed_in).starts_with("/account/login?next=")) << Location(not_signed_in);

  auto forged = Send("/people/bob/follow", &ana, "application/x-www-form-urlencoded", "csrf_token=wrong");
  EXPECT_EQ(forged.status, 403);
  auto cross_site = Send("/people/bob/follow", &ana, "application/x-www-form-urlencoded",
                         "csrf_token=" + Escape(ana.csrf_token), "https://evil.example");
  EXPECT_EQ(cross_site.status, 403);
  EXPECT_TRUE(Contains(Page("/people/bob").body, ">0 followers<"));

  auto followed = Act("/people/bob/follow", &ana);
  ASSERT_EQ(followed.status, 303) << followed.body;
  EXPECT_EQ(Location(followed), "/people/bob");
  auto seen = Page("/people/bob", &ana);
  EXPECT_TRUE(Contains(seen.body, ">Unfollow</button>"));
  EXPECT_TRUE(Contains(seen.body, ">1 follower<")) << seen.body;
  EXPECT_TRUE(Contains(Page("/people/bob/followers").body, "href=\"/people/ana\""));
  EXPECT_TRUE(Contains(Page("/people/ana/following").body, "href=\"/people/bob\""));
  EXPECT_TRUE(Contains(Page("/people/ana", &bob).body, "Follows you"));

  ASSERT_EQ(Act("/people/bob/mute", &ana).status, 303);
  EXPECT_TRUE(Contains(Page("/people/bob", &ana).body, ">Unmute</button>"));
  ASSERT_EQ(Act("/people/bob/unmute", &ana).status, 303);
  EXPECT_TRUE(Contains(Page("/people/bob", &ana).body, ">Mute</button>"));
  ASSERT_EQ(Act("/people/bob/unfollow", &ana).status, 303);
  EXPECT_TRUE(Contains(Page("/people/bob", &ana).body, ">0 followers<"));
  ASSERT_EQ(Act("/people/bob/follow", &ana).status, 303);

  auto blocked = Act("/people/ana/block", &bob);
  ASSERT_EQ(blocked.status, 303);
  EXPECT_EQ(Location(blocked), "/people/ana?blocked=1");
  EXPECT_TRUE(Contains(Page("/people/ana?blocked=1", &bob).body, ">Unblock</button>"));
  EXPECT_EQ(Page("/people/bob", &ana).status, 404);
  EXPECT_EQ(Page("/people/bob/followers", &ana).status, 404);
  EXPECT_EQ(Act("/people/bob/follow", &ana).status, 404);
  EXPECT_TRUE(Contains(Page("/people/bob/followers").body, "No followers yet."));
  EXPECT_EQ(Act("/people/bob/follow", &bob).status, 422);
  EXPECT_EQ(Page("/people/nobody").status, 404);
}

TEST_P(ProfilePagesTest, APrivateProfileShowsItsHeaderUntilTheRequestIsApproved) {
  const Credentials carol = Member("carol", true, "Secret bio");
  Publish(carol, "carol private post");
  const Credentials ana = Member("ana");
  const Credentials dan = Member("dan");

  auto anonymous = Page("/people/carol");
  ASSERT_EQ(anonymous.status, 200);
  EXPECT_TRUE(Contains(anonymous.body, "<h1 id=\"profile-name\">The carol</h1>"));
  EXPECT_TRUE(Contains(anonymous.body, "This profile is private"));
  EXPECT_FALSE(Contains(anonymous.body, "Secret bio"));
  EXPECT_FALSE(Contains(anonymous.body, "carol private post"));
  EXPECT_TRUE(Contains(anonymous.body, "noindex"));
  EXPECT_EQ(Page("/people/carol/followers").status, 403);

  ASSERT_EQ(Act("/people/carol/follow", &ana).status, 303);
  auto requested = Page("/people/carol", &ana);
  EXPECT_TRUE(Contains(requested.body, "Follow request sent"));
  EXPECT_FALSE(Contains(requested.body, "carol private post"));
  ASSERT_EQ(Act("/people/carol/follow", &dan).status, 303);

  EXPECT_EQ(Location(Page("/account/follow-requests")).substr(0, 20), "/account/login?next=");
  auto requests = Page("/account/follow-requests", &carol);
  ASSERT_EQ(requests.status, 200);
  EXPECT_TRUE(Contains(requests.body, "action=\"/account/follow-requests/ana/approve\"")) << requests.body;
  EXPECT_TRUE(Contains(requests.body, "action=\"/account/follow-requests/dan/decline\""));
  EXPECT_EQ(Send("/account/follow-requests/ana/approve", &carol, "application/x-www-form-urlencoded", "").status, 403);

  auto approved = Act("/account/follow-requests/ana/approve", &carol);
  ASSERT_EQ(approved.status, 303);
  EXPECT_EQ(Location(approved), "/account/follow-requests?done=approved");
  auto declined = Act("/account/follow-requests/dan/decline", &carol);
  ASSERT_EQ(declined.status, 303);
  EXPECT_EQ(Act("/account/follow-requests/dan/decline", &carol).status, 404);
  EXPECT_TRUE(Contains(Page("/account/follow-requests?done=declined", &carol).body, "No follow requests are waiting."));

  auto follower = Page("/people/carol", &ana);
  EXPECT_TRUE(Contains(follower.body, "Secret bio"));
  EXPECT_TRUE(Contains(follower.body, "carol private post"));
  EXPECT_EQ(Page("/people/carol/followers", &ana).status, 200);
  auto declined_page = Page("/people/carol", &dan);
  EXPECT_TRUE(Contains(declined_page.body, ">Ask to follow</button>"));
  EXPECT_FALSE(Contains(declined_page.body, "carol private post"));
}

TEST_P(ProfilePagesTest, TheEditFormEscapesRefusesAtTheFieldAndStoresTheAvatar) {
  const Credentials ana = Member("ana");
  auto form = Page("/account/profile", &ana);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(Contains(form.body, "enctype=\"multipart/form-data\""));
  EXPECT_EQ(Location(Page("/account/profile")).substr(0, 20), "/account/login?next=");

  const std::string hostile_bio = "<img src=x onerror=alert(1)> see @bob";
  auto bad_link =
      SaveProfile(ana, ana.csrf_token,
                  Part("handle", "ana") + Part("display_name", "<b>Ana</b>") + Part("bio", hostile_bio) +
                      Part("links", "https://ana.example/shop\njavascript:alert(1)") + Part("visibility", "public"));
  EXPECT_EQ(bad_link.status, 422) << bad_link.body;
  EXPECT_TRUE(Contains(bad_link.body, "role=\"alert\" id=\"links-error\"")) << bad_link.body;
  EXPECT_TRUE(Contains(bad_link.body, "&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_FALSE(Contains(bad_link.body, "<img src=x"));

  auto not_an_image = SaveProfile(ana, ana.csrf_token, Part("handle", "ana"), "this is not a picture");
  EXPECT_EQ(not_an_image.status, 422);
  EXPECT_TRUE(Contains(not_an_image.body, "id=\"avatar-error\"")) << not_an_image.body;
  EXPECT_EQ(SaveProfile(ana, "wrong", Part("handle", "ana"), media::testing::Png(200, 200)).status, 403);

  auto saved = SaveProfile(ana, ana.csrf_token,
                           Part("handle", "ana") + Part("display_name", "<b>Ana</b>") + Part("bio", hostile_bio) +
                               Part("links", "https://ana.example/shop\r\n\r\n") + Part("visibility", "private"),
                           media::testing::Png(400, 400));
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(Location(saved), "/account/profile?saved=1");
  EXPECT_TRUE(Contains(Page("/account/profile?saved=1", &ana).body, "Your profile was saved."));

  auto own = Page("/people/ana", &ana);
  ASSERT_EQ(own.status, 200);
  EXPECT_TRUE(std::regex_search(own.body, std::regex("<img class=\"profile-avatar\" src=\"/api/v1/shops/[0-9]+/media/"
                                                     "[0-9]+/[^/\"]+/[0-9]+\\.webp\" alt=\"\" width=\"96\" "
                                                     "height=\"96\">")))
      << own.body;
  EXPECT_TRUE(Contains(own.body, "<h1 id=\"profile-name\">&lt;b&gt;Ana&lt;/b&gt;</h1>"));
  EXPECT_TRUE(Contains(own.body, "&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_FALSE(Contains(own.body, "<img src=x"));
  EXPECT_TRUE(Contains(own.body, "href=\"https://ana.example/shop\" rel=\"nofollow ugc noopener\""));
  EXPECT_TRUE(Contains(Page("/people/ana").body, "This profile is private"));

  auto removed = SaveProfile(
      ana, ana.csrf_token,
      Part("handle", "ana") + Part("display_name", "Ana") + Part("remove_avatar", "1") + Part("visibility", "public"));
  ASSERT_EQ(removed.status, 303) << removed.body;
  auto plain = Page("/people/ana");
  EXPECT_FALSE(Contains(plain.body, "profile-avatar"));
  EXPECT_FALSE(Contains(plain.body, "This profile is private"));
}

TEST_P(ProfilePagesTest, PostsPageThroughAnOlderPostsLink) {
  const Credentials bob = Member("bob");
  for (int i = 1; i <= 13; ++i) {
    // A new member may post 5 times an hour.
    if (i % 5 == 1) clock().Advance(std::chrono::hours(1));
    Publish(bob, "post number " + std::to_string(i) + " end");
  }
  auto first = Page("/people/bob");
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(Contains(first.body, "post number 13 end"));
  EXPECT_TRUE(Contains(first.body, "post number 2 end"));
  EXPECT_FALSE(Contains(first.body, "post number 1 end"));
  std::smatch older;
  ASSERT_TRUE(std::regex_search(first.body, older, std::regex("href=\"(/people/bob\\?after=[^\"]+)\" rel=\"next\"")))
      << first.body;
  auto second = Page(older[1].str());
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(Contains(second.body, "post number 1 end"));
  EXPECT_FALSE(Contains(second.body, "post number 13 end"));
  EXPECT_FALSE(Contains(second.body, "rel=\"next\""));
}

INSTANTIATE_TEST_SUITE_P(Backends, ProfilePagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
