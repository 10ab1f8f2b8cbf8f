#include "plaza/app/plaza_server.h"

#include <spdlog/spdlog.h>

#include "plaza/api/api.h"
#include "plaza/catalog/catalog.h"
#include "plaza/catalog/media_referrer.h"
#include "plaza/catalog/migrations.h"
#include "plaza/channels/http_sender.h"
#include "plaza/channels/migrations.h"
#include "plaza/channels/webhook_consumer.h"
#include "plaza/channels/webhooks.h"
#include "plaza/community/groups.h"
#include "plaza/community/ideas.h"
#include "plaza/community/migrations.h"
#include "plaza/core/crypto.h"
#include "plaza/core/mailer.h"
#include "plaza/core/periodic_task.h"
#include "plaza/http/server.h"
#include "plaza/identity/identity_service.h"
#include "plaza/identity/migrations.h"
#include "plaza/inventory/expiry_runner.h"
#include "plaza/inventory/inventory.h"
#include "plaza/inventory/migrations.h"
#include "plaza/mail/mail_queue.h"
#include "plaza/mail/smtp_mailer.h"
#include "plaza/media/media.h"
#include "plaza/media/migrations.h"
#include "plaza/moderation/migrations.h"
#include "plaza/moderation/moderation.h"
#include "plaza/orders/migrations.h"
#include "plaza/orders/order_service.h"
#include "plaza/payments/manual_provider.h"
#include "plaza/payments/migrations.h"
#include "plaza/payments/payment_service.h"
#include "plaza/payments/test_provider.h"
#include "plaza/pricing/migrations.h"
#include "plaza/pricing/pricing.h"
#include "plaza/promotions/migrations.h"
#include "plaza/promotions/promotions.h"
#include "plaza/reviews/content_owner.h"
#include "plaza/reviews/media_referrer.h"
#include "plaza/reviews/migrations.h"
#include "plaza/reviews/questions.h"
#include "plaza/reviews/review_request_mail.h"
#include "plaza/reviews/review_requests.h"
#include "plaza/reviews/reviews.h"
#include "plaza/shipping/migrations.h"
#include "plaza/shipping/shipping_service.h"
#include "plaza/social/comments.h"
#include "plaza/social/content_owner.h"
#include "plaza/social/feeds.h"
#include "plaza/social/feeds_migrations.h"
#include "plaza/social/media_referrer.h"
#include "plaza/social/migrations.h"
#include "plaza/social/notifications.h"
#include "plaza/social/posts.h"
#include "plaza/social/profiles.h"
#include "plaza/store/idempotency.h"
#include "plaza/store/outbox_dispatcher.h"
#include "plaza/store/store_migrations.h"
#include "plaza/web/pages.h"

namespace plaza::app {

std::vector<store::MigrationSet> AllMigrations() {
  return {store::StoreMigrations(),           identity::IdentityMigrations(),     channels::ChannelsMigrations(),
          shipping::ShippingMigrations(),     payments::PaymentsMigrations(),     inventory::InventoryMigrations(),
          pricing::PricingMigrations(),       promotions::PromotionsMigrations(), catalog::CatalogMigrations(),
          orders::OrdersMigrations(),         social::SocialMigrations(),         social::SocialFeedsMigrations(),
          moderation::ModerationMigrations(), community::CommunityMigrations(),   media::MediaMigrations(),
          reviews::ReviewsMigrations()};
}

Result<std::unique_ptr<store::Database>> OpenConfiguredDatabase(const Config& config) {
  return store::OpenDatabase({.url = config.database, .pool_size = static_cast<int>(config.db_pool_size)});
}

// Declared in dependency order: members are destroyed in reverse, so the HTTP server
// (which calls into services) goes first and the database last.
struct PlazaServer::Parts {
  Config config;
  SystemClock system_clock;
  const Clock* clock = nullptr;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<identity::IdentityService> identity;
  // Before the content services, which screen and admit through it.
  std::unique_ptr<moderation::ModerationService> moderation;
  // Before the content services, which check the media ids they store.
  std::unique_ptr<media::DiskMediaStore> media_store;
  std::unique_ptr<media::MediaService> media;
  std::unique_ptr<channels::WebhookService> webhooks;
  std::unique_ptr<shipping::ShippingService> shipping;
  std::unique_ptr<payments::TestPaymentProvider> test_payment_provider;
  std::unique_ptr<payments::ManualPaymentProvider> manual_payment_provider;
  std::unique_ptr<payments::PaymentService> payments;
  std::unique_ptr<pricing::PricingService> pricing;
  std::unique_ptr<promotions::PromotionService> promotions;
  // With smtp_url, mail is queued on the outbox and the mail consumer sends it over
  // SMTP; otherwise it is written as .eml files.
  std::unique_ptr<mail::SmtpMailer> smtp_mailer;
  std::unique_ptr<mail::MailConsumer> mail_consumer;
  std::unique_ptr<Mailer> mailer;
  std::unique_ptr<channels::HttpSender> sender;
  std::unique_ptr<channels::WebhookConsumer> webhook_consumer;
  std::unique_ptr<reviews::ReviewRequestConsumer> review_requests;
  std::unique_ptr<reviews::ReviewRequestMailConsumer> review_request_mail;
  std::unique_ptr<store::OutboxDispatcher> dispatcher;
  std::unique_ptr<inventory::InventoryService> inventory;
  std::unique_ptr<inventory::ExpiryRunner> inventory_expiry;
  std::unique_ptr<PeriodicTask> idempotency_sweep;
  std::unique_ptr<orders::OrderService> orders;
  std::unique_ptr<catalog::CatalogService> catalog;
  std::unique_ptr<social::ProfileService> social;
  std::unique_ptr<social::NotificationService> notifications;
  std::unique_ptr<social::PostService> posts;
  std::unique_ptr<social::CommentService> comments;
  social::SocialContentOwner social_content;
  std::unique_ptr<social::FeedService> feeds;
  std::unique_ptr<community::CommunityGroupGate> group_gate;
  std::unique_ptr<community::GroupService> groups;
  std::unique_ptr<community::IdeaService> ideas;
  std::unique_ptr<community::IdeaContentOwner> idea_owner;
  std::unique_ptr<PeriodicTask> vip_sweep;
  std::unique_ptr<reviews::ReviewService> reviews;
  std::unique_ptr<reviews::QuestionService> questions;
  std::unique_ptr<reviews::ReviewContentOwner> review_content;
  catalog::CatalogMediaReferrer catalog_media;
  social::SocialMediaReferrer social_media;
  reviews::ReviewMediaReferrer review_media;
  std::unique_ptr<PeriodicTask> media_sweep;
  std::unique_ptr<api::ApiServices> api_services;
  std::unique_ptr<web::PageServices> page_services;
  std::unique_ptr<http::Server> server;
};

namespace {

http::ServerOptions ServerOptionsFrom(const Config& config, bool handle_signals) {
  http::ServerOptions options;
  // LoadConfig has already validated the address.
  auto [host, port] = ParseListenAddress(config.listen).value();
  options.bind_address = host;
  options.port = port;
  options.io_threads = static_cast<int>(config.io_threads);
  options.worker_threads = static_cast<int>(config.worker_threads);
  options.max_body_bytes = static_cast<std::size_t>(config.max_body_bytes);
  options.max_header_bytes = static_cast<std::size_t>(config.max_header_bytes);
  options.max_connections = static_cast<std::size_t>(config.max_connections);
  options.header_timeout = std::chrono::milliseconds(config.read_timeout_ms);
  options.body_timeout = std::chrono::milliseconds(config.read_timeout_ms);
  options.keep_alive_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  options.drain_timeout = std::chrono::milliseconds(config.shutdown_drain_ms);
  options.handle_signals = handle_signals;
  return options;
}

void RegisterGauges(http::Metrics& metrics, store::Database& db, store::OutboxDispatcher& dispatcher) {
  metrics.AddCallbackGauge("plaza_db_pool_connections", "database connections open",
                           [&db] { return static_cast<double>(db.Stats().size); });
  metrics.AddCallbackGauge("plaza_db_pool_in_use", "database connections lent out",
                           [&db] { return static_cast<double>(db.Stats().in_use); });
  metrics.AddCallbackGauge("plaza_db_transaction_retries", "transactions retried after a serialization failure",
                           [&db] { return static_cast<double>(db.Stats().retries); });
  metrics.AddCallbackGauge("plaza_outbox_pending", "outbox deliveries owed to consumers",
                           [&dispatcher] { return static_cast<double>(dispatcher.Stats().pending); });
  metrics.AddCallbackGauge("plaza_outbox_dead", "outbox deliveries dead-lettered",
                           [&dispatcher] { return static_cast<double>(dispatcher.Stats().dead); });
  metrics.AddCallbackGauge("plaza_outbox_delivered", "outbox deliveries completed by this process",
                           [&dispatcher] { return static_cast<double>(dispatcher.Stats().delivered); });
}

}  // namespace

PlazaServer::PlazaServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

PlazaServer::~PlazaServer() {
  Stop();
  Wait();
}

Result<std::unique_ptr<PlazaServer>> PlazaServer::Create(const Config& config, Options options) {
  crypto::InitCrypto();
  media::InitMedia();
  auto parts = std::make_unique<Parts>();
  parts->config = config;
  parts->clock = options.clock ? options.clock : &parts->system_clock;
  PLAZA_ASSIGN_OR_RETURN(parts->db, OpenConfiguredDatabase(config));
  if (config.migrate_on_start) PLAZA_TRY(store::Migrate(*parts->db, AllMigrations()));

  const Clock& clock = *parts->clock;
  parts->identity = std::make_unique<identity::IdentityService>(*parts->db, clock);
  parts->moderation = std::make_unique<moderation::ModerationService>(*parts->db, clock);
  PLAZA_ASSIGN_OR_RETURN(parts->media_store, media::DiskMediaStore::Open(MediaDirOf(config)));
  parts->media = std::make_unique<media::MediaService>(*parts->db, clock, *parts->media_store);
  parts->webhooks = std::make_unique<channels::WebhookService>(*parts->db, clock);
  parts->shipping = std::make_unique<shipping::ShippingService>(*parts->db, clock);
  parts->test_payment_provider = std::make_unique<payments::TestPaymentProvider>(*parts->db, clock);
  parts->manual_payment_provider = std::make_unique<payments::ManualPaymentProvider>();
  parts->payments = std::make_unique<payments::PaymentService>(
      *parts->db, clock,
      std::vector<payments::PaymentProvider*>{parts->test_payment_provider.get(), parts->manual_payment_provider.get()},
      parts->test_payment_provider.get());
  parts->pricing = std::make_unique<pricing::PricingService>(*parts->db, clock);
  parts->promotions = std::make_unique<promotions::PromotionService>(*parts->db, clock);
  if (config.smtp_url.empty()) {
    parts->mailer = std::make_unique<FileMailer>(config.data_dir + "/mail", config.smtp_from, clock);
  } else {
    PLAZA_ASSIGN_OR_RETURN(parts->smtp_mailer, mail::SmtpMailer::Create({.url = config.smtp_url,
                                                                         .user = config.smtp_user,
                                                                         .password = config.smtp_password,
                                                                         .from = config.smtp_from},
                                                                        clock));
    parts->mail_consumer = std::make_unique<mail::MailConsumer>(*parts->smtp_mailer);
    parts->mailer = std::make_unique<mail::OutboxMailer>(*parts->db, clock, *parts->smtp_mailer);
  }
  parts->sender = channels::MakeCurlHttpSender();
  parts->webhook_consumer = std::make_unique<channels::WebhookConsumer>(*parts->db, clock, *parts->sender);
  store::OutboxDispatcherOptions dispatcher_options;
  dispatcher_options.poll_interval = std::chrono::milliseconds(config.outbox_poll_ms);
  dispatcher_options.retry.max_attempts = static_cast<int>(config.outbox_max_attempts);
  dispatcher_options.retry.initial_delay = std::chrono::milliseconds(config.outbox_retry_initial_ms);
  dispatcher_options.retry.max_delay = std::chrono::milliseconds(config.outbox_retry_max_ms);
  dispatcher_options.lease_duration = std::chrono::milliseconds(config.outbox_lease_ms);
  parts->dispatcher = std::make_unique<store::OutboxDispatcher>(*parts->db, clock, dispatcher_options);
  parts->dispatcher->AddConsumer(*parts->webhook_consumer);
  if (parts->mail_consumer) parts->dispatcher->AddConsumer(*parts->mail_consumer);
  parts->inventory = std::make_unique<inventory::InventoryService>(*parts->db, clock);
  parts->inventory_expiry = std::make_unique<inventory::ExpiryRunner>(*parts->inventory, clock);
  // Idempotency-Keys answer retries for a day (docs/api.md); older records go hourly.
  parts->idempotency_sweep = std::make_unique<PeriodicTask>(std::chrono::hours(1), [&db = *parts->db, &clock] {
    auto swept = store::DeleteIdempotencyRecordsBefore(db, clock.Now() - std::chrono::hours(24));
    if (!swept.ok()) spdlog::warn("idempotency: sweeping old keys failed: {}", swept.error().detail);
  });

  parts->server = std::make_unique<http::Server>(ServerOptionsFrom(config, options.handle_signals));
  // Behind a proxy or TLS terminator the listen address is not what shoppers see.
  if (!config.public_url.empty() && !config.public_url.starts_with("https://") &&
      !config.public_url.starts_with("http://")) {
    return Error::Invalid("config/invalid", "public_url must start with https:// or http://", "public_url");
  }
  std::string base_url = config.public_url.empty() ? "http://" + config.listen : config.public_url;
  while (base_url.ends_with('/')) base_url.pop_back();
  identity::IdentityService& identity_service = *parts->identity;
  parts->orders = std::make_unique<orders::OrderService>(
      *parts->db, clock, *parts->inventory, *parts->shipping, *parts->payments, *parts->mailer,
      orders::OrderServiceOptions{.order_url_base = base_url + "/account/orders/",
                                  .shop_name = [&identity_service](std::int64_t shop_id) {
                                    auto shop = identity_service.GetShop(shop_id);
                                    return shop.ok() ? shop->name : std::string("Plaza");
                                  }});
  parts->catalog = std::make_unique<catalog::CatalogService>(*parts->db, clock);
  parts->social = std::make_unique<social::ProfileService>(*parts->db, clock);
  parts->notifications = std::make_unique<social::NotificationService>(*parts->db, clock);
  // Deliveries ask for reviews through the outbox (docs/reviews.md says why).
  parts->review_requests = std::make_unique<reviews::ReviewRequestConsumer>(*parts->db, clock, *parts->notifications);
  parts->dispatcher->AddConsumer(*parts->review_requests);
  parts->review_request_mail = std::make_unique<reviews::ReviewRequestMailConsumer>(
      *parts->db, clock, *parts->orders, *parts->mailer,
      reviews::ReviewRequestMailOptions{.public_base_url = base_url,
                                        .shop_name = [&identity_service](std::int64_t shop_id) {
                                          auto shop = identity_service.GetShop(shop_id);
                                          return shop.ok() ? shop->name : std::string("Plaza");
                                        }});
  parts->dispatcher->AddConsumer(*parts->review_request_mail);
  parts->posts = std::make_unique<social::PostService>(*parts->db, clock, *parts->notifications);
  parts->posts->SetModeration(*parts->moderation);
  parts->posts->SetMedia(*parts->media);
  parts->social_content.RegisterWith(*parts->moderation);
  parts->comments = std::make_unique<social::CommentService>(*parts->db, clock, *parts->posts);
  parts->feeds = std::make_unique<social::FeedService>(*parts->db, clock, *parts->posts);
  parts->group_gate = std::make_unique<community::CommunityGroupGate>();
  parts->posts->SetGroupGate(*parts->group_gate);
  parts->groups = std::make_unique<community::GroupService>(*parts->db, clock, *parts->social, *parts->posts);
  parts->ideas = std::make_unique<community::IdeaService>(*parts->db, clock, *parts->catalog, *parts->social,
                                                          *parts->notifications, *parts->moderation);
  parts->idea_owner = std::make_unique<community::IdeaContentOwner>();
  parts->moderation->RegisterOwner(moderation::ContentKind::kIdea, *parts->idea_owner);
  // Tags and paid orders change without the groups knowing (staff edit tags, refunds
  // cancel); an hourly pass keeps VIP membership and member tags in step with them.
  parts->vip_sweep = std::make_unique<PeriodicTask>(std::chrono::hours(1), [&groups = *parts->groups] {
    auto swept = groups.ReevaluateAllVip();
    if (!swept.ok()) spdlog::warn("community: re-evaluating VIP groups failed: {}", swept.error().detail);
  });
  parts->reviews = std::make_unique<reviews::ReviewService>(*parts->db, clock, *parts->social, *parts->media,
                                                            *parts->notifications, *parts->moderation);
  parts->questions = std::make_unique<reviews::QuestionService>(*parts->db, clock, *parts->social,
                                                                *parts->notifications, *parts->moderation);
  parts->review_content = std::make_unique<reviews::ReviewContentOwner>(*parts->reviews, *parts->questions);
  parts->review_content->RegisterWith(*parts->moderation);
  // Photos of abandoned forms, deleted posts and replaced pictures are removed a day
  // later; the modules that keep media ids say which are still in use (docs/media.md).
  parts->media->RegisterReferrer(parts->catalog_media);
  parts->media->RegisterReferrer(parts->social_media);
  parts->media->RegisterReferrer(parts->review_media);
  parts->media_sweep = std::make_unique<PeriodicTask>(std::chrono::hours(1), [&media = *parts->media] {
    auto swept = media.SweepOrphans(std::nullopt);
    if (!swept.ok()) {
      spdlog::warn("media: sweeping orphaned uploads failed: {}", swept.error().detail);
    } else if (swept->assets > 0 || swept->files_left > 0) {
      spdlog::info("media: removed {} orphaned uploads ({} bytes); {} files left to delete", swept->assets,
                   swept->bytes, swept->files_left);
    }
  });
  parts->api_services = std::make_unique<api::ApiServices>(api::ApiServices{*parts->db,
                                                                            *parts->identity,
                                                                            *parts->webhooks,
                                                                            *parts->mailer,
                                                                            clock,
                                                                            config.secure_cookies,
                                                                            base_url,
                                                                            *parts->shipping,
                                                                            *parts->payments,
                                                                            *parts->pricing,
                                                                            *parts->promotions,
                                                                            *parts->inventory,
                                                                            *parts->orders,
                                                                            *parts->catalog,
                                                                            *parts->social,
                                                                            *parts->moderation,
                                                                            *parts->posts,
                                                                            *parts->comments,
                                                                            *parts->groups,
                                                                            *parts->ideas,
                                                                            *parts->media,
                                                                            *parts->reviews,
                                                                            *parts->questions,
                                                                            *parts->notifications,
                                                                            *parts->feeds});
  parts->page_services =
      std::make_unique<web::PageServices>(web::PageServices{.identity = *parts->identity,
                                                            .webhooks = *parts->webhooks,
                                                            .db = *parts->db,
                                                            .clock = clock,
                                                            .secure_cookies = config.secure_cookies,
                                                            .catalog = *parts->catalog,
                                                            .pricing = *parts->pricing,
                                                            .inventory = *parts->inventory,
                                                            .shipping = *parts->shipping,
                                                            .promotions = *parts->promotions,
                                                            .payments = *parts->payments,
                                                            .orders = *parts->orders,
                                                            .public_base_url = base_url,
                                                            .storefront_shop = config.storefront_shop,
                                                            .reviews = *parts->reviews,
                                                            .moderation = *parts->moderation,
                                                            .profiles = *parts->social,
                                                            .questions = *parts->questions,
                                                            .media = *parts->media,
                                                            .posts = *parts->posts,
                                                            .comments = *parts->comments,
                                                            .feeds = *parts->feeds,
                                                            .notifications = *parts->notifications,
                                                            .groups = *parts->groups,
                                                            .ideas = *parts->ideas});
  api::RegisterApiRoutes(parts->server->router(), *parts->api_services);
  web::RegisterPages(*parts->server, *parts->page_services);
  store::Database& db = *parts->db;
  parts->server->SetReadinessCheck([&db] { return db.Ping(); });
  RegisterGauges(parts->server->metrics(), db, *parts->dispatcher);
  return std::unique_ptr<PlazaServer>(new PlazaServer(std::move(parts)));
}

Status PlazaServer::Start() {
  PLAZA_TRY(parts_->dispatcher->Start());
  parts_->inventory_expiry->Start();
  parts_->idempotency_sweep->Start();
  parts_->vip_sweep->Start();
  parts_->media_sweep->Start();
  PLAZA_TRY(parts_->server->Start());
  spdlog::info("plaza serving on http://{}:{} with {}",
               parts_->config.listen.substr(0, parts_->config.listen.rfind(':')), parts_->server->port(),
               store::IsPostgresUrl(parts_->config.database) ? "PostgreSQL" : "SQLite");
  return Ok();
}

std::uint16_t PlazaServer::port() const {
  return parts_->server->port();
}

void PlazaServer::Stop() {
  if (parts_ && parts_->server) parts_->server->Stop();
}

void PlazaServer::Wait() {
  if (!parts_) return;
  if (parts_->server) parts_->server->Wait();
  // Only once no request can append events any more does the dispatcher stop; what it
  // has not delivered stays in the outbox for the next start.
  if (parts_->dispatcher) parts_->dispatcher->Stop();
  if (parts_->inventory_expiry) parts_->inventory_expiry->Stop();
  if (parts_->idempotency_sweep) parts_->idempotency_sweep->Stop();
  if (parts_->vip_sweep) parts_->vip_sweep->Stop();
  if (parts_->media_sweep) parts_->media_sweep->Stop();
}

store::Database& PlazaServer::database() {
  return *parts_->db;
}

}  // namespace plaza::app
