// For tests: a zip's entries as (name, bytes) pairs, read back whole.
#ifndef TAIZHANG_IO_TEST_ZIP_H_
#define TAIZHANG_IO_TEST_ZIP_H_

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "io/zip_archive.h"

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

}  // namespace tz::io::testing

#endif  // TAIZHANG_IO_TEST_ZIP_H_
