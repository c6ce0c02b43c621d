# Warnings for our own targets only: an INTERFACE target that every target links.
# (-Wnull-dereference is left out: with GCC 12 at -O2 it fires inside libstdc++ streams.)
# They are errors where code is written and checked (SECONDSIGHT_WERROR, on in every preset),
# never in a plain or a distribution's build: a newer compiler's new warning must not stop a
# package from building.
option(SECONDSIGHT_WERROR "Treat warnings as errors (the presets turn it on)" OFF)
add_library(secondsight_warnings INTERFACE)
target_compile_options(secondsight_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough)
# GCC 12 at -O3 (the Release build type) takes the copies inside `std::string` concatenation
# for overlapping ones (GCC bugs 105329 and 105651): a -Wrestrict false positive on code as
# plain as `std::string("'") + text`, in libstdc++'s own headers.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(secondsight_warnings INTERFACE $<$<CONFIG:Release>:-Wno-restrict>)
endif()
if(SECONDSIGHT_WERROR)
  target_compile_options(secondsight_warnings INTERFACE -Werror)
endif()

add_library(secondsight_sanitizers INTERFACE)
# Under SECONDSIGHT_FUZZ every target is also built for libFuzzer's coverage; only the harnesses
# link libFuzzer itself (-fsanitize=fuzzer, in fuzz/CMakeLists.txt). The tests of such a build
# run with the coverage hooks of the sanitizers' runtime, which do nothing without libFuzzer.
if(SECONDSIGHT_SANITIZE OR SECONDSIGHT_FUZZ)
  target_compile_options(secondsight_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
    $<$<BOOL:${SECONDSIGHT_FUZZ}>:-fsanitize=fuzzer-no-link>)
  target_link_options(secondsight_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
if(SECONDSIGHT_TSAN)
  # -Wno-tsan: GCC warns that ThreadSanitizer does not model the fences inside Asio's handler
  # calls; the handlers' state is handed over under the scheduler's mutex all the same.
  target_compile_options(secondsight_sanitizers INTERFACE -fsanitize=thread -fno-omit-frame-pointer
                                                          -Wno-tsan)
  target_link_options(secondsight_sanitizers INTERFACE -fsanitize=thread)
endif()
