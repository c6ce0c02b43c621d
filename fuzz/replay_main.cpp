// The harnesses as tests of the normal builds: every input kept in the given folders (the
// seed corpus and the inputs of crashes fixed) is run once through LLVMFuzzerTestOneInput.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "harness.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    for (fs::directory_iterator it(argv[i], ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name.front() != '.' && it->is_regular_file()) inputs.push_back(*it);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  // A harness without inputs would pass without testing anything: a wrong folder, most likely.
  if (inputs.empty()) {
    std::fprintf(stderr, "no inputs in the folders given\n");
    return 1;
  }
  for (const auto& input : inputs) {
    std::fprintf(stderr, "%s\n", input.c_str());
    std::ifstream in(input, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::fprintf(stderr, "%zu inputs replayed\n", inputs.size());
  return 0;
}
