# Every outside library Plaza uses, found from Debian's -dev packages.
# scripts/install-deps.sh installs them; docs/dependencies.md says why each is here.

find_package(Threads REQUIRED)
# 1.81 is newer than CMake 3.25 knows; its imported targets are still right.
set(Boost_NO_WARN_NEW_VERSIONS ON)
find_package(Boost 1.81 EXACT REQUIRED COMPONENTS json url system)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
find_package(PostgreSQL REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(prometheus-cpp REQUIRED COMPONENTS core)
# Howard Hinnant's date/tz (libhowardhinnant-date-dev): IANA time zones from the system's
# /usr/share/zoneinfo, which libstdc++ 12's <chrono> lacks (docs/shipping.md).
find_package(date REQUIRED)
if(PLAZA_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(PLAZA_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
