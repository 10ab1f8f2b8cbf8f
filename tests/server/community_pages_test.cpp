// The community pages over HTTP: an idea submitted from the form, supported to the
// threshold the admin set, accepted into a draft product or declined with a reason the
// author reads; groups joined, requested, approved and pinned from plain forms; private
// and invite-only groups keeping their content; staff creating groups and VIP rules.
// Hostile text is escaped, forms without the CSRF token change nothing, and every
// successful form answers 303 to the page it came from.

#include <gtest/gtest.h>

#include <string>

#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class CommunityPagesTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("gathering");
    base_ = "/api/v1/shops/" + shop_.handle;
  }

  using Person = CommunityMember;

  Person WithProfile(const std::string& handle) { return JoinCommunity(shop_, handle); }

  http::testing::ClientResponse Page(const std::string& path, const std::string& cookie = {}) {
    http::Headers headers{{"Accept", "text/html"}};
    if (!cookie.empty()) headers.Set("Cookie", cookie);
    auto response = client().Get(path, headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse Form(const std::string& path, const std::string& cookie, std::string body) {
    http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!cookie.empty()) headers.Set("Cookie", cookie);
    auto response = client().Send("POST", path, std::move(body), headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  static std::string Location(const http::testing::ClientResponse& response) {
    return std::string(response.headers.Get("Location").value_or(""));
  }

  static std::string CsrfIn(const std::string& body) {
    const std::string marker = "name=\"csrf_token\" value=\"";
    const auto at = body.find(marker);
    if (at == std::string::npos) return {};
    const auto start = at + marker.size();
    return body.substr(start, body.find('"', start) - start);
  }

  std::string StaffCookie() {
    std::string email = shop_.owner_email;
    email.replace(email.find('@'), 1, "%40");
    auto response =
        Form("/admin/login", {}, "shop=" + shop_.handle + "&email=" + email + "&password=" + shop_.owner_password);
    EXPECT_EQ(response.status, 303) << response.body;
    return "plaza_staff=" + SetCookieValue(response.headers, "plaza_staff");
  }

  // Submits an idea from the form and answers its page's path.
  std::string SubmitIdea(const Person& author, const std::string& encoded_title) {
    const std::string csrf = CsrfIn(Page("/ideas/new", author.cookie).body);
    EXPECT_EQ(csrf, author.session.csrf_token);
    auto posted = Form("/ideas", author.cookie,
                       "csrf_token=" + csrf + "&title=" + encoded_title + "&description=Warm+light%0AFor+reading");
    EXPECT_EQ(posted.status, 303) << posted.body;
    return Location(posted);
  }

  std::int64_t Count(const std::string& table) {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table + " WHERE shop_id = ?", {shop_.id}));
      return row->Int(0);
    });
    return count.ok() ? *count : -1;
  }

  std::int64_t MakeGroup(const Person& owner, const std::string& handle, const std::string& access) {
    auto created = Call("POST", base_ + "/customer/social/groups", owner.session,
                        R"({"handle":")" + handle + R"(","name":"<i>)" + handle +
                            R"(</i>","rules":"Be kind.","access":")" + access + R"("})");
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.Json().at("id").as_int64() : 0;
  }

  std::int64_t PostIn(const Person& author, std::int64_t group_id, const std::string& text) {
    auto created = Call("POST", base_ + "/customer/social/posts", author.session,
                        R"({"text":")" + text + R"(","group_id":)" + std::to_string(group_id) + "}");
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.Json().at("id").as_int64() : 0;
  }

  TestShop shop_;
  std::string base_;
};

TEST_P(CommunityPagesTest, AnIdeaReachesTheThresholdAndIsAcceptedIntoADraftProduct) {
  const Person ana = WithProfile("ana");
  const Person ben = WithProfile("ben");
  const std::string path = SubmitIdea(ana, "A+%3Cb%3Ereading%3C%2Fb%3E+lamp");
  ASSERT_TRUE(path.starts_with("/ideas/")) << path;
  const std::string idea_id = path.substr(7);

  auto page = Page(path);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Contains(page.body, "<h1>A &lt;b&gt;reading&lt;/b&gt; lamp</h1>")) << page.body;
  EXPECT_FALSE(Contains(page.body, "<b>reading"));
  EXPECT_TRUE(Contains(page.body, "href=\"/people/ana\"")) << "the author is credited";
  EXPECT_TRUE(Contains(page.body, "0 supporters of 100 needed"));
  EXPECT_TRUE(Contains(page.body, "/account/login?next=%2Fideas%2F" + idea_id)) << "a visitor is offered to log in";
  EXPECT_FALSE(Contains(Page(path, ana.cookie).body, "Support this idea")) << "nobody supports their own idea";

  const std::string staff = StaffCookie();
  const std::string staff_csrf = CsrfIn(Page("/admin/ideas", staff).body);
  auto saved = Form("/admin/ideas/settings", staff, "csrf_token=" + staff_csrf + "&support_threshold=1");
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(Location(saved), "/admin/ideas?notice=saved");

  auto supported = Form(path + "/support", ben.cookie, "csrf_token=" + ben.session.csrf_token);
  ASSERT_EQ(supported.status, 303) << supported.body;
  EXPECT_EQ(Location(supported), path);
  page = Page(path, ben.cookie);
  EXPECT_TRUE(Contains(page.body, "1 supporter of 1 needed")) << page.body;
  EXPECT_TRUE(Contains(page.body, "In review by the shop"));
  EXPECT_TRUE(Contains(page.body, "Withdraw my support"));

  // The board ranks the supported idea above a newer one without support.
  SubmitIdea(ana, "Plain+mugs");
  auto board = Page("/ideas");
  ASSERT_EQ(board.status, 200);
  EXPECT_LT(board.body.find("reading&lt;/b&gt; lamp"), board.body.find("Plain mugs")) << board.body;
  auto newest = Page("/ideas?sort=newest");
  EXPECT_GT(newest.body.find("reading&lt;/b&gt; lamp"), newest.body.find("Plain mugs")) << newest.body;

  auto queue = Page("/admin/ideas", staff);
  ASSERT_EQ(queue.status, 200);
  EXPECT_TRUE(Contains(queue.body, "href=\"/admin/ideas/" + idea_id + "\">A &lt;b&gt;reading&lt;/b&gt; lamp"))
      << queue.body;
  auto accepted = Form("/admin/ideas/" + idea_id + "/accept", staff, "csrf_token=" + staff_csrf);
  ASSERT_EQ(accepted.status, 303) << accepted.body;
  EXPECT_EQ(Location(accepted), "/admin/ideas/" + idea_id + "?notice=accepted");
  auto decided = Page("/admin/ideas/" + idea_id, staff);
  EXPECT_TRUE(Contains(decided.body, "href=\"/admin/products/")) << decided.body;
  EXPECT_EQ(Count("catalog_products"), 1);

  page = Page(path);
  EXPECT_TRUE(Contains(page.body, "The shop accepted this idea"));
  EXPECT_TRUE(Contains(page.body, "Support is closed"));
  EXPECT_FALSE(Contains(page.body, "/products/")) << "a draft product is not linked from the storefront";
}

TEST_P(CommunityPagesTest, ADeclinedIdeaShowsTheReasonAndAnEmptyReasonIsRefusedAtItsField) {
  const Person cleo = WithProfile("cleo");
  const std::string path = SubmitIdea(cleo, "Wool+socks");
  const std::string idea_id = path.substr(7);
  const std::string staff = StaffCookie();
  const std::string staff_csrf = CsrfIn(Page("/admin/ideas/" + idea_id, staff).body);

  auto refused = Form("/admin/ideas/" + idea_id + "/decline", staff, "csrf_token=" + staff_csrf + "&reason=");
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(Contains(refused.body, "Give the author a reason.")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "role=\"alert\""));

  auto declined = Form("/admin/ideas/" + idea_id + "/decline", staff,
                       "csrf_token=" + staff_csrf + "&reason=We+already+sell+%3Cscript%3Esocks");
  ASSERT_EQ(declined.status, 303) << declined.body;
  auto page = Page(path);
  EXPECT_TRUE(Contains(page.body, "The shop declined this idea."));
  EXPECT_TRUE(Contains(page.body, "We already sell &lt;script&gt;socks")) << page.body;
  EXPECT_FALSE(Contains(page.body, "<script>socks"));
  auto list = Page("/ideas?status=declined");
  EXPECT_TRUE(Contains(list.body, "Wool socks"));
  EXPECT_TRUE(Contains(list.body, "href=\"/ideas?status=declined&amp;sort=newest\"")) << list.body;
  EXPECT_FALSE(Contains(Page("/ideas?status=open").body, "Wool socks"));
}

TEST_P(CommunityPagesTest, IdeaFormsNeedASessionAProfileAndTheToken) {
  auto anonymous = Page("/ideas/new");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(Location(anonymous), "/account/login?next=%2Fideas%2Fnew");

  const Credentials bare = SignUpCustomer(shop_, "bare@example.com");
  const std::string bare_cookie(bare.headers.Get("Cookie").value_or(""));
  auto no_profile = Page("/ideas/new", bare_cookie);
  EXPECT_EQ(no_profile.status, 303);
  EXPECT_TRUE(Location(no_profile).starts_with("/account/profile/new?next=")) << Location(no_profile);

  const Person dan = WithProfile("dan");
  EXPECT_EQ(Form("/ideas", dan.cookie, "csrf_token=guess&title=Hat&description=Wool").status, 403);
  EXPECT_EQ(Count("community_ideas"), 0);

  auto invalid =
      Form("/ideas", dan.cookie, "csrf_token=" + dan.session.csrf_token + "&title=&description=Kept+%3Ctext%3E");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_TRUE(Contains(invalid.body, "id=\"title-error\"")) << invalid.body;
  EXPECT_TRUE(Contains(invalid.body, "aria-describedby=\"title-error\""));
  EXPECT_TRUE(Contains(invalid.body, "Kept &lt;text&gt;</textarea>"));
  EXPECT_EQ(Count("community_ideas"), 0);
}

TEST_P(CommunityPagesTest, APrivateGroupIsRequestedApprovedAndItsPinnedPostComesFirst) {
  const Person owner = WithProfile("owner");
  const Person eve = WithProfile("eve");
  const std::int64_t group = MakeGroup(owner, "knitters", "private");
  const std::int64_t first = PostIn(owner, group, "First post");
  const std::int64_t second = PostIn(owner, group, "Second post");
  ASSERT_GT(second, first);

  auto outside = Page("/groups/knitters", eve.cookie);
  ASSERT_EQ(outside.status, 200) << outside.body;
  EXPECT_TRUE(Contains(outside.body, "<h1>&lt;i&gt;knitters&lt;/i&gt;</h1>")) << outside.body;
  EXPECT_TRUE(Contains(outside.body, "Posts in this group are for its members."));
  EXPECT_FALSE(Contains(outside.body, "First post"));
  EXPECT_TRUE(Contains(outside.body, "Ask to join"));

  EXPECT_EQ(Form("/groups/knitters/join", eve.cookie, "csrf_token=guess").status, 403);
  auto asked = Form("/groups/knitters/join", eve.cookie, "csrf_token=" + eve.session.csrf_token);
  ASSERT_EQ(asked.status, 303) << asked.body;
  EXPECT_EQ(Location(asked), "/groups/knitters");
  EXPECT_TRUE(Contains(Page("/groups/knitters", eve.cookie).body, "Your request to join is waiting"));

  auto moderating = Page("/groups/knitters", owner.cookie);
  EXPECT_TRUE(Contains(moderating.body, "Requests to join"));
  const std::string approve = "/groups/knitters/requests/" + std::to_string(eve.profile_id) + "/approve";
  EXPECT_TRUE(Contains(moderating.body, "action=\"" + approve + "\"")) << moderating.body;
  ASSERT_EQ(Form(approve, owner.cookie, "csrf_token=" + owner.session.csrf_token).status, 303);

  auto pinned = Form("/groups/knitters/pins/" + std::to_string(first), owner.cookie,
                     "csrf_token=" + owner.session.csrf_token + "&action=pin");
  ASSERT_EQ(pinned.status, 303) << pinned.body;
  auto inside = Page("/groups/knitters", eve.cookie);
  ASSERT_EQ(inside.status, 200);
  EXPECT_TRUE(Contains(inside.body, "You are a member of this group."));
  EXPECT_TRUE(Contains(inside.body, "href=\"/posts/new?group=knitters\""));
  const auto pin_label = inside.body.find("Pinned");
  const auto first_at = inside.body.find("First post");
  const auto second_at = inside.body.find("Second post");
  ASSERT_NE(pin_label, std::string::npos) << inside.body;
  ASSERT_NE(first_at, std::string::npos);
  ASSERT_NE(second_at, std::string::npos);
  EXPECT_LT(pin_label, first_at);
  EXPECT_LT(first_at, second_at) << "the pinned older post comes before the newer one";
  EXPECT_FALSE(Contains(inside.body, "Pin to the top")) << "members do not moderate";
  EXPECT_FALSE(Contains(Page("/groups/knitters").body, "First post")) << "anonymous visitors see no content";
}

TEST_P(CommunityPagesTest, AnInviteOnlyGroupIsAbsentForStrangers) {
  const Person owner = WithProfile("host");
  const Person stranger = WithProfile("stranger");
  MakeGroup(owner, "secret", "invite_only");
  MakeGroup(owner, "open", "public");
  EXPECT_EQ(Page("/groups/secret").status, 404);
  EXPECT_EQ(Page("/groups/secret", stranger.cookie).status, 404);
  EXPECT_EQ(Form("/groups/secret/join", stranger.cookie, "csrf_token=" + stranger.session.csrf_token).status, 404);
  auto list = Page("/groups", stranger.cookie);
  EXPECT_FALSE(Contains(list.body, "/groups/secret"));
  EXPECT_TRUE(Contains(list.body, "/groups/open"));
  EXPECT_TRUE(Contains(Page("/groups", owner.cookie).body, "/groups/secret")) << "its owner sees it";

  auto joined = Form("/groups/open/join", stranger.cookie, "csrf_token=" + stranger.session.csrf_token);
  ASSERT_EQ(joined.status, 303);
  auto page = Page("/groups/open", stranger.cookie);
  EXPECT_TRUE(Contains(page.body, "2 members")) << page.body;
  EXPECT_TRUE(Contains(Page("/groups", stranger.cookie).body, "Your groups"));
}

TEST_P(CommunityPagesTest, StaffCreateAGroupForABrandProfileWithAVipRule) {
  const Credentials owner = LogInStaff(shop_, shop_.owner_email, shop_.owner_password);
  auto brand = Call("POST", base_ + "/social/managed-profiles", owner,
                    R"({"handle":"atelier","display_name":"The Atelier","kind":"brand"})");
  ASSERT_EQ(brand.status, 201) << brand.body;
  const Person customer = WithProfile("fan");
  const std::string staff = StaffCookie();
  const std::string csrf = CsrfIn(Page("/admin/groups", staff).body);

  auto not_brand =
      Form("/admin/groups", staff, "csrf_token=" + csrf + "&handle=club&name=Club&access=public&owner=fan");
  EXPECT_EQ(not_brand.status, 422);
  EXPECT_TRUE(Contains(not_brand.body, "No brand or creator profile of the shop has this handle.")) << not_brand.body;
  auto bad_handle =
      Form("/admin/groups", staff, "csrf_token=" + csrf + "&handle=no+spaces&name=Club&access=public&owner=atelier");
  EXPECT_EQ(bad_handle.status, 422);
  EXPECT_TRUE(Contains(bad_handle.body, "id=\"f-handle-error\"")) << bad_handle.body;
  EXPECT_EQ(Count("community_groups"), 0);

  auto created =
      Form("/admin/groups", staff, "csrf_token=" + csrf + "&handle=insiders&name=Insiders&access=public&owner=atelier");
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string group_path = Location(created).substr(0, Location(created).find('?'));
  ASSERT_TRUE(group_path.starts_with("/admin/groups/")) << group_path;

  auto vip = Form(group_path + "/vip", staff,
                  "csrf_token=" + csrf + "&rule=orders&min_paid_orders=2&member_tag=insiders&customer_tag=");
  ASSERT_EQ(vip.status, 303) << vip.body;
  auto admin_page = Page(group_path, staff);
  EXPECT_TRUE(Contains(admin_page.body, "At least 2 paid orders")) << admin_page.body;
  EXPECT_TRUE(Contains(admin_page.body, "Member-only promotion"));

  auto storefront = Page("/groups/insiders", customer.cookie);
  EXPECT_TRUE(Contains(storefront.body, "VIP group for customers with at least 2 paid orders.")) << storefront.body;
  auto refused = Form("/groups/insiders/join", customer.cookie, "csrf_token=" + customer.session.csrf_token);
  EXPECT_EQ(refused.status, 403);
  EXPECT_TRUE(Contains(refused.body, "paid orders")) << refused.body;
  EXPECT_TRUE(Contains(Page("/groups/insiders").body, "1 member")) << "only the owner";
}

TEST_P(CommunityPagesTest, AnotherShopsIdeasAndGroupsAreAbsentInTheAdmin) {
  const TestShop other = CreateShop("elsewhere");
  const Credentials customer = SignUpCustomer(other, "x@example.com");
  auto profile = Call("POST", "/api/v1/shops/" + other.handle + "/customer/social/profile", customer,
                      R"({"handle":"xavier","display_name":"Xavier"})");
  ASSERT_EQ(profile.status, 201);
  auto idea = Call("POST", "/api/v1/shops/" + other.handle + "/customer/social/ideas", customer,
                   R"({"title":"Theirs","description":"Not ours"})");
  ASSERT_EQ(idea.status, 201) << idea.body;
  auto group = Call("POST", "/api/v1/shops/" + other.handle + "/customer/social/groups", customer,
                    R"({"handle":"theirs","name":"Theirs","access":"public"})");
  ASSERT_EQ(group.status, 201) << group.body;
  const std::string staff = StaffCookie();
  EXPECT_EQ(Page("/admin/ideas/" + std::to_string(idea.Json().at("id").as_int64()), staff).status, 404);
  EXPECT_EQ(Page("/admin/groups/" + std::to_string(group.Json().at("id").as_int64()), staff).status, 404);
  EXPECT_FALSE(Contains(Page("/admin/ideas?status=all", staff).body, "Theirs"));
}

INSTANTIATE_TEST_SUITE_P(Backends, CommunityPagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
