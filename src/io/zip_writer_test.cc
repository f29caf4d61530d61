#include "io/zip_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/zip_archive.h"

namespace tz::io {
namespace {

class ZipWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/zip_writer_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The entry `name` of the archive at `path`, read back with the reader the importers use.
  static std::string ReadEntry(const std::string& path, const std::string& name) {
    auto archive = ZipArchive::Open(path, ZipLimits());
    EXPECT_TRUE(archive.ok()) << archive.status().ToString();
    if (!archive.ok()) return "<no archive>";
    auto index = (*archive)->Find(name);
    if (!index) return "<no entry>";
    std::string out;
    Status s = (*archive)->ReadEntry(*index, name, [&](std::string_view chunk) -> Result<bool> {
      out.append(chunk);
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  // Every file in the test directory, to see that no temporary was left behind.
  std::vector<std::string> Files() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      names.push_back(e.path().filename().string());
    }
    return names;
  }

  std::string dir_;
};

TEST_F(ZipWriterTest, WritesEntriesTheReaderReadsBack) {
  std::string path = dir_ + "/out.zip";
  auto writer = ZipWriter::Create(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  std::string big(100000, 'x');  // compressible: checks deflate is on
  ASSERT_TRUE((*writer)->Add("[Content_Types].xml", "<Types/>").ok());
  ASSERT_TRUE((*writer)->Add("word/document.xml", "台账 " + big).ok());
  ASSERT_TRUE((*writer)->Close().ok());

  EXPECT_EQ(ReadEntry(path, "[Content_Types].xml"), "<Types/>");
  EXPECT_EQ(ReadEntry(path, "word/document.xml"), "台账 " + big);
  EXPECT_LT(std::filesystem::file_size(path), 10000u);
  EXPECT_EQ(Files(), std::vector<std::string>{"out.zip"});
}

TEST_F(ZipWriterTest, NothingAppearsBeforeClose) {
  std::string path = dir_ + "/out.zip";
  {
    auto writer = ZipWriter::Create(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Add("a.txt", "a").ok());
    EXPECT_FALSE(std::filesystem::exists(path));
  }  // abandoned without Close
  EXPECT_TRUE(Files().empty());
}

TEST_F(ZipWriterTest, ReplacesAnExistingFileOnlyOnClose) {
  std::string path = dir_ + "/out.zip";
  std::ofstream(path) << "old";
  auto writer = ZipWriter::Create(path);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add("a.txt", "new").ok());
  EXPECT_EQ(std::filesystem::file_size(path), 3u);
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_EQ(ReadEntry(path, "a.txt"), "new");
}

TEST_F(ZipWriterTest, RefusesRepeatedAndBadNames) {
  auto writer = ZipWriter::Create(dir_ + "/out.zip");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add("a.txt", "1").ok());
  Status repeated = (*writer)->Add("a.txt", "2");
  EXPECT_EQ(repeated.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(repeated.message().find("重复"), std::string::npos) << repeated.message();
  EXPECT_EQ((*writer)->Add("", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*writer)->Add("/abs", "x").code(), StatusCode::kInvalidArgument);
}

TEST_F(ZipWriterTest, MissingDirectoryIsAnIoError) {
  auto writer = ZipWriter::Create(dir_ + "/no/such/dir/out.zip");
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.status().code(), StatusCode::kIoError);
  EXPECT_NE(writer.status().message().find("无法写入文件"), std::string::npos);
}

TEST_F(ZipWriterTest, EmptyArchiveIsRefusedAndLeavesNothing) {
  std::string path = dir_ + "/out.zip";
  auto writer = ZipWriter::Create(path);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ((*writer)->Close().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Files().empty());
}

TEST_F(ZipWriterTest, FailedRenameLeavesNoTemporary) {
  // The target turns into a directory after Create: the rename onto it fails at Close.
  std::string path = dir_ + "/out.zip";
  auto writer = ZipWriter::Create(path);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add("a.txt", "a").ok());
  std::filesystem::create_directories(path + "/inside");
  Status s = (*writer)->Close();
  EXPECT_EQ(s.code(), StatusCode::kIoError) << s.ToString();
  EXPECT_EQ(Files(), std::vector<std::string>{"out.zip"});
  EXPECT_TRUE(std::filesystem::is_directory(path));
}

TEST_F(ZipWriterTest, AddAfterCloseIsRefused) {
  auto writer = ZipWriter::Create(dir_ + "/out.zip");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add("a.txt", "a").ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_EQ((*writer)->Add("b.txt", "b").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ((*writer)->Close().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tz::io
