// CSV as cadres' spreadsheets write it: RFC 4180 with Excel's leniencies, row numbers as Excel
// shows them, and files in GB18030 or UTF-8 (see base/encoding.h).
#ifndef TAIZHANG_IO_CSV_READER_H_
#define TAIZHANG_IO_CSV_READER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/encoding.h"
#include "base/result.h"

namespace tz::io {

struct CsvRecord {
  std::vector<std::string> fields;  // as written: not trimmed, quotes removed, "" → "
  // The spreadsheet row number Excel shows: line 1 of the file is row 1 (normally the header).
  // Blank lines count as rows, so an error message's row is the row the user sees.
  int64_t row = 0;
  int64_t line = 0;  // physical line (LF, CRLF or CR ended) where the record starts
};

// Guards against files that would exhaust memory; an error, never a silent truncation.
struct CsvLimits {
  size_t max_bytes = 256u << 20;      // whole file
  size_t max_fields = 2000;           // fields in one record
  size_t max_field_bytes = 1u << 20;  // bytes in one field
};

// Reads records one at a time from UTF-8 text (a leading U+FEFF is skipped).
//
// - Separator: ','. When the first non-blank line contains a tab but no comma, the file is
//   tab-separated (Excel's "Unicode text"/copy-paste exports) and '\t' is used throughout.
// - A field starting with '"' is quoted: it may hold separators and line breaks (kept as written,
//   CRLF included), and "" stands for one quote. Text after the closing quote up to the next
//   separator is appended literally, as Excel does ("ab"c → abc).
// - A quote inside an unquoted field is an ordinary character (Excel: 5"屏 → 5"屏).
// - Line ends are LF, CRLF or a lone CR; the last line needs no line end.
// - A completely empty line is skipped but still counts as a row. A line of separators only
//   (",,,") is a record of empty fields and is returned; the caller decides what it means.
// - Errors (InvalidArgument) name the row in Chinese: "第N行：引号未闭合", too many fields, a field
//   too long, text too big. After an error Next keeps returning it.
//
// `utf8_text` must outlive the reader.
class CsvReader {
 public:
  explicit CsvReader(std::string_view utf8_text, CsvLimits limits = {});

  // Fills *out with the next record and returns true; false at end of input.
  Result<bool> Next(CsvRecord* out);

  char separator() const { return separator_; }

 private:
  Status Fail(Status status);

  std::string_view text_;
  CsvLimits limits_;
  char separator_ = ',';
  size_t pos_ = 0;
  int64_t row_ = 0;   // rows consumed so far
  int64_t line_ = 1;  // physical line at pos_
  Status error_;      // sticky
};

struct CsvFile {
  TextEncoding encoding = TextEncoding::kUtf8;
  char separator = ',';
  std::vector<CsvRecord> records;
};

// Reads and parses a whole file. Errors: NotFound when missing, IoError when unreadable,
// InvalidArgument when it is a directory, bigger than limits.max_bytes (checked before reading),
// empty, an Excel workbook rather than CSV, undecodable, or malformed.
Result<CsvFile> ReadCsvFile(const std::string& path, CsvLimits limits = {});

// Decodes (DecodeToUtf8) and parses every record. "文件为空" when there is nothing but whitespace;
// a NUL character is rejected (the file is not text).
Result<CsvFile> ParseCsvBytes(std::string_view bytes, CsvLimits limits = {});

// One field for writing with ',' separators: quoted (with "" escapes) when it contains , " CR LF or
// leading/trailing spaces or tabs, which a reader would otherwise split or trim.
std::string CsvEscape(std::string_view field);

// Streaming: each record is handed to `on_record` as it is parsed instead of being kept, so an
// importer holds only what it keeps (a file of empty rows costs nothing). A non-OK Status from
// on_record stops and is returned. The checks and errors are those of ParseCsvBytes/ReadCsvFile.
struct CsvInfo {
  TextEncoding encoding = TextEncoding::kUtf8;
  char separator = ',';
};
using CsvRecordFn = std::function<Status(CsvRecord&&)>;
Status ForEachCsvRecord(std::string_view bytes, CsvLimits limits, const CsvRecordFn& on_record,
                        CsvInfo* info);
Status ForEachCsvRecordInFile(const std::string& path, CsvLimits limits,
                              const CsvRecordFn& on_record, CsvInfo* info);

}  // namespace tz::io

#endif  // TAIZHANG_IO_CSV_READER_H_
