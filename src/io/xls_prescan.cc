// The pre-scan of an .xls before freexl opens it (see xls_prescan.h for why).
//
// It follows freexl 1.0.6 (src/freexl.c) rather than the specifications where the two differ,
// because what matters is what freexl will do with the file:
// - Container: freexl lists FAT sectors from the 109 header slots and then the DIFAT chain for as
//   many blocks as the header says, reading each listed sector into a linked list of 40-byte
//   entries; it looks for "Workbook" or "Book" (exact, case-sensitive names) only in the first
//   directory sector; it reads the workbook from the mini stream when the header has a mini FAT
//   and the stream is no longer than the cutoff, and then takes the first `size` bytes of the
//   mini stream (whatever mini sector the stream starts at). We read the same bytes, and require
//   every chain to stay inside the file, visit no sector twice and end exactly where its stream
//   does: a FAT loop, a DIFAT loop or a 4 GB mini stream is refused, not followed.
// - Sheets: a SHEET (BOUNDSHEET) record adds a sheet; a BOF selects the sheet whose recorded
//   offset is the BOF's position in the stream (or none); a DIMENSION allocates rows x columns
//   cells (its last row + 1 and last column + 1: freexl counts from cell A1) for the selected
//   sheet. After the stream, every sheet that got no DIMENSION is sized from its cells and then
//   freexl allocates the *selected* sheet's size once more for it (a bug we count as it is, and
//   also as if it were fixed: the larger of the two).
// - Dates: freexl takes an XF's number format for a date when it is built-in 14-17 (date) or 22
//   (date-time), never for 18-21 and 45-47 (times), and otherwise when a FORMAT record with that
//   index (the first such among those it recognised) has a y and an m, or an m and a d, counting
//   letters anywhere in the format code, quotes included: `0"天";"mdy"` is a date to freexl. That
//   rule, not the xlsx reader's IsDateFormatCode, decides which cells cost a day-by-day count; it
//   does not matter which of them the xlsx reader would call dates. A time-only format costs
//   nothing and is not checked.
//   The count runs from the epoch to the serial, so a serial past 9999-12-31 is refused, and a
//   negative one too (freexl shows it as the epoch, a silently wrong date). The sum of all
//   serials is capped because a file can repeat one cell millions of times.
#include "io/xls_prescan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <unordered_map>

#include "base/strings.h"

namespace tz::io {
namespace {

constexpr uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr uint32_t kFreeSector = 0xFFFFFFFF;
constexpr size_t kHeaderBytes = 512;
constexpr size_t kDirEntryBytes = 128;
constexpr size_t kMaxRecordBytes = 8224;               // freexl's record buffer
constexpr uint64_t kFreexlCellBytes = 16;              // sizeof(biff_cell_value)
constexpr uint64_t kFreexlMaxSheetBytes = 256u << 20;  // freexl refuses one sheet above this

// BIFF record types freexl acts on.
constexpr uint16_t kEof = 0x000A;
constexpr uint16_t kFilepass = 0x002F;
constexpr uint16_t kContinue = 0x003C;
constexpr uint16_t kSheet = 0x0085;
constexpr uint16_t kMulrk = 0x00BD;
constexpr uint16_t kXf = 0x00E0;
constexpr uint16_t kLabelSst = 0x00FD;
constexpr uint16_t kDimension = 0x0200;
constexpr uint16_t kNumber = 0x0203;
constexpr uint16_t kLabel = 0x0204;
constexpr uint16_t kBoolErr = 0x0205;
constexpr uint16_t kRk = 0x027E;
constexpr uint16_t kFormat = 0x041E;
constexpr uint16_t kBof = 0x0809;

uint16_t U16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               static_cast<unsigned char>(b[at + 1]) << 8);
}
uint32_t U32(std::string_view b, size_t at) {
  return static_cast<uint32_t>(U16(b, at)) | static_cast<uint32_t>(U16(b, at + 2)) << 16;
}
double F64(std::string_view b, size_t at) {
  uint64_t bits = static_cast<uint64_t>(U32(b, at)) | static_cast<uint64_t>(U32(b, at + 4)) << 32;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

Status Damaged(const std::string& why) {
  return Status::InvalidArgument(
      "文件不是有效的 xls 工作簿，或已损坏，请用 Excel 或 WPS 打开后另存再导入",
      "not a readable xls workbook (" + why + ")");
}

std::string Hex(uint16_t v) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string s(4, '0');
  for (int i = 3; i >= 0; --i, v >>= 4) s[i] = kDigits[v & 0xF];
  return s;
}

Status TooManySheets(const std::string& why) {
  return Status::InvalidArgument("文件中的工作表过多，可能是恶意文件，已拒绝",
                                 "xls has too many sheets: " + why);
}

Status TooManyCells(const std::string& why) {
  return Status::InvalidArgument("文件中的工作表声明了过多的单元格，可能是恶意文件，已拒绝",
                                 "xls declares too many cells: " + why);
}

// "A", "B", …, "Z", "AA", … for messages.
std::string ColumnName(uint32_t index) {
  std::string name;
  for (uint64_t n = static_cast<uint64_t>(index) + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

// UTF-16LE code units to UTF-8; nullopt for an unpaired surrogate (iconv, and so freexl, fails).
std::optional<std::string> Utf16ToUtf8(const std::vector<uint16_t>& units) {
  std::string out;
  for (size_t i = 0; i < units.size(); ++i) {
    uint32_t u = units[i];
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 >= units.size() || units[i + 1] < 0xDC00 || units[i + 1] > 0xDFFF) {
        return std::nullopt;
      }
      u = 0x10000 + ((u - 0xD800) << 10) + (units[++i] - 0xDC00);
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      return std::nullopt;
    }
    AppendUtf8(u, &out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The OLE container.

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // Reads exactly n bytes at `offset`; false when the file is shorter or cannot be read.
  virtual bool Read(uint64_t offset, size_t n, char* dst) = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  bool Read(uint64_t offset, size_t n, char* dst) override {
    if (offset > bytes_.size() || n > bytes_.size() - offset) return false;
    std::memcpy(dst, bytes_.data() + offset, n);
    return true;
  }

 private:
  std::string_view bytes_;
};

class FileSource final : public ByteSource {
 public:
  FileSource(std::ifstream in, uint64_t size) : in_(std::move(in)), size_(size) {}
  uint64_t size() const override { return size_; }
  bool Read(uint64_t offset, size_t n, char* dst) override {
    if (offset > size_ || n > size_ - offset) return false;
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(dst, static_cast<std::streamsize>(n));
    return static_cast<size_t>(in_.gcount()) == n;
  }

 private:
  std::ifstream in_;
  uint64_t size_;
};

class Container {
 public:
  explicit Container(ByteSource& src) : src_(src) {}

  Result<XlsStream> ReadWorkbookStream() {
    TZ_RETURN_IF_ERROR(ReadHeader());
    TZ_RETURN_IF_ERROR(ReadFat());
    TZ_RETURN_IF_ERROR(CheckMiniFatSize());
    return FindAndReadStream();
  }

 private:
  struct DirStream {
    uint32_t start = 0;
    uint32_t size = 0;
  };

  uint64_t SectorOffset(uint32_t sector) const {
    return (static_cast<uint64_t>(sector) + 1) * sector_size_;
  }
  bool InFile(uint32_t sector) const { return sector < file_sectors_; }

  Status ReadSector(uint32_t sector, std::string* out) {
    out->resize(sector_size_);
    if (!src_.Read(SectorOffset(sector), sector_size_, out->data())) {
      return Status::IoError("无法读取文件", "cannot read xls sector " + std::to_string(sector));
    }
    return Status::Ok();
  }

  Status ReadHeader() {
    if (src_.size() < kHeaderBytes) return Damaged("shorter than an OLE header");
    header_.resize(kHeaderBytes);
    if (!src_.Read(0, kHeaderBytes, header_.data())) {
      return Status::IoError("无法读取文件", "cannot read the OLE header");
    }
    static constexpr unsigned char kMagic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (std::memcmp(header_.data(), kMagic, sizeof kMagic) != 0) return Damaged("no OLE signature");
    const uint16_t shift = U16(header_, 30);
    if (shift != 9 && shift != 12) {
      return Damaged("sector shift " + std::to_string(shift) + " (freexl takes 9 or 12)");
    }
    sector_size_ = 1u << shift;
    entries_per_sector_ = sector_size_ / 4;
    // Sector n is the sector_size_ bytes from (n + 1) * sector_size_; freexl reads whole sectors
    // only, so a partial one at the end does not count.
    file_sectors_ = src_.size() < sector_size_ ? 0 : (src_.size() - sector_size_) / sector_size_;
    return Status::Ok();
  }

  // The FAT as freexl builds it. A genuine FAT has one entry per sector of the file (FAT sectors
  // included), so it needs file_sectors / entries_per_sector sectors, rounded up: more is how a
  // small file makes freexl allocate its FAT entries many times over.
  Status ReadFat() {
    const uint64_t max_fat_sectors = file_sectors_ / entries_per_sector_ + 2;
    std::vector<uint32_t> fat_sectors;
    std::vector<bool> listed(file_sectors_, false);
    auto add = [&](uint32_t sector, const char* where) -> Status {
      if (!InFile(sector)) {
        return Damaged(std::string("FAT sector ") + std::to_string(sector) + " from the " + where +
                       " is past the end of the file (" + std::to_string(file_sectors_) +
                       " sectors)");
      }
      if (listed[sector]) {
        return Damaged("sector " + std::to_string(sector) + " listed twice as a FAT/DIFAT sector");
      }
      if (fat_sectors.size() >= max_fat_sectors) {
        return Damaged("more than " + std::to_string(max_fat_sectors) + " FAT sectors for " +
                       std::to_string(file_sectors_) + " sectors");
      }
      listed[sector] = true;
      fat_sectors.push_back(sector);
      return Status::Ok();
    };
    for (size_t i = 0; i < 109; ++i) {
      uint32_t s = U32(header_, 76 + 4 * i);
      if (s != kFreeSector) TZ_RETURN_IF_ERROR(add(s, "header"));
    }
    // freexl reads DIFAT sectors until it has read as many as the header says or meets an
    // end-of-chain entry, and fails when the two disagree; each sector's last entry is the next.
    const uint32_t difat_count = U32(header_, 72);
    if (difat_count > 0) {
      if (difat_count > file_sectors_) {
        return Damaged(std::to_string(difat_count) + " DIFAT sectors in a file of " +
                       std::to_string(file_sectors_) + " sectors");
      }
      uint32_t next = U32(header_, 68);
      uint32_t blocks = 0;
      std::string sector;
      while (true) {
        if (!InFile(next)) {
          return Damaged("DIFAT sector " + std::to_string(next) + " is past the end of the file");
        }
        if (listed[next])
          return Damaged("loop in the DIFAT chain at sector " + std::to_string(next));
        listed[next] = true;
        TZ_RETURN_IF_ERROR(ReadSector(next, &sector));
        ++blocks;
        bool end = false;
        for (uint32_t i = 0; i < entries_per_sector_; ++i) {
          uint32_t v = U32(sector, 4 * i);
          if (v == kEndOfChain) {
            end = true;
            break;
          }
          if (i == entries_per_sector_ - 1) {
            next = v;
          } else if (v != kFreeSector) {
            TZ_RETURN_IF_ERROR(add(v, "DIFAT"));
          }
        }
        if (blocks == difat_count || end) break;
      }
      if (blocks != difat_count) {
        return Damaged("DIFAT chain of " + std::to_string(blocks) + " sectors, header says " +
                       std::to_string(difat_count));
      }
    }
    if (fat_sectors.empty()) return Damaged("no FAT sectors");
    fat_.reserve(fat_sectors.size() * entries_per_sector_);
    std::string sector;
    for (uint32_t s : fat_sectors) {
      TZ_RETURN_IF_ERROR(ReadSector(s, &sector));
      for (uint32_t i = 0; i < entries_per_sector_; ++i) fat_.push_back(U32(sector, 4 * i));
    }
    return Status::Ok();
  }

  // freexl reads the mini FAT (as many sectors as the header says) into the same kind of list
  // whether or not it uses it. A mini FAT entry maps 64 bytes, so the file can need at most
  // size / 64 of them.
  Status CheckMiniFatSize() {
    mini_fat_sectors_ = U32(header_, 64);
    const uint64_t max_mini_fat_sectors = src_.size() / 64 / entries_per_sector_ + 2;
    if (mini_fat_sectors_ > max_mini_fat_sectors) {
      return Damaged(std::to_string(mini_fat_sectors_) + " mini FAT sectors for a file of " +
                     std::to_string(src_.size()) + " bytes");
    }
    return Status::Ok();
  }

  // Exactly `count` sectors from `start`, each inside the file and the FAT, none twice, the last
  // one's entry the end of the chain: what freexl's reading of a stream of that size meets.
  Result<std::vector<uint32_t>> Chain(uint32_t start, uint64_t count, const std::string& what) {
    if (count > file_sectors_) {
      return Damaged(what + " of " + std::to_string(count) + " sectors in a file of " +
                     std::to_string(file_sectors_));
    }
    std::vector<uint32_t> chain;
    chain.reserve(count);
    std::vector<bool> seen(file_sectors_, false);
    uint32_t s = start;
    for (uint64_t i = 0; i < count; ++i) {
      if (i > 0) s = fat_[chain.back()];
      if (s == kEndOfChain) {
        return Damaged(what + " ends after " + std::to_string(i) + " of " + std::to_string(count) +
                       " sectors (truncated)");
      }
      if (!InFile(s) || s >= fat_.size()) {
        return Damaged(what + " points to sector " + std::to_string(s) +
                       ", past the end of the file or the FAT");
      }
      if (seen[s])
        return Damaged("loop in the FAT chain of " + what + " at sector " + std::to_string(s));
      seen[s] = true;
      chain.push_back(s);
    }
    if (!chain.empty() && fat_[chain.back()] != kEndOfChain) {
      return Damaged(what + " goes on past its " + std::to_string(count) + " sectors");
    }
    return chain;
  }

  // The first `bytes` bytes of the sectors of `chain`, read in runs of consecutive sectors.
  Status ReadChain(const std::vector<uint32_t>& chain, uint64_t bytes, XlsStream* out) {
    const size_t used = static_cast<size_t>((bytes + sector_size_ - 1) / sector_size_);
    out->bytes.resize(used * static_cast<size_t>(sector_size_));
    out->sector_size = sector_size_;
    out->sector_offsets.clear();
    for (size_t i = 0; i < used;) {
      size_t run = 1;
      while (i + run < used && chain[i + run] == chain[i] + run) ++run;
      if (!src_.Read(SectorOffset(chain[i]), run * sector_size_,
                     out->bytes.data() + i * sector_size_)) {
        return Status::IoError("无法读取文件", "cannot read xls sectors");
      }
      for (size_t k = 0; k < run; ++k) out->sector_offsets.push_back(SectorOffset(chain[i + k]));
      i += run;
    }
    out->bytes.resize(static_cast<size_t>(bytes));
    return Status::Ok();
  }

  // A directory entry's name as freexl compares it: name_size bytes of UTF-16LE converted by
  // iconv and compared as a C string (up to the first NUL). nullopt when freexl's conversion
  // fails (odd size, unpaired surrogate) or would read past the sector.
  std::optional<std::string> EntryName(std::string_view dir, size_t at) {
    const uint16_t name_size = U16(dir, at + 64);
    if (name_size % 2 != 0 || at + name_size > dir.size()) return std::nullopt;
    std::vector<uint16_t> units;
    for (size_t i = 0; i < name_size; i += 2) units.push_back(U16(dir, at + i));
    std::optional<std::string> name = Utf16ToUtf8(units);
    if (name) name->resize(std::strlen(name->c_str()));
    return name;
  }

  Result<XlsStream> FindAndReadStream() {
    const uint32_t dir_start = U32(header_, 48);
    if (!InFile(dir_start)) {
      return Damaged("directory sector " + std::to_string(dir_start) +
                     " is past the end of the file");
    }
    std::string dir;
    TZ_RETURN_IF_ERROR(ReadSector(dir_start, &dir));
    std::optional<DirStream> root, workbook;
    for (size_t at = 0; at + kDirEntryBytes <= dir.size(); at += kDirEntryBytes) {
      std::optional<std::string> name = EntryName(dir, at);
      if (!name) {
        return Damaged("directory entry " + std::to_string(at / kDirEntryBytes) +
                       " has an unreadable name");
      }
      DirStream entry{U32(dir, at + 116), U32(dir, at + 120)};
      if (*name == "Root Entry") root = entry;
      if (*name == "Workbook" || *name == "Book") {
        workbook = entry;
        break;
      }
    }
    XlsStream out;
    if (!workbook) return out;  // freexl: FREEXL_BIFF_WORKBOOK_NOT_FOUND
    out.found = true;
    const uint32_t cutoff = mini_fat_sectors_ > 0 ? U32(header_, 56) : 0;
    if (workbook->size > cutoff) {
      const uint64_t count =
          (static_cast<uint64_t>(workbook->size) + sector_size_ - 1) / sector_size_;
      TZ_ASSIGN_OR_RETURN(std::vector<uint32_t> chain,
                          Chain(workbook->start, count, "the workbook stream"));
      TZ_RETURN_IF_ERROR(ReadChain(chain, workbook->size, &out));
      return out;
    }
    // The mini stream: freexl reads all of it (the root entry's stream) into one buffer and then
    // parses the workbook from its first byte.
    out.mini = true;
    if (!root) return Damaged("a mini-stream workbook without a root entry");
    if (root->size == 0 || root->size > src_.size()) {
      return Damaged("mini stream of " + std::to_string(root->size) + " bytes in a file of " +
                     std::to_string(src_.size()));
    }
    if (workbook->size > root->size) {
      return Damaged("workbook stream of " + std::to_string(workbook->size) +
                     " bytes in a mini stream of " + std::to_string(root->size));
    }
    const uint64_t count = (static_cast<uint64_t>(root->size) + sector_size_ - 1) / sector_size_;
    TZ_ASSIGN_OR_RETURN(std::vector<uint32_t> chain, Chain(root->start, count, "the mini stream"));
    TZ_RETURN_IF_ERROR(ReadChain(chain, workbook->size, &out));
    return out;
  }

  ByteSource& src_;
  std::string header_;
  uint32_t sector_size_ = 512;
  uint32_t entries_per_sector_ = 128;
  uint64_t file_sectors_ = 0;
  uint32_t mini_fat_sectors_ = 0;
  std::vector<uint32_t> fat_;
};

// ---------------------------------------------------------------------------------------------
// The BIFF records.

// freexl's check_format: counts the letters of the whole format code, quotes and brackets
// included, and calls it a date (or date-time) when it has y and m, or m and d. Only ASCII letters
// count (freexl looks at the UTF-8 bytes). True when freexl would count days for it.
struct LetterCount {
  int y = 0, m = 0, d = 0;
  void Add(uint32_t c) {
    if (c == 'y' || c == 'Y') ++y;
    if (c == 'm' || c == 'M') ++m;
    if (c == 'd' || c == 'D') ++d;
  }
  bool CountsDays() const { return (y > 0 && m > 0) || (m > 0 && d > 0); }
};

// Whether freexl counts days for a FORMAT record's code. A code freexl would read past the record
// for (its buffer then holds an earlier record's bytes) is taken for a date: we cannot know.
bool FormatCountsDays(std::string_view r, bool biff8) {
  LetterCount letters;
  if (biff8) {
    const size_t chars = U16(r, 2);
    const uint8_t flags = static_cast<uint8_t>(r[4]);
    size_t at = 5;
    if (flags & 0x08) at += 2;  // rich-text run count
    if (flags & 0x04) at += 4;  // phonetic data size
    const size_t width = (flags & 0x01) ? 2 : 1;
    if (at > r.size() || chars > (r.size() - at) / width) return true;
    for (size_t i = 0; i < chars; ++i) {
      letters.Add(width == 2 ? U16(r, at + 2 * i) : static_cast<unsigned char>(r[at + i]));
    }
  } else {
    // BIFF5: freexl takes the length from byte 3 and the text from byte 3 on (one byte early).
    const size_t len = static_cast<unsigned char>(r[3]);
    if (3 + len > r.size()) return true;
    for (size_t i = 0; i < len; ++i) letters.Add(static_cast<unsigned char>(r[3 + i]));
  }
  return letters.CountsDays();
}

// An RK value as freexl decodes it (decode_rk_integer, then decode_rk_float).
double RkValue(uint32_t rk) {
  if ((rk & 0x02) != 0) {
    const double v = static_cast<double>(static_cast<int32_t>(rk) >> 2);
    return (rk & 0x01) ? v / 100.0 : v;
  }
  const uint64_t bits = static_cast<uint64_t>(rk & 0xFFFFFFFCu) << 32;
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return (rk & 0x01) ? v / 100.0 : v;
}

struct Sheet {
  uint32_t offset = 0;  // of its BOF in the stream
  std::string name;
  bool valid = false;  // freexl's valid_dimension
  uint64_t rows = 0;
  uint64_t cols = 0;  // freexl keeps columns in 16 bits
};

class BiffScanner {
 public:
  BiffScanner(std::string_view stream, bool mini, const SheetLimits& limits)
      : stream_(stream),
        mini_(mini),
        max_cells_(std::min<uint64_t>(
            kXlsMaxCells,
            static_cast<uint64_t>(std::clamp<int64_t>(limits.max_rows, 0, 65536)) * 256)) {}

  Result<XlsScan> Run() {
    Status first = ForEachBiffRecord(stream_, mini_, [&](const BiffRecord& r) { return First(r); });
    if (scan_.encrypted) return XlsScan{.encrypted = true};
    TZ_RETURN_IF_ERROR(first);
    TZ_RETURN_IF_ERROR(AllocateUndimensioned());
    TZ_RETURN_IF_ERROR(
        ForEachBiffRecord(stream_, mini_, [&](const BiffRecord& r) { return Second(r); }));
    return scan_;
  }

 private:
  Status Short(const BiffRecord& r, size_t need) const {
    return Damaged("record 0x" + Hex(r.type) + " at stream offset " + std::to_string(r.offset) +
                   " has " + std::to_string(r.data.size()) + " bytes, freexl reads " +
                   std::to_string(need));
  }

  // What freexl allocates for `rows` x `cols`, or 0 when it refuses (more than 256 MB).
  static uint64_t Allocation(uint64_t rows, uint64_t cols) {
    const uint64_t cells = rows * cols;
    return cells * kFreexlCellBytes > kFreexlMaxSheetBytes ? 0 : cells;
  }

  Status AddCells(uint64_t cells, const std::string& what) {
    scan_.cells += cells;
    if (scan_.cells > max_cells_) {
      return TooManyCells(what + " brings the cells freexl would allocate to " +
                          std::to_string(scan_.cells) + ", above " + std::to_string(max_cells_));
    }
    return Status::Ok();
  }

  // Pass 1: sheets, dimensions, formats; freexl's state machine of BOF and EOF.
  Status First(const BiffRecord& r) {
    std::string_view d = r.data;
    if (r.type == kContinue) return Status::Ok();  // freexl looks at these before anything else
    if (ok_bof_ < 0) {
      if (r.type != kBof || d.size() < 4 || (U16(d, 0) != 0x0500 && U16(d, 0) != 0x0600)) {
        return Damaged("the workbook stream does not start with a BIFF5/BIFF8 BOF record");
      }
      biff8_ = U16(d, 0) == 0x0600;
      ok_bof_ = 1;
      return Status::Ok();
    }
    if (ok_bof_ == 0) {
      if (r.type != kBof) {
        return Damaged("record 0x" + Hex(r.type) + " at stream offset " + std::to_string(r.offset) +
                       " after an EOF record, where freexl needs a BOF");
      }
      if (d.size() < 4) return Short(r, 4);
      if (++substreams_ > kXlsMaxSheets) {
        return TooManySheets("more than " + std::to_string(kXlsMaxSheets) + " sheet substreams");
      }
      ok_bof_ = 1;
      active_ = -1;
      for (size_t i = 0; i < sheets_.size(); ++i) {
        if (sheets_[i].offset == r.offset) {
          active_ = static_cast<int>(i);
          break;
        }
      }
      return Status::Ok();
    }
    switch (r.type) {
      case kEof:
        ok_bof_ = 0;
        return Status::Ok();
      case kFilepass:
        scan_.encrypted = true;  // stops the walk; see Run
        return Status::InvalidArgument("encrypted", "FILEPASS");
      case kSheet:
        return AddSheet(r);
      case kDimension:
        return Dimension(r);
      case kFormat:
        return Format(r);
      case kXf:
        if (d.size() < 4) return Short(r, 4);
        xf_formats_.push_back(U16(d, 2));
        if (xf_formats_.size() > kXlsMaxXfs) {
          return Damaged("more than " + std::to_string(kXlsMaxXfs) + " XF records");
        }
        return Status::Ok();
      case kNumber:
      case kRk:
      case kMulrk:
      case kLabel:
      case kBoolErr:
      case kLabelSst:
        if (d.size() < 4) return Short(r, 4);
        // freexl sizes a sheet without DIMENSION from the cells it meets (first column of a MULRK).
        if (active_ >= 0 && !sheets_[active_].valid) {
          Sheet& s = sheets_[active_];
          s.rows = std::max<uint64_t>(s.rows, U16(d, 0));
          s.cols = std::max<uint64_t>(s.cols, U16(d, 2));
        }
        return Status::Ok();
      default:
        return Status::Ok();
    }
  }

  Status AddSheet(const BiffRecord& r) {
    std::string_view d = r.data;
    if (d.size() < 8) return Short(r, 8);
    if (sheets_.size() >= kXlsMaxSheets) {
      return TooManySheets("more than " + std::to_string(kXlsMaxSheets) + " SHEET records");
    }
    Sheet sheet;
    sheet.offset = U32(d, 0);
    const size_t chars = static_cast<unsigned char>(d[6]);
    if (biff8_) {
      const bool wide = (d[7] & 0x01) != 0;
      const size_t width = wide ? 2 : 1;
      if (chars <= (d.size() - 8) / width) {
        std::vector<uint16_t> units;
        for (size_t i = 0; i < chars; ++i) {
          units.push_back(wide ? U16(d, 8 + 2 * i) : static_cast<unsigned char>(d[8 + i]));
        }
        sheet.name = Utf16ToUtf8(units).value_or("");
      }
    } else if (chars <= d.size() - 7) {
      std::string_view name = d.substr(7, chars);  // codepage text: shown only when ASCII
      bool ascii = true;
      for (char c : name) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
      if (ascii) sheet.name = std::string(name);
    }
    sheets_.push_back(std::move(sheet));
    return Status::Ok();
  }

  Status Dimension(const BiffRecord& r) {
    std::string_view d = r.data;
    uint64_t rows, cols;
    if (biff8_) {
      if (d.size() < 12) return Short(r, 12);
      rows = U32(d, 4);
      cols = U16(d, 10);
    } else {
      if (d.size() < 8) return Short(r, 8);
      rows = U16(d, 2);
      cols = U16(d, 6);
    }
    const std::string what = "DIMENSION of " + std::to_string(rows) + " rows x " +
                             std::to_string(cols) + " columns at stream offset " +
                             std::to_string(r.offset);
    if (rows > 65536 || cols > 256) return TooManyCells(what + " (an xls sheet has 65536 x 256)");
    // Counted whether or not freexl has a sheet selected (then it allocates nothing).
    TZ_RETURN_IF_ERROR(AddCells(rows * cols, what));
    if (active_ >= 0) {
      Sheet& s = sheets_[active_];
      s.rows = rows;
      s.cols = cols;
      s.valid = true;
    }
    return Status::Ok();
  }

  Status Format(const BiffRecord& r) {
    std::string_view d = r.data;
    if (d.size() < (biff8_ ? 5u : 4u)) return Short(r, biff8_ ? 5 : 4);
    const uint16_t index = U16(d, 0);
    // freexl keeps only formats it recognises, and takes the first for an index.
    if (FormatCountsDays(d, biff8_)) date_formats_.emplace(index, true);
    // (A format freexl takes for a time only would be kept too and shadow a later date format of
    // the same index; counting the later one anyway only errs on the safe side.)
    return Status::Ok();
  }

  // After the stream freexl sizes every sheet without DIMENSION from its cells, plus one row and
  // column, and allocates for it the cells of the sheet then selected.
  Status AllocateUndimensioned() {
    for (Sheet& s : sheets_) {
      if (s.valid) continue;
      s.rows += 1;
      s.cols = (s.cols + 1) & 0xFFFF;
      uint64_t cells = Allocation(s.rows, s.cols);
      if (active_ >= 0) {
        cells = std::max(cells, Allocation(sheets_[active_].rows, sheets_[active_].cols));
      }
      TZ_RETURN_IF_ERROR(AddCells(
          cells, "a sheet without DIMENSION at stream offset " + std::to_string(s.offset)));
      s.valid = true;
    }
    return Status::Ok();
  }

  bool XfCountsDays(uint16_t xf) const {
    if (xf >= xf_formats_.size()) return false;  // freexl: not a date
    const uint16_t format = xf_formats_[xf];
    if ((format >= 14 && format <= 17) || format == 22) return true;
    if ((format >= 18 && format <= 21) || (format >= 45 && format <= 47)) return false;
    return date_formats_.count(format) > 0;
  }

  Status CheckDate(const BiffRecord& r, uint16_t xf, uint32_t col, double value) {
    if (!XfCountsDays(xf)) return Status::Ok();
    const uint32_t row = U16(r.data, 0);
    if (!(value >= 0 && value < kXlsMaxDateSerial + 1)) {  // NaN too
      std::string where = current_sheet_.empty() ? "" : "工作表「" + current_sheet_ + "」";
      char number[32];
      std::snprintf(number, sizeof number, "%.17g", value);
      return Status::InvalidArgument(
          "单元格中的日期超出范围（" + where + "第" + std::to_string(row + 1) + "行 " +
              ColumnName(col) + " 列），已拒绝",
          "xls date cell " + ColumnName(col) + std::to_string(row + 1) + " holds serial " + number +
              ", outside 0 <= serial < " +
              std::to_string(static_cast<int64_t>(kXlsMaxDateSerial) + 1) + " (9999-12-31)");
    }
    scan_.date_days += static_cast<uint64_t>(std::floor(value));
    if (scan_.date_days > kXlsMaxDateDays) {
      return Status::InvalidArgument("文件中的日期单元格过多，可能是恶意文件，已拒绝",
                                     "xls date cells add up to more than " +
                                         std::to_string(kXlsMaxDateDays) +
                                         " days for freexl to count");
    }
    return Status::Ok();
  }

  // Pass 2: the values of date cells, now that every XF and FORMAT is known (freexl reads cells
  // against the formats seen so far, and a second time against all of them).
  Status Second(const BiffRecord& r) {
    std::string_view d = r.data;
    switch (r.type) {
      case kBof: {
        current_sheet_.clear();
        for (const Sheet& s : sheets_) {
          if (s.offset == r.offset) {
            current_sheet_ = s.name;
            break;
          }
        }
        return Status::Ok();
      }
      case kNumber:
        if (d.size() < 14) return Short(r, 14);
        return CheckDate(r, U16(d, 4), U16(d, 2), F64(d, 6));
      case kRk:
        if (d.size() < 10) return Short(r, 10);
        return CheckDate(r, U16(d, 4), U16(d, 2), RkValue(U32(d, 6)));
      case kMulrk: {
        uint32_t col = U16(d, 2);
        for (size_t off = 4; off + 6 < d.size(); off += 6, ++col) {
          TZ_RETURN_IF_ERROR(CheckDate(r, U16(d, off), col, RkValue(U32(d, off + 2))));
        }
        return Status::Ok();
      }
      default:
        return Status::Ok();
    }
  }

  std::string_view stream_;
  bool mini_;
  uint64_t max_cells_;
  XlsScan scan_;
  int ok_bof_ = -1;  // freexl's: -1 before the first BOF, 1 inside a substream, 0 after its EOF
  bool biff8_ = true;
  std::vector<Sheet> sheets_;
  size_t substreams_ = 0;  // BOF records after an EOF
  int active_ = -1;
  std::vector<uint16_t> xf_formats_;
  std::unordered_map<uint16_t, bool> date_formats_;
  std::string current_sheet_;
};

}  // namespace

Result<XlsStream> ReadXlsStream(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::IoError("无法读取文件：" + path, "cannot open " + path);
  const std::streamoff size = in.tellg();
  if (size < 0) return Status::IoError("无法读取文件：" + path, "cannot size " + path);
  FileSource src(std::move(in), static_cast<uint64_t>(size));
  return Container(src).ReadWorkbookStream();
}

Result<XlsStream> ReadXlsStreamFromBytes(std::string_view file) {
  MemorySource src(file);
  return Container(src).ReadWorkbookStream();
}

Status ForEachBiffRecord(std::string_view stream, bool mini,
                         const std::function<Status(const BiffRecord&)>& on_record) {
  uint64_t count = 0;
  for (size_t at = 0; stream.size() - at >= 4;) {
    const uint16_t type = U16(stream, at);
    const uint16_t size = U16(stream, at + 2);
    if (type == 0 && size == 0 && !mini) break;  // freexl: another way to mark the end
    if (size > kMaxRecordBytes) {
      return Damaged("record 0x" + Hex(type) + " of " + std::to_string(size) +
                     " bytes at stream offset " + std::to_string(at));
    }
    if (size > stream.size() - at - 4) {
      return Damaged("record at stream offset " + std::to_string(at) +
                     " runs past the end of the stream (truncated)");
    }
    if (++count > kXlsMaxRecords) {
      return Damaged("more than " + std::to_string(kXlsMaxRecords) + " records");
    }
    TZ_RETURN_IF_ERROR(on_record(BiffRecord{type, at, stream.substr(at + 4, size)}));
    at += 4 + static_cast<size_t>(size);
  }
  return Status::Ok();
}

Result<XlsScan> ScanBiff(std::string_view stream, bool mini, const SheetLimits& limits) {
  return BiffScanner(stream, mini, limits).Run();
}

}  // namespace tz::io
