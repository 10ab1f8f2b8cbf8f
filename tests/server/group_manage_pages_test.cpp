// Starting and managing a group from the storefront's plain forms over HTTP: the new-group
// form with its field errors, the owner's settings, inviting by handle until the invitee
// joins, removing members, appointing a moderator who then settles a request, and the
// refusals: a member who does not moderate, the owner who cannot be removed, a form
// without the token or sent by another site. Hostile text comes back escaped.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plaza_test/server_fixture.h"

namespace plaza::testing {
namespace {

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class GroupManagePagesTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    shop_ = CreateShop("circle");
    base_ = "/api/v1/shops/" + shop_.handle;
  }

  struct Person : CommunityMember {
    std::string Token(std::string_view rest = {}) const {
      return "csrf_token=" + session.csrf_token + std::string(rest);
    }
  };

  Person WithProfile(const std::string& handle) { return {JoinCommunity(shop_, handle)}; }

  http::testing::ClientResponse Page(const std::string& path, const std::string& cookie = {}) {
    http::Headers headers{{"Accept", "text/html"}};
    if (!cookie.empty()) headers.Set("Cookie", cookie);
    auto response = client().Get(path, headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  http::testing::ClientResponse Form(const std::string& path, const std::string& cookie, std::string body,
                                     const std::string& origin = {}) {
    http::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!cookie.empty()) headers.Set("Cookie", cookie);
    if (!origin.empty()) headers.Set("Origin", origin);
    auto response = client().Send("POST", path, std::move(body), headers);
    EXPECT_TRUE(response.ok());
    return response.ok() ? *response : http::testing::ClientResponse{};
  }

  static std::string Location(const http::testing::ClientResponse& response) {
    return std::string(response.headers.Get("Location").value_or(""));
  }

  std::int64_t Count(const std::string& table) {
    auto count = db().Read([&](store::Transaction& tx) -> Result<std::int64_t> {
      PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM " + table + " WHERE shop_id = ?", {shop_.id}));
      return row->Int(0);
    });
    return count.ok() ? *count : -1;
  }

  void MakeGroup(const Person& owner, const std::string& handle, const std::string& access) {
    auto created = Call("POST", base_ + "/customer/social/groups", owner.session,
                        R"({"handle":")" + handle + R"(","name":"Group )" + handle +
                            R"(","rules":"Be kind.","access":")" + access + R"("})");
    ASSERT_EQ(created.status, 201) << created.body;
  }

  // Invites `who` from the management page and has them accept.
  void InviteAndJoin(const Person& owner, const std::string& group, const Person& who, const std::string& handle) {
    auto invited = Form("/groups/" + group + "/invite", owner.cookie, owner.Token("&invitee=" + handle));
    ASSERT_EQ(invited.status, 303) << invited.body;
    auto joined = Form("/groups/" + group + "/join", who.cookie, who.Token());
    ASSERT_EQ(joined.status, 303) << joined.body;
  }

  TestShop shop_;
  std::string base_;
};

TEST_P(GroupManagePagesTest, ACustomerStartsAGroupFromTheFormAndRefusedFieldsKeepWhatWasTyped) {
  EXPECT_TRUE(Contains(Page("/groups").body, "href=\"/groups/new\"")) << "the list links the form";
  auto anonymous = Page("/groups/new");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(Location(anonymous), "/account/login?next=%2Fgroups%2Fnew");

  const Person ana = WithProfile("ana");
  auto form = Page("/groups/new", ana.cookie);
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_TRUE(Contains(form.body, "<h1>Start a group</h1>"));
  EXPECT_TRUE(Contains(form.body, "name=\"csrf_token\" value=\"" + ana.session.csrf_token + "\""));

  auto refused = Form("/groups/new", ana.cookie,
                      ana.Token("&handle=no+spaces&name=%3Cb%3EBakers%3C%2Fb%3E&description=Bread+%3Cscript%3E"
                                "&rules=&access=private"));
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(Contains(refused.body, "<p class=\"field-error\" role=\"alert\" id=\"handle-error\">")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "aria-describedby=\"handle-error\""));
  EXPECT_TRUE(Contains(refused.body, "value=\"&lt;b&gt;Bakers&lt;/b&gt;\"")) << "the name is kept, escaped";
  EXPECT_TRUE(Contains(refused.body, "Bread &lt;script&gt;</textarea>"));
  EXPECT_FALSE(Contains(refused.body, "<b>Bakers"));
  EXPECT_TRUE(Contains(refused.body, "value=\"private\" checked")) << "the access is kept";
  EXPECT_EQ(Count("community_groups"), 0);

  auto reserved = Form("/groups/new", ana.cookie, ana.Token("&handle=New&name=Fresh&access=public"));
  EXPECT_EQ(reserved.status, 422);
  EXPECT_TRUE(Contains(reserved.body, "The handle &quot;new&quot; is reserved; choose another.")) << reserved.body;

  auto nameless = Form("/groups/new", ana.cookie, ana.Token("&handle=bakers&name=&access=public"));
  EXPECT_EQ(nameless.status, 422);
  EXPECT_TRUE(Contains(nameless.body, "Give the group a name.")) << nameless.body;

  auto created =
      Form("/groups/new", ana.cookie,
           ana.Token("&handle=bakers&name=%3Cb%3EBakers%3C%2Fb%3E&description=Bread&rules=Share&access=private"));
  ASSERT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(Location(created), "/groups/bakers");
  auto page = Page("/groups/bakers", ana.cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "<h1>&lt;b&gt;Bakers&lt;/b&gt;</h1>")) << page.body;
  EXPECT_TRUE(Contains(page.body, "Private group"));
  EXPECT_TRUE(Contains(page.body, "You own this group."));
  EXPECT_TRUE(Contains(page.body, "href=\"/groups/bakers/manage\">Manage group</a>"));

  const Person ben = WithProfile("ben");
  auto taken = Form("/groups/new", ben.cookie, ben.Token("&handle=BAKERS&name=Other&access=public"));
  EXPECT_EQ(taken.status, 422);
  EXPECT_TRUE(Contains(taken.body, "Another group already uses this handle")) << taken.body;
  EXPECT_TRUE(Contains(taken.body, "value=\"BAKERS\""));
  EXPECT_FALSE(Contains(Page("/groups/bakers", ben.cookie).body, "Manage group")) << "only for those who manage";
  EXPECT_EQ(Count("community_groups"), 1);
}

TEST_P(GroupManagePagesTest, TheOwnerEditsTheSettingsAndHostileTextIsEscaped) {
  const Person owner = WithProfile("owner");
  MakeGroup(owner, "potters", "public");
  auto manage = Page("/groups/potters/manage", owner.cookie);
  ASSERT_EQ(manage.status, 200) << manage.body;
  EXPECT_TRUE(Contains(manage.body, "<h1>Manage Group potters</h1>")) << manage.body;
  EXPECT_TRUE(Contains(manage.body, ">Be kind.</textarea>"));
  EXPECT_TRUE(Contains(manage.body, "value=\"public\" checked"));

  auto saved =
      Form("/groups/potters/manage", owner.cookie,
           owner.Token("&name=%3Cscript%3Ealert(1)%3C%2Fscript%3E+Potters&description=Clay+%26+%3Ci%3Efire%3C%2Fi%3E"
                       "&rules=No+spam&access=private"));
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(Location(saved), "/groups/potters/manage?notice=saved");
  manage = Page(Location(saved), owner.cookie);
  EXPECT_TRUE(Contains(manage.body, "The group&#39;s settings are saved.")) << manage.body;
  EXPECT_TRUE(Contains(manage.body, "value=\"private\" checked"));

  auto page = Page("/groups/potters");
  EXPECT_TRUE(Contains(page.body, "<h1>&lt;script&gt;alert(1)&lt;/script&gt; Potters</h1>")) << page.body;
  EXPECT_TRUE(Contains(page.body, "Clay &amp; &lt;i&gt;fire&lt;/i&gt;"));
  EXPECT_FALSE(Contains(page.body, "<script>alert(1)"));
  EXPECT_TRUE(Contains(page.body, "Private group"));
  EXPECT_TRUE(Contains(page.body, "No spam"));

  auto refused = Form("/groups/potters/manage", owner.cookie,
                      owner.Token("&name=&description=Kept+%3Ctext%3E&rules=&access=public"));
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(Contains(refused.body, "id=\"name-error\"")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "Kept &lt;text&gt;</textarea>"));
  EXPECT_TRUE(Contains(Page("/groups/potters").body, "Private group")) << "nothing of the refused form is stored";
}

TEST_P(GroupManagePagesTest, AnInviteeFoundByHandleSeesTheInviteOnlyGroupAndJoinsIt) {
  const Person owner = WithProfile("host");
  const Person ivy = WithProfile("ivy");
  MakeGroup(owner, "hidden", "invite_only");
  EXPECT_FALSE(Contains(Page("/groups", ivy.cookie).body, "/groups/hidden"));

  auto unknown = Form("/groups/hidden/invite", owner.cookie, owner.Token("&invitee=%3Cnobody%3E"));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_TRUE(Contains(unknown.body, "No one in the community has the handle @&lt;nobody&gt;.")) << unknown.body;
  EXPECT_TRUE(Contains(unknown.body, "aria-describedby=\"invitee-error\""));
  EXPECT_TRUE(Contains(unknown.body, "value=\"&lt;nobody&gt;\""));
  EXPECT_EQ(Count("community_invitations"), 0);

  auto invited = Form("/groups/hidden/invite", owner.cookie, owner.Token("&invitee=%40Ivy"));
  ASSERT_EQ(invited.status, 303) << invited.body;
  EXPECT_EQ(Location(invited), "/groups/hidden/manage?notice=invited");
  EXPECT_EQ(Count("community_invitations"), 1);

  auto notifications = Page("/account/notifications", ivy.cookie);
  EXPECT_TRUE(Contains(notifications.body, "invited you to a group.")) << notifications.body;
  EXPECT_TRUE(Contains(notifications.body, "href=\"/groups/hidden\""));
  EXPECT_TRUE(Contains(Page("/groups", ivy.cookie).body, "href=\"/groups/hidden\"")) << "the invitee sees it";
  auto page = Page("/groups/hidden", ivy.cookie);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "You are invited to this group."));
  auto joined = Form("/groups/hidden/join", ivy.cookie, ivy.Token());
  ASSERT_EQ(joined.status, 303) << joined.body;
  EXPECT_TRUE(Contains(Page("/groups/hidden", ivy.cookie).body, "You are a member of this group."));
  EXPECT_TRUE(Contains(Page("/groups", ivy.cookie).body, "Your groups"));

  auto manage = Page("/groups/hidden/manage", owner.cookie);
  EXPECT_TRUE(Contains(manage.body, "href=\"/people/ivy\"")) << manage.body;
  EXPECT_TRUE(Contains(manage.body, "2 members"));
}

TEST_P(GroupManagePagesTest, TheOwnerRemovesAMemberButNobodyRemovesTheOwner) {
  const Person owner = WithProfile("keeper");
  const Person max = WithProfile("max");
  MakeGroup(owner, "chess", "public");
  ASSERT_EQ(Form("/groups/chess/join", max.cookie, max.Token()).status, 303);
  auto manage = Page("/groups/chess/manage", owner.cookie);
  const std::string remove_max = "/groups/chess/members/" + std::to_string(max.profile_id) + "/remove";
  const std::string remove_owner = "/groups/chess/members/" + std::to_string(owner.profile_id) + "/remove";
  EXPECT_TRUE(Contains(manage.body, "action=\"" + remove_max + "\"")) << manage.body;
  EXPECT_FALSE(Contains(manage.body, "action=\"" + remove_owner + "\"")) << "no button for the owner";

  auto refused = Form(remove_owner, owner.cookie, owner.Token());
  EXPECT_EQ(refused.status, 403);
  EXPECT_TRUE(Contains(refused.body, "role=\"alert\">The owner cannot be removed from the group")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "<h1>Manage Group chess</h1>")) << "the page stays usable";

  auto removed = Form(remove_max, owner.cookie, owner.Token());
  ASSERT_EQ(removed.status, 303) << removed.body;
  EXPECT_EQ(Location(removed), "/groups/chess/manage?notice=removed");
  EXPECT_TRUE(Contains(Page(Location(removed), owner.cookie).body, "The member is removed from the group."));
  EXPECT_TRUE(Contains(Page("/groups/chess", max.cookie).body, "Join the group"));
  EXPECT_TRUE(Contains(Page("/groups/chess").body, "1 member"));

  auto again = Form(remove_max, owner.cookie, owner.Token());
  EXPECT_EQ(again.status, 404);
  EXPECT_TRUE(Contains(again.body, "That person is no longer a member of the group.")) << again.body;
}

TEST_P(GroupManagePagesTest, TheMemberListPagesByItsCursor) {
  const Person owner = WithProfile("organiser");
  MakeGroup(owner, "crowd", "public");
  // The owner and 50 more: one past the page of 50.
  std::vector<Person> fans;
  for (int i = 0; i < 50; ++i) {
    fans.push_back(WithProfile("fan" + std::to_string(100 + i)));
    ASSERT_EQ(Form("/groups/crowd/join", fans.back().cookie, fans.back().Token()).status, 303);
  }
  auto first = Page("/groups/crowd/manage", owner.cookie);
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(Contains(first.body, "51 members")) << first.body;
  EXPECT_TRUE(Contains(first.body, "href=\"/people/organiser\""));
  EXPECT_TRUE(Contains(first.body, "href=\"/people/fan148\""));
  EXPECT_FALSE(Contains(first.body, "href=\"/people/fan149\""));
  const std::string marker = "href=\"/groups/crowd/manage?cursor=";
  const auto at = first.body.find(marker);
  ASSERT_NE(at, std::string::npos) << first.body;
  const auto start = at + std::string("href=\"").size();
  const std::string next = first.body.substr(start, first.body.find('"', start) - start);

  auto second = Page(next, owner.cookie);
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(Contains(second.body, "href=\"/people/fan149\"")) << second.body;
  EXPECT_FALSE(Contains(second.body, "href=\"/people/organiser\""));
  EXPECT_FALSE(Contains(second.body, "More members"));
  auto bogus = Page("/groups/crowd/manage?cursor=not-ours", owner.cookie);
  EXPECT_EQ(bogus.status, 200);
  EXPECT_TRUE(Contains(bogus.body, "href=\"/people/organiser\"")) << "a cursor it did not give starts over";
}

TEST_P(GroupManagePagesTest, AnAppointedModeratorApprovesARequestButDoesNotAppointOthers) {
  const Person owner = WithProfile("founder");
  const Person mia = WithProfile("mia");
  const Person ray = WithProfile("ray");
  MakeGroup(owner, "choir", "private");
  InviteAndJoin(owner, "choir", mia, "mia");
  EXPECT_EQ(Page("/groups/choir/manage", mia.cookie).status, 403) << "a member does not manage";

  const std::string mia_role = "/groups/choir/members/" + std::to_string(mia.profile_id) + "/role";
  EXPECT_TRUE(Contains(Page("/groups/choir/manage", owner.cookie).body, "action=\"" + mia_role + "\""));
  auto appointed = Form(mia_role, owner.cookie, owner.Token("&role=moderator"));
  ASSERT_EQ(appointed.status, 303) << appointed.body;
  EXPECT_EQ(Location(appointed), "/groups/choir/manage?notice=moderator");
  EXPECT_TRUE(Contains(Page("/groups/choir", mia.cookie).body, "You are a moderator of this group."));

  ASSERT_EQ(Form("/groups/choir/join", ray.cookie, ray.Token()).status, 303);
  auto manage = Page("/groups/choir/manage", mia.cookie);
  ASSERT_EQ(manage.status, 200) << manage.body;
  const std::string approve = "/groups/choir/requests/" + std::to_string(ray.profile_id) + "/approve";
  EXPECT_TRUE(Contains(manage.body, "action=\"" + approve + "\"")) << manage.body;
  EXPECT_TRUE(Contains(manage.body, "name=\"return\" value=\"manage\""));
  EXPECT_FALSE(Contains(manage.body, "Make moderator")) << "only the owner appoints";
  auto approved = Form(approve, mia.cookie, mia.Token("&return=manage"));
  ASSERT_EQ(approved.status, 303) << approved.body;
  EXPECT_EQ(Location(approved), "/groups/choir/manage");
  EXPECT_TRUE(Contains(Page("/groups/choir", ray.cookie).body, "You are a member of this group."));

  const std::string ray_role = "/groups/choir/members/" + std::to_string(ray.profile_id) + "/role";
  auto not_owner = Form(ray_role, mia.cookie, mia.Token("&role=moderator"));
  EXPECT_EQ(not_owner.status, 403);
  EXPECT_TRUE(Contains(not_owner.body, "Only the owner appoints moderators.")) << not_owner.body;
  EXPECT_TRUE(Contains(Page("/groups/choir", ray.cookie).body, "You are a member of this group."));

  const std::string remove_ray = "/groups/choir/members/" + std::to_string(ray.profile_id) + "/remove";
  const std::string remove_owner = "/groups/choir/members/" + std::to_string(owner.profile_id) + "/remove";
  manage = Page("/groups/choir/manage", mia.cookie);
  EXPECT_TRUE(Contains(manage.body, "action=\"" + remove_ray + "\"")) << manage.body;
  EXPECT_FALSE(Contains(manage.body, "action=\"" + remove_owner + "\""));
  EXPECT_EQ(Form(remove_owner, mia.cookie, mia.Token()).status, 403);
  ASSERT_EQ(Form(remove_ray, mia.cookie, mia.Token()).status, 303) << "a moderator removes a member";
  EXPECT_TRUE(Contains(Page("/groups/choir", ray.cookie).body, "Ask to join"));

  auto demoted = Form(mia_role, owner.cookie, owner.Token("&role=member"));
  ASSERT_EQ(demoted.status, 303) << demoted.body;
  EXPECT_EQ(Page("/groups/choir/manage", mia.cookie).status, 403);
}

TEST_P(GroupManagePagesTest, ThoseWhoDoNotManageAreRefusedAndAHiddenGroupStaysHidden) {
  const Person owner = WithProfile("boss");
  const Person sam = WithProfile("sam");
  MakeGroup(owner, "runners", "public");
  MakeGroup(owner, "secret", "invite_only");
  ASSERT_EQ(Form("/groups/runners/join", sam.cookie, sam.Token()).status, 303);

  auto anonymous = Page("/groups/runners/manage");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_EQ(Location(anonymous), "/account/login?next=%2Fgroups%2Frunners%2Fmanage");
  auto member = Page("/groups/runners/manage", sam.cookie);
  EXPECT_EQ(member.status, 403);
  EXPECT_TRUE(Contains(member.body, "Only the group&#39;s owner and its moderators can manage it.")) << member.body;
  EXPECT_FALSE(Contains(Page("/groups/runners", sam.cookie).body, "Manage group"));
  EXPECT_EQ(Page("/groups/secret/manage", sam.cookie).status, 404);

  auto edit = Form("/groups/runners/manage", sam.cookie, sam.Token("&name=Taken&access=public"));
  EXPECT_EQ(edit.status, 403);
  auto invite = Form("/groups/runners/invite", sam.cookie, sam.Token("&invitee=boss"));
  EXPECT_EQ(invite.status, 403);
  auto remove =
      Form("/groups/runners/members/" + std::to_string(owner.profile_id) + "/remove", sam.cookie, sam.Token());
  EXPECT_EQ(remove.status, 403);
  EXPECT_EQ(Form("/groups/secret/invite", sam.cookie, sam.Token("&invitee=sam")).status, 404);
  EXPECT_TRUE(Contains(Page("/groups/runners").body, "<h1>Group runners</h1>"));
  EXPECT_TRUE(Contains(Page("/groups/runners").body, "2 members"));
  EXPECT_EQ(Count("community_invitations"), 0);
}

TEST_P(GroupManagePagesTest, AFormWithoutTheTokenOrFromAnotherSiteChangesNothing) {
  const Person owner = WithProfile("chief");
  const Person zoe = WithProfile("zoe");
  MakeGroup(owner, "cyclists", "public");
  ASSERT_EQ(Form("/groups/cyclists/join", zoe.cookie, zoe.Token()).status, 303);
  const std::string evil = "https://evil.example";

  EXPECT_EQ(Form("/groups/new", owner.cookie, "csrf_token=guess&handle=forged&name=Forged&access=public").status, 403);
  EXPECT_EQ(Form("/groups/new", owner.cookie, owner.Token("&handle=forged&name=Forged&access=public"), evil).status,
            403);
  EXPECT_EQ(Count("community_groups"), 1);

  EXPECT_EQ(Form("/groups/cyclists/manage", owner.cookie, "csrf_token=guess&name=Forged&access=private").status, 403);
  auto cross = Form("/groups/cyclists/manage", owner.cookie, owner.Token("&name=Forged&access=private"), evil);
  EXPECT_EQ(cross.status, 403);
  EXPECT_TRUE(Contains(cross.body, "sent from another site")) << cross.body;
  EXPECT_TRUE(Contains(Page("/groups/cyclists").body, "<h1>Group cyclists</h1>"));
  EXPECT_TRUE(Contains(Page("/groups/cyclists").body, "Public group"));

  EXPECT_EQ(Form("/groups/cyclists/invite", owner.cookie, "csrf_token=&invitee=zoe").status, 403);
  const std::string zoe_member = "/groups/cyclists/members/" + std::to_string(zoe.profile_id);
  EXPECT_EQ(Form(zoe_member + "/remove", owner.cookie, "csrf_token=guess").status, 403);
  EXPECT_EQ(Form(zoe_member + "/remove", owner.cookie, owner.Token(), evil).status, 403);
  EXPECT_EQ(Form(zoe_member + "/role", owner.cookie, owner.Token("&role=moderator"), evil).status, 403);
  EXPECT_TRUE(Contains(Page("/groups/cyclists", zoe.cookie).body, "You are a member of this group."));
  EXPECT_EQ(Count("community_invitations"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupManagePagesTest, ::testing::ValuesIn(TestBackends()), BackendName());

}  // namespace
}  // namespace plaza::testing
