// HTTP dates on any bytes: a date that is read, written again in each of the three forms,
// reads back as the same instant.
#include <date/date.h>

#include "harness.hpp"
#include "secondsight/core/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight;
  const auto at = parse_http_date(fuzz::text_of(data, size));
  if (!at) return 0;
  const date::year_month_day day{std::chrono::floor<date::days>(*at)};
  const int year = static_cast<int>(day.year());
  FUZZ_CHECK(year >= 0 && year <= 9999);  // every form writes four digits or two
  const auto imf = date::format("%a, %d %b %Y %H:%M:%S GMT", *at);
  FUZZ_CHECK(parse_http_date(imf) == at);
  const auto asctime = date::format("%a %b %e %H:%M:%S %Y", *at);
  FUZZ_CHECK(parse_http_date(asctime) == at);
  if (year >= 1970 && year <= 2069) {
    const auto rfc850 = date::format("%A, %d-%b-%y %H:%M:%S GMT", *at);
    FUZZ_CHECK(parse_http_date(rfc850) == at);
  }
  return 0;
}
