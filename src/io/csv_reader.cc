#include "io/csv_reader.h"

#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include "base/strings.h"

namespace tz::io {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// "300 字节", "12 KB", "300.5 MB": sizes in messages a cadre can compare with the file manager.
std::string FormatSize(size_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " 字节";
  if (bytes < (1u << 20)) return std::to_string((bytes + 1023) / 1024) + " KB";
  size_t tenths = (bytes * 10 + (1u << 20) - 1) >> 20;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10) out += "." + std::to_string(tenths % 10);
  return out + " MB";
}

Status TooBig(size_t size, size_t limit) {
  return Status::InvalidArgument(
      "文件过大（" + FormatSize(size) + "），上限为 " + FormatSize(limit),
      "file of " + std::to_string(size) + " bytes exceeds the limit of " + std::to_string(limit));
}

std::string RowPrefix(int64_t row) { return "第" + std::to_string(row) + "行："; }

// The first line that is not blank decides the separator.
char DetectSeparator(std::string_view text) {
  size_t start = text.find_first_not_of("\r\n");
  if (start == std::string_view::npos) return ',';
  size_t end = text.find_first_of("\r\n", start);
  std::string_view header = text.substr(start, end == std::string_view::npos ? end : end - start);
  if (header.find('\t') != std::string_view::npos && header.find(',') == std::string_view::npos) {
    return '\t';
  }
  return ',';
}

// Number of line ends in `s` (LF, CRLF, lone CR). A CR at the very end of `s` counts: the caller
// never splits a CRLF pair between spans.
int64_t CountLineEnds(std::string_view s) {
  int64_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++n;
    } else if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) {
      ++n;
    }
  }
  return n;
}

}  // namespace

CsvReader::CsvReader(std::string_view utf8_text, CsvLimits limits)
    : text_(utf8_text), limits_(limits) {
  if (StartsWith(text_, kBom)) text_.remove_prefix(kBom.size());
  separator_ = DetectSeparator(text_);
}

Status CsvReader::Fail(Status status) {
  error_ = status;
  return status;
}

Result<bool> CsvReader::Next(CsvRecord* out) {
  if (!error_.ok()) return error_;
  if (text_.size() > limits_.max_bytes) return Fail(TooBig(text_.size(), limits_.max_bytes));
  const std::string_view t = text_;
  const size_t n = t.size();
  const char sep = separator_;
  while (pos_ < n) {
    ++row_;
    const int64_t record_line = line_;
    size_t i = pos_;
    if (t[i] == '\r' || t[i] == '\n') {
      // A blank line: a row in Excel, nothing to return.
      i += (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n') ? 2 : 1;
      ++line_;
      pos_ = i;
      continue;
    }
    std::vector<std::string> fields;
    while (true) {
      std::string field;
      auto check_field_size = [&]() -> Status {
        if (field.size() <= limits_.max_field_bytes) return Status::Ok();
        return Status::InvalidArgument(
            RowPrefix(row_) + "第" + std::to_string(fields.size() + 1) + "列内容过长（超过 " +
                FormatSize(limits_.max_field_bytes) + "）",
            "row " + std::to_string(row_) + ": field " + std::to_string(fields.size() + 1) +
                " exceeds " + std::to_string(limits_.max_field_bytes) + " bytes");
      };
      if (i < n && t[i] == '"') {
        ++i;
        while (true) {
          size_t q = t.find('"', i);
          if (q == std::string_view::npos) {
            return Fail(Status::InvalidArgument(
                RowPrefix(row_) + "引号未闭合（第" + std::to_string(fields.size() + 1) +
                    "列以引号开头，但直到文件末尾都没有结束的引号）",
                "row " + std::to_string(row_) + " (line " + std::to_string(record_line) +
                    "): unterminated quoted field " + std::to_string(fields.size() + 1)));
          }
          std::string_view chunk = t.substr(i, q - i);
          line_ += CountLineEnds(chunk);
          field.append(chunk);
          if (q + 1 < n && t[q + 1] == '"') {
            field += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
          if (Status s = check_field_size(); !s.ok()) return Fail(s);
        }
        if (Status s = check_field_size(); !s.ok()) return Fail(s);
      }
      // The unquoted field, or what follows a closing quote (kept literally, like Excel).
      size_t end = i;
      while (end < n && t[end] != sep && t[end] != '\r' && t[end] != '\n') ++end;
      field.append(t.substr(i, end - i));
      i = end;
      if (Status s = check_field_size(); !s.ok()) return Fail(s);
      fields.push_back(std::move(field));
      if (fields.size() > limits_.max_fields) {
        return Fail(Status::InvalidArgument(
            RowPrefix(row_) + "列数超过上限（" + std::to_string(limits_.max_fields) + " 列）",
            "row " + std::to_string(row_) + " has more than " + std::to_string(limits_.max_fields) +
                " fields"));
      }
      if (i < n && t[i] == sep) {
        ++i;
        continue;
      }
      if (i < n) {  // a line end
        i += (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n') ? 2 : 1;
        ++line_;
      }
      break;
    }
    pos_ = i;
    // A line holding only "" has no content either; treat it like a blank line.
    if (fields.size() == 1 && fields[0].empty()) continue;
    out->fields = std::move(fields);
    out->row = row_;
    out->line = record_line;
    return true;
  }
  return false;
}

Status ForEachCsvRecord(std::string_view bytes, CsvLimits limits, const CsvRecordFn& on_record,
                        CsvInfo* info) {
  if (bytes.size() > limits.max_bytes) return TooBig(bytes.size(), limits.max_bytes);
  // People pick the workbook itself as often as its CSV export; say so instead of "bad encoding".
  if (StartsWith(bytes, "PK\x03\x04")) {
    return Status::InvalidArgument(
        "这是Excel工作簿（.xlsx）文件，不是CSV：请在Excel中“另存为”CSV "
        "UTF-8（逗号分隔）格式后再导入",
        "file is a zip archive (xlsx?), not CSV");
  }
  if (StartsWith(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return Status::InvalidArgument(
        "这是Excel 97-2003工作簿（.xls）文件，不是CSV：请在Excel中“另存为”CSV "
        "UTF-8（逗号分隔）格式后再导入",
        "file is an OLE compound document (xls?), not CSV");
  }
  TZ_ASSIGN_OR_RETURN(DecodedText decoded, DecodeToUtf8(bytes));
  if (TrimSpace(decoded.utf8).empty()) {
    return Status::InvalidArgument("文件为空", "file is empty or whitespace only");
  }
  // SQLite and every C API downstream would cut text at a NUL; such a file is not a spreadsheet
  // export anyway.
  if (size_t nul = decoded.utf8.find('\0'); nul != std::string::npos) {
    int64_t line = 1 + CountLineEnds(std::string_view(decoded.utf8).substr(0, nul));
    return Status::InvalidArgument(
        "第" + std::to_string(line) + "行含有空字符（NUL），文件不是文本文件，请另存为CSV后再导入",
        "NUL character at decoded offset " + std::to_string(nul));
  }
  CsvReader reader(decoded.utf8, limits);
  if (info) {
    info->encoding = decoded.encoding;
    info->separator = reader.separator();
  }
  while (true) {
    CsvRecord record;
    TZ_ASSIGN_OR_RETURN(bool more, reader.Next(&record));
    if (!more) break;
    TZ_RETURN_IF_ERROR(on_record(std::move(record)));
  }
  return Status::Ok();
}

Result<CsvFile> ParseCsvBytes(std::string_view bytes, CsvLimits limits) {
  CsvFile file;
  CsvInfo info;
  TZ_RETURN_IF_ERROR(ForEachCsvRecord(
      bytes, limits,
      [&](CsvRecord&& r) {
        file.records.push_back(std::move(r));
        return Status::Ok();
      },
      &info));
  file.encoding = info.encoding;
  file.separator = info.separator;
  return file;
}

namespace {

// The whole file, refusing (before reading it all) one larger than the limit.
Result<std::string> ReadLimited(const std::string& path, const CsvLimits& limits) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (st.type() == fs::file_type::not_found) {
    return Status::NotFound("文件不存在：" + path, "file not found: " + path);
  }
  if (ec) {
    return Status::IoError("无法读取文件：" + path, "stat " + path + ": " + ec.message());
  }
  if (fs::is_directory(st)) {
    return Status::InvalidArgument("不是文件而是文件夹：" + path, path + " is a directory");
  }
  uintmax_t size = fs::file_size(path, ec);
  // Sizes of pipes and devices are unknown; the read below still stops at the limit.
  if (!ec && size > limits.max_bytes) return TooBig(size, limits.max_bytes);

  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("无法读取文件：" + path, "cannot open " + path);
  std::string bytes;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    bytes.append(buf, static_cast<size_t>(in.gcount()));
    if (bytes.size() > limits.max_bytes) return TooBig(bytes.size(), limits.max_bytes);
  }
  if (in.bad()) return Status::IoError("无法读取文件：" + path, "read error on " + path);
  if (bytes.empty()) return Status::InvalidArgument("文件为空", "file is empty: " + path);
  return bytes;
}

}  // namespace

Result<CsvFile> ReadCsvFile(const std::string& path, CsvLimits limits) {
  TZ_ASSIGN_OR_RETURN(std::string bytes, ReadLimited(path, limits));
  return ParseCsvBytes(bytes, limits);
}

Status ForEachCsvRecordInFile(const std::string& path, CsvLimits limits,
                              const CsvRecordFn& on_record, CsvInfo* info) {
  TZ_ASSIGN_OR_RETURN(std::string bytes, ReadLimited(path, limits));
  return ForEachCsvRecord(bytes, limits, on_record, info);
}

std::string CsvEscape(std::string_view field) {
  bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!field.empty()) {
    auto edge_space = [](char c) { return c == ' ' || c == '\t'; };
    quote = quote || edge_space(field.front()) || edge_space(field.back());
  }
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace tz::io
