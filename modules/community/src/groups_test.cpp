#include "plaza/community/groups.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "community_test_fixture.h"

namespace plaza::community {
namespace {

using testing::CommunityTest;

class GroupsTest : public CommunityTest {
 protected:
  Group Make(std::int64_t owner, const std::string& handle, GroupAccess access) {
    auto group = groups_.CreateGroup(
        shop_, owner, {.handle = handle, .name = "The " + handle, .rules = "Be kind.", .access = access});
    EXPECT_TRUE(group.ok()) << group.error().type << ": " << group.error().detail;
    return group.ok() ? *group : Group{};
  }

  bool Listed(std::optional<std::int64_t> viewer, std::int64_t group_id) {
    auto page = groups_.ListGroups(shop_, viewer, {.limit = 100});
    EXPECT_TRUE(page.ok());
    if (!page.ok()) return false;
    return std::any_of(page->groups.begin(), page->groups.end(), [&](const Group& g) { return g.id == group_id; });
  }
};

TEST_P(GroupsTest, CreatorOwnsTheGroupAndHandlesAreUniqueIgnoringCase) {
  const std::int64_t owner = Profile("maker");
  const Group group = Make(owner, "Knitters", GroupAccess::kPublic);
  EXPECT_EQ(group.owner_profile_id, owner);
  EXPECT_EQ(group.members_count, 1);
  auto view = groups_.ViewGroup(shop_, "knitters", owner);
  PLAZA_ASSERT_OK(view);
  EXPECT_EQ(view->standing.role, MemberRole::kOwner);
  auto clash = groups_.CreateGroup(shop_, owner, {.handle = "KNITTERS", .name = "Again"});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().type, "community/handle-taken");
  EXPECT_EQ(clash.error().field, "/handle");
}

TEST_P(GroupsTest, TheHandleNewIsReservedForTheStorefrontsForm) {
  const std::int64_t owner = Profile("maker");
  for (const char* handle : {"new", "New", "NEW"}) {
    auto refused = groups_.CreateGroup(shop_, owner, {.handle = handle, .name = "Fresh"});
    ASSERT_FALSE(refused.ok()) << handle;
    EXPECT_EQ(refused.error().type, "community/reserved-handle");
    EXPECT_EQ(refused.error().field, "/handle");
  }
  PLAZA_ASSERT_OK(groups_.CreateGroup(shop_, owner, {.handle = "new.arrivals", .name = "New arrivals"}));
}

TEST_P(GroupsTest, PublicGroupIsOpenToAllAndJoinedAtOnce) {
  const Group group = Make(Profile("maker"), "open", GroupAccess::kPublic);
  const std::int64_t visitor = Profile("visitor");
  auto anonymous = groups_.ViewGroupById(shop_, group.id, std::nullopt);
  PLAZA_ASSERT_OK(anonymous);
  EXPECT_TRUE(anonymous->content_visible);
  EXPECT_TRUE(Listed(std::nullopt, group.id));
  auto joined = groups_.Join(shop_, visitor, group.id);
  PLAZA_ASSERT_OK(joined);
  EXPECT_EQ(*joined, JoinOutcome::kJoined);
  auto again = groups_.Join(shop_, visitor, group.id);
  PLAZA_ASSERT_OK(again);
  EXPECT_EQ(*again, JoinOutcome::kJoined);
  EXPECT_EQ(groups_.ViewGroupById(shop_, group.id, visitor)->group.members_count, 2);
  auto members = groups_.ListMembers(shop_, std::nullopt, group.id, {});
  PLAZA_ASSERT_OK(members);
  EXPECT_EQ(members->members.size(), 2u);
  PLAZA_ASSERT_OK(groups_.Leave(shop_, visitor, group.id));
  EXPECT_EQ(groups_.ViewGroupById(shop_, group.id, visitor)->group.members_count, 1);
}

TEST_P(GroupsTest, PrivateGroupIsListedButItsContentIsForMembersApprovedByModerators) {
  const std::int64_t owner = Profile("maker");
  const std::int64_t moderator = Profile("helper");
  const std::int64_t asker = Profile("asker");
  const Group group = Make(owner, "inner", GroupAccess::kPrivate);
  EXPECT_TRUE(Listed(std::nullopt, group.id));
  auto outside = groups_.ViewGroupById(shop_, group.id, asker);
  PLAZA_ASSERT_OK(outside);
  EXPECT_FALSE(outside->content_visible);
  EXPECT_EQ(outside->group.rules, "Be kind.");
  auto members = groups_.ListMembers(shop_, asker, group.id, {});
  ASSERT_FALSE(members.ok());
  EXPECT_EQ(members.error().type, "community/members-only");
  auto may_read = db().Read([&](store::Transaction& tx) { return MayReadGroup(tx, shop_, group.id, asker); });
  PLAZA_ASSERT_OK(may_read);
  EXPECT_FALSE(*may_read);

  // The owner appoints a moderator, who then settles requests.
  auto invited = groups_.Invite(shop_, owner, group.id, moderator);
  PLAZA_ASSERT_OK(invited);
  PLAZA_ASSERT_OK(groups_.Join(shop_, moderator, group.id));
  PLAZA_ASSERT_OK(groups_.SetModerator(shop_, owner, group.id, moderator, true));

  auto requested = groups_.Join(shop_, asker, group.id);
  PLAZA_ASSERT_OK(requested);
  EXPECT_EQ(*requested, JoinOutcome::kRequested);
  EXPECT_TRUE(groups_.ViewGroupById(shop_, group.id, asker)->standing.requested);
  // A plain member cannot approve.
  const std::int64_t other = Profile("other");
  PLAZA_ASSERT_OK(groups_.Invite(shop_, moderator, group.id, other));
  PLAZA_ASSERT_OK(groups_.Join(shop_, other, group.id));
  auto refused = groups_.ApproveRequest(shop_, other, group.id, asker);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "community/not-moderator");
  auto requests = groups_.ListRequests(shop_, moderator, group.id);
  PLAZA_ASSERT_OK(requests);
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_EQ(requests->at(0).profile_id, asker);
  PLAZA_ASSERT_OK(groups_.ApproveRequest(shop_, moderator, group.id, asker));
  auto inside = groups_.ViewGroupById(shop_, group.id, asker);
  PLAZA_ASSERT_OK(inside);
  EXPECT_TRUE(inside->content_visible);
  EXPECT_EQ(inside->standing.role, MemberRole::kMember);
  auto may_post = db().Read([&](store::Transaction& tx) { return MayPostInGroup(tx, shop_, group.id, asker); });
  PLAZA_ASSERT_OK(may_post);
  EXPECT_TRUE(*may_post);
  EXPECT_EQ(inside->group.members_count, 4);
  // A second approval finds nothing pending.
  EXPECT_EQ(groups_.ApproveRequest(shop_, moderator, group.id, asker).error().code, ErrorCode::kNotFound);
}

TEST_P(GroupsTest, DeclinedRequestLeavesNoMembershipAndMakingThePrivateGroupPublicAdmitsPendingRequests) {
  const std::int64_t owner = Profile("maker");
  const Group group = Make(owner, "inner", GroupAccess::kPrivate);
  const std::int64_t first = Profile("first");
  const std::int64_t second = Profile("second");
  PLAZA_ASSERT_OK(groups_.Join(shop_, first, group.id));
  PLAZA_ASSERT_OK(groups_.Join(shop_, second, group.id));
  PLAZA_ASSERT_OK(groups_.DeclineRequest(shop_, owner, group.id, first));
  EXPECT_FALSE(groups_.ViewGroupById(shop_, group.id, first)->standing.requested);
  auto opened = groups_.UpdateGroup(shop_, owner, group.id, {.access = GroupAccess::kPublic});
  PLAZA_ASSERT_OK(opened);
  EXPECT_EQ(opened->members_count, 2);
  EXPECT_EQ(groups_.ViewGroupById(shop_, group.id, second)->standing.role, MemberRole::kMember);
  EXPECT_FALSE(groups_.ViewGroupById(shop_, group.id, first)->standing.role.has_value());
}

TEST_P(GroupsTest, InviteOnlyGroupIsAbsentForEveryoneButMembersAndInvitees) {
  const std::int64_t owner = Profile("maker");
  const std::int64_t invitee = Profile("invitee");
  const std::int64_t stranger = Profile("stranger");
  const Group group = Make(owner, "secret", GroupAccess::kInviteOnly);
  for (std::optional<std::int64_t> viewer : {std::optional<std::int64_t>(), std::optional<std::int64_t>(stranger)}) {
    EXPECT_EQ(groups_.ViewGroupById(shop_, group.id, viewer).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(groups_.ViewGroup(shop_, "secret", viewer).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(groups_.ListMembers(shop_, viewer, group.id, {}).error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(Listed(viewer, group.id));
  }
  EXPECT_EQ(groups_.Join(shop_, stranger, group.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.Leave(shop_, stranger, group.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.Invite(shop_, stranger, group.id, invitee).error().code, ErrorCode::kNotFound);

  PLAZA_ASSERT_OK(groups_.Invite(shop_, owner, group.id, invitee));
  EXPECT_TRUE(Listed(invitee, group.id));
  auto seen = groups_.ViewGroupById(shop_, group.id, invitee);
  PLAZA_ASSERT_OK(seen);
  EXPECT_TRUE(seen->standing.invited);
  EXPECT_FALSE(seen->content_visible);
  auto joined = groups_.Join(shop_, invitee, group.id);
  PLAZA_ASSERT_OK(joined);
  EXPECT_EQ(*joined, JoinOutcome::kJoined);
  EXPECT_TRUE(groups_.ViewGroupById(shop_, group.id, invitee)->content_visible);
  EXPECT_FALSE(Listed(stranger, group.id));
  auto mine = groups_.ListMyGroups(shop_, invitee, {});
  PLAZA_ASSERT_OK(mine);
  ASSERT_EQ(mine->groups.size(), 1u);
  EXPECT_EQ(mine->groups[0].id, group.id);
}

TEST_P(GroupsTest, OnlyTheOwnerAppointsAndRemovesModeratorsAndNobodyRemovesTheOwner) {
  const std::int64_t owner = Profile("maker");
  const std::int64_t moderator = Profile("helper");
  const std::int64_t member = Profile("member");
  const Group group = Make(owner, "open", GroupAccess::kPublic);
  PLAZA_ASSERT_OK(groups_.Join(shop_, moderator, group.id));
  PLAZA_ASSERT_OK(groups_.Join(shop_, member, group.id));
  PLAZA_ASSERT_OK(groups_.SetModerator(shop_, owner, group.id, moderator, true));
  EXPECT_EQ(groups_.SetModerator(shop_, moderator, group.id, member, true).error().type, "community/not-owner");
  EXPECT_EQ(groups_.RemoveMember(shop_, moderator, group.id, owner).error().type, "community/not-owner");
  EXPECT_EQ(groups_.Leave(shop_, owner, group.id).error().type, "community/owner-cannot-leave");
  PLAZA_ASSERT_OK(groups_.RemoveMember(shop_, moderator, group.id, member));
  EXPECT_FALSE(groups_.ViewGroupById(shop_, group.id, member)->standing.role.has_value());
  PLAZA_ASSERT_OK(groups_.RemoveMember(shop_, owner, group.id, moderator));
  EXPECT_EQ(groups_.ViewGroupById(shop_, group.id, owner)->group.members_count, 1);
}

TEST_P(GroupsTest, ModeratorsPinAFewPostsOfTheGroupAndPinsComeFirst) {
  const std::int64_t owner = Profile("maker");
  const std::int64_t member = Profile("member");
  const Group group = Make(owner, "open", GroupAccess::kPublic);
  const Group elsewhere = Make(owner, "elsewhere", GroupAccess::kPublic);
  PLAZA_ASSERT_OK(groups_.Join(shop_, member, group.id));
  std::vector<std::int64_t> posts;
  for (int index = 0; index < 5; ++index) {
    auto post = posts_.CreatePost(shop_, member, {.text = "post " + std::to_string(index), .group_id = group.id});
    PLAZA_ASSERT_OK(post);
    posts.push_back(post->id);
    clock_.Advance(std::chrono::seconds(1));
  }
  auto outside = posts_.CreatePost(shop_, owner, {.text = "other group", .group_id = elsewhere.id});
  PLAZA_ASSERT_OK(outside);
  EXPECT_EQ(groups_.Pin(shop_, member, group.id, posts[0]).error().type, "community/not-moderator");
  EXPECT_EQ(groups_.Pin(shop_, owner, group.id, outside->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.Pin(shop_, owner, group.id, 999'999).error().code, ErrorCode::kNotFound);
  for (std::int64_t post : {posts[2], posts[0], posts[1]}) {
    PLAZA_ASSERT_OK(groups_.Pin(shop_, owner, group.id, post));
    clock_.Advance(std::chrono::seconds(1));
  }
  PLAZA_ASSERT_OK(groups_.Pin(shop_, owner, group.id, posts[0]));  // already pinned
  EXPECT_EQ(groups_.Pin(shop_, owner, group.id, posts[3]).error().type, "community/too-many-pins");
  auto pinned = db().Read([&](store::Transaction& tx) { return PinnedPosts(tx, shop_, group.id); });
  PLAZA_ASSERT_OK(pinned);
  EXPECT_EQ(*pinned, (std::vector<std::int64_t>{posts[2], posts[0], posts[1]}));

  auto listed = groups_.ListPosts(shop_, group.id, std::nullopt, {});
  PLAZA_ASSERT_OK(listed);
  ASSERT_EQ(listed->pinned.size(), 3u);
  EXPECT_EQ(listed->pinned[0].id, posts[2]);
  EXPECT_EQ(listed->pinned[2].id, posts[1]);
  ASSERT_EQ(listed->posts.posts.size(), 2u);  // the unpinned ones, newest first
  EXPECT_EQ(listed->posts.posts[0].id, posts[4]);
  EXPECT_EQ(listed->posts.posts[1].id, posts[3]);

  PLAZA_ASSERT_OK(groups_.Unpin(shop_, owner, group.id, posts[0]));
  PLAZA_ASSERT_OK(groups_.Pin(shop_, owner, group.id, posts[3]));
  pinned = db().Read([&](store::Transaction& tx) { return PinnedPosts(tx, shop_, group.id); });
  EXPECT_EQ(*pinned, (std::vector<std::int64_t>{posts[2], posts[1], posts[3]}));
}

TEST_P(GroupsTest, TheGateLetsMembersPostAndHidesPrivateGroupPostsFromOthers) {
  const std::int64_t owner = Profile("maker");
  const std::int64_t stranger = Profile("stranger");
  const Group group = Make(owner, "inner", GroupAccess::kPrivate);
  const Group secret = Make(owner, "secret", GroupAccess::kInviteOnly);
  auto refused = posts_.CreatePost(shop_, stranger, {.text = "let me in", .group_id = group.id});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().type, "community/members-only");
  EXPECT_EQ(posts_.CreatePost(shop_, stranger, {.text = "hello", .group_id = secret.id}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(posts_.CreatePost(shop_, owner, {.text = "nowhere", .group_id = 999'999}).error().code,
            ErrorCode::kNotFound);
  auto post = posts_.CreatePost(shop_, owner, {.text = "members only", .group_id = group.id});
  PLAZA_ASSERT_OK(post);
  EXPECT_EQ(posts_.GetPost(shop_, post->id, stranger).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(posts_.GetPost(shop_, post->id, std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.ListPosts(shop_, group.id, stranger, {}).error().type, "community/members-only");
  EXPECT_EQ(groups_.ListPosts(shop_, secret.id, stranger, {}).error().code, ErrorCode::kNotFound);
  PLAZA_ASSERT_OK(groups_.Invite(shop_, owner, group.id, stranger));
  PLAZA_ASSERT_OK(groups_.Join(shop_, stranger, group.id));
  PLAZA_ASSERT_OK(posts_.GetPost(shop_, post->id, stranger));
  auto listed = groups_.ListPosts(shop_, group.id, stranger, {});
  PLAZA_ASSERT_OK(listed);
  ASSERT_EQ(listed->posts.posts.size(), 1u);
  // The invitation reached the invitee as a notification.
  auto notes = notifications_.List(shop_, stranger, {});
  PLAZA_ASSERT_OK(notes);
  ASSERT_EQ(notes->notifications.size(), 1u);
  EXPECT_EQ(notes->notifications[0].kind, social::NotificationKind::kGroupInvite);
  EXPECT_EQ(notes->notifications[0].subject_id, group.id);
  EXPECT_EQ(notes->notifications[0].text, "The inner");
}

TEST_P(GroupsTest, AnotherShopsGroupIsAbsentEverywhere) {
  const std::int64_t owner = Profile("maker");
  const Group group = Make(owner, "open", GroupAccess::kPublic);
  const std::int64_t foreigner = Profile("foreigner", other_shop_);
  EXPECT_EQ(groups_.ViewGroupById(other_shop_, group.id, foreigner).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.ViewGroup(other_shop_, "open", std::nullopt).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.Join(other_shop_, foreigner, group.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.ListMembers(other_shop_, std::nullopt, group.id, {}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.GetGroup(other_staff_, other_shop_, group.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.GetGroup(other_staff_, shop_, group.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(groups_.SetVipRule(other_staff_, other_shop_, group.id, VipRule{.customer_tag = "gold"}).error().code,
            ErrorCode::kNotFound);
  // A profile of another shop cannot act here.
  EXPECT_EQ(groups_.Join(shop_, foreigner, group.id).error().code, ErrorCode::kNotFound);
  auto listed = groups_.ListGroups(other_shop_, std::nullopt, {});
  PLAZA_ASSERT_OK(listed);
  EXPECT_TRUE(listed->groups.empty());
}

TEST_P(GroupsTest, HostileInputIsRefusedWithTheFieldAndStoredTextStaysAsWritten) {
  const std::int64_t owner = Profile("maker");
  struct Case {
    NewGroup input;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{.handle = "<script>", .name = "x"}, "/handle"},
      {{.handle = "okay", .name = ""}, "/name"},
      {{.handle = "okay", .name = std::string(kMaxGroupNameLength + 1, 'a')}, "/name"},
      {{.handle = "okay", .name = "bad\xff utf8"}, "/name"},
      {{.handle = "okay", .name = "bell\x07"}, "/name"},
      {{.handle = "okay", .name = "fine", .rules = std::string(kMaxGroupRulesLength + 1, 'r')}, "/rules"},
      {{.handle = "okay", .name = "fine", .description = "nul\x01"}, "/description"},
  };
  for (const Case& test : cases) {
    auto created = groups_.CreateGroup(shop_, owner, test.input);
    ASSERT_FALSE(created.ok()) << test.field;
    EXPECT_EQ(created.error().code, ErrorCode::kInvalidArgument) << test.field;
    EXPECT_EQ(created.error().field, test.field);
  }
  auto zero_width = groups_.CreateGroup(shop_, owner, {.handle = "okay", .name = "Fi\xE2\x80\x8Bne"});
  ASSERT_FALSE(zero_width.ok());
  EXPECT_EQ(zero_width.error().type, "community/invisible-character");
  EXPECT_NE(zero_width.error().detail.find("U+200B at position 3"), std::string::npos) << zero_width.error().detail;
  const std::string html = "<img src=x onerror=alert(1)>\r\n\tindented";
  auto created = groups_.CreateGroup(shop_, owner, {.handle = "okay", .name = "Fine", .description = html});
  PLAZA_ASSERT_OK(created);
  EXPECT_EQ(created->description, html);
  EXPECT_EQ(groups_.ListGroups(shop_, std::nullopt, {.cursor = "'; DROP TABLE x"}).error().type, "validation/cursor");
  EXPECT_EQ(groups_.ListGroups(shop_, std::nullopt, {.limit = 0}).error().type, "validation/limit");
}

TEST_P(GroupsTest, ListsPageNewestFirst) {
  const std::int64_t owner = Profile("maker");
  for (int index = 0; index < 5; ++index) Make(owner, "group" + std::to_string(index), GroupAccess::kPublic);
  auto first = groups_.ListGroups(shop_, std::nullopt, {.limit = 3});
  PLAZA_ASSERT_OK(first);
  ASSERT_EQ(first->groups.size(), 3u);
  EXPECT_EQ(first->groups[0].handle, "group4");
  ASSERT_FALSE(first->next_cursor.empty());
  auto second = groups_.ListGroups(shop_, std::nullopt, {.cursor = first->next_cursor, .limit = 3});
  PLAZA_ASSERT_OK(second);
  ASSERT_EQ(second->groups.size(), 2u);
  EXPECT_EQ(second->groups[1].handle, "group0");
  EXPECT_TRUE(second->next_cursor.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, GroupsTest, ::testing::ValuesIn(plaza::testing::TestBackends()),
                         plaza::testing::BackendName());

}  // namespace
}  // namespace plaza::community
