// Fails when a lower layer includes a higher one (DESIGN.md: dependencies point down),
// when a module includes the transport or handler layers, or when a public header pulls
// in Boost.Asio/Beast (they are compiled once, inside http/src).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Lower rank = lower layer. api/ and web/ are siblings: neither may include the other.
int LayerRank(const std::string& layer) {
  static const std::map<std::string, int> kRanks = {{"core", 0}, {"store", 1}, {"module", 2}, {"http", 3},
                                                    {"api", 4},  {"web", 4},   {"app", 5}};
  return kRanks.at(layer);
}

// The layer a source file belongs to, from its path relative to the source root.
std::string LayerOfPath(const fs::path& relative) {
  const std::string top = relative.begin()->string();
  return top == "modules" ? "module" : top;
}

// The layer of an include like "plaza/identity/service.h", or "" when it is not Plaza's.
std::string LayerOfInclude(const std::string& include) {
  static const std::regex kPlazaInclude(R"(^plaza/([a-z_]+)/)");
  std::smatch match;
  if (!std::regex_search(include, match, kPlazaInclude)) return "";
  const std::string name = match[1];
  if (name == "core" || name == "store" || name == "http" || name == "api" || name == "web" || name == "app") {
    return name;
  }
  return "module";
}

struct Violation {
  std::string file;
  std::string include;
};

std::vector<Violation> FindViolations() {
  const fs::path root = PLAZA_SOURCE_DIR;
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::vector<Violation> violations;
  for (const char* top : {"core", "store", "modules", "http", "api", "web", "app"}) {
    if (!fs::exists(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const auto extension = entry.path().extension();
      if (extension != ".h" && extension != ".cpp") continue;
      const fs::path relative = fs::relative(entry.path(), root);
      const std::string layer = LayerOfPath(relative);
      const bool public_header = relative.string().find("/include/") != std::string::npos;
      std::ifstream file(entry.path());
      std::string line;
      while (std::getline(file, line)) {
        std::smatch match;
        if (!std::regex_search(line, match, kInclude)) continue;
        const std::string include = match[1];
        const std::string included_layer = LayerOfInclude(include);
        const bool upward = !included_layer.empty() && LayerRank(included_layer) > LayerRank(layer);
        const bool sideways =
            (layer == "api" && included_layer == "web") || (layer == "web" && included_layer == "api");
        const bool heavy_in_public =
            public_header && (include.starts_with("boost/asio") || include.starts_with("boost/beast"));
        if (upward || sideways || heavy_in_public) violations.push_back({relative.string(), include});
      }
    }
  }
  return violations;
}

TEST(LayeringTest, NoLayerIncludesAHigherOne) {
  for (const Violation& violation : FindViolations()) {
    ADD_FAILURE() << violation.file << " includes " << violation.include;
  }
}

TEST(LayeringTest, ClassifiesIncludes) {
  // Pins the classifier itself, so the test above cannot pass by recognising nothing.
  EXPECT_EQ(LayerOfInclude("plaza/identity/service.h"), "module");
  EXPECT_EQ(LayerOfInclude("plaza/http/router.h"), "http");
  EXPECT_EQ(LayerOfInclude("boost/json.hpp"), "");
  EXPECT_GT(LayerRank("http"), LayerRank("module"));
  EXPECT_EQ(LayerOfPath("modules/identity/src/service.cpp"), "module");
}

}  // namespace
