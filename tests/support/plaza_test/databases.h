#pragma once
// Databases for the integration suite. Every integration test is written once and runs
// on each backend in TestBackends(): SQLite always, and PostgreSQL when
// PLAZA_TEST_PG_DSN names a server (`make test` starts one and sets it). With
// PLAZA_REQUIRE_PG=1 a missing or unreachable server fails the run instead of
// silently testing SQLite alone.

#include <memory>
#include <string>
#include <vector>

#include "plaza/store/database.h"

namespace plaza::testing {

// "sqlite", and "postgres" when configured.
std::vector<std::string> TestBackends();

// A fresh, empty database for one test, removed when this object dies: a new SQLite file
// in a temporary directory, or a new schema on the PostgreSQL server.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  store::Database& db() { return *db_; }
  // The URL that opens this same database, e.g. for a `plaza serve` child process.
  const std::string& url() const { return url_; }
  const std::string& backend() const { return backend_; }
  // Closes the pool (e.g. to reopen the same database after a simulated restart).
  void Close() { db_.reset(); }
  void Reopen();

 private:
  std::string backend_;
  std::string url_;
  std::string cleanup_;  // directory to remove, or schema to drop
  std::unique_ptr<store::Database> db_;
};

// gtest parameter printer: names parameterised tests "…/sqlite" and "…/postgres".
struct BackendName {
  template <typename ParamInfo>
  std::string operator()(const ParamInfo& info) const {
    return info.param;
  }
};

// A new empty temporary directory, removed by the caller.
std::string MakeTempDir(const std::string& prefix);

// A new empty temporary directory, removed with everything in it when this object dies.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix) : path_(MakeTempDir(prefix)) {}
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace plaza::testing
