// The xlsx reader: the small parts (xlsx_parts.cc) name the sheets, say which styles are dates
// and hold the shared strings; each sheet is streamed through the fast XML scanner and handed out
// a row at a time, the row's cells reused.
#include "io/xlsx_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "base/date.h"
#include "base/strings.h"
#include "io/sheet.h"

namespace tz::io {
namespace {

bool ParseDouble(std::string_view s, double* out) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(*out);
}

constexpr int64_t kMaxExcelColumns = 16384;  // A … XFD
constexpr int64_t kMaxExcelRows = 1048576;

// "AB12" → column 27 and rest "12". -1 when there are no letters or more than XFD.
int64_t ParseColumn(std::string_view ref, std::string_view* rest) {
  int64_t col = 0;
  size_t i = 0;
  for (; i < ref.size() && i < 4; ++i) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + (c - 'A' + 1);
  }
  if (i == 0 || col > kMaxExcelColumns) return -1;
  if (rest) *rest = ref.substr(i);
  return col - 1;
}

std::string ColumnName(int64_t col) {
  std::string out;
  for (int64_t n = col + 1; n > 0; n = (n - 1) / 26) {
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return out;
}

// Reads exactly `digits` ASCII digits at the front of *s, advancing it.
bool TakeDigits(std::string_view* s, size_t digits, int* out) {
  if (s->size() < digits) return false;
  int v = 0;
  for (size_t i = 0; i < digits; ++i) {
    char c = (*s)[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  s->remove_prefix(digits);
  return true;
}

// Takes `c` from the front of *s.
bool TakeChar(std::string_view* s, char c) {
  if (!s->starts_with(c)) return false;
  s->remove_prefix(1);
  return true;
}

// The serial of a `t="d"` cell ("2020-01-01", "2020-01-01T08:30", "2020-01-01T08:30:00.5Z": ISO
// 8601 as ECMA-376 spells it) in the workbook's date system, or nullopt when it is not such a
// date or falls outside the system (before 1900-01-01, or 1904-01-01). Computed here because
// sheet_values.cc only goes from serial to date; the 1900 system's phantom 1900-02-29 means days
// before 1900-03-01 are one serial lower than a true count.
std::optional<double> IsoDateToSerial(std::string_view s, bool date1904) {
  s = TrimSpace(s);
  int y, mo, d;
  if (!TakeDigits(&s, 4, &y) || !TakeChar(&s, '-') || !TakeDigits(&s, 2, &mo) ||
      !TakeChar(&s, '-') || !TakeDigits(&s, 2, &d)) {
    return std::nullopt;
  }
  std::optional<Date> date = Date::FromYmd(y, mo, d);
  if (!date) return std::nullopt;
  double seconds = 0;
  if (TakeChar(&s, 'T')) {
    int h, mi, sec = 0;
    if (!TakeDigits(&s, 2, &h) || !TakeChar(&s, ':') || !TakeDigits(&s, 2, &mi)) {
      return std::nullopt;
    }
    double fraction = 0;
    if (TakeChar(&s, ':')) {
      if (!TakeDigits(&s, 2, &sec)) return std::nullopt;
      if (TakeChar(&s, '.')) {
        double scale = 0.1;
        size_t digits = 0;
        for (; !s.empty() && s.front() >= '0' && s.front() <= '9'; s.remove_prefix(1)) {
          fraction += (s.front() - '0') * scale;
          scale /= 10;
          ++digits;
        }
        if (digits == 0) return std::nullopt;
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
    seconds = h * 3600.0 + mi * 60.0 + sec + fraction;
  }
  TakeChar(&s, 'Z');  // UTC, which is all a spreadsheet date can be
  if (!s.empty()) return std::nullopt;

  constexpr int64_t kUnixEpoch1900 = 25569, kUnixEpoch1904 = 24107;  // serials of 1970-01-01
  int64_t days = date->days();
  int64_t serial;
  if (date1904) {
    serial = days + kUnixEpoch1904;
    if (serial < 0) return std::nullopt;
  } else {
    serial = days + kUnixEpoch1900;
    if (serial < 61) --serial;  // before 1900-03-01: no phantom day counted yet
    if (serial < 1) return std::nullopt;
  }
  return static_cast<double>(serial) + seconds / 86400.0;
}

Status CorruptPart(const std::string& part, const std::string& what_zh,
                   const std::string& what_en) {
  return Status::InvalidArgument("文件内容损坏（" + part + " " + what_zh + "），请重新保存后再导入",
                                 "corrupt " + part + ": " + what_en);
}

// ---------------------------------------------------------------------------------------------
// A worksheet, streamed.

enum class ValueType : uint8_t {
  kNumber,
  kShared,
  kInline,
  kFormulaString,
  kBool,
  kError,
  kIsoDate
};

ValueType ParseType(std::optional<std::string_view> t) {
  if (!t) return ValueType::kNumber;
  std::string_view v = *t;
  if (v == "s") return ValueType::kShared;
  if (v == "inlineStr") return ValueType::kInline;
  if (v == "str") return ValueType::kFormulaString;
  if (v == "b") return ValueType::kBool;
  if (v == "e") return ValueType::kError;
  if (v == "d") return ValueType::kIsoDate;
  return ValueType::kNumber;  // "n" and anything unknown
}

std::string RowLimitMessage(int64_t rows, int64_t limit) {
  return "工作表有 " + std::to_string(rows) + " 行，超过了一次最多导入 " + std::to_string(limit) +
         " 行的限制，请分成几个文件导入";
}

class SheetHandler : public XmlHandler {
 public:
  SheetHandler(std::string part, const SharedStrings& strings,
               const std::vector<uint8_t>& date_styles, bool date1904, const SheetLimits& limits,
               const SheetRowFn& on_row)
      : part_(std::move(part)),
        strings_(strings),
        date_styles_(date_styles),
        date1904_(date1904),
        limits_(limits),
        on_row_(on_row) {}

  void OnStart(XmlParser& parser, std::string_view name, XmlAttrs attrs) override {
    parser_ = &parser;
    if (name == "c") {
      StartCell(attrs);
    } else if (name == "v") {
      if (in_cell_) {
        value_.clear();
        has_value_ = true;
        parser_->WantText(true);
      }
    } else if (name == "t") {
      if (in_inline_ && phonetic_depth_ == 0) parser_->WantText(true);
    } else if (name == "is") {
      if (in_cell_) {
        in_inline_ = true;
        inline_seen_ = true;
        value_.clear();
        has_value_ = true;
      }
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "row") {
      StartRow(attrs);
    } else if (name == "dimension") {
      CheckDimension(attrs);
    }
  }

  void OnEnd(XmlParser& parser, std::string_view name) override {
    parser_ = &parser;
    if (name == "c") {
      EndCell();
    } else if (name == "v" || name == "t") {
      parser_->WantText(false);
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh") {
      if (phonetic_depth_ > 0) --phonetic_depth_;
    } else if (name == "row") {
      EndRow();
    }
  }

  void OnText(XmlParser& parser, std::string_view text) override {
    parser_ = &parser;
    if (value_.size() + text.size() > limits_.max_cell_bytes) {
      parser_->Stop(CellTooLong());
      return;
    }
    value_.append(text);
  }

 private:
  // Refuses a sheet that says it is too long before a single row is read.
  void CheckDimension(XmlAttrs attrs) {
    auto ref = FindAttr(attrs, "ref");
    if (!ref) return;
    std::string_view r =
        ref->substr(ref->rfind(':') + 1);  // "A1:L1048576" → "L1048576"; "A1" stays
    std::string_view digits;
    uint64_t last = 0;
    if (ParseColumn(r, &digits) < 0 || !ParseUint(digits, &last)) return;  // only a hint
    if (static_cast<int64_t>(std::min<uint64_t>(last, INT64_MAX)) > limits_.max_rows) {
      parser_->Stop(
          Status::InvalidArgument(RowLimitMessage(static_cast<int64_t>(last), limits_.max_rows),
                                  part_ + " declares dimension " + std::string(*ref) +
                                      ", more than " + std::to_string(limits_.max_rows) + " rows"));
    }
  }

  void StartRow(XmlAttrs attrs) {
    // A row inside a row would hand out the inner one twice (at each </row>).
    if (in_row_) {
      parser_->Stop(CorruptPart(part_, "有嵌套的行", "nested <row>"));
      return;
    }
    in_row_ = true;
    auto r = FindAttr(attrs, "r");
    uint64_t number;
    if (!r) {
      number = static_cast<uint64_t>(row_.number) + 1;
    } else if (!ParseUint(*r, &number) || number == 0 ||
               number > static_cast<uint64_t>(kMaxExcelRows)) {
      parser_->Stop(
          CorruptPart(part_, "有无效的行号", "bad row number \"" + std::string(*r) + "\""));
      return;
    }
    // Rows must come in increasing order (as every writer puts them): a repeated or decreasing
    // number is damage, and trusting it would let the same numbers repeat past max_rows.
    if (static_cast<int64_t>(number) <= row_.number) {
      parser_->Stop(CorruptPart(
          part_,
          "第 " + std::to_string(number) + " 行的行号不递增，上一行是第 " +
              std::to_string(row_.number) + " 行",
          "row " + std::to_string(number) + " after row " + std::to_string(row_.number)));
      return;
    }
    if (static_cast<int64_t>(number) > limits_.max_rows) {
      parser_->Stop(Status::InvalidArgument(
          "工作表超过 " + std::to_string(limits_.max_rows) + " 行（读到了第 " +
              std::to_string(number) + " 行），超过了一次最多导入 " +
              std::to_string(limits_.max_rows) + " 行的限制，请分成几个文件导入",
          part_ + " has row " + std::to_string(number) + ", more than " +
              std::to_string(limits_.max_rows) + " rows"));
      return;
    }
    row_.number = static_cast<int64_t>(number);
    width_ = 0;
    row_has_value_ = false;
    column_ = -1;
  }

  void StartCell(XmlAttrs attrs) {
    std::optional<std::string_view> ref, type, style;
    for (const XmlAttr& a : attrs) {
      if (a.name.size() != 1) continue;  // only one-letter names matter here
      switch (a.name[0]) {
        case 'r':
          ref = a.value;
          break;
        case 't':
          type = a.value;
          break;
        case 's':
          style = a.value;
          break;
        default:
          break;
      }
    }
    if (ref) {
      int64_t column = ParseColumn(*ref, nullptr);
      if (column < 0) {
        parser_->Stop(CorruptPart(part_,
                                  "第 " + std::to_string(row_.number) + " 行有无效的单元格位置",
                                  "bad cell reference \"" + std::string(*ref) + "\""));
        return;
      }
      // Cells of a row come left to right; a repeated or earlier column would overwrite a value
      // already placed, silently.
      if (column <= column_) {
        std::string previous = CellName();
        column_ = column;
        parser_->Stop(CorruptPart(part_,
                                  "第 " + std::to_string(row_.number) + " 行的单元格 " +
                                      CellName() + " 位置不递增，前一个单元格是 " + previous,
                                  "cell " + CellName() + " after " + previous));
        return;
      }
      column_ = column;
    } else if (++column_ >= kMaxExcelColumns) {
      parser_->Stop(TooManyColumns());
      return;
    }
    type_ = ParseType(type);
    is_date_style_ = false;
    uint64_t s;
    if (style && ParseUint(*style, &s) && s < date_styles_.size()) {
      is_date_style_ = date_styles_[s] != 0;
    }
    in_cell_ = true;
    has_value_ = false;
    inline_seen_ = false;
    value_.clear();
  }

  void EndCell() {
    in_cell_ = false;
    in_inline_ = false;
    phonetic_depth_ = 0;
    if (!has_value_) return;  // a styled blank, or a formula never calculated
    // Only cells with a value count against the column limit: formatting a whole row writes
    // styled blanks far to the right, and those cost nothing.
    if (static_cast<uint64_t>(column_) >= limits_.max_columns) {
      parser_->Stop(TooManyColumns());
      return;
    }
    ValueType type = inline_seen_ ? ValueType::kInline : type_;
    if (value_.empty() && type != ValueType::kInline && type != ValueType::kFormulaString) return;
    switch (type) {
      case ValueType::kShared: {
        uint64_t index;
        if (!ParseUint(value_, &index) || index >= strings_.size()) {
          parser_->Stop(CorruptPart(part_, "单元格 " + CellName() + " 引用了不存在的共享字符串",
                                    "shared string index \"" + value_ + "\" of " +
                                        std::to_string(strings_.size()) + " at " + CellName()));
          return;
        }
        SetText(strings_.Get(index));
        return;
      }
      case ValueType::kInline:
      case ValueType::kFormulaString:
        DecodeXmlEscapes(&value_);
        SetText(value_);
        return;
      case ValueType::kIsoDate:
        // Some writers store dates as ISO 8601 text (t="d"); they are dates like any date-styled
        // number. Text that is no such date stays text, for validation to report.
        if (std::optional<double> serial = IsoDateToSerial(value_, date1904_)) {
          if (std::optional<SerialDate> d = SerialToDate(*serial, date1904_)) {
            Cell& cell = Slot();
            cell.kind = CellKind::kDate;
            cell.text = FormatSerialDate(*d);
            cell.number = *serial;
            return;
          }
        }
        SetText(value_);
        return;
      case ValueType::kError:
        if (!value_.empty()) Place(CellKind::kError, value_, 0);
        return;
      case ValueType::kBool: {
        bool on = TrimSpace(value_) == "1" || TrimSpace(value_) == "true";
        Place(CellKind::kBool, on ? "TRUE" : "FALSE", on ? 1 : 0);
        return;
      }
      case ValueType::kNumber: {
        double v;
        if (!ParseDouble(value_, &v)) {
          SetText(value_);  // not a number after all: keep what the file says
          return;
        }
        if (is_date_style_) {
          if (std::optional<SerialDate> d = SerialToDate(v, date1904_)) {
            Cell& cell = Slot();
            cell.kind = CellKind::kDate;
            cell.text = FormatSerialDate(*d);
            cell.number = v;
            return;
          }
        }
        Cell& cell = Slot();
        cell.kind = CellKind::kNumber;
        cell.text = FormatGeneralNumber(v);
        cell.number = v;
        return;
      }
    }
  }

  void SetText(std::string_view text) {
    if (text.empty()) return;
    if (text.size() > limits_.max_cell_bytes) {
      parser_->Stop(CellTooLong());
      return;
    }
    Place(CellKind::kText, text, 0);
  }

  void Place(CellKind kind, std::string_view text, double number) {
    Cell& cell = Slot();
    cell.kind = kind;
    cell.text.assign(text);
    cell.number = number;
  }

  // The row's cell for column_, marked as having a value; cells skipped since the last one are
  // cleared. Cells (and their string buffers) are reused from row to row.
  Cell& Slot() {
    row_has_value_ = true;
    auto col = static_cast<size_t>(column_);
    while (width_ <= col) {
      if (width_ < row_.cells.size()) {
        Clear(row_.cells[width_]);
      } else if (!spare_.empty()) {
        row_.cells.push_back(std::move(spare_.back()));
        spare_.pop_back();
        Clear(row_.cells.back());
      } else {
        row_.cells.emplace_back();
      }
      ++width_;
    }
    return row_.cells[col];
  }

  static void Clear(Cell& cell) {
    cell.kind = CellKind::kEmpty;
    cell.text.clear();
    cell.number = 0;
  }

  void EndRow() {
    in_row_ = false;
    // Cells left over from a longer previous row are moved aside, keeping their buffers.
    while (row_.cells.size() > width_) {
      spare_.push_back(std::move(row_.cells.back()));
      row_.cells.pop_back();
    }
    if (!row_has_value_) return;
    // The limit on what is handed out, counted, not inferred from row numbers. Today the
    // increasing-number check in StartRow already implies it (each <row> takes a new number no
    // larger than max_rows); this keeps the limit if that check is ever relaxed.
    if (rows_emitted_ >= limits_.max_rows) {
      parser_->Stop(Status::InvalidArgument(
          RowLimitMessage(rows_emitted_ + 1, limits_.max_rows),
          part_ + " delivers more than " + std::to_string(limits_.max_rows) + " rows"));
      return;
    }
    ++rows_emitted_;
    Result<bool> go_on = on_row_(row_);
    if (!go_on.ok()) {
      parser_->Stop(go_on.status());
    } else if (!*go_on) {
      parser_->Stop(Status::Ok());
    }
  }

  std::string CellName() const { return ColumnName(column_) + std::to_string(row_.number); }

  Status TooManyColumns() const {
    return Status::InvalidArgument("第 " + std::to_string(row_.number) + " 行的列数超过了 " +
                                       std::to_string(limits_.max_columns) + " 列的限制（单元格 " +
                                       CellName() + "），请删除多余的列后再导入",
                                   part_ + " row " + std::to_string(row_.number) +
                                       " has a cell in column " + std::to_string(column_ + 1) +
                                       ", limit " + std::to_string(limits_.max_columns));
  }

  Status CellTooLong() const {
    return Status::InvalidArgument("单元格 " + CellName() + " 的内容过长（超过 " +
                                       std::to_string(limits_.max_cell_bytes / 1024) +
                                       " KB），请检查该单元格",
                                   part_ + " cell " + CellName() + " exceeds " +
                                       std::to_string(limits_.max_cell_bytes) + " bytes");
  }

  const std::string part_;
  const SharedStrings& strings_;
  const std::vector<uint8_t>& date_styles_;
  const bool date1904_;
  const SheetLimits& limits_;
  const SheetRowFn& on_row_;
  XmlParser* parser_ = nullptr;  // the parser of the callback running

  SheetRow row_;
  std::vector<Cell> spare_;
  size_t width_ = 0;  // cells of row_ set (or cleared) for the current row
  bool row_has_value_ = false;
  bool in_row_ = false;
  int64_t column_ = -1;
  int64_t rows_emitted_ = 0;

  // The current cell.
  bool in_cell_ = false;
  ValueType type_ = ValueType::kNumber;
  bool is_date_style_ = false;
  bool has_value_ = false;  // a <v> or <is> was seen
  bool in_inline_ = false;
  bool inline_seen_ = false;
  int phonetic_depth_ = 0;
  std::string value_;  // text of <v> or of <is>'s <t> runs
};

// ---------------------------------------------------------------------------------------------
// The reader.

class XlsxReader : public SheetReader {
 public:
  static Result<std::unique_ptr<SheetReader>> Open(const std::string& path,
                                                   const SheetLimits& limits) {
    ZipLimits zip_limits;
    zip_limits.max_file_bytes = limits.max_file_bytes;
    zip_limits.max_entries = limits.max_entries;
    zip_limits.max_entry_bytes = limits.max_entry_bytes;
    zip_limits.max_compression_ratio = limits.max_compression_ratio;
    TZ_ASSIGN_OR_RETURN(std::unique_ptr<ZipArchive> zip, ZipArchive::Open(path, zip_limits));
    TZ_ASSIGN_OR_RETURN(WorkbookInfo info, ReadWorkbookInfo(*zip));
    return std::unique_ptr<SheetReader>(new XlsxReader(std::move(zip), std::move(info), limits));
  }

  WorkbookFormat format() const override { return WorkbookFormat::kXlsx; }
  const std::vector<std::string>& sheet_names() const override { return info_.sheet_names; }
  bool date1904() const override { return info_.date1904; }

  Status ForEachRow(size_t index, const SheetRowFn& on_row) override {
    const std::vector<std::string>& names = info_.sheet_names;
    if (index >= names.size()) {
      return Status::NotFound("工作簿中没有第 " + std::to_string(index + 1) + " 个工作表（共 " +
                                  std::to_string(names.size()) + " 个）",
                              "no sheet " + std::to_string(index));
    }
    TZ_RETURN_IF_ERROR(LoadSharedParts());
    const std::string& part = info_.sheet_parts[index];
    std::optional<uint64_t> entry = part.empty() ? std::nullopt : zip_->Find(part);
    if (!entry) {
      return Status::InvalidArgument(
          "工作表" + Quoted(names[index]) + "的内容缺失（文件中没有 " +
              (part.empty() ? std::string("它的数据") : part) + "），请重新保存后再导入",
          "sheet " + std::to_string(index) + " part missing: \"" + part + "\"");
    }
    SheetHandler handler(part, strings_, date_styles_, info_.date1904, limits_, on_row);
    return ParsePart(*zip_, *entry, part, &handler, PartSize::kLarge);
  }

 private:
  XlsxReader(std::unique_ptr<ZipArchive> zip, WorkbookInfo info, const SheetLimits& limits)
      : zip_(std::move(zip)), info_(std::move(info)), limits_(limits) {}

  // Styles and shared strings, read on the first ForEachRow (listing the sheets needs neither).
  // Both parts are optional: a workbook without them has no dates and no shared strings.
  Status LoadSharedParts() {
    if (shared_loaded_) return shared_status_;
    shared_loaded_ = true;
    shared_status_ = [&]() -> Status {
      TZ_ASSIGN_OR_RETURN(date_styles_, ReadDateStyles(*zip_, info_.styles_part));
      return ReadSharedStrings(*zip_, info_.shared_strings_part, limits_.max_shared_string_bytes,
                               &strings_);
    }();
    if (!shared_status_.ok()) strings_ = SharedStrings();  // give the memory back
    return shared_status_;
  }

  std::unique_ptr<ZipArchive> zip_;
  WorkbookInfo info_;
  SheetLimits limits_;

  bool shared_loaded_ = false;
  Status shared_status_;
  SharedStrings strings_;
  std::vector<uint8_t> date_styles_;
};

}  // namespace

Result<std::unique_ptr<SheetReader>> OpenXlsx(const std::string& path, const SheetLimits& limits) {
  return XlsxReader::Open(path, limits);
}

}  // namespace tz::io
