// For tests: a zip's entries as (name, bytes) pairs, read back whole.
#ifndef TAIZHANG_IO_TEST_ZIP_H_
#define TAIZHANG_IO_TEST_ZIP_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "io/zip_archive.h"
#include "io/zip_writer.h"

namespace tz::io::testing {

using Entries = std::vector<std::pair<std::string, std::string>>;

// Every entry of the zip at `path`, in order (a failure is a test failure and an empty list).
inline Entries ReadZip(const std::string& path) {
  Entries entries;
  auto zip = ZipArchive::Open(path, ZipLimits());
  EXPECT_TRUE(zip.ok()) << zip.status().ToString();
  if (!zip.ok()) return entries;
  std::vector<std::string> names = (*zip)->Names();
  for (size_t i = 0; i < names.size(); ++i) {
    std::string bytes;
    Status s = (*zip)->ReadEntry(i, names[i], [&](std::string_view chunk) -> Result<bool> {
      bytes.append(chunk);
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    entries.emplace_back(names[i], std::move(bytes));
  }
  return entries;
}

// The bytes of entry `name`, or "<no entry NAME>".
inline std::string Entry(const Entries& entries, const std::string& name) {
  for (const auto& [n, bytes] : entries) {
    if (n == name) return bytes;
  }
  return "<no entry " + name + ">";
}

// Writes `entries` as the zip `path`, in their order (failures are test failures).
inline void WriteZip(const std::string& path, const Entries& entries) {
  auto zip = ZipWriter::Create(path);
  EXPECT_TRUE(zip.ok()) << zip.status().ToString();
  if (!zip.ok()) return;
  for (const auto& [name, bytes] : entries) EXPECT_TRUE((*zip)->Add(name, bytes).ok()) << name;
  EXPECT_TRUE((*zip)->Close().ok());
}

// The files under `dir` (a package's parts kept as files, such as tests/fixtures/docx/…) as
// entries named by their relative paths, [Content_Types].xml first as Word writes it, then by name.
inline Entries ReadDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) names.push_back(fs::relative(e.path(), dir).generic_string());
  }
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    const bool a_types = a == "[Content_Types].xml", b_types = b == "[Content_Types].xml";
    return a_types != b_types ? a_types : a < b;
  });
  Entries entries;
  for (const std::string& name : names) {
    std::ifstream in(fs::path(dir) / name, std::ios::binary);
    entries.emplace_back(name, std::string(std::istreambuf_iterator<char>(in), {}));
  }
  return entries;
}

}  // namespace tz::io::testing

#endif  // TAIZHANG_IO_TEST_ZIP_H_
