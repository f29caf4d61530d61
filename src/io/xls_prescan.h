// A look at a legacy .xls before libfreexl opens it (xls_reader.cc), exposed for tests.
//
// freexl_open (1.0.6) reads the OLE container and the whole workbook into memory trusting what the
// file declares, so a small crafted file can make it allocate or count without bound:
// - it allocates every sheet's declared DIMENSION (16 bytes a cell, up to 256 MB a sheet), and
//   again, with the last sheet's size, for every sheet that has none;
// - it turns a date serial into text one day at a time (about 1 ns a day on our 2-core machine:
//   serial 2e9 costs 2-3 s, a genuine 60,000-row sheet with three date columns 6 s), and one file
//   can hold millions of date cells, the same cell repeated;
// - it follows a DIFAT or mini-stream chain for as long as the header's counts say, even in a
//   loop, and allocates the whole FAT once per listing of a FAT sector;
// - it looks each substream's sheet up in a linked list of all sheets (quadratic).
// The pre-scan reads the container and walks the BIFF records the way freexl does and refuses,
// before freexl sees the file, what would make it do any of that. Every offset and length is
// checked against the file; nothing here trusts a count from the file.
#ifndef TAIZHANG_IO_XLS_PRESCAN_H_
#define TAIZHANG_IO_XLS_PRESCAN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "io/sheet.h"

namespace tz::io {

// Cell slots freexl may allocate for all sheets together: the most one BIFF8 sheet can hold (65536
// rows x 256 columns, 256 MB in freexl), and at most SheetLimits::max_rows x 256 when that is less.
inline constexpr uint64_t kXlsMaxCells = 65536ull * 256;
// The last day freexl is allowed to count to: 9999-12-31 (Excel's last day), any time of it.
inline constexpr double kXlsMaxDateSerial = 2958465;
// Days freexl may count for all date cells together, 15-30 s of its calendar: a full xls sheet
// (65536 rows) with six date columns of present-day dates (about 45,000 days each) needs 1.8e10.
inline constexpr uint64_t kXlsMaxDateDays = 20'000'000'000ull;
// BIFF records in the workbook stream: more than a 64 MB stream of genuine records holds.
inline constexpr uint64_t kXlsMaxRecords = 1u << 23;
// Cell formats (XF records): Excel and LibreOffice write at most 4050; freexl keeps 8192 and reads
// past its array for a cell that names a later one.
inline constexpr size_t kXlsMaxXfs = 8192;
// Sheets (SHEET records) and sheet substreams (BOF after EOF): freexl looks a substream's sheet up
// in a linked list, so N of each cost N^2 (60,000 of them, a 2.2 MB file, took 12 s).
inline constexpr size_t kXlsMaxSheets = 4096;

// The workbook stream of an OLE file, as freexl will read it.
struct XlsStream {
  bool found = false;  // false: no "Workbook" or "Book" stream where freexl looks for one
  std::string bytes;   // the stream
  bool mini = false;   // read from the mini stream (freexl: when the header has a mini FAT and
                       // the stream is no longer than its cutoff, 4096 bytes)
  // Where the stream lies in the file: bytes [i * sector_size, (i + 1) * sector_size) start at
  // file offset sector_offsets[i]. For tests that patch records in place.
  uint32_t sector_size = 0;
  std::vector<uint64_t> sector_offsets;
};

// Reads the OLE header, FAT (through the DIFAT), the first directory sector (where freexl looks)
// and the workbook stream, from the mini stream when freexl would. Errors: IoError when the file
// cannot be read; InvalidArgument ("文件不是有效的 xls 工作簿，或已损坏…") for a truncated or
// damaged container: a sector or chain past the end of the file, a loop in a chain, a chain
// shorter or longer than its stream, a FAT or mini FAT larger than the file needs. Holds at most
// the stream and the FAT in memory; the caller caps the file's size first (OpenXls does).
Result<XlsStream> ReadXlsStream(const std::string& path);
Result<XlsStream> ReadXlsStreamFromBytes(std::string_view file);

// One BIFF record: its type, where its 4-byte header starts in the stream, and its data.
struct BiffRecord {
  uint16_t type = 0;
  size_t offset = 0;
  std::string_view data;
};

// Calls `on_record` for each record in order, as freexl reads them: stops when fewer than 4 bytes
// are left and, in a stream that is not in the mini stream (`mini` false), at a record of type
// and length 0 (freexl reads on past one in the mini stream); refuses (InvalidArgument) a record
// longer than 8224 bytes, one that runs past the end of the stream, and more than kXlsMaxRecords
// records. A non-OK Status from `on_record` stops and is returned.
Status ForEachBiffRecord(std::string_view stream, bool mini,
                         const std::function<Status(const BiffRecord&)>& on_record);

struct XlsScan {
  bool encrypted = false;  // a FILEPASS record: the rest is ciphertext and was not looked at
  uint64_t cells = 0;      // cell slots freexl will allocate, all sheets together
  uint64_t date_days = 0;  // days freexl's calendar will count for the date cells
};

// Walks the BIFF5/BIFF8 records of a workbook stream and refuses (InvalidArgument):
// - "文件中的工作表声明了过多的单元格，可能是恶意文件，已拒绝" when a DIMENSION declares more than
//   65536 rows or 256 columns, or the cells freexl would allocate (every DIMENSION, and the last
//   selected sheet's size again for every sheet without one) exceed the cap above;
// - "单元格中的日期超出范围（…第N行 X 列），已拒绝" when a NUMBER, RK or MULRK value whose format
//   freexl takes for a date or date-time (by freexl's own rule, see xls_prescan.cc) is negative,
//   not a number, or past the end of day kXlsMaxDateSerial;
// - "文件中的日期单元格过多，可能是恶意文件，已拒绝" when those dates together exceed
//   kXlsMaxDateDays;
// - "文件中的工作表过多，可能是恶意文件，已拒绝" for more than kXlsMaxSheets sheets or substreams;
// - the damaged-file message for records freexl would read past (a DIMENSION, cell, XF or FORMAT
//   record shorter than its fields), a stream that does not start with a BIFF5/8 BOF, a record
//   other than BOF after an EOF (freexl stops there with an error), more than kXlsMaxXfs XFs.
// `mini`: the stream was read from the mini stream (XlsStream::mini).
Result<XlsScan> ScanBiff(std::string_view stream, bool mini, const SheetLimits& limits);

}  // namespace tz::io

#endif  // TAIZHANG_IO_XLS_PRESCAN_H_
