// Legacy Excel 97-2003 workbooks (.xls: BIFF8 records in an OLE compound file) through libfreexl,
// which WPS and old Excel still save.
//
// What freexl 1.0.6 gives, from its source and tests/fixtures/excel/libreoffice_tekun.xls:
// - freexl_open parses the whole workbook, every cell of every sheet, into memory: a cell array
//   of the size each sheet's DIMENSION record declares (freexl refuses one above 256 MB, but a
//   small crafted file can declare that for many sheets). Hence the file-size check before it,
//   and the pre-scan of xls_prescan.h, which reads the container and the BIFF records itself and
//   refuses what would make freexl allocate or count without bound (declared cells above
//   kXlsMaxCells for all sheets together, date cells past 9999-12-31, FAT/DIFAT/mini-stream
//   chains that loop or leave the file). The row limit is checked against a sheet's dimensions
//   before its rows are handed out.
// - Formula cells are not read at all: freexl skips FORMULA records, so a formula cell is
//   FREEXL_CELL_NULL whatever its cached value (LibreOffice's =TRUE(), =G2/E2, #DIV/0!). A column
//   computed by formula in an .xls arrives empty (a required one then reads as missing). Saving
//   the file as .xlsx keeps the values.
// - Constant booleans and constant error values (BOOLERR records) both come as FREEXL_CELL_INT:
//   FALSE and #NULL! as 0, TRUE and every other error as 1. They cannot be told from the numbers
//   0 and 1, so they become kNumber "0"/"1".
// - Numbers whose format is a date come as text: "2022-06-30" (DATE) or "2022-06-30 08:30:00"
//   (DATETIME), counted from the workbook's epoch by a calendar in which every fourth year is a
//   leap year (which is Excel's own calendar from 1900-03-01 to 2100-02-28). We turn the text
//   back into the serial by the same calendar and build the cell from the serial, as the xlsx
//   reader does. A date format drops the time of day; a time-only format (TIME) gives
//   "08:30:00" and drops the day.
// - Text (inline or shared, rich text runs joined) comes as UTF-8.
// - freexl turns a date serial into text by counting days one at a time (about 1 ns a day: a
//   date-formatted cell holding 2e9 costs 2-3 s inside freexl_open, a genuine 60,000-row sheet
//   with three date columns 6 s). The pre-scan refuses a date cell outside 0..2958465
//   (9999-12-31) and caps the days of all date cells together (kXlsMaxDateDays, 15-30 s of
//   freexl's counting), since a file can repeat a cell.
// - An encrypted workbook (a FILEPASS record, tests/fixtures/excel/password_tekun.xls) makes
//   freexl_open return FREEXL_OK with a null handle. The pre-scan meets the FILEPASS record
//   first (after it the records are ciphertext, which freexl would still size and count);
//   the look for it after a failed freexl_open and FREEXL_BIFF_PASSWORD (anything but
//   FREEXL_BIFF_PLAIN) stay as a second line. A password-protected .xlsx is an OLE file too (an
//   "EncryptedPackage" stream), so it arrives here by its content; it has no workbook stream.
#include <freexl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>

#include "io/sheet.h"
#include "io/xls_prescan.h"

namespace tz::io {
namespace {

constexpr unsigned char kOleMagic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

std::string MegaBytes(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

// "A", "B", …, "Z", "AA", … for messages.
std::string ColumnName(size_t index) {
  std::string name;
  for (size_t n = index + 1; n > 0; n = (n - 1) / 26) name.insert(name.begin(), 'A' + (n - 1) % 26);
  return name;
}

const char* FreexlErrorName(int code) {
  switch (code) {
    case FREEXL_FILE_NOT_FOUND:
      return "FREEXL_FILE_NOT_FOUND";
    case FREEXL_NULL_HANDLE:
      return "FREEXL_NULL_HANDLE";
    case FREEXL_INSUFFICIENT_MEMORY:
      return "FREEXL_INSUFFICIENT_MEMORY";
    case FREEXL_INVALID_CFBF_HEADER:
      return "FREEXL_INVALID_CFBF_HEADER";
    case FREEXL_CFBF_READ_ERROR:
      return "FREEXL_CFBF_READ_ERROR";
    case FREEXL_CFBF_SEEK_ERROR:
      return "FREEXL_CFBF_SEEK_ERROR";
    case FREEXL_CFBF_INVALID_SIGNATURE:
      return "FREEXL_CFBF_INVALID_SIGNATURE";
    case FREEXL_CFBF_INVALID_SECTOR_SIZE:
      return "FREEXL_CFBF_INVALID_SECTOR_SIZE";
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
      return "FREEXL_CFBF_EMPTY_FAT_CHAIN";
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
      return "FREEXL_CFBF_ILLEGAL_FAT_ENTRY";
    case FREEXL_BIFF_INVALID_BOF:
      return "FREEXL_BIFF_INVALID_BOF";
    case FREEXL_BIFF_INVALID_SST:
      return "FREEXL_BIFF_INVALID_SST";
    case FREEXL_BIFF_ILLEGAL_SST_INDEX:
      return "FREEXL_BIFF_ILLEGAL_SST_INDEX";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
      return "FREEXL_BIFF_WORKBOOK_NOT_FOUND";
    case FREEXL_BIFF_ILLEGAL_SHEET_INDEX:
      return "FREEXL_BIFF_ILLEGAL_SHEET_INDEX";
    case FREEXL_INVALID_CHARACTER:
      return "FREEXL_INVALID_CHARACTER";
    case FREEXL_UNSUPPORTED_CHARSET:
      return "FREEXL_UNSUPPORTED_CHARSET";
    case FREEXL_ILLEGAL_CELL_ROW_COL:
      return "FREEXL_ILLEGAL_CELL_ROW_COL";
    case FREEXL_ILLEGAL_RK_VALUE:
      return "FREEXL_ILLEGAL_RK_VALUE";
    case FREEXL_INVALID_MINI_STREAM:
      return "FREEXL_INVALID_MINI_STREAM";
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
      return "FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY";
    case FREEXL_CRAFTED_FILE:
      return "FREEXL_CRAFTED_FILE";
    default:
      return "freexl error";
  }
}

Status PasswordError(const std::string& path) {
  return Status::InvalidArgument("文件设置了密码，请先在 Excel 中取消密码再导入",
                                 "encrypted workbook: " + path);
}

// Whether a file that freexl could not open is encrypted, by a look at its bytes. A BIFF8
// workbook that is encrypted has a FILEPASS record (2F 00) right after the BOF record
// (09 08 10 00 00 06 05 00) that starts its stream; a password-protected xlsx is an OLE file with
// a stream named "EncryptedPackage" (directory names are UTF-16LE).
bool ContainsUtf16(std::string_view bytes, std::string_view ascii) {
  std::string wide;
  for (char c : ascii) {
    wide.push_back(c);
    wide.push_back('\0');
  }
  return bytes.find(wide) != std::string_view::npos;
}

bool LooksEncrypted(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (ContainsUtf16(bytes, "EncryptedPackage")) return true;
  static constexpr char kBof[] = "\x09\x08\x10\x00\x00\x06\x05\x00";
  const std::string_view bof(kBof, 8);
  for (size_t at = bytes.find(bof); at != std::string::npos; at = bytes.find(bof, at + 1)) {
    if (at + 22 <= bytes.size() && bytes[at + 20] == 0x2F && bytes[at + 21] == 0) return true;
  }
  return false;
}

// Days from base-01-01 to y-m-d in freexl's calendar, where every year divisible by 4 is a leap
// year. nullopt for a day that calendar does not have.
std::optional<int64_t> FreexlDays(int64_t y, int m, int d, int64_t base) {
  if (y < base || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kMonthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = y % 4 == 0;
  if (d > kMonthDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  auto multiples_of_4_below = [](int64_t year) { return (year + 3) / 4; };  // in [0, year)
  int64_t days = (y - base) * 365 + multiples_of_4_below(y) - multiples_of_4_below(base);
  for (int i = 0; i < m - 1; ++i) days += kMonthDays[i] + (i == 1 && leap ? 1 : 0);
  return days + d - 1;
}

bool ParseFixed(std::string_view s, size_t pos, size_t len, int64_t* out) {
  if (pos + len > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// "HH:MM:SS" at `pos` as seconds.
std::optional<int64_t> ParseTime(std::string_view s, size_t pos) {
  int64_t h, m, sec;
  if (s.size() != pos + 8 || s[pos + 2] != ':' || s[pos + 5] != ':' || !ParseFixed(s, pos, 2, &h) ||
      !ParseFixed(s, pos + 3, 2, &m) || !ParseFixed(s, pos + 6, 2, &sec)) {
    return std::nullopt;
  }
  return h * 3600 + m * 60 + sec;
}

// The serial behind freexl's "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS". 1900 system: freexl shows
// serial n as 1900-01-01 plus n-1 days. 1904 system: it shows serial n >= 1 as 1904-01-01 plus n
// days (and 0 as 1904-01-02 too, which we read as 1).
std::optional<double> SerialFromFreexl(std::string_view text, bool date1904) {
  size_t dash = text.find('-');
  if (dash == std::string_view::npos || dash < 4 || dash > 9) return std::nullopt;
  int64_t y, m, d;
  if (!ParseFixed(text, 0, dash, &y) || text.size() < dash + 6 || text[dash + 3] != '-' ||
      !ParseFixed(text, dash + 1, 2, &m) || !ParseFixed(text, dash + 4, 2, &d)) {
    return std::nullopt;
  }
  int64_t seconds = 0;
  const size_t date_end = dash + 6;
  if (text.size() > date_end) {
    if (text[date_end] != ' ') return std::nullopt;
    auto t = ParseTime(text, date_end + 1);
    if (!t) return std::nullopt;
    seconds = *t;
  }
  auto days = FreexlDays(y, static_cast<int>(m), static_cast<int>(d), date1904 ? 1904 : 1900);
  if (!days) return std::nullopt;
  const int64_t serial = date1904 ? *days : *days + 1;
  return static_cast<double>(serial) + static_cast<double>(seconds) / 86400.0;
}

void SetNumber(double value, Cell* cell) {
  cell->kind = CellKind::kNumber;
  cell->number = value;
  cell->text = FormatGeneralNumber(value);
}

// Owns a freexl handle.
struct FreexlHandle {
  const void* h = nullptr;
  FreexlHandle() = default;
  FreexlHandle(const FreexlHandle&) = delete;
  FreexlHandle& operator=(const FreexlHandle&) = delete;
  ~FreexlHandle() {
    if (h != nullptr) freexl_close(h);
  }
};

class XlsReader final : public SheetReader {
 public:
  XlsReader(std::unique_ptr<FreexlHandle> handle, std::vector<std::string> names, bool date1904,
            const SheetLimits& limits)
      : handle_(std::move(handle)),
        names_(std::move(names)),
        date1904_(date1904),
        limits_(limits) {}

  WorkbookFormat format() const override { return WorkbookFormat::kXls; }
  const std::vector<std::string>& sheet_names() const override { return names_; }
  bool date1904() const override { return date1904_; }

  Status ForEachRow(size_t index, const SheetRowFn& on_row) override {
    if (index >= names_.size()) {
      return Status::InvalidArgument(
          "工作簿只有 " + std::to_string(names_.size()) + " 个工作表",
          "sheet index " + std::to_string(index) + " of " + std::to_string(names_.size()));
    }
    const void* h = handle_->h;
    const std::string& sheet = names_[index];
    int rc = freexl_select_active_worksheet(h, static_cast<unsigned short>(index));
    unsigned int rows = 0;
    unsigned short columns = 0;
    if (rc == FREEXL_OK) rc = freexl_worksheet_dimensions(h, &rows, &columns);
    if (rc != FREEXL_OK) {
      return Status::InvalidArgument(
          "无法读取工作表「" + sheet + "」，文件可能已损坏",
          std::string("xls sheet ") + std::to_string(index) + ": " + FreexlErrorName(rc));
    }
    // freexl's dimensions are counts (the DIMENSION record's first unused row and column).
    if (static_cast<int64_t>(rows) > limits_.max_rows) {
      return Status::InvalidArgument("工作表「" + sheet + "」有 " + std::to_string(rows) +
                                         " 行，超过上限 " + std::to_string(limits_.max_rows) +
                                         " 行，请分成几个文件导入",
                                     "xls sheet of " + std::to_string(rows) + " rows exceeds " +
                                         std::to_string(limits_.max_rows));
    }
    SheetRow row;
    for (unsigned int r = 0; r < rows; ++r) {
      row.number = static_cast<int64_t>(r) + 1;
      row.cells.clear();
      for (unsigned short c = 0; c < columns; ++c) {
        FreeXL_CellValue value;
        rc = freexl_get_cell_value(h, r, c, &value);
        if (rc != FREEXL_OK) {
          return Status::InvalidArgument("无法读取工作表「" + sheet + "」第" +
                                             std::to_string(row.number) + "行，文件可能已损坏",
                                         "xls cell " + std::to_string(r) + "," + std::to_string(c) +
                                             ": " + FreexlErrorName(rc));
        }
        Cell cell;
        TZ_RETURN_IF_ERROR(ToCell(value, sheet, row.number, c, &cell));
        if (cell.kind == CellKind::kEmpty) continue;
        if (c >= limits_.max_columns) {
          return Status::InvalidArgument(
              "工作表「" + sheet + "」第" + std::to_string(row.number) + "行超过 " +
                  std::to_string(limits_.max_columns) + " 列",
              "xls row " + std::to_string(row.number) + " has more than " +
                  std::to_string(limits_.max_columns) + " cells");
        }
        row.cells.resize(c + 1);
        row.cells[c] = std::move(cell);
      }
      if (row.cells.empty()) continue;
      TZ_ASSIGN_OR_RETURN(bool more, on_row(row));
      if (!more) break;
    }
    return Status::Ok();
  }

 private:
  Status ToCell(const FreeXL_CellValue& value, const std::string& sheet, int64_t row, size_t col,
                Cell* cell) const {
    switch (value.type) {
      case FREEXL_CELL_INT:  // also TRUE/FALSE and constant errors, see the top of the file
        SetNumber(value.value.int_value, cell);
        return Status::Ok();
      case FREEXL_CELL_DOUBLE:
        SetNumber(value.value.double_value, cell);
        return Status::Ok();
      case FREEXL_CELL_TEXT:
      case FREEXL_CELL_SST_TEXT: {
        const char* text = value.value.text_value;
        size_t size = text == nullptr ? 0 : std::strlen(text);
        if (size == 0) return Status::Ok();
        if (size > limits_.max_cell_bytes) {
          return Status::InvalidArgument(
              "工作表「" + sheet + "」第" + std::to_string(row) + "行 " + ColumnName(col) +
                  " 列的文字过长（" + std::to_string(size) + " 字节，上限 " +
                  std::to_string(limits_.max_cell_bytes) + "）",
              "xls cell text of " + std::to_string(size) + " bytes at row " + std::to_string(row));
        }
        cell->kind = CellKind::kText;
        cell->text.assign(text, size);
        return Status::Ok();
      }
      case FREEXL_CELL_DATE:
      case FREEXL_CELL_DATETIME: {
        std::string_view text = value.value.text_value ? value.value.text_value : "";
        std::optional<double> serial = SerialFromFreexl(text, date1904_);
        if (!serial) {  // not what freexl writes; keep what it said
          cell->kind = CellKind::kText;
          cell->text = text;
          return Status::Ok();
        }
        return FromSerial(*serial, cell);
      }
      case FREEXL_CELL_TIME: {
        std::string_view text = value.value.text_value ? value.value.text_value : "";
        std::optional<int64_t> seconds = ParseTime(text, 0);
        if (!seconds) {
          cell->kind = CellKind::kText;
          cell->text = text;
          return Status::Ok();
        }
        // freexl keeps only the time of day: the fraction of a day, which the xlsx reader too
        // shows as a number in the 1900 system (serial 0 is no day) and as 1904-01-01 in 1904.
        return FromSerial(static_cast<double>(*seconds) / 86400.0, cell);
      }
      default:  // FREEXL_CELL_NULL, and formula cells (see the top of the file)
        return Status::Ok();
    }
  }

  // A number with a date format, as the xlsx reader makes it: kDate when it is a day the date
  // system has, else kNumber (Excel's 1900-02-29, serial 0 of the 1900 system, past 9999).
  Status FromSerial(double serial, Cell* cell) const {
    std::optional<SerialDate> date = SerialToDate(serial, date1904_);
    if (!date) {
      SetNumber(serial, cell);
      return Status::Ok();
    }
    cell->kind = CellKind::kDate;
    cell->number = serial;
    cell->text = FormatSerialDate(*date);
    return Status::Ok();
  }

  std::unique_ptr<FreexlHandle> handle_;
  std::vector<std::string> names_;
  bool date1904_;
  SheetLimits limits_;
};

Status NotAnXls(const std::string& path, const std::string& why) {
  return Status::InvalidArgument(
      "文件不是有效的 xls 工作簿，或已损坏，请用 Excel 或 WPS 打开后另存再导入",
      path + ": not a readable xls workbook (" + why + ")");
}

}  // namespace

Result<std::unique_ptr<SheetReader>> OpenXls(const std::string& path, const SheetLimits& limits) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (st.type() == fs::file_type::not_found) {
    return Status::NotFound("文件不存在：" + path, "file not found: " + path);
  }
  if (ec) return Status::IoError("无法读取文件：" + path, "stat " + path + ": " + ec.message());
  if (!fs::is_regular_file(st)) {
    return Status::InvalidArgument("不是普通文件：" + path, path + " is not a regular file");
  }
  uintmax_t size = fs::file_size(path, ec);
  if (ec) return Status::IoError("无法读取文件：" + path, "size of " + path + ": " + ec.message());
  // freexl reads the whole workbook into memory, and its memory and date conversion grow several
  // times faster than the file: refuse a large file before it does. An .xls holds at most 65,536
  // rows, a few MB for any ledger, so its cap is far below the xlsx one.
  const uint64_t cap = std::min<uint64_t>(limits.max_file_bytes, kMaxXlsBytes);
  if (size > cap) {
    return Status::InvalidArgument(
        "文件过大（" + MegaBytes(size) + "），.xls 文件的上限为 " + MegaBytes(cap) +
            "；请在 Excel 或 WPS 中另存为 .xlsx 后再导入",
        "xls file of " + std::to_string(size) + " bytes exceeds the limit of " +
            std::to_string(cap));
  }
  {
    // Only OLE compound files: freexl would also take raw BIFF2-4 streams (Excel 2.x-4.x), which
    // nobody saves any more and which OpenSheetFile does not send here.
    std::ifstream in(path, std::ios::binary);
    unsigned char magic[8] = {};
    in.read(reinterpret_cast<char*>(magic), sizeof magic);
    if (!in) {
      if (in.bad()) return Status::IoError("无法读取文件：" + path, "cannot read " + path);
      return NotAnXls(path, "shorter than an OLE header");
    }
    if (std::memcmp(magic, kOleMagic, sizeof magic) != 0) return NotAnXls(path, "no OLE signature");
  }
  {
    // Our own look at the container and the records before freexl trusts them (xls_prescan.h).
    Result<XlsStream> stream = ReadXlsStream(path);
    if (!stream.ok()) return stream.status().WithContext("", path + ": ");
    if (!stream->found) {
      if (LooksEncrypted(path)) return PasswordError(path);
      return Status::InvalidArgument(
          "文件不是 Excel 工作簿（可能是 Word 等其他 Office 文件），请检查后再导入",
          path + ": OLE file without a Workbook stream");
    }
    Result<XlsScan> scan = ScanBiff(stream->bytes, stream->mini, limits);
    if (!scan.ok()) return scan.status().WithContext("", path + ": ");
    if (scan->encrypted) return PasswordError(path);
  }

  auto handle = std::make_unique<FreexlHandle>();
  int rc = freexl_open(path.c_str(), &handle->h);
  // freexl 1.0.6 answers an encrypted workbook with FREEXL_OK and no handle.
  if (rc == FREEXL_OK && handle->h == nullptr) rc = FREEXL_NULL_HANDLE;
  if (rc != FREEXL_OK) {
    if (LooksEncrypted(path)) return PasswordError(path);
    if (rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND) {
      return Status::InvalidArgument(
          "文件不是 Excel 工作簿（可能是 Word 等其他 Office 文件），请检查后再导入",
          path + ": OLE file without a Workbook stream");
    }
    if (rc == FREEXL_INSUFFICIENT_MEMORY) {
      // freexl refuses a sheet whose declared size needs more than 256 MB of cells.
      return Status::InvalidArgument(
          "文件中的工作表过大，请分成几个文件导入",
          path + ": freexl refused a sheet's dimensions (" + FreexlErrorName(rc) + ")");
    }
    if (rc == FREEXL_FILE_NOT_FOUND) {
      return Status::IoError("无法读取文件：" + path, "freexl cannot open " + path);
    }
    return NotAnXls(path, FreexlErrorName(rc));
  }

  unsigned int info = 0;
  if (freexl_get_info(handle->h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
      info != FREEXL_BIFF_PLAIN) {
    return PasswordError(path);
  }
  bool date1904 = false;
  if (freexl_get_info(handle->h, FREEXL_BIFF_DATEMODE, &info) == FREEXL_OK) {
    date1904 = info == FREEXL_BIFF_DATEMODE_1904;
  }
  unsigned int count = 0;
  rc = freexl_get_info(handle->h, FREEXL_BIFF_SHEET_COUNT, &count);
  if (rc != FREEXL_OK) return NotAnXls(path, FreexlErrorName(rc));
  if (count == 0) {
    return Status::InvalidArgument("工作簿中没有工作表", path + ": xls without worksheets");
  }
  std::vector<std::string> names;
  for (unsigned int i = 0; i < count && i <= 0xFFFF; ++i) {
    const char* name = nullptr;
    rc = freexl_get_worksheet_name(handle->h, static_cast<unsigned short>(i), &name);
    if (rc != FREEXL_OK) return NotAnXls(path, FreexlErrorName(rc));
    names.emplace_back(name != nullptr ? name : "");
  }
  return std::unique_ptr<SheetReader>(
      new XlsReader(std::move(handle), std::move(names), date1904, limits));
}

}  // namespace tz::io
