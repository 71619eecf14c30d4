// Reading and writing files that are not what they seem (issue 13, items 1, 4, 12 and 13): inputs must be
// regular files checked before reading; outputs never replace a device, a FIFO or a link's target, and a
// failed write leaves nothing behind.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "base/atomic_file.h"
#include "base/checked.h"
#include "base/error.h"
#include "base/input_file.h"
#include "support/files.h"
#include "support/temp_dir.h"

namespace glassbox {
namespace {
namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

mode_t type_of(const fs::path& p) {
  struct stat st {};
  lstat(p.c_str(), &st);
  return st.st_mode & S_IFMT;
}

TEST(InputFile, RefusesAFifoWithoutBlocking) {
  test::TempDir dir;
  ASSERT_EQ(mkfifo((dir / "config.json").c_str(), 0600), 0);
  // Nobody writes to the FIFO: reading it would block forever, so this returning at all is half the test.
  EXPECT_EQ(error_of([&] { read_input_file(dir / "config.json", 1000); }),
            (dir / "config.json").string() + ": not a regular file (a FIFO)");
}

TEST(InputFile, RefusesDirectoriesAndDevices) {
  test::TempDir dir;
  fs::create_directory(dir / "tokenizer.json");
  EXPECT_EQ(error_of([&] { InputFile f(dir / "tokenizer.json"); }),
            (dir / "tokenizer.json").string() + ": not a regular file (a directory)");
  EXPECT_EQ(error_of([] { InputFile f("/dev/zero"); }), "/dev/zero: not a regular file (a character device)");
}

TEST(InputFile, BoundsTheSizeAndFollowsLinks) {
  test::TempDir dir;
  std::ofstream(dir / "big") << std::string(100, 'x');
  fs::create_symlink(dir / "big", dir / "link");
  EXPECT_EQ(read_input_file(dir / "link", 100), std::string(100, 'x'));
  EXPECT_NE(error_of([&] { read_input_file(dir / "big", 99); }).find("100 bytes is more than the 99-byte limit"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_input_file(dir / "none", 99); }).find("none: cannot open: No such file"),
            std::string::npos);
}

TEST(FileInFolder, NamesMustStayInsideTheFolder) {
  test::TempDir dir;
  fs::create_directories(dir / "model/sub");
  std::ofstream(dir / "secret") << "root:x:0:0";
  std::ofstream(dir / "model/sub/a") << "a";
  fs::create_symlink("../secret", dir / "model/link");
  fs::create_symlink("..", dir / "model/up");
  const fs::path model = dir / "model";
  EXPECT_EQ(file_in_folder(model, "sub/a", "index"), model / "sub/a");
  for (const char* name : {"../secret", "/etc/passwd", "sub/../../secret", ""})
    EXPECT_NE(error_of([&] { file_in_folder(model, name, "index"); }).find("is outside the model folder"),
              std::string::npos) << name;
  for (const char* name : {"link", "up/secret"})
    EXPECT_NE(error_of([&] { file_in_folder(model, name, "index"); }).find("outside the model folder"),
              std::string::npos) << name;
}

TEST(FileInFolder, AcceptsTheHuggingFaceCacheLayout) {
  // hub/models--org--name/snapshots/<revision>/model.safetensors -> ../../blobs/<hash>
  test::TempDir dir;
  const fs::path repo = dir / "models--org--name";
  fs::create_directories(repo / "blobs");
  fs::create_directories(repo / "snapshots/abc123");
  std::ofstream(repo / "blobs/0f1e") << "weights";
  fs::create_symlink("../../blobs/0f1e", repo / "snapshots/abc123/model.safetensors");
  EXPECT_EQ(file_in_folder(repo / "snapshots/abc123", "model.safetensors", "x"),
            repo / "snapshots/abc123/model.safetensors");
}

TEST(AtomicFile, CharacterDeviceIsWrittenInPlaceNotReplaced) {
  // A private null device (the issue's `mknod -m 666 X c 1 3`), so a regression cannot replace /dev/null.
  test::TempDir dir;
  ASSERT_EQ(mknod((dir / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)), 0) << "the tests need CAP_MKNOD (root)";
  write_file_atomically(dir / "null", "discarded");
  EXPECT_EQ(type_of(dir / "null"), S_IFCHR);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);  // no temporary left
}

TEST(AtomicFile, FullDeviceGivesTheReason) {
  test::TempDir dir;
  ASSERT_EQ(mknod((dir / "full").c_str(), S_IFCHR | 0666, makedev(1, 7)), 0);  // a private /dev/full
  EXPECT_EQ(error_of([&] { write_file_atomically(dir / "full", "x"); }),
            (dir / "full").string() + ": cannot write: No space left on device");
  EXPECT_EQ(type_of(dir / "full"), S_IFCHR);
}

TEST(AtomicFile, FifoWithAReaderReceivesTheBytes) {
  test::TempDir dir;
  ASSERT_EQ(mkfifo((dir / "pipe").c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(dir / "pipe", std::ios::binary);
    received.assign(std::istreambuf_iterator<char>(in), {});
  });
  // The reader opens the FIFO at some point; until then there is nobody to write to.
  for (int tries = 0; tries < 200; ++tries) {
    if (error_of([&] { write_file_atomically(dir / "pipe", "streamed"); }).empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reader.join();
  EXPECT_EQ(received, "streamed");
  EXPECT_EQ(type_of(dir / "pipe"), S_IFIFO);
}

TEST(AtomicFile, FifoWithoutAReaderIsAnErrorNotAHang) {
  test::TempDir dir;
  ASSERT_EQ(mkfifo((dir / "pipe").c_str(), 0600), 0);
  EXPECT_EQ(error_of([&] { write_file_atomically(dir / "pipe", "x"); }),
            (dir / "pipe").string() + ": a FIFO that nobody is reading");
  EXPECT_EQ(type_of(dir / "pipe"), S_IFIFO);
}

TEST(AtomicFile, LinkIsFollowedAndStaysALink) {
  test::TempDir dir;
  fs::create_directory(dir / "real");
  std::ofstream(dir / "real/out.bin") << "old";
  fs::create_symlink("real/out.bin", dir / "link.bin");
  fs::create_symlink(dir / "real/new.bin", dir / "dangling.bin");
  write_file_atomically(dir / "link.bin", "new");
  write_file_atomically(dir / "dangling.bin", "created");
  EXPECT_EQ(type_of(dir / "link.bin"), S_IFLNK);
  EXPECT_EQ(test::read_all(dir / "real/out.bin"), "new");
  EXPECT_EQ(type_of(dir / "dangling.bin"), S_IFLNK);
  EXPECT_EQ(test::read_all(dir / "real/new.bin"), "created");
}

TEST(AtomicFile, DirectoriesAndTrailingSlashesAreRefused) {
  test::TempDir dir;
  fs::create_directory(dir / "d");
  EXPECT_EQ(error_of([&] { write_file_atomically(dir / "d", "x"); }), (dir / "d").string() + ": is a directory; not replacing it");
  EXPECT_NE(error_of([&] { write_file_atomically((dir / "new").string() + "/", "x"); }).find("names a directory"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "new"));
}

TEST(AtomicFile, ReplacesARegularFileKeepingItsPermissions) {
  test::TempDir dir;
  std::ofstream(dir / "f") << "old";
  fs::permissions(dir / "f", fs::perms::owner_read | fs::perms::owner_write);
  write_file_atomically(dir / "f", "new");
  EXPECT_EQ(test::read_all(dir / "f"), "new");
  EXPECT_EQ(fs::status(dir / "f").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
}

TEST(AtomicFile, FailedWriteLeavesNothingBehind) {
  test::TempDir dir;
  std::ofstream(dir / "keep") << "old";
  EXPECT_EQ(error_of([&] { write_atomically(dir / "keep", [](std::ostream&) { fail("interrupted"); }); }), "interrupted");
  EXPECT_EQ(test::read_all(dir / "keep"), "old");
  // Directories made for the output go again when the write fails.
  EXPECT_EQ(error_of([&] { write_atomically(dir / "a/b/out", [](std::ostream&) { fail("interrupted"); }); }),
            "interrupted");
  EXPECT_FALSE(fs::exists(dir / "a"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(AtomicFile, TemporariesOfDeadProcessesAreRemoved) {
  test::TempDir dir;
  // A pid above the kernel's maximum (4194304) never runs; our own pid does.
  std::ofstream(dir / ".out.tmp.99999999") << "left by a killed run";
  fs::create_directory(dir / ".out.tmp.99999998");
  const fs::path mine = temporary_sibling(dir / "other");
  std::ofstream(mine) << "in use";
  write_file_atomically(dir / "out", "done");
  remove_stale_temporaries(dir / "other");
  EXPECT_FALSE(fs::exists(dir / ".out.tmp.99999999"));
  EXPECT_FALSE(fs::exists(dir / ".out.tmp.99999998"));
  EXPECT_TRUE(fs::exists(mine));
}

TEST(OneLine, EscapesWhatWouldBreakTheLine) {
  EXPECT_EQ(one_line("models/a\nb/config.json: cannot open"), "models/a\\nb/config.json: cannot open");
  EXPECT_EQ(one_line("tab\there\r\x1b[31mred"), "tab\\there\\r\\x1B[31mred");
  EXPECT_EQ(one_line("bad \xff\xc3 utf-8, good ü"), "bad \\xFF\\xC3 utf-8, good ü");
  EXPECT_EQ(one_line("line\u2028separator"), "line\\u2028separator");
}

TEST(CheckedMul, OverflowIsAnErrorNamingTheQuantity) {
  EXPECT_EQ(checked_mul(4, 64, "heads x head_dim"), 256);
  EXPECT_EQ(error_of([] { checked_mul(4, (int64_t(1) << 62) + 16, "heads x head_dim"); }),
            "heads x head_dim: 4 x 4611686018427387920 is too large");
}

}  // namespace
}  // namespace glassbox
