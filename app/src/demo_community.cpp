#include "demo_community.h"

#include <array>
#include <string>
#include <vector>
#include <vips/vips8>

#include "plaza/app/demo.h"
#include "plaza/catalog/catalog.h"
#include "plaza/community/groups.h"
#include "plaza/community/ideas.h"
#include "plaza/identity/identity_service.h"
#include "plaza/media/media.h"
#include "plaza/media/media_store.h"
#include "plaza/moderation/moderation.h"
#include "plaza/reviews/content_owner.h"
#include "plaza/reviews/questions.h"
#include "plaza/reviews/reviews.h"
#include "plaza/social/comments.h"
#include "plaza/social/content_owner.h"
#include "plaza/social/notifications.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"

namespace plaza::app {
namespace {

// The services wired as the server wires them (app/src/plaza_server.cpp), so the seed's
// posts and comments pass the same moderation and the group gate.
struct Community {
  identity::IdentityService accounts;
  catalog::CatalogService products;
  moderation::ModerationService moderation_service;
  std::unique_ptr<media::DiskMediaStore> media_store;
  std::optional<media::MediaService> media_service;
  social::ProfileService profiles;
  social::NotificationService notifications;
  social::PostService posts;
  social::CommentService comments;
  social::SocialContentOwner social_content;
  community::CommunityGroupGate group_gate;
  community::GroupService groups;
  community::IdeaService ideas;
  community::IdeaContentOwner idea_owner;
  std::optional<reviews::ReviewService> review_service;
  std::optional<reviews::QuestionService> question_service;
  std::optional<reviews::ReviewContentOwner> review_content;

  Community(store::Database& db, const Clock& clock)
      : accounts(db, clock),
        products(db, clock),
        moderation_service(db, clock),
        profiles(db, clock),
        notifications(db, clock),
        posts(db, clock, notifications),
        comments(db, clock, posts),
        groups(db, clock, profiles, posts),
        ideas(db, clock, products, profiles, notifications, moderation_service) {}

  Status OpenMedia(store::Database& db, const Clock& clock, const std::filesystem::path& media_dir) {
    PLAZA_ASSIGN_OR_RETURN(media_store, media::DiskMediaStore::Open(media_dir));
    media_service.emplace(db, clock, *media_store);
    posts.SetModeration(moderation_service);
    posts.SetMedia(*media_service);
    posts.SetGroupGate(group_gate);
    social_content.RegisterWith(moderation_service);
    moderation_service.RegisterOwner(moderation::ContentKind::kIdea, idea_owner);
    review_service.emplace(db, clock, profiles, *media_service, notifications, moderation_service);
    question_service.emplace(db, clock, profiles, notifications, moderation_service);
    review_content.emplace(*review_service, *question_service);
    review_content->RegisterWith(moderation_service);
    return Ok();
  }
};

// A product shot as a phone would take it, minus the phone: a diagonal gradient behind a
// bottle with a cap, in the colours of one post.
struct Swatch {
  std::array<double, 3> from;
  std::array<double, 3> to;
  std::array<double, 3> bottle;
  std::array<double, 3> cap;
};

std::string TakeBlob(VipsBlob* blob) {
  std::size_t length = 0;
  const void* data = vips_blob_get(blob, &length);
  std::string bytes(static_cast<const char*>(data), length);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

Result<std::string> DemoPhoto(const Swatch& swatch) {
  constexpr int kWidth = 1080;  // a 4:5 portrait, the shape of a feed photo
  constexpr int kHeight = 1350;
  const auto vec = [](const std::array<double, 3>& colour) {
    return std::vector<double>(colour.begin(), colour.end());
  };
  try {
    const vips::VImage xyz = vips::VImage::xyz(kWidth, kHeight);
    const vips::VImage x = xyz[0];
    const vips::VImage y = xyz[1];
    const vips::VImage t = (x + y) / static_cast<double>(kWidth + kHeight);
    std::vector<double> delta(3);
    for (std::size_t band = 0; band < 3; ++band) delta[band] = swatch.to[band] - swatch.from[band];
    vips::VImage image = t * delta + vec(swatch.from);
    const vips::VImage body = (x > 400) & (x < 680) & (y > 520) & (y < 1150);
    const vips::VImage cap = (x > 470) & (x < 610) & (y > 400) & (y <= 520);
    image = body.ifthenelse(vec(swatch.bottle), image);
    image = cap.ifthenelse(vec(swatch.cap), image);
    image = image.cast(VIPS_FORMAT_UCHAR).copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
    return TakeBlob(image.pngsave_buffer());
  } catch (const vips::VError& error) {
    return Error::Internal(std::string("drawing a demo photo failed: ") + error.what());
  }
}

Result<std::int64_t> UploadPhoto(Community& community, std::int64_t shop_id, std::int64_t profile_id,
                                 const Swatch& swatch, std::string alt) {
  PLAZA_ASSIGN_OR_RETURN(std::string png, DemoPhoto(swatch));
  PLAZA_ASSIGN_OR_RETURN(media::MediaAsset asset,
                         community.media_service->Upload(
                             shop_id, {.bytes = png, .alt = std::move(alt), .uploader_profile_id = profile_id}));
  return asset.id;
}

struct DemoPerson {
  const char* handle;
  const char* name;
  const char* email;
  const char* bio;
};

// A customer account with its community profile.
Result<social::Profile> CreateCustomer(Community& community, std::int64_t shop_id, const DemoPerson& person,
                                       const std::string& password) {
  PLAZA_ASSIGN_OR_RETURN(identity::NewSession session,
                         community.accounts.SignUpCustomer(
                             shop_id, {.email = person.email, .name = person.name, .password = password}, ""));
  const std::int64_t customer_id = session.principal.user_id;
  PLAZA_TRY(community.accounts.LogOut(session.principal));
  return community.profiles.CreateProfile(shop_id, {.handle = person.handle,
                                                    .display_name = person.name,
                                                    .bio = person.bio,
                                                    .avatar_url = {},
                                                    .links = {},
                                                    .kind = social::ProfileKind::kCustomer,
                                                    .is_private = false,
                                                    .customer_id = customer_id});
}

Result<std::int64_t> ProductId(Community& community, std::int64_t shop_id, std::string_view handle) {
  PLAZA_ASSIGN_OR_RETURN(catalog::Product product, community.products.GetProductByHandle(shop_id, handle));
  return product.id;
}

struct DemoPost {
  const char* text;
  std::array<const char*, 2> products;  // handles; nullptr when fewer
  Swatch swatch;
  const char* alt;
};

// Oldest first: the last one is the newest in every feed.
constexpr DemoPost kCreatorPosts[] = {
    {"Morning routine in two steps: vitamin C on dry skin, then SPF 50 every single day, even in "
     "November. #glowroutine",
     {"vitamin-c-serum", "spf-50-fluid"},
     {{255, 214, 153}, {255, 153, 102}, {255, 244, 230}, {214, 120, 60}},
     "An amber serum bottle on a warm orange background"},
    {"Night shift: retinal twice a week, the rich cream every night. My skin has never been calmer. "
     "#glowroutine #nightcare",
     {"retinal-night-serum", "rich-night-cream"},
     {{60, 52, 110}, {140, 110, 190}, {236, 228, 250}, {40, 34, 80}},
     "A white bottle with a dark cap on a violet background"},
    {"Weekend bag, minis only: the milk cleanser and a lip balm. Everything else can wait. #glowroutine #travel",
     {"mini-cleanser", "lip-balm"},
     {{190, 230, 220}, {90, 170, 160}, {250, 250, 245}, {60, 120, 110}},
     "A small white bottle on a mint background"},
    {"The gel cleanser that finally cleared my T-zone without the tight feeling. Two pumps, one minute, "
     "rinse. #glowroutine",
     {"gel-foaming-cleanser", nullptr},
     {{205, 232, 250}, {110, 170, 225}, {240, 248, 255}, {40, 90, 150}},
     "A clear pump bottle on a pale blue background"},
};

struct DemoCast {
  social::Profile brand;
  social::Profile creator;
  std::vector<social::Profile> customers;  // the demo shopper first
};

Result<DemoCast> CreateCast(Community& community, std::int64_t shop_id) {
  DemoCast cast;
  PLAZA_ASSIGN_OR_RETURN(cast.brand, community.profiles.CreateProfile(
                                         shop_id, {.handle = "aurelle",
                                                   .display_name = "Aurelle Skincare",
                                                   .bio = "Skincare made in Lyon. Gentle formulas, honest results.",
                                                   .avatar_url = {},
                                                   .links = {},
                                                   .kind = social::ProfileKind::kBrand,
                                                   .is_private = false,
                                                   .customer_id = {}}));
  PLAZA_ASSIGN_OR_RETURN(
      cast.creator,
      community.profiles.CreateProfile(
          shop_id, {.handle = std::string(kDemoCreatorHandle),
                    .display_name = "Maya Okafor",
                    .bio = "Skincare for real life, tested on my combination skin. Code MAYA15 for 15% off.",
                    .avatar_url = {},
                    .links = {},
                    .kind = social::ProfileKind::kCreator,
                    .is_private = false,
                    .customer_id = {}}));
  const DemoShopper shopper = DemoShopperLogin();
  PLAZA_ASSIGN_OR_RETURN(social::Profile camille,
                         CreateCustomer(community, shop_id,
                                        {shopper.handle.c_str(), "Camille Martin", shopper.email.c_str(),
                                         "Lyon. Sensitive skin, big plans."},
                                        shopper.password));
  cast.customers.push_back(std::move(camille));
  const DemoPerson others[] = {
      {"noor.skin", "Noor Haddad", "noor@customers.aurelle.example", "Dry skin diaries."},
      {"ben.outdoors", "Ben Carter", "ben@customers.aurelle.example", "Runner. SPF evangelist."},
  };
  for (const DemoPerson& person : others) {
    // Nobody logs in as them; a password only the seed knows keeps the accounts closed.
    PLAZA_ASSIGN_OR_RETURN(social::Profile profile,
                           CreateCustomer(community, shop_id, person, "aurelle-demo-" + std::string(person.handle)));
    cast.customers.push_back(std::move(profile));
  }
  for (const social::Profile& customer : cast.customers) {
    PLAZA_TRY(community.profiles.Follow(shop_id, customer.id, cast.creator.handle));
    PLAZA_TRY(community.profiles.Follow(shop_id, customer.id, cast.brand.handle));
  }
  PLAZA_TRY(community.profiles.Follow(shop_id, cast.creator.id, cast.brand.handle));
  PLAZA_TRY(community.profiles.Follow(shop_id, cast.brand.id, cast.creator.handle));
  return cast;
}

// Keyword rules are staff settings: the demo owner writes this one.
Status CreateKeywordRule(Community& community, std::int64_t shop_id) {
  const DemoCredentials login = DemoLogin();
  PLAZA_ASSIGN_OR_RETURN(
      identity::NewSession session,
      community.accounts.LogInStaff(
          {.shop_id = shop_id, .email = login.staff_email, .password = login.staff_password, .ip = ""}));
  Result<moderation::KeywordRule> rule = community.moderation_service.CreateRule(
      session.principal, shop_id,
      {.pattern = std::string(kDemoMaskedWord) + "*", .action = moderation::RuleAction::kMask});
  PLAZA_TRY(community.accounts.LogOut(session.principal));
  return rule.ok() ? Ok() : Status(rule.error());
}

Result<std::vector<social::Post>> CreatePosts(Community& community, std::int64_t shop_id, const DemoCast& cast) {
  std::vector<social::Post> created;
  for (const DemoPost& post : kCreatorPosts) {
    social::NewPost input{.text = post.text, .media_ids = {}, .products = {}, .group_id = {}};
    PLAZA_ASSIGN_OR_RETURN(std::int64_t photo, UploadPhoto(community, shop_id, cast.creator.id, post.swatch, post.alt));
    input.media_ids.push_back(photo);
    for (const char* handle : post.products) {
      if (handle == nullptr) continue;
      PLAZA_ASSIGN_OR_RETURN(std::int64_t product, ProductId(community, shop_id, handle));
      input.products.push_back({.product_id = product, .variant_id = {}});
    }
    PLAZA_ASSIGN_OR_RETURN(social::Post made, community.posts.CreatePost(shop_id, cast.creator.id, input));
    created.push_back(std::move(made));
  }
  PLAZA_ASSIGN_OR_RETURN(std::int64_t duo, ProductId(community, shop_id, "glow-duo"));
  PLAZA_ASSIGN_OR_RETURN(
      social::Post brand_post,
      community.posts.CreatePost(
          shop_id, cast.brand.id,
          {.text = "Say hello to @maya.glows, who has tested our serums for a year. Her code MAYA15 takes 15% off "
                   "the Glow Duo she swears by. #glowroutine",
           .media_ids = {},
           .products = {{.product_id = duo, .variant_id = {}}},
           .group_id = {}}));
  created.push_back(std::move(brand_post));
  return created;
}

Status CreateConversation(Community& community, std::int64_t shop_id, const DemoCast& cast,
                          const std::vector<social::Post>& posts) {
  const social::Profile& camille = cast.customers[0];
  const social::Profile& noor = cast.customers[1];
  const social::Profile& ben = cast.customers[2];
  const social::Post& morning = posts[0];
  const social::Post& cleanser = posts[3];
  PLAZA_ASSIGN_OR_RETURN(social::Comment question,
                         community.comments.CreateComment(shop_id, noor.id, morning.id, std::nullopt,
                                                          "Does the vitamin C tingle? Asking for my sensitive skin."));
  PLAZA_TRY(
      community.comments.CreateComment(shop_id, cast.creator.id, morning.id, question.id,
                                       "A little in the first week, then nothing. Start every other day, @noor.skin!"));
  PLAZA_TRY(community.comments.CreateComment(shop_id, ben.id, morning.id, std::nullopt,
                                             "SPF every day in November is the real tip here."));
  // Stored masked by the keyword rule: "*******: it sells out by Friday".
  PLAZA_TRY(community.comments.CreateComment(shop_id, camille.id, cleanser.id, std::nullopt,
                                             "Spoiler: it sells out by Friday. Ordered two."));
  for (const social::Profile& customer : cast.customers) {
    PLAZA_TRY(community.posts.Like(shop_id, customer.id, cleanser.id));
    PLAZA_TRY(community.posts.Like(shop_id, customer.id, morning.id));
  }
  PLAZA_TRY(community.posts.Save(shop_id, camille.id, posts[1].id));
  return Ok();
}

Status CreateReviews(Community& community, std::int64_t shop_id, const DemoCast& cast) {
  const social::Profile& noor = cast.customers[1];
  const social::Profile& ben = cast.customers[2];
  PLAZA_ASSIGN_OR_RETURN(std::int64_t serum, ProductId(community, shop_id, "vitamin-c-serum"));
  PLAZA_ASSIGN_OR_RETURN(
      std::int64_t photo,
      UploadPhoto(community, shop_id, noor.id, {{250, 236, 210}, {230, 190, 140}, {255, 250, 240}, {190, 120, 50}},
                  "The serum bottle on my bathroom shelf"));
  PLAZA_TRY(community.review_service->SubmitReview(
      shop_id, noor.id,
      {.product_id = serum,
       .variant_id = {},
       .rating = 5,
       .title = "Brighter in three weeks",
       .body = "I was worried about stinging on dry skin, but it only tingled for a few days. My dark spots "
               "from summer are fading and the bottle lasts.",
       .media_ids = {photo},
       .incentivised = false}));
  PLAZA_ASSIGN_OR_RETURN(std::int64_t spf, ProductId(community, shop_id, "spf-50-fluid"));
  PLAZA_TRY(community.review_service->SubmitReview(
      shop_id, ben.id,
      {.product_id = spf,
       .variant_id = {},
       .rating = 4,
       .title = "No white cast, even after a run",
       .body = "Disappears on my skin and stays put through a 10k. One star off because the bottle is small "
               "for daily use.",
       .media_ids = {},
       .incentivised = false}));
  return Ok();
}

Status CreateGroupAndIdea(Community& community, std::int64_t shop_id, const DemoCast& cast) {
  PLAZA_ASSIGN_OR_RETURN(
      community::Group club,
      community.groups.CreateGroup(
          shop_id, cast.brand.id,
          {.handle = "glowclub",
           .name = "Glow Club",
           .description = "Routines, questions and first looks at new launches, with the Aurelle team.",
           .rules = "Be kind. No medical advice: ask a dermatologist. No selling.",
           .access = community::GroupAccess::kPublic}));
  PLAZA_TRY(community.groups.Join(shop_id, cast.creator.id, club.id));
  for (const social::Profile& customer : cast.customers)
    PLAZA_TRY(community.groups.Join(shop_id, customer.id, club.id));
  PLAZA_ASSIGN_OR_RETURN(
      social::Post welcome,
      community.posts.CreatePost(shop_id, cast.brand.id,
                                 {.text = "Welcome to the Glow Club! Introduce yourself: your skin type and the one "
                                          "product you would save from a fire.",
                                  .media_ids = {},
                                  .products = {},
                                  .group_id = club.id}));
  PLAZA_TRY(community.groups.Pin(shop_id, cast.brand.id, club.id, welcome.id));
  PLAZA_TRY(community.posts.CreatePost(shop_id, cast.customers[1].id,
                                       {.text = "Dry skin, and it would be the rich night cream. Hi everyone!",
                                        .media_ids = {},
                                        .products = {},
                                        .group_id = club.id}));

  PLAZA_ASSIGN_OR_RETURN(
      community::Idea idea,
      community.ideas.Submit(shop_id, cast.customers[1].id,
                             {.title = "A fragrance-free body lotion in a pump bottle",
                              .description = "The ceramide body lotion is lovely, but I would buy it by the litre in a "
                                             "pump, without fragrance, for the whole family."}));
  PLAZA_TRY(community.ideas.Support(shop_id, cast.customers[0].id, idea.id));
  PLAZA_TRY(community.ideas.Support(shop_id, cast.customers[2].id, idea.id));
  PLAZA_TRY(community.ideas.Support(shop_id, cast.creator.id, idea.id));
  return Ok();
}

}  // namespace

Result<std::int64_t> SeedDemoCommunity(store::Database& db, const Clock& clock, std::int64_t shop_id,
                                       const std::filesystem::path& media_dir) {
  Community community(db, clock);
  Result<social::ProfileView> existing = community.profiles.ViewProfile(shop_id, kDemoCreatorHandle, std::nullopt);
  if (existing.ok()) return 0;
  if (existing.error().code != ErrorCode::kNotFound) return existing.error();
  PLAZA_TRY(community.OpenMedia(db, clock, media_dir));
  // The rule comes first, so the demo's comments are screened by it like anyone's.
  PLAZA_TRY(CreateKeywordRule(community, shop_id));
  PLAZA_ASSIGN_OR_RETURN(DemoCast cast, CreateCast(community, shop_id));
  PLAZA_ASSIGN_OR_RETURN(std::vector<social::Post> posts, CreatePosts(community, shop_id, cast));
  PLAZA_TRY(CreateConversation(community, shop_id, cast, posts));
  PLAZA_TRY(CreateReviews(community, shop_id, cast));
  PLAZA_TRY(CreateGroupAndIdea(community, shop_id, cast));
  return static_cast<std::int64_t>(posts.size());
}

}  // namespace plaza::app
