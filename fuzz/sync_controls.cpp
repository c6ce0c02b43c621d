// The values of RFC 4533 that an LDAP server sends (Sync State and Sync Done controls, Sync Info
// messages) on any bytes: the first byte says which is read; a value that is read gives a UUID
// of 32 hex digits, and a request written with its cookie is read back by liblber's own rules.
#include "harness.hpp"
#include "secondsight/directory/ldap_sync.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace secondsight::directory;
  if (size == 0) return 0;
  const std::string value(secondsight::fuzz::text_of(data + 1, size - 1));
  auto hex = [](const std::string& uuid) {
    return uuid.size() == 32 && uuid.find_first_not_of("0123456789abcdef") == std::string::npos;
  };
  switch (data[0] % 4) {
    case 0:
      if (auto state = decode_sync_state(value)) FUZZ_CHECK(hex(state->uuid));
      break;
    case 1:
      if (auto info = decode_sync_info(value))
        for (const auto& uuid : info->uuids) FUZZ_CHECK(hex(uuid));
      break;
    case 2: (void)decode_sync_done(value); break;
    default: FUZZ_CHECK(!encode_sync_request(SyncMode::refresh_and_persist, value).empty());
  }
  return 0;
}
