# System libraries only (Debian packages); nothing is vendored.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(date REQUIRED)
pkg_check_modules(LDAP REQUIRED IMPORTED_TARGET ldap)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
# Every poll builds and frees a whole directory of small strings: jemalloc does that in a
# fraction of glibc malloc's time (bench/README.md). The sanitizers bring their own allocator.
if(SECONDSIGHT_JEMALLOC)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
