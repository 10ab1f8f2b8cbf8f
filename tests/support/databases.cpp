#include "plaza_test/databases.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "plaza/core/crypto.h"
#include "plaza/core/text.h"

namespace plaza::testing {
namespace {

std::string PostgresDsn() {
  const char* dsn = std::getenv("PLAZA_TEST_PG_DSN");
  return dsn ? dsn : "";
}

bool PostgresRequired() {
  const char* required = std::getenv("PLAZA_REQUIRE_PG");
  return required && std::string(required) == "1";
}

std::string WithSearchPath(const std::string& dsn, const std::string& schema) {
  const char separator = dsn.find('?') == std::string::npos ? '?' : '&';
  return dsn + separator + "options=-csearch_path%3D" + schema;
}

std::unique_ptr<store::Database> OpenOrThrow(const std::string& url) {
  auto db = store::OpenDatabase({.url = url, .pool_size = 4});
  if (!db.ok()) throw std::runtime_error("cannot open test database " + url + ": " + db.error().detail);
  return std::move(db).value();
}

}  // namespace

std::vector<std::string> TestBackends() {
  std::vector<std::string> backends = {"sqlite"};
  if (!PostgresDsn().empty()) {
    backends.emplace_back("postgres");
  } else if (PostgresRequired()) {
    throw std::runtime_error("PLAZA_REQUIRE_PG=1 but PLAZA_TEST_PG_DSN is not set");
  }
  return backends;
}

std::string MakeTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

TestDatabase::TestDatabase(const std::string& backend) : backend_(backend) {
  crypto::InitCrypto();
  if (backend == "sqlite") {
    cleanup_ = MakeTempDir("plaza-test");
    url_ = cleanup_ + "/plaza.db";
  } else if (backend == "postgres") {
    cleanup_ = "t_" + text::ToLowerAscii(text::HexEncode(crypto::RandomBytes(8)));
    auto admin = OpenOrThrow(PostgresDsn());
    const Status created = admin->RunTransaction(store::TxMode::kWrite, [&](store::Transaction& tx) -> Status {
      PLAZA_TRY(tx.Execute("CREATE SCHEMA " + cleanup_));
      return Ok();
    });
    if (!created.ok()) throw std::runtime_error("cannot create test schema: " + created.error().detail);
    url_ = WithSearchPath(PostgresDsn(), cleanup_);
  } else {
    throw std::runtime_error("unknown test backend " + backend);
  }
  db_ = OpenOrThrow(url_);
}

void TestDatabase::Reopen() {
  db_ = OpenOrThrow(url_);
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (backend_ == "sqlite") {
    std::error_code ignored;  // a leftover temp dir is harmless; failing a test for it is not
    std::filesystem::remove_all(cleanup_, ignored);
    return;
  }
  auto admin = store::OpenDatabase({.url = PostgresDsn(), .pool_size = 1});
  if (!admin.ok()) return;  // the server is gone; the whole cluster is removed after the run
  // Best effort for the same reason: the throwaway cluster is deleted after the suite.
  (void)(*admin)->RunTransaction(store::TxMode::kWrite, [&](store::Transaction& tx) -> Status {
    PLAZA_TRY(tx.Execute("DROP SCHEMA " + cleanup_ + " CASCADE"));
    return Ok();
  });
}

}  // namespace plaza::testing
