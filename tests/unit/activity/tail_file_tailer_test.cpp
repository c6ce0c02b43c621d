// FileTailer: the tailing conformance suite on plain numbered lines, and what only the line
// reader itself shows (line ends, long lines, batch sizes, fingerprints, notes, errors).
#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <chrono>
#include <string>

#include "conformance/tail_conformance.hpp"
#include "secondsight/activity/limits.hpp"
#include "secondsight/activity/tail.hpp"

namespace secondsight::activity::tail_testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

// Lines of different lengths, so no offset is a multiple of a line length by accident.
std::string numbered_line(long long n) {
  return "record " + std::to_string(n) + " " + std::string(static_cast<std::size_t>(n % 13), 'x') +
         " end";
}

long long number_of(std::string_view line) {
  constexpr std::string_view k_prefix = "record ";
  if (!line.starts_with(k_prefix)) return -1;
  long long n = 0;
  const char* begin = line.data() + k_prefix.size();
  auto [end, error] = std::from_chars(begin, line.data() + line.size(), n);
  if (error != std::errc() || end == begin || n < 1) return -1;
  return line == numbered_line(n) ? n : -1;  // a torn or merged line is no record
}

TailSubject file_tailer_subject() {
  return TailSubject{"FileTailer", numbered_line,
                     [](const fs::path& file, const TailPosition& from, std::size_t max_bytes,
                        Instant wall_now) -> Result<TailRead> {
                       FileTailer tailer(file, from);
                       auto batch = tailer.next_batch(max_bytes, wall_now);
                       if (!batch) return batch.error();
                       TailRead read;
                       for (std::string_view line : batch->lines)
                         read.numbers.push_back(number_of(line));
                       read.skipped = batch->skipped;
                       read.after = batch->after;
                       read.more = batch->more;
                       read.notes = batch->notes;
                       read.notes.insert(read.notes.end(), batch->warnings.begin(),
                                         batch->warnings.end());
                       return read;
                     }};
}

INSTANTIATE_TEST_SUITE_P(Lines, TailConformance, ::testing::Values(file_tailer_subject()),
                         [](const auto& instance) { return instance.param.name; });

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    constexpr char k_hex[] = "0123456789abcdef";
    out += k_hex[digest[i] >> 4];
    out += k_hex[digest[i] & 0xf];
  }
  return out;
}

class FileTailerTest : public ::testing::Test {
 protected:
  fs::path log() const { return m_dir / "a.log"; }

  TailBatch next(FileTailer& tailer, std::size_t max_bytes = std::size_t{1} << 20,
                 Instant wall_now = system_now()) {
    auto batch = tailer.next_batch(max_bytes, wall_now);
    EXPECT_TRUE(batch) << batch.error().message;
    if (!batch) return {};
    EXPECT_EQ(batch->after.offset, tailer.position().offset);
    return std::move(*batch);
  }

  TempDir m_dir;
};

using Lines = std::vector<std::string>;

TEST_F(FileTailerTest, CrLfLineEndsAreRemovedAndOtherCarriageReturnsKept) {
  append_text(log(), "one\r\ntwo\r\n\r\nthree\n\nx\ry\n");
  FileTailer tailer(log(), {});
  TailBatch batch = next(tailer);
  EXPECT_EQ(batch.lines.to_strings(), (Lines{"one", "two", "", "three", "", "x\ry"}));
  EXPECT_FALSE(batch.more);
  EXPECT_EQ(batch.after.offset, fs::file_size(log()));
}

TEST_F(FileTailerTest, AFiveMebibyteLineIsSkippedWithoutBeingHeld) {
  std::string long_line(5u << 20, 'a');
  append_text(log(), "first\n" + long_line + "\nshort\n");
  FileTailer tailer(log(), {});

  TailBatch first = next(tailer, 64 << 10);
  ASSERT_EQ(first.lines.size(), 1u);
  EXPECT_EQ(first.lines[0], "first");
  EXPECT_EQ(first.skipped, 1u);
  EXPECT_LT(first.lines.text().size(), std::size_t{1} << 20) << "the line was held whole";
  EXPECT_EQ(first.warnings,
            (Lines{log().string() + ": 1 line over the 64 KiB limit of one line skipped, the "
                                    "first at byte 6"}));
  EXPECT_TRUE(first.more);
  EXPECT_EQ(first.after.offset, 6 + long_line.size() + 1);

  TailBatch second = next(tailer, 64 << 10);
  EXPECT_EQ(second.lines.to_strings(), (Lines{"short"}));
  EXPECT_EQ(second.skipped, 0u);
  EXPECT_TRUE(second.warnings.empty());
  EXPECT_FALSE(second.more);
}

TEST_F(FileTailerTest, SeveralLinesOverTheLimitInOneReadAreEachCounted) {
  const std::string too_long(k_max_line_bytes + 1, 'z');
  append_text(log(), too_long + "\none\n" + too_long + "\r\n" + too_long + "\ntwo\n");
  FileTailer tailer(log(), {});
  TailBatch batch = next(tailer, std::size_t{16} << 20);
  ASSERT_EQ(batch.lines.size(), 2u);
  EXPECT_EQ(batch.lines[0], "one");
  EXPECT_EQ(batch.lines[1], "two");
  EXPECT_EQ(batch.skipped, 3u);
  EXPECT_EQ(batch.warnings,
            (Lines{log().string() + ": 3 lines over the 64 KiB limit of one line skipped, the "
                                    "first at byte 0"}));
  EXPECT_FALSE(batch.more);
  EXPECT_EQ(batch.after.offset, fs::file_size(log()));
}

TEST_F(FileTailerTest, MaxBytesBoundsABatchAndOffsetsStayAfterLineEnds) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "line " + std::to_string(100 + i) + "\n";  // 9 bytes
  append_text(log(), text);
  FileTailer tailer(log(), {});

  Lines all;
  int batches = 0;
  for (;;) {
    TailBatch batch = next(tailer, 90);
    ++batches;
    EXPECT_LE(batch.lines.size(), 10u);
    EXPECT_TRUE(batch.after.offset == 0 || text[batch.after.offset - 1] == '\n');
    all.insert(all.end(), batch.lines.begin(), batch.lines.end());
    if (!batch.more) break;
    ASSERT_LT(batches, 20);
  }
  ASSERT_EQ(all.size(), 100u);
  EXPECT_EQ(all.front(), "line 100");
  EXPECT_EQ(all.back(), "line 199");
}

TEST_F(FileTailerTest, LineWithoutLineEndIsHeldBackForFiveSeconds) {
  append_text(log(), "done\npartial");
  FileTailer tailer(log(), {});
  EXPECT_EQ(next(tailer).lines.to_strings(), (Lines{"done"}));
  EXPECT_EQ(tailer.position().offset, 5u);

  TailBatch waiting = next(tailer, 1 << 20, modified_at(log()) + seconds(4));
  EXPECT_TRUE(waiting.lines.empty());
  EXPECT_FALSE(waiting.more);
  EXPECT_EQ(waiting.after.offset, 5u);

  TailBatch quiet = next(tailer, 1 << 20, modified_at(log()) + seconds(6));
  EXPECT_EQ(quiet.lines.to_strings(), (Lines{"partial"}));
  EXPECT_EQ(quiet.after.offset, fs::file_size(log()));
  EXPECT_TRUE(any_note_contains(quiet.notes, log().string() + ": the last line has no line end"));

  // Written later, the rest of that line reads as a line of its own.
  append_text(log(), " more\nnext\n");
  EXPECT_EQ(next(tailer).lines.to_strings(), (Lines{" more", "next"}));
}

TEST_F(FileTailerTest, FingerprintGrowsWithTheFileUpToTheFirst256Bytes) {
  append_text(log(), "short\n");
  FileTailer tailer(log(), {});
  TailBatch first = next(tailer);
  EXPECT_EQ(first.after.fingerprint_length, 6u);
  EXPECT_EQ(first.after.fingerprint, sha256_hex("short\n"));

  std::string more(300, 'y');
  append_text(log(), more + "\n");
  TailBatch second = next(tailer);
  EXPECT_EQ(second.lines.to_strings(), (Lines{more}));
  EXPECT_EQ(second.after.fingerprint_length, FileTailer::k_fingerprint_bytes);
  EXPECT_EQ(second.after.fingerprint, sha256_hex(("short\n" + more).substr(0, 256)));
}

TEST_F(FileTailerTest, RotatedTwiceBetweenReadsReadsEveryFileInOrder) {
  append_text(log(), "1\n2\n");
  FileTailer tailer(log(), {});
  EXPECT_EQ(next(tailer).lines.to_strings(), (Lines{"1", "2"}));
  const auto t0 = fs::last_write_time(log());
  append_text(log(), "3\n");  // written before the first rotation, not read yet
  fs::last_write_time(log(), t0 + std::chrono::seconds(1));
  fs::rename(log(), m_dir / "a.log.1");
  append_text(log(), "4\n5\n");
  fs::last_write_time(log(), t0 + std::chrono::seconds(10));
  // The second rotation, before the reader came back.
  fs::rename(m_dir / "a.log.1", m_dir / "a.log.2");
  fs::rename(log(), m_dir / "a.log.1");
  append_text(log(), "6\n");
  fs::last_write_time(log(), t0 + std::chrono::seconds(20));
  // An old rotated file from before, and a compressed one: neither is read.
  append_text(m_dir / "a.log.3", "old\n");
  fs::last_write_time(m_dir / "a.log.3", t0 - std::chrono::seconds(100));
  append_text(m_dir / "a.log.4.gz", "zipped\n");

  Lines all;
  for (int i = 0; i < 10; ++i) {
    TailBatch batch = next(tailer);
    for (const auto& line : batch.lines.to_strings()) all.push_back(line);
    if (!batch.more) break;
  }
  EXPECT_EQ(all, (Lines{"3", "4", "5", "6"}));
  // Restarted from where it ended, nothing is read twice.
  FileTailer again(log(), tailer.position());
  EXPECT_TRUE(next(again).lines.empty());
}

TEST_F(FileTailerTest, NotesNameTheFileAndWhatHappened) {
  FileTailer tailer(log(), {});
  TailBatch first = next(tailer);
  EXPECT_TRUE(first.missing);
  EXPECT_TRUE(any_note_contains(first.warnings, log().string() + " does not exist"));

  append_text(log(), "1\n2\n3\n");
  EXPECT_TRUE(any_note_contains(next(tailer).notes, log().string() + ": no saved position"));

  fs::rename(log(), m_dir / "a.log.1");
  append_text(log(), "4\n");
  TailBatch rotated = next(tailer);
  EXPECT_EQ(rotated.lines.to_strings(), (Lines{"4"}));
  EXPECT_TRUE(any_note_contains(rotated.notes, log().string() + " was rotated to a.log.1"));

  // Replaced, the previous file gone (created first, so the inode cannot be reused).
  fs::remove(m_dir / "a.log.1");
  append_text(m_dir / "new.tmp", "5\n");
  fs::rename(m_dir / "new.tmp", log());
  TailBatch lost = next(tailer);
  EXPECT_EQ(lost.lines.to_strings(), (Lines{"5"}));
  EXPECT_TRUE(
      any_note_contains(lost.warnings, "could not be found beside it (lines may be missing)"));

  ASSERT_EQ(::truncate(log().c_str(), 0), 0);
  append_text(log(), "6\n");
  ASSERT_EQ(::truncate(log().c_str(), 0), 0);  // shorter than the position
  TailBatch shrunk = next(tailer);
  EXPECT_TRUE(any_note_contains(shrunk.warnings, "reading it again from the start"));
}

TEST_F(FileTailerTest, CopytruncateIgnoresCompressedAndShorterCopies) {
  append_text(log(), "1\n2\n3\n4\n");
  FileTailer tailer(log(), {});
  EXPECT_EQ(next(tailer, 1).lines.to_strings(), (Lines{"1"}));
  EXPECT_EQ(next(tailer, 1).lines.to_strings(), (Lines{"2"}));

  append_text(m_dir / "a.log.1", "1\n2\n3\n4\n");  // the copy
  // Newer, and matching too, but never opened: named as compressed.
  append_text(m_dir / "a.log.2.gz", "1\n2\n3\n4\ngz\n");
  append_text(m_dir / "a.log.3", "1\n");              // shorter than the fingerprint
  append_text(m_dir / "b.log.1", "1\n2\n3\n4\nb\n");  // another log's
  ASSERT_EQ(::truncate(log().c_str(), 0), 0);
  append_text(log(), "5\n");

  TailBatch batch = next(tailer);
  EXPECT_EQ(batch.lines.to_strings(), (Lines{"3", "4", "5"}));
  EXPECT_TRUE(any_note_contains(batch.notes, "copytruncate"));
  EXPECT_TRUE(any_note_contains(batch.notes, "a.log.1"));
}

TEST_F(FileTailerTest, NewTailerFromASavedPositionContinuesThere) {
  append_text(log(), "1\n2\n3\n");
  TailPosition saved;
  {
    FileTailer tailer(log(), {});
    EXPECT_EQ(next(tailer, 1).lines.to_strings(), (Lines{"1"}));
    saved = tailer.position();
  }
  FileTailer again(log(), saved);
  EXPECT_EQ(next(again).lines.to_strings(), (Lines{"2", "3"}));
}

TEST_F(FileTailerTest, RotatedFileShiftedAgainWhileReadingIsFollowed) {
  append_text(log(), "1\n2\n3\n4\n");
  FileTailer tailer(log(), {});
  EXPECT_EQ(next(tailer, 1).lines.to_strings(), (Lines{"1"}));
  fs::rename(log(), m_dir / "a.log.1");
  append_text(log(), "5\n");
  EXPECT_EQ(next(tailer, 1).lines.to_strings(), (Lines{"2"}));
  fs::rename(m_dir / "a.log.1", m_dir / "a.log.2");  // the tailer's hint is stale now
  EXPECT_EQ(next(tailer).lines.to_strings(), (Lines{"3", "4", "5"}));
}

TEST_F(FileTailerTest, MissingFileLeavesTheSavedPositionAlone) {
  append_text(log(), "1\n");
  FileTailer tailer(log(), {});
  EXPECT_EQ(next(tailer).lines.to_strings(), (Lines{"1"}));
  TailPosition before = tailer.position();
  fs::remove(log());
  TailBatch batch = next(tailer);
  EXPECT_TRUE(batch.lines.empty());
  EXPECT_FALSE(batch.more);
  EXPECT_TRUE(batch.missing);
  EXPECT_EQ(batch.after.inode, before.inode);
  EXPECT_EQ(batch.after.offset, before.offset);
  // Back: read on from the start of the new file, and no longer missing.
  append_text(log(), "2\n");
  batch = next(tailer);
  EXPECT_FALSE(batch.missing);
  EXPECT_EQ(batch.lines.to_strings(), (Lines{"2"}));
  // Rotated away with nothing new at the path yet: the rest is read, and nothing is missing.
  fs::rename(log(), m_dir / "a.log.1");
  batch = next(tailer);
  EXPECT_FALSE(batch.missing);
}

TEST_F(FileTailerTest, UnreadablePathIsAnErrorNamingTheFile) {
  fs::create_directory(log());  // fails the same way for root, unlike a mode of 000
  FileTailer tailer(log(), {});
  auto batch = tailer.next_batch(1 << 20, system_now());
  ASSERT_FALSE(batch);
  EXPECT_NE(batch.error().message.find(log().string()), std::string::npos) << batch.error().message;
}

}  // namespace
}  // namespace secondsight::activity::tail_testing
