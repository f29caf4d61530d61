// Pieces of the xlsx reader, shared by its two files and exposed for tests: the small parts of a
// workbook (xlsx_parts.cc) and the number-format rules. The reader itself is OpenXlsx() in
// io/sheet.h (xlsx_reader.cc). No libzip or expat here: both stay inside their wrappers.
#ifndef TAIZHANG_IO_XLSX_READER_H_
#define TAIZHANG_IO_XLSX_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "io/xml_stream.h"
#include "io/zip_archive.h"

namespace tz::io {

// Excel's built-in number formats that show a date or time: 14-22, 45-47, and the East Asian
// ones 27-36 and 50-58 (年月日 forms in Chinese Excel and WPS).
bool IsBuiltinDateFormat(int num_fmt_id);

// True when a custom format code shows a date or time: it has a y, m, d, h or s outside quoted
// text ("年"), backslash escapes, and [..] brackets (colours, conditions, [$-F800] locales), an
// elapsed [h]/[mm]/[ss] counting as time. "0.00", "@", "General", "#,##0\"元\"" are not dates.
bool IsDateFormatCode(std::string_view code);

// Which parser reads a part: expat for the small ones; the fast scanner for the ones that grow
// with the data (sheets, shared strings) when they are UTF-8, which every writer we know uses.
enum class PartSize { kSmall, kLarge };

// Streams zip entry `index` (named `part`) through `handler`. OK also when the handler stopped
// early without an error.
Status ParsePart(const ZipArchive& zip, uint64_t index, const std::string& part,
                 XmlHandler* handler, PartSize size = PartSize::kSmall);

// A relationship target as a part name: "/xl/worksheets/sheet1.xml" is absolute within the
// package, "worksheets/sheet1.xml" or "../xl/x.xml" relative to `base_dir` ("xl/").
std::string ResolveTarget(std::string_view base_dir, std::string_view target);

// Unsigned decimal, surrounding blanks allowed.
bool ParseUint(std::string_view s, uint64_t* out);

// OOXML writes characters XML cannot carry as _xHHHH_ (Excel: a line break typed in a cell on
// Windows is "_x000D_\n"; a literal "_x" is "_x005F_x"). Decodes them in place.
void DecodeXmlEscapes(std::string* s);

struct Relationship {
  std::string type;  // the last segment of the Type URI: "worksheet", "sharedStrings", …
  std::string target;
  bool external = false;
};
using Relationships = std::unordered_map<std::string, Relationship>;  // by Id

// The relationships of `part` (from its _rels/NAME.rels; "" is the package), empty when there
// are none.
Result<Relationships> ReadRelationships(const ZipArchive& zip, const std::string& part);

struct WorkbookInfo {
  std::vector<std::string> sheet_names;  // in workbook order
  std::vector<std::string> sheet_parts;  // "" when the workbook's relationship is missing
  bool date1904 = false;
  std::string shared_strings_part;
  std::string styles_part;
};

// The package relationships, workbook.xml and its relationships. Errors: no workbook part ("不是
// Excel 工作簿"), no sheets, and those of ParsePart.
Result<WorkbookInfo> ReadWorkbookInfo(const ZipArchive& zip);

// For each cell style (index into cellXfs), whether it shows a date; empty without the part.
Result<std::vector<uint8_t>> ReadDateStyles(const ZipArchive& zip, const std::string& part);

// All shared strings in one buffer: a workbook of 100,000 distinct names costs their bytes plus
// 8 bytes each, not 100,000 allocations.
class SharedStrings {
 public:
  size_t size() const { return ends_.size(); }
  std::string_view Get(size_t i) const {
    uint64_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(pool_).substr(begin, ends_[i] - begin);
  }
  void Add(std::string_view s) {
    pool_.append(s);
    ends_.push_back(pool_.size());
  }
  // What the strings cost: their text and an offset each (an attacker's million empty strings
  // are not free).
  uint64_t bytes() const { return pool_.size() + ends_.size() * sizeof(uint64_t); }
  void Reserve(size_t count) { ends_.reserve(count); }

 private:
  std::string pool_;
  std::vector<uint64_t> ends_;
};

// Appends the strings of `part` (plain and rich text joined, phonetic guides left out) to *out;
// nothing without the part. Refuses more than `max_bytes` in all (SharedStrings::bytes()).
Status ReadSharedStrings(const ZipArchive& zip, const std::string& part, uint64_t max_bytes,
                         SharedStrings* out);

}  // namespace tz::io

#endif  // TAIZHANG_IO_XLSX_READER_H_
