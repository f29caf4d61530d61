// Test-only: writes xlsx files part by part with libzip, so tests can craft exactly the XML a
// writer (or an attacker) would produce. A part can also be generated lazily, chunk by chunk, so
// a test can build a 300 MB sheet without holding it.
#ifndef TAIZHANG_IO_TEST_XLSX_BUILDER_H_
#define TAIZHANG_IO_TEST_XLSX_BUILDER_H_

#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace tz::io::testing {

using XlsxParts = std::map<std::string, std::string>;

// Produces the next piece of a generated part into *out; returns false when there is no more.
using PartGenerator = std::function<bool(std::string* out)>;

struct GeneratedPart {
  std::string name;
  PartGenerator generate;
  int compression_level = 1;  // zlib level: 1 is fast and still shrinks repeated XML a lot
};

// A path in this test process's own temp folder (removed when the process ends), so that test
// runs from several build folders at once never share a file.
inline std::string TempXlsxPath(const std::string& name) {
  struct Dir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("tz_xlsx_tests_" + std::to_string(::getpid()));
    Dir() { std::filesystem::create_directories(path); }
    ~Dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static Dir dir;
  return (dir.path / name).string();
}

namespace internal {

struct GeneratorState {
  PartGenerator generate;
  std::string pending;
  size_t offset = 0;
  bool done = false;
};

inline zip_int64_t GeneratorCallback(void* userdata, void* data, zip_uint64_t len,
                                     zip_source_cmd_t cmd) {
  auto* state = static_cast<GeneratorState*>(userdata);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      return 0;
    case ZIP_SOURCE_READ: {
      zip_uint64_t written = 0;
      char* out = static_cast<char*>(data);
      while (written < len) {
        if (state->offset == state->pending.size()) {
          if (state->done) break;
          state->pending.clear();
          state->offset = 0;
          if (!state->generate(&state->pending)) state->done = true;
          continue;
        }
        size_t n = std::min<size_t>(len - written, state->pending.size() - state->offset);
        std::memcpy(out + written, state->pending.data() + state->offset, n);
        state->offset += n;
        written += n;
      }
      return static_cast<zip_int64_t>(written);
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);  // size unknown until generated
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(nullptr, data, len);
    case ZIP_SOURCE_FREE:
      delete state;
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return -1;
  }
}

}  // namespace internal

// Writes `parts` (name → content, in name order) and then the generated parts. Throws on failure
// (tests only).
inline void WriteZip(const std::string& path, const XlsxParts& parts,
                     std::vector<GeneratedPart> generated = {}) {
  std::filesystem::remove(path);
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open failed for " + path);
  for (const auto& [name, content] : parts) {
    // libzip copies nothing until zip_close: keep the bytes alive by giving it its own copy.
    void* copy = std::malloc(content.size() + 1);
    std::memcpy(copy, content.data(), content.size());
    zip_source_t* source = zip_source_buffer(archive, copy, content.size(), 1);
    if (source == nullptr || zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
      throw std::runtime_error("zip_file_add failed for " + name);
    }
  }
  for (auto& part : generated) {
    auto* state = new internal::GeneratorState;
    state->generate = std::move(part.generate);
    zip_source_t* source = zip_source_function(archive, internal::GeneratorCallback, state);
    if (source == nullptr) throw std::runtime_error("zip_source_function failed");
    zip_int64_t index = zip_file_add(archive, part.name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) throw std::runtime_error("zip_file_add failed for " + part.name);
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE,
                             static_cast<zip_uint32_t>(part.compression_level));
  }
  if (zip_close(archive) != 0) {
    std::string message = zip_strerror(archive);
    zip_discard(archive);
    throw std::runtime_error("zip_close failed: " + message);
  }
}

inline constexpr char kXmlHeader[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
inline constexpr char kMainNs[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
inline constexpr char kRelNs[] =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// <worksheet><sheetData>ROWS</sheetData></worksheet>, optionally with a <dimension>.
inline std::string SheetXml(const std::string& rows, const std::string& dimension = "") {
  std::string out =
      std::string(kXmlHeader) + "<worksheet xmlns=\"" + kMainNs + "\" xmlns:r=\"" + kRelNs + "\">";
  if (!dimension.empty()) out += "<dimension ref=\"" + dimension + "\"/>";
  return out + "<sheetData>" + rows + "</sheetData></worksheet>";
}

// <sst> of plain strings (already XML-escaped by the caller).
inline std::string SharedStringsXml(const std::vector<std::string>& items) {
  std::string out = std::string(kXmlHeader) + "<sst xmlns=\"" + kMainNs + "\" count=\"" +
                    std::to_string(items.size()) + "\" uniqueCount=\"" +
                    std::to_string(items.size()) + "\">";
  for (const auto& s : items) out += "<si><t>" + s + "</t></si>";
  return out + "</sst>";
}

// The parts of a workbook with the given sheets (name → sheet XML), in order, as Excel lays them
// out: xl/workbook.xml, its rels with relative targets, [Content_Types].xml, _rels/.rels. Extra
// parts (sharedStrings, styles) are added by the caller under their usual names and are found by
// those names, as the workbook's rels list them too.
inline XlsxParts WorkbookParts(const std::vector<std::pair<std::string, std::string>>& sheets,
                               const std::string& workbook_pr = "") {
  XlsxParts parts;
  parts["[Content_Types].xml"] =
      std::string(kXmlHeader) +
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" "
      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
  parts["_rels/.rels"] =
      std::string(kXmlHeader) +
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" "
      "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
      "Target=\"xl/workbook.xml\"/></Relationships>";
  std::string workbook = std::string(kXmlHeader) + "<workbook xmlns=\"" + kMainNs +
                         "\" xmlns:r=\"" + kRelNs + "\">" + workbook_pr + "<sheets>";
  std::string rels = std::string(kXmlHeader) +
                     "<Relationships "
                     "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (size_t i = 0; i < sheets.size(); ++i) {
    std::string n = std::to_string(i + 1);
    workbook +=
        "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + kRelNs + "/worksheet\" " +
            "Target=\"worksheets/sheet" + n + ".xml\"/>";
    parts["xl/worksheets/sheet" + n + ".xml"] = sheets[i].second;
  }
  workbook += "</sheets></workbook>";
  rels += "<Relationship Id=\"rIdS\" Type=\"" + std::string(kRelNs) +
          "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
          "<Relationship Id=\"rIdT\" Type=\"" +
          std::string(kRelNs) + "/styles\" Target=\"styles.xml\"/></Relationships>";
  parts["xl/workbook.xml"] = workbook;
  parts["xl/_rels/workbook.xml.rels"] = rels;
  return parts;
}

}  // namespace tz::io::testing

#endif  // TAIZHANG_IO_TEST_XLSX_BUILDER_H_
