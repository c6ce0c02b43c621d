// A webhook receiver's response on any bytes: the alert is delivered on a 2xx only, a
// Retry-After is honoured only for an attempt to retry and never asks to wait a negative time,
// and every error names the receiver on one printable line.
#include <chrono>

#include "harness.hpp"
#include "secondsight/alert/sink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight;
  using alert::Delivery;
  const std::string_view response = fuzz::text_of(data, size);
  const Instant now{std::chrono::seconds{1773662400}};
  const std::string who = "webhook hooks.example:443";
  const Delivery delivery = alert::webhook_answer(who, response, now);

  if (delivery.outcome == Delivery::Outcome::delivered) {
    FUZZ_CHECK(delivery.error.empty());
    FUZZ_CHECK(response.starts_with("HTTP/1.") && response.size() > 9 && response[9] == '2');
  } else {
    FUZZ_CHECK(delivery.error.rfind(who, 0) == 0);
    for (const char c : delivery.error) {
      const auto byte = static_cast<unsigned char>(c);
      FUZZ_CHECK(byte >= 0x20 && byte != 0x7f);
    }
  }
  if (delivery.retry_after) {
    FUZZ_CHECK(delivery.outcome == Delivery::Outcome::retry);
    FUZZ_CHECK(delivery.retry_after->count() >= 0);
  }
  return 0;
}
