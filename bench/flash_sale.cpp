// A load driver for the storefront's checkout against running `plaza serve` processes.
//
//   flash: N buyers start together, one connection each, every one running the whole flow
//          (cart, line, checkout, contact, address, method, order with an Idempotency-Key)
//          for one unit of a variant whose stock is limited; then the variant's remaining
//          availability is read through the admin API to find oversell and unsold units.
//   throughput: C clients place orders back to back, whole flow each, until N are placed
//          (the variant needs ample stock); orders/s is the completed-flow rate.
//
// Buyers are spread round-robin over the given ports, so two processes on one database
// share the sale. Prints one key=value line for scripts/bench-commerce.sh to tabulate.

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "plaza/http/testing/client.h"

namespace {

using Clock = std::chrono::steady_clock;
using plaza::http::Headers;
using plaza::http::testing::ClientResponse;
using plaza::http::testing::HttpClient;

struct Options {
  std::string mode = "flash";
  std::vector<std::uint16_t> ports;
  std::string shop = "aurelle";
  std::int64_t variant_id = 0;
  std::int64_t rate_id = 0;
  int buyers = 300;
  int stock = 100;
  int orders = 2000;
  int concurrency = 32;
  std::string staff_cookie;  // "plaza_staff=…", for the availability read after a flash sale
};

[[noreturn]] void Usage(const char* message) {
  std::fprintf(stderr,
               "%s\nusage: plaza_flash_sale --ports P[,P…] --variant ID --rate ID [--shop HANDLE]\n"
               "         [--mode flash|throughput] [--buyers N] [--stock N] [--orders N] [--concurrency C]\n"
               "         [--staff-cookie 'plaza_staff=…']\n",
               message);
  std::exit(2);
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) Usage(("missing value for " + flag).c_str());
    const std::string value = argv[++i];
    if (flag == "--mode") {
      options.mode = value;
    } else if (flag == "--ports") {
      std::stringstream list(value);
      for (std::string port; std::getline(list, port, ',');) {
        options.ports.push_back(static_cast<std::uint16_t>(std::stoi(port)));
      }
    } else if (flag == "--shop") {
      options.shop = value;
    } else if (flag == "--variant") {
      options.variant_id = std::stoll(value);
    } else if (flag == "--rate") {
      options.rate_id = std::stoll(value);
    } else if (flag == "--buyers") {
      options.buyers = std::stoi(value);
    } else if (flag == "--stock") {
      options.stock = std::stoi(value);
    } else if (flag == "--orders") {
      options.orders = std::stoi(value);
    } else if (flag == "--concurrency") {
      options.concurrency = std::stoi(value);
    } else if (flag == "--staff-cookie") {
      options.staff_cookie = value;
    } else {
      Usage(("unknown flag " + flag).c_str());
    }
  }
  if (options.ports.empty() || options.variant_id == 0 || options.rate_id == 0) Usage("ports, variant and rate");
  if (options.mode != "flash" && options.mode != "throughput") Usage("mode is flash or throughput");
  return options;
}

// The outcome of one buyer's flow: the last answer, and how long place-order took.
struct Outcome {
  int status = 0;  // 0: transport failure
  std::string body;
  std::string step;
  double order_ms = -1;  // < 0 when the flow stopped before place-order
};

Outcome Buy(HttpClient& client, const Options& options, const std::string& key) {
  const std::string base = "/api/v1/shops/" + options.shop + "/carts";
  auto fail = [](const char* step, const plaza::Result<ClientResponse>& response) {
    Outcome outcome;
    outcome.step = step;
    if (response.ok()) {
      outcome.status = response->status;
      outcome.body = response->body;
    } else {
      outcome.body = response.error().detail;
    }
    return outcome;
  };
  auto cart = client.PostJson(base, R"({"country":"FR"})");
  if (!cart.ok() || cart->status != 201) return fail("cart", cart);
  const std::string path = base + "/" + std::string(cart->Json().at("token").as_string());
  auto line =
      client.PostJson(path + "/lines", R"({"variant_id":)" + std::to_string(options.variant_id) + R"(,"quantity":1})");
  if (!line.ok() || line->status != 200) return fail("line", line);
  auto checkout = client.PostJson(path + "/checkout", "{}");
  if (!checkout.ok() || checkout->status != 200) return fail("checkout", checkout);
  const std::pair<const char*, std::string> puts[] = {
      {"/contact", R"({"email":"buyer@example.fr"})"},
      {"/shipping-address",
       R"({"name":"Camille","line1":"10 rue de Rivoli","city":"Paris","postal_code":"75001","country":"FR"})"},
      {"/shipping-method", R"({"rate_id":)" + std::to_string(options.rate_id) + "}"}};
  Headers json;
  json.Set("Content-Type", "application/json");
  for (const auto& [suffix, body] : puts) {
    auto response = client.Send("PUT", path + suffix, body, json);
    if (!response.ok() || response->status != 200) return fail(suffix, response);
  }
  Headers headers;
  headers.Set("Idempotency-Key", key);
  const auto started = Clock::now();
  auto order = client.PostJson(
      path + "/order", R"({"payment":{"card_number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}})",
      headers);
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  Outcome outcome = fail("order", order);
  outcome.order_ms = ms;
  return outcome;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

// Tallies outcomes across threads.
struct Tally {
  std::mutex mutex;
  int placed = 0;
  int sold_out = 0;
  int server_errors = 0;
  int other = 0;
  std::vector<double> order_ms;
  std::map<std::string, int> unexpected;  // "step status type" → count

  void Add(const Outcome& outcome) {
    std::lock_guard lock(mutex);
    if (outcome.order_ms >= 0) order_ms.push_back(outcome.order_ms);
    if (outcome.status == 201 && outcome.step == "order") {
      ++placed;
      return;
    }
    if (outcome.status == 409 && outcome.body.find("insufficient-stock") != std::string::npos) {
      ++sold_out;
      return;
    }
    if (outcome.status >= 500) {
      ++server_errors;
    } else {
      ++other;
    }
    ++unexpected[outcome.step + " " + std::to_string(outcome.status) + " " + outcome.body.substr(0, 160)];
  }
};

void PrintUnexpected(const Tally& tally) {
  for (const auto& [answer, count] : tally.unexpected) std::cerr << "  " << count << " x " << answer << "\n";
}

// The variant's available units on the online store, read as staff; -1 when unknown.
std::int64_t Available(const Options& options) {
  if (options.staff_cookie.empty()) return -1;
  HttpClient client(options.ports.front());
  Headers headers;
  headers.Set("Cookie", options.staff_cookie);
  auto response =
      client.Get("/api/v1/shops/" + options.shop +
                     "/inventory/availability?channel=online_store&variant_ids=" + std::to_string(options.variant_id),
                 headers);
  if (!response.ok() || response->status != 200) {
    std::cerr << "availability read failed: " << (response.ok() ? response->body : response.error().detail) << "\n";
    return -1;
  }
  return response->Json().at("availability").as_array().at(0).at("available").as_int64();
}

// Transactions the servers retried after a serialization failure so far, summed over
// the ports (the plaza_db_transaction_retries gauge); -1 when a server does not say.
long long Retries(const Options& options) {
  long long total = 0;
  for (const std::uint16_t port : options.ports) {
    HttpClient client(port);
    auto response = client.Get("/metrics");
    if (!response.ok() || response->status != 200) return -1;
    constexpr std::string_view kGauge = "\nplaza_db_transaction_retries ";
    const std::size_t at = response->body.find(kGauge);
    if (at == std::string::npos) return -1;
    total += std::atoll(response->body.c_str() + at + kGauge.size());
  }
  return total;
}

int Flash(const Options& options) {
  Tally tally;
  std::latch ready(options.buyers + 1);
  std::vector<std::thread> buyers;
  buyers.reserve(static_cast<std::size_t>(options.buyers));
  for (int i = 0; i < options.buyers; ++i) {
    buyers.emplace_back([&, i] {
      HttpClient client(options.ports[static_cast<std::size_t>(i) % options.ports.size()], std::chrono::seconds(120));
      ready.arrive_and_wait();
      tally.Add(Buy(client, options, "flash-" + std::to_string(i)));
    });
  }
  const long long retries_before = Retries(options);
  ready.arrive_and_wait();
  const auto started = Clock::now();
  for (auto& buyer : buyers) buyer.join();
  const double burst_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  const long long retries = retries_before < 0 ? -1 : Retries(options) - retries_before;
  const std::int64_t available = Available(options);
  const int oversold = std::max(0, tally.placed - options.stock);
  // Units left on the shelf while buyers were told "sold out".
  const std::int64_t unsold = tally.sold_out > 0 && available > 0 ? available : 0;
  std::printf(
      "mode=flash buyers=%d stock=%d processes=%zu placed=%d sold_out=%d server_errors=%d other=%d "
      "oversold=%d available_after=%lld unsold_while_refused=%lld place_p50_ms=%.1f place_p99_ms=%.1f "
      "burst_ms=%.0f orders_per_s=%.1f db_retries=%lld\n",
      options.buyers, options.stock, options.ports.size(), tally.placed, tally.sold_out, tally.server_errors,
      tally.other, oversold, static_cast<long long>(available), static_cast<long long>(unsold),
      Percentile(tally.order_ms, 0.5), Percentile(tally.order_ms, 0.99), burst_ms, tally.placed / (burst_ms / 1000.0),
      retries);
  PrintUnexpected(tally);
  const bool clean = tally.placed == options.stock && tally.sold_out == options.buyers - options.stock &&
                     tally.server_errors == 0 && tally.other == 0 && available == 0;
  return clean ? 0 : 1;
}

int Throughput(const Options& options) {
  Tally tally;
  std::atomic<int> next{0};
  std::latch ready(options.concurrency + 1);
  std::vector<std::thread> clients;
  for (int c = 0; c < options.concurrency; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(options.ports[static_cast<std::size_t>(c) % options.ports.size()], std::chrono::seconds(120));
      ready.arrive_and_wait();
      for (int n = next++; n < options.orders; n = next++) {
        tally.Add(Buy(client, options, "bulk-" + std::to_string(n)));
      }
    });
  }
  const long long retries_before = Retries(options);
  ready.arrive_and_wait();
  const auto started = Clock::now();
  for (auto& client : clients) client.join();
  const double total_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  const long long retries = retries_before < 0 ? -1 : Retries(options) - retries_before;
  std::printf(
      "mode=throughput orders=%d concurrency=%d processes=%zu placed=%d sold_out=%d server_errors=%d other=%d "
      "place_p50_ms=%.1f place_p99_ms=%.1f total_ms=%.0f orders_per_s=%.1f db_retries=%lld\n",
      options.orders, options.concurrency, options.ports.size(), tally.placed, tally.sold_out, tally.server_errors,
      tally.other, Percentile(tally.order_ms, 0.5), Percentile(tally.order_ms, 0.99), total_ms,
      tally.placed / (total_ms / 1000.0), retries);
  PrintUnexpected(tally);
  return tally.placed == options.orders ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = Parse(argc, argv);
  return options.mode == "flash" ? Flash(options) : Throughput(options);
}
