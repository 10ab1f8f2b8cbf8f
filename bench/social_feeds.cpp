// Feeds at the scale of issue 5: seeds a shop with USERS profiles, POSTS posts and
// FOLLOWS follows (one account followed by half the users), then measures, in process
// through social::FeedService and PostService, the timeline read (alone, then at a fixed
// arrival rate), the discovery feed, the product feed, and the cost of posting for the
// account with the most followers against an account with few; and what writing that
// post into every follower's timeline (fan-out on write) would cost. docs/feeds.md and
// bench/RESULTS.md use its figures.
//
//   plaza_social_feeds --database <sqlite file or postgresql:// URL> [--users 100000]
//       [--posts 1000000] [--follows-per-user 50] [--rate 1000] [--seconds 10]
//       [--workers 8] [--samples 2000]
//
// Seeding runs only into an empty database and uses multi-row inserts in a few large
// transactions; a seeded database is reused by later runs.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "plaza/catalog/migrations.h"
#include "plaza/core/clock.h"
#include "plaza/social/feeds.h"
#include "plaza/social/feeds_migrations.h"
#include "plaza/social/migrations.h"
#include "plaza/social/notifications.h"
#include "plaza/social/posts.h"
#include "plaza/store/database.h"
#include "plaza/store/migrations.h"
#include "plaza/store/store_migrations.h"

namespace {

using namespace plaza;
using SteadyClock = std::chrono::steady_clock;

constexpr std::int64_t kShop = 1;
constexpr std::int64_t kStar = 1;  // the profile half the users follow
constexpr std::int64_t kSeedNowMs = 1'763'900'000'000;
constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kPostSpanMs = 90 * kDayMs;  // posts spread over the last 90 days

struct Options {
  std::string database;
  std::int64_t users = 100'000;
  std::int64_t posts = 1'000'000;
  int follows_per_user = 50;
  int rate = 1000;
  int seconds = 10;
  int workers = 8;
  int samples = 2000;
};

[[noreturn]] void Fail(const std::string& what, const Error& error) {
  std::fprintf(stderr, "%s: %s (%s)\n", what.c_str(), error.detail.c_str(), error.type.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> result, const std::string& what) {
  if (!result.ok()) Fail(what, result.error());
  return std::move(*result);
}

void Must(const Status& status, const std::string& what) {
  if (!status.ok()) Fail(what, status.error());
}

double Seconds(SteadyClock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Inserts rows of `columns` values each, `batch` rows per statement, in transactions of
// at most `per_tx` rows; `row(i, out)` appends the i-th row's values.
template <typename RowFn>
void BulkInsert(store::Database& db, const std::string& head, int columns, std::int64_t count, RowFn&& row,
                std::int64_t batch = 500, std::int64_t per_tx = 1'000'000) {
  std::string one = "(";
  for (int c = 0; c < columns; ++c) one += c == 0 ? "?" : ", ?";
  one += ")";
  auto statement = [&](std::int64_t rows) {
    std::string sql = head + " VALUES ";
    for (std::int64_t r = 0; r < rows; ++r) sql += (r == 0 ? "" : ", ") + one;
    return sql;
  };
  const std::string full = statement(batch);
  for (std::int64_t tx_start = 0; tx_start < count; tx_start += per_tx) {
    const std::int64_t tx_end = std::min(count, tx_start + per_tx);
    Must(db.RunTransaction(store::TxMode::kWrite,
                           [&](store::Transaction& tx) -> Status {
                             std::vector<store::Param> params;
                             for (std::int64_t i = tx_start; i < tx_end; i += batch) {
                               const std::int64_t rows = std::min(batch, tx_end - i);
                               params.clear();
                               for (std::int64_t r = 0; r < rows; ++r) row(i + r, params);
                               PLAZA_TRY(tx.Execute(rows == batch ? full : statement(rows), params));
                             }
                             return Ok();
                           }),
         head);
  }
}

// Deterministic data: the same options always seed the same graph.
void Seed(store::Database& db, const Options& o) {
  const auto start = SteadyClock::now();
  std::mt19937_64 rng(42);
  BulkInsert(
      db,
      "INSERT INTO social_profiles (id, shop_id, handle, handle_key, display_name, bio, links, kind, is_private, "
      "customer_id, created_at, updated_at)",
      12, o.users, [&](std::int64_t i, std::vector<store::Param>& p) {
        const std::int64_t id = i + 1;
        const std::string handle = id == kStar ? "star" : "user" + std::to_string(id);
        p.insert(p.end(),
                 {id, kShop, handle, handle, "User " + std::to_string(id), "", "", id == kStar ? "creator" : "customer",
                  id % 20 == 0 ? 1 : 0, id == kStar ? store::Param(nullptr) : store::Param(id),
                  kSeedNowMs - kPostSpanMs, kSeedNowMs - kPostSpanMs});
      });
  std::printf("profiles: %lld in %.1f s\n", static_cast<long long>(o.users), Seconds(SteadyClock::now() - start));

  // Each user follows follows_per_user distinct others: the star when the user's id is
  // even, a fifth among the 1,000 next most popular, the rest anyone.
  const auto follows_start = SteadyClock::now();
  std::vector<std::int64_t> followees;
  std::vector<std::int64_t> current;
  std::int64_t follower = 0;
  auto pick = [&](std::int64_t user) {
    current.clear();
    if (user % 2 == 0 && user != kStar) current.push_back(kStar);
    std::uniform_int_distribution<std::int64_t> popular(2, 1001);
    std::uniform_int_distribution<std::int64_t> anyone(2, o.users);
    while (std::ssize(current) < o.follows_per_user) {
      const std::int64_t candidate = std::ssize(current) < o.follows_per_user / 5 ? popular(rng) : anyone(rng);
      if (candidate == user || std::find(current.begin(), current.end(), candidate) != current.end()) continue;
      current.push_back(candidate);
    }
  };
  const std::int64_t total_follows = o.users * o.follows_per_user;
  BulkInsert(db, "INSERT INTO social_follows (shop_id, follower_id, followee_id, created_at)", 4, total_follows,
             [&](std::int64_t i, std::vector<store::Param>& p) {
               const std::int64_t user = i / o.follows_per_user + 1;
               if (user != follower) {
                 follower = user;
                 pick(user);
               }
               p.insert(p.end(), {kShop, user, current[static_cast<std::size_t>(i % o.follows_per_user)],
                                  kSeedNowMs - kPostSpanMs + i % kDayMs});
             });
  std::printf("follows: %lld in %.1f s\n", static_cast<long long>(total_follows),
              Seconds(SteadyClock::now() - follows_start));

  // Posts by uniformly chosen authors, evenly over the span, newest last; likes mostly
  // few, some many; one post in a hundred tags one of 1,000 products.
  const auto posts_start = SteadyClock::now();
  std::uniform_int_distribution<std::int64_t> author(1, o.users);
  std::geometric_distribution<std::int64_t> likes(0.2);
  BulkInsert(db,
             "INSERT INTO social_posts (id, shop_id, author_id, body, group_id, visibility, like_count, comment_count, "
             "save_count, share_count, created_at)",
             11, o.posts, [&](std::int64_t i, std::vector<store::Param>& p) {
               const std::int64_t id = i + 1;
               const std::int64_t created = kSeedNowMs - kPostSpanMs + kPostSpanMs * i / o.posts;
               p.insert(p.end(), {id, kShop, author(rng), "Post number " + std::to_string(id) + " #plaza", nullptr,
                                  "visible", likes(rng), likes(rng) / 4, likes(rng) / 4, likes(rng) / 8, created});
             });
  BulkInsert(db, "INSERT INTO social_post_products (shop_id, post_id, position, product_id, variant_id)", 5,
             o.posts / 100, [&](std::int64_t i, std::vector<store::Param>& p) {
               p.insert(p.end(), {kShop, i * 100 + 1, 0, i % 1000 + 1, nullptr});
             });
  std::printf("posts: %lld in %.1f s\n", static_cast<long long>(o.posts), Seconds(SteadyClock::now() - posts_start));

  const auto counts_start = SteadyClock::now();
  Must(db.RunTransaction(store::TxMode::kWrite,
                         [&](store::Transaction& tx) -> Status {
                           PLAZA_TRY(tx.Execute(
                               "UPDATE social_profiles SET followers_count = (SELECT COUNT(*) FROM social_follows f "
                               "WHERE f.shop_id = social_profiles.shop_id AND f.followee_id = social_profiles.id), "
                               "following_count = (SELECT COUNT(*) FROM social_follows f WHERE f.shop_id = "
                               "social_profiles.shop_id AND f.follower_id = social_profiles.id)"));
                           return Ok();
                         }),
       "counts");
  if (db.dialect() == store::Dialect::kPostgres) {
    // Explicit ids above leave the sequences behind.
    Must(db.RunTransaction(store::TxMode::kWrite,
                           [&](store::Transaction& tx) -> Status {
                             PLAZA_TRY(
                                 tx.Execute("SELECT setval(pg_get_serial_sequence('social_profiles', 'id'), "
                                            "(SELECT MAX(id) FROM social_profiles))"));
                             PLAZA_TRY(
                                 tx.Execute("SELECT setval(pg_get_serial_sequence('social_posts', 'id'), "
                                            "(SELECT MAX(id) FROM social_posts))"));
                             return Ok();
                           }),
         "sequences");
  }
  Must(db.RunTransaction(store::TxMode::kWrite,
                         [&](store::Transaction& tx) -> Status {
                           PLAZA_TRY(tx.Execute("ANALYZE"));
                           return Ok();
                         }),
       "analyze");
  std::printf("counts and ANALYZE in %.1f s; seeding took %.1f s\n", Seconds(SteadyClock::now() - counts_start),
              Seconds(SteadyClock::now() - start));
}

struct Summary {
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  std::size_t count = 0;
};

Summary Summarise(std::vector<double> ms) {
  Summary s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  s.count = ms.size();
  s.p50_ms = ms[ms.size() / 2];
  s.p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  s.max_ms = ms.back();
  return s;
}

void Print(const std::string& what, const Summary& s) {
  std::printf("%-48s n=%-6zu p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms\n", what.c_str(), s.count, s.p50_ms, s.p99_ms,
              s.max_ms);
}

template <typename Call>
Summary Sequential(int samples, Call&& call) {
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(samples));
  for (int i = 0; i < samples; ++i) {
    const auto t0 = SteadyClock::now();
    call(i);
    ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count());
  }
  return Summarise(std::move(ms));
}

// Requests arrive every 1/rate s whether or not earlier ones finished (an open loop), so
// queueing shows in the latency, which runs from each request's arrival to its answer.
template <typename Call>
Summary AtRate(int rate, int seconds, int workers, Call&& call, double* achieved) {
  const std::int64_t total = static_cast<std::int64_t>(rate) * seconds;
  const auto start = SteadyClock::now() + std::chrono::milliseconds(50);
  const auto interval = std::chrono::nanoseconds(1'000'000'000LL / rate);
  std::atomic<std::int64_t> next{0};
  std::vector<std::vector<double>> per_worker(static_cast<std::size_t>(workers));
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (;;) {
        const std::int64_t i = next.fetch_add(1);
        if (i >= total) return;
        const auto arrival = start + interval * i;
        std::this_thread::sleep_until(arrival);
        call(i);
        per_worker[static_cast<std::size_t>(w)].push_back(
            std::chrono::duration<double, std::milli>(SteadyClock::now() - arrival).count());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  *achieved = static_cast<double>(total) / Seconds(SteadyClock::now() - start);
  std::vector<double> all;
  for (auto& v : per_worker) all.insert(all.end(), v.begin(), v.end());
  return Summarise(std::move(all));
}

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--database") {
      o.database = value;
    } else if (key == "--users") {
      o.users = std::stoll(value);
    } else if (key == "--posts") {
      o.posts = std::stoll(value);
    } else if (key == "--follows-per-user") {
      o.follows_per_user = std::stoi(value);
    } else if (key == "--rate") {
      o.rate = std::stoi(value);
    } else if (key == "--seconds") {
      o.seconds = std::stoi(value);
    } else if (key == "--workers") {
      o.workers = std::stoi(value);
    } else if (key == "--samples") {
      o.samples = std::stoi(value);
    } else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      std::exit(2);
    }
  }
  if (o.database.empty()) {
    std::fprintf(stderr, "usage: plaza_social_feeds --database <file or URL> [options]; see the source\n");
    std::exit(2);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows while seeding, also into a file
  const Options o = Parse(argc, argv);
  auto db = Must(store::OpenDatabase({.url = o.database, .pool_size = std::max(8, o.workers + 2)}), "open");
  const std::vector<store::MigrationSet> sets = {store::StoreMigrations(), catalog::CatalogMigrations(),
                                                 social::SocialMigrations(), social::SocialFeedsMigrations()};
  Must(store::Migrate(*db, sets), "migrate");
  const std::int64_t existing = Must(db->Read([](store::Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT COUNT(*) FROM social_profiles"));
    return row->Int(0);
  }),
                                     "count");
  if (existing == 0) Seed(*db, o);

  SystemClock clock;
  social::NotificationService notifications(*db, clock);
  social::PostService posts(*db, clock, notifications);
  social::FeedService feeds(*db, clock, posts);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> viewer(2, o.users);
  const social::PageRequest first_page{.limit = 20};

  auto timeline = [&](std::int64_t v) { Must(feeds.Timeline(kShop, v, first_page), "timeline"); };
  std::vector<std::int64_t> viewers(static_cast<std::size_t>(std::max<std::int64_t>(o.samples, o.rate * o.seconds)));
  for (auto& v : viewers) v = viewer(rng);

  Print("timeline, first page of 20, one at a time",
        Sequential(o.samples, [&](int i) { timeline(viewers[static_cast<std::size_t>(i)]); }));
  // The loader alone, on the posts of first pages: what a feed read one post at a time
  // before PostService::GetPosts, against the batch of the same ids.
  std::vector<std::vector<std::int64_t>> pages;
  for (int i = 0; i < o.samples / 4; ++i) {
    std::vector<std::int64_t> ids;
    for (const social::Post& post :
         Must(feeds.Timeline(kShop, viewers[static_cast<std::size_t>(i)], first_page), "timeline").posts) {
      ids.push_back(post.id);
    }
    pages.push_back(std::move(ids));
  }
  Print("load a timeline page's posts: GetPost each", Sequential(o.samples / 4, [&](int i) {
          for (const std::int64_t id : pages[static_cast<std::size_t>(i)]) {
            Must(posts.GetPost(kShop, id, viewers[static_cast<std::size_t>(i)]), "post");
          }
        }));
  Print("load a timeline page's posts: GetPosts", Sequential(o.samples / 4, [&](int i) {
          Must(posts.GetPosts(kShop, pages[static_cast<std::size_t>(i)], viewers[static_cast<std::size_t>(i)]),
               "posts");
        }));
  Print("timeline, second page of 20", Sequential(o.samples / 4, [&](int i) {
          auto page = Must(feeds.Timeline(kShop, viewers[static_cast<std::size_t>(i)], first_page), "timeline");
          if (!page.next_cursor.empty()) {
            Must(feeds.Timeline(kShop, viewers[static_cast<std::size_t>(i)], {.cursor = page.next_cursor, .limit = 20}),
                 "timeline page 2");
          }
        }));
  Print("discovery, first page of 20 (anonymous)",
        Sequential(o.samples / 10, [&](int) { Must(feeds.Discovery(kShop, std::nullopt, first_page), "discovery"); }));
  Print("discovery, first page of 20 (signed in)", Sequential(o.samples / 10, [&](int i) {
          Must(feeds.Discovery(kShop, viewers[static_cast<std::size_t>(i)], first_page), "discovery");
        }));
  Print("product feed, first page of 20", Sequential(o.samples, [&](int i) {
          Must(feeds.Product(kShop, i % 1000 + 1, viewers[static_cast<std::size_t>(i)], first_page), "product feed");
        }));
  Print("followed buyers of a product", Sequential(o.samples, [&](int i) {
          Must(feeds.FollowedBuyers(kShop, viewers[static_cast<std::size_t>(i)], i % 1000 + 1), "social proof");
        }));

  const std::int64_t star_followers = Must(db->Read([](store::Transaction& tx) -> Result<std::int64_t> {
    PLAZA_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT followers_count FROM social_profiles WHERE id = ?", {kStar}));
    return row->Int(0);
  }),
                                           "star");
  const std::int64_t quiet = 3;
  Print("post by @star (" + std::to_string(star_followers) + " followers)", Sequential(200, [&](int i) {
          Must(posts.CreatePost(kShop, kStar, {.text = "new drop " + std::to_string(i)}), "post");
        }));
  Print("post by an account with ~50 followers", Sequential(200, [&](int i) {
          Must(posts.CreatePost(kShop, quiet, {.text = "hi " + std::to_string(i)}), "post");
        }));
  // What fan-out on write would add to @star's post: one timeline row per follower,
  // written in the post's transaction (rolled back here).
  Print("fan-out on write of one @star post (rolled back)", Sequential(5, [&](int) {
          const Status status = db->RunTransaction(store::TxMode::kWrite, [&](store::Transaction& tx) -> Status {
            PLAZA_TRY(
                tx.Execute("CREATE TEMPORARY TABLE IF NOT EXISTS bench_timeline (owner_id BIGINT NOT NULL, "
                           "post_id BIGINT NOT NULL, PRIMARY KEY (owner_id, post_id))"));
            PLAZA_TRY(
                tx.Execute("INSERT INTO bench_timeline (owner_id, post_id) SELECT follower_id, 1 FROM "
                           "social_follows WHERE shop_id = ? AND followee_id = ?",
                           {kShop, kStar}));
            return Error::Conflict("bench/rollback", "rolled back on purpose");
          });
          if (status.ok() || status.error().type != "bench/rollback") Must(status, "fan-out");
        }));

  double achieved = 0;
  const Summary loaded = AtRate(
      o.rate, o.seconds, o.workers, [&](std::int64_t i) { timeline(viewers[static_cast<std::size_t>(i)]); }, &achieved);
  Print("timeline at " + std::to_string(o.rate) + " req/s offered (" + std::to_string(o.workers) + " workers)", loaded);
  std::printf("achieved %.0f req/s\n", achieved);
  return 0;
}
