#include "service/import_service.h"

#include <filesystem>

#include "base/strings.h"
#include "io/read_ahead.h"
#include "service/error_workbook.h"
#include "service/header_match.h"
#include "service/sheet_import.h"
#include "store/ledger_tables.h"

namespace tz::service {
namespace {

using pack::Column;
using pack::Ledger;

// The ledger whose columns best match the top of a sheet, for a hint when the user picked the
// wrong one.
const Ledger* BestMatch(const pack::Catalog& catalog, const std::vector<io::SheetRow>& top) {
  const Ledger* best = nullptr;
  HeaderMatch best_match;
  for (const Ledger& l : catalog.ledgers) {
    HeaderMatch m = FindHeader(l, top);
    if (m.matched > best_match.matched) {
      best_match = std::move(m);
      best = &l;
    }
  }
  return best && best_match.Plausible(*best) ? best : nullptr;
}

// The top rows of a sheet, where its header is looked for.
Result<std::vector<io::SheetRow>> TopRows(io::SheetReader& reader, size_t sheet) {
  std::vector<io::SheetRow> top;
  TZ_RETURN_IF_ERROR(reader.ForEachRow(sheet, [&](const io::SheetRow& row) -> Result<bool> {
    top.push_back(row);
    return top.size() < kHeaderSearchRows;
  }));
  return top;
}

// A Table as a one-sheet workbook of text cells: the header on row 1, data rows on theirs.
class TableSheet final : public io::SheetReader {
 public:
  explicit TableSheet(const Table& table) : table_(table) {}
  io::WorkbookFormat format() const override { return io::WorkbookFormat::kCsv; }
  const std::vector<std::string>& sheet_names() const override { return names_; }
  bool date1904() const override { return false; }
  Status ForEachRow(size_t, const io::SheetRowFn& on_row) override {
    io::SheetRow row;
    auto emit = [&](const std::vector<std::string>& cells, int64_t number) -> Result<bool> {
      row.number = number;
      row.cells.resize(cells.size());
      for (size_t i = 0; i < cells.size(); ++i) {
        row.cells[i].text = cells[i];
        row.cells[i].kind = cells[i].empty() ? io::CellKind::kEmpty : io::CellKind::kText;
      }
      return on_row(row);
    };
    TZ_ASSIGN_OR_RETURN(bool more, emit(table_.header, 1));
    for (size_t r = 0; more && r < table_.rows.size(); ++r) {
      int64_t number =
          r < table_.row_numbers.size() ? table_.row_numbers[r] : static_cast<int64_t>(r) + 2;
      TZ_ASSIGN_OR_RETURN(more, emit(table_.rows[r], number));
    }
    return Status::Ok();
  }

 private:
  const Table& table_;
  std::vector<std::string> names_{"Sheet1"};
};

Status OptionsError(std::string zh, std::string en) {
  return Status::InvalidArgument(std::move(zh), std::move(en));
}

}  // namespace

const char* ImportModeName(ImportMode mode) {
  switch (mode) {
    case ImportMode::kAppend:
      return "append";
    case ImportMode::kUpsert:
      return "upsert";
    case ImportMode::kReplace:
      return "replace";
  }
  return "append";
}

std::optional<ImportMode> ParseImportMode(std::string_view name) {
  for (ImportMode m : {ImportMode::kAppend, ImportMode::kUpsert, ImportMode::kReplace}) {
    if (name == ImportModeName(m)) return m;
  }
  return std::nullopt;
}

Result<const Ledger*> FindLedger(const pack::Catalog& catalog, std::string_view name) {
  if (const Ledger* l = catalog.FindLedger(TrimSpace(name))) return l;
  std::vector<std::string> names;
  for (const Ledger& l : catalog.ledgers) names.push_back(l.id + "（" + l.title + "）");
  return Status::NotFound("没有名为" + Quoted(name) + "的台账。可用的台账：" + Join(names, "、"),
                          "unknown ledger '" + std::string(name) + "'");
}

Result<ImportReport> ImportSheet(store::Store& store, const pack::Catalog& catalog,
                                 const Ledger& ledger, io::SheetReader& reader,
                                 const std::string& source, const ImportOptions& options) {
  ImportReport report;
  report.ledger_id = ledger.id;
  report.mode = ImportModeName(options.mode);

  // 1. The options. In a multi-town database the rows' town is resolved first: a village name
  // is looked up within it.
  const pack::OrgTree& org = catalog.org;
  ImportOptions resolved = options;
  resolved.town.clear();
  const pack::OrgUnit* town = nullptr;
  if (org.MultiTown() && !options.town.empty()) {
    town = org.FindAbove(options.town);
    if (!town || town->level != pack::OrgLevel::kTown) {
      return OptionsError("没有名为" + Quoted(options.town) + "的乡镇",
                          "unknown town '" + options.town + "'");
    }
  }
  const pack::OrgUnit* unit = nullptr;
  if (!options.unit.empty()) {
    unit = town ? org.FindVillageIn(town->code, options.unit) : org.FindVillage(options.unit);
    if (!unit) {
      return OptionsError("没有名为" + Quoted(options.unit) + "的村（社区）" +
                              (town ? "在" + town->name : std::string()) +
                              (!town && org.VillagesNamed(options.unit).size() > 1
                                   ? "（有多个同名的村，请写 12 位代码或指定乡镇）"
                                   : ""),
                          "unknown unit '" + options.unit + "'");
    }
    if (ledger.village_column < 0) {
      return OptionsError(Quoted(ledger.title) + "不按村登记，不能指定村（社区）",
                          "ledger " + ledger.id + " has no village column");
    }
    if (!town) town = org.TownOfVillage(unit->code);
  }
  if (org.MultiTown()) {
    if (!town) {
      return OptionsError("这个数据库包含多个乡镇：导入时须指定所属乡镇（--town）或村（--unit）",
                          "multi-town database: import needs a town or a village");
    }
    resolved.town = town->code;
  }
  if (options.mode == ImportMode::kUpsert && ledger.key_column < 0) {
    return OptionsError(
        Quoted(ledger.title) + "没有唯一标识列，不能按标识更新（请用追加或替换方式）",
        "upsert needs a key; ledger " + ledger.id + " has none");
  }
  auto file_error = [&](const Status& st) {
    report.errors.push_back({0, "", st.message()});
    report.error_count = 1;
    return report;
  };

  // 2. The sheet and its header.
  const std::vector<std::string>& names = reader.sheet_names();
  std::vector<size_t> candidates;
  if (!options.sheet.empty()) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == options.sheet) candidates.push_back(i);
    }
    if (candidates.empty()) {
      return OptionsError(
          "工作簿中没有名为" + Quoted(options.sheet) + "的工作表（有：" + Join(names, "、") + "）",
          "no sheet '" + options.sheet + "'");
    }
  } else {
    for (size_t i = 0; i < names.size(); ++i) candidates.push_back(i);
  }
  size_t sheet = candidates.front();
  HeaderMatch header;
  std::vector<io::SheetRow> first_top;
  for (size_t i : candidates) {
    Result<std::vector<io::SheetRow>> top = TopRows(reader, i);
    if (!top.ok() && top.status().code() != StatusCode::kInvalidArgument) return top.status();
    if (!top.ok()) return file_error(top.status());
    HeaderMatch m = FindHeader(ledger, *top);
    if (i == candidates.front()) first_top = *top;
    if (m.matched > header.matched) {
      header = std::move(m);
      sheet = i;
    }
    if (header.Plausible(ledger)) break;
  }
  report.sheet = names.empty() ? std::string() : names[sheet];
  report.encoding = reader.text_encoding();
  if (header.matched == 0) {
    std::string msg = "没有找到" + Quoted(ledger.title) + "的表头：前" +
                      std::to_string(kHeaderSearchRows) + "行中没有一行含有该台账的列名";
    if (const Ledger* guess = BestMatch(catalog, first_top); guess && guess != &ledger) {
      msg += "；这个文件看起来是" + Quoted(guess->title);
    }
    std::vector<std::string> labels;
    for (const Column& c : ledger.columns) labels.push_back(c.label);
    msg += "（应有的列：" + Join(labels, "、") + "）";
    report.errors.push_back({0, "", msg});
    report.error_count = 1;
    return report;
  }
  report.header_row = header.last_row;

  // 3. The rows.
  SheetImport import(store, catalog, ledger, resolved, unit, reader.date1904(), &report);
  int note_column = header.width;
  if (import.CheckHeader(header)) {
    TZ_RETURN_IF_ERROR(import.Begin(source));
    using Prepared = SheetImport::PreparedRow;
    Status read = io::ForEachRowPipelined<Prepared>(
        reader, sheet,
        [&](const io::SheetRow& row, Prepared* out) { return import.Prepare(row, out); },
        [&](Prepared& prepared) -> Result<bool> {
          note_column = std::max(note_column, prepared.width);
          TZ_RETURN_IF_ERROR(import.Apply(prepared));
          return true;
        });
    // A file that breaks off or breaks a limit half way is an error of the file like bad data
    // (so the whole import is rolled back); a failure of the database is the system's.
    if (!read.ok() && read.code() != StatusCode::kInvalidArgument) return read;
    if (!read.ok()) import.FileError(read.message());
    TZ_RETURN_IF_ERROR(import.Finish());
  }
  report.error_count = static_cast<int64_t>(import.error_count());

  // 4. The marked-up copy for the user.
  if (!report.ok() && !options.errors_xlsx.empty()) {
    ErrorSheetLayout layout{sheet, report.sheet, header.first_row, header.last_row, note_column};
    Status written = WriteErrorWorkbook(reader, layout, import.TakeMarked(), options.errors_xlsx);
    if (written.ok()) {
      report.errors_file = options.errors_xlsx;
    } else {
      // The errors found matter more than the copy that failed: report both.
      report.errors.push_back({0, "", "未能写出标出错误的表格：" + written.message()});
      ++report.error_count;
    }
  }
  return report;
}

Result<ImportReport> ImportTable(store::Store& store, const pack::Catalog& catalog,
                                 const Ledger& ledger, const Table& table,
                                 const std::string& source, const ImportOptions& options) {
  TableSheet sheet(table);
  return ImportSheet(store, catalog, ledger, sheet, source, options);
}

Result<ImportReport> ImportFile(store::Store& store, const pack::Catalog& catalog,
                                const Ledger& ledger, const std::string& path,
                                const ImportOptions& options) {
  if (!options.errors_xlsx.empty()) {
    std::error_code ec;
    if (std::filesystem::equivalent(path, options.errors_xlsx, ec)) {
      return Status::InvalidArgument("标出错误的表格不能写回导入的文件本身：" + path,
                                     "errors_xlsx is the input file: " + path);
    }
  }
  io::SheetLimits limits;
  limits.max_file_bytes = kMaxCsvBytes;
  limits.max_rows = kMaxImportRows;
  Result<std::unique_ptr<io::SheetReader>> reader = io::OpenSheetFile(path, limits);
  if (!reader.ok()) {
    // A file we cannot open is a problem with the input, reported like any other.
    if (reader.status().code() == StatusCode::kIoError) return reader.status();
    ImportReport report;
    report.ledger_id = ledger.id;
    report.mode = ImportModeName(options.mode);
    report.errors.push_back({0, "", reader.status().message()});
    report.error_count = 1;
    return report;
  }
  return ImportSheet(store, catalog, ledger, **reader,
                     options.source_name.empty() ? path : options.source_name, options);
}

Result<ImportReport> ImportCsvFile(store::Store& store, const pack::Catalog& catalog,
                                   const Ledger& ledger, const std::string& path) {
  return ImportFile(store, catalog, ledger, path);
}

}  // namespace tz::service
