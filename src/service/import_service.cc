#include "service/import_service.h"

#include <filesystem>
#include <set>

#include "base/key_rows.h"
#include "base/strings.h"
#include "io/read_ahead.h"
#include "service/cell_value.h"
#include "service/error_workbook.h"
#include "service/header_match.h"
#include "store/ledger_tables.h"

namespace tz::service {
namespace {

using pack::Column;
using pack::ColumnType;
using pack::Ledger;
using store::SqlValue;

// Lines under a ledger that are not data: totals and signatures. Recognised by the first filled
// cell of the row so that a cadre's sheet imports as it is, with a warning.
constexpr std::string_view kFooterWords[] = {"合计", "总计", "小计", "填表人", "制表人",
                                             "填报人", "审核人", "负责人", "统计人", "填表日期",
                                             "制表日期", "填报日期"};

bool IsFooterRow(const io::SheetRow& row) {
  for (const io::Cell& c : row.cells) {
    if (c.kind == io::CellKind::kEmpty) continue;
    if (c.kind != io::CellKind::kText) return false;
    std::string_view t = TrimSpace(c.text);
    for (std::string_view w : kFooterWords) {
      if (StartsWith(t, w)) return true;
    }
    return false;
  }
  return false;
}

std::string KeyText(const SqlValue& k) {
  return std::holds_alternative<int64_t>(k) ? std::to_string(std::get<int64_t>(k))
                                            : std::get<std::string>(k);
}

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

// One import, row by row: rows are validated and written inside one transaction as they stream
// in; after the first error nothing more is written and the transaction is rolled back at the end,
// but validation goes on so that every error is reported.
class SheetImport {
 public:
  SheetImport(store::Store& store, const pack::Catalog& catalog, const Ledger& ledger,
              const ImportOptions& options, const pack::OrgUnit* unit, bool date1904,
              ImportReport* report)
      : store_(store),
        catalog_(catalog),
        ledger_(ledger),
        options_(options),
        unit_(unit),
        date1904_(date1904),
        report_(*report),
        tx_(store) {}

  // Header problems are errors of the report; returns false when rows cannot be read under it.
  bool CheckHeader(const HeaderMatch& header) {
    header_ = header;
    for (const auto& [col, label] : header.duplicates) {
      Error({header.last_row, label, "表头中列" + Quoted(label) + "出现了两次"}, col);
    }
    for (size_t c = 0; c < ledger_.columns.size(); ++c) {
      if (ledger_.columns[c].required && header.source_of[c] < 0) {
        Error({header.last_row, ledger_.columns[c].label,
               "缺少必填列" + Quoted(ledger_.columns[c].label)},
              -1);
      }
    }
    for (const auto& [col, label] : header.unknown) {
      report_.warnings.push_back(
          {header.last_row, label, "不是" + Quoted(ledger_.title) + "的列，已忽略"});
    }
    return error_count_ == 0;
  }

  Status Begin(const std::string& source) {
    // The write lock is taken before existing keys and references are read, so that what was
    // checked is still true when the rows are written (two imports at once cannot both pass).
    TZ_RETURN_IF_ERROR(tx_.Begin());
    if (options_.mode == ImportMode::kReplace) {
      TZ_ASSIGN_OR_RETURN(report_.deleted,
                          store::DeleteRows(store_, ledger_, unit_ ? ledger_.village_column : -1,
                                            unit_ ? SqlValue(unit_->code) : SqlValue()));
    }
    if (ledger_.key_column >= 0) {
      TZ_ASSIGN_OR_RETURN(std::set<std::string> keys,
                          store::DistinctValues(store_, ledger_, ledger_.key_column));
      for (const std::string& k : keys) keys_in_db_.Insert(k, 1);
      // With a village given, a key held by another village's row is not this file's to touch.
      if (unit_ && ledger_.village_column >= 0) {
        TZ_ASSIGN_OR_RETURN(keys, store::DistinctValues(store_, ledger_, ledger_.key_column,
                                                        ledger_.village_column, unit_->code));
        for (const std::string& k : keys) keys_elsewhere_.Insert(k, 1);
      }
    }
    for (size_t c = 0; c < ledger_.columns.size(); ++c) {
      const Column& col = ledger_.columns[c];
      if (col.type != ColumnType::kRef || header_.source_of[c] < 0) continue;
      const Ledger* target = catalog_.FindLedger(col.ref_ledger);
      if (!target || target->key_column < 0) continue;
      // A reference to the ledger itself may point at a key later in the file: checked at the end.
      TZ_ASSIGN_OR_RETURN(std::set<std::string> known,
                          store::DistinctValues(store_, *target, target->key_column));
      RefCheck ref{c, target, {}};
      for (const std::string& k : known) ref.known.Insert(k, 1);
      refs_.push_back(std::move(ref));
    }
    TZ_ASSIGN_OR_RETURN(import_id_, store::RecordImport(store_, ledger_, source, 0));
    TZ_ASSIGN_OR_RETURN(writer_, store::RowWriter::Create(store_, ledger_));
    if (options_.mode == ImportMode::kUpsert) {
      TZ_ASSIGN_OR_RETURN(deleter_, store::KeyDeleter::Create(store_, ledger_));
    }
    return Status::Ok();
  }

  // What the background reading thread makes of a row: its values and the errors found in the row
  // alone. Prepare only reads the catalog, the ledger and the header, so it is safe off-thread.
  struct PreparedRow {
    int64_t number = 0;  // spreadsheet row
    int width = 0;       // cells in the row
    enum class Kind { kSkip, kFooter, kData } kind = Kind::kSkip;
    std::vector<SqlValue> values;
    std::vector<std::pair<ImportIssue, int>> errors;  // with the sheet column, or -1
  };

  Status Prepare(const io::SheetRow& row, PreparedRow* out) const {
    out->number = row.number;
    out->width = static_cast<int>(row.cells.size());
    if (row.number <= header_.last_row) return Status::Ok();
    const size_t n = ledger_.columns.size();
    std::vector<std::string> texts(n);
    std::vector<bool> failed(n, false);  // the cell could not be taken (already an error)
    bool any = false;
    for (size_t c = 0; c < n; ++c) {
      int src = header_.source_of[c];
      if (src < 0 || static_cast<size_t>(src) >= row.cells.size()) continue;
      std::string error;
      texts[c] = CellToText(ledger_.columns[c], row.cells[static_cast<size_t>(src)], date1904_,
                            &error);
      if (!error.empty()) {
        out->errors.push_back({{row.number, ledger_.columns[c].label, std::move(error)}, src});
        failed[c] = true;
      }
      any = any || failed[c] || !texts[c].empty();
    }
    if (!any) {
      out->errors.clear();
      return Status::Ok();  // a blank row in a spreadsheet is not data
    }
    if (IsFooterRow(row)) {
      out->errors.clear();
      out->kind = PreparedRow::Kind::kFooter;
      return Status::Ok();
    }
    out->kind = PreparedRow::Kind::kData;
    out->values.assign(n, SqlValue());
    std::vector<std::pair<std::string, ResidentIdInfo>> ids;
    for (size_t c = 0; c < n; ++c) {
      if (failed[c]) continue;
      std::string error;
      ResidentIdInfo info;
      out->values[c] = ConvertCell(catalog_, ledger_.columns[c], texts[c], &error, &info);
      if (!error.empty()) {
        out->errors.push_back({{row.number, ledger_.columns[c].label, std::move(error)},
                               header_.source_of[c]});
      } else if (ledger_.columns[c].type == ColumnType::kId18 && !store::IsNull(out->values[c])) {
        ids.emplace_back(ledger_.columns[c].label, info);
      }
    }
    CheckIds(row.number, ids, out);
    CheckUnit(row.number, out);
    return Status::Ok();
  }

  // In row order on the caller's thread: what needs the whole file or the database.
  Status Apply(PreparedRow& prepared) {
    const int64_t row = prepared.number;
    if (prepared.kind == PreparedRow::Kind::kSkip) return Status::Ok();
    if (prepared.kind == PreparedRow::Kind::kFooter) {
      report_.warnings.push_back({row, "", "合计或签名行，已跳过"});
      return Status::Ok();
    }
    ++rows_seen_;
    values_ = std::move(prepared.values);
    row_errors_ = std::move(prepared.errors);
    bool existing = CheckKey(row);
    if (!row_errors_.empty()) {
      for (auto& [issue, col] : row_errors_) Error(std::move(issue), col);
      row_errors_.clear();
      return Status::Ok();
    }
    CheckRefs(row);
    if (error_count_ > 0) return Status::Ok();  // nothing more is written; keep validating
    if (existing) {
      TZ_RETURN_IF_ERROR(deleter_->Delete(values_[static_cast<size_t>(ledger_.key_column)]));
      ++report_.updated;
    }
    TZ_RETURN_IF_ERROR(writer_->Write(import_id_, row, values_));
    ++report_.imported;
    return Status::Ok();
  }

  Status Finish() {
    for (const auto& [value, row, col] : self_refs_) {
      if (!keys_in_file_.Contains(value)) Warn(row, col, value);
    }
    if (error_count_ > report_.errors.size()) {
      report_.errors.push_back(
          {0, "", "另有" + std::to_string(error_count_ - report_.errors.size()) + "处错误未列出"});
    }
    if (error_count_ == 0 && rows_seen_ == 0) Error({0, "", "文件中没有数据行"}, -1);
    if (error_count_ > 0) {
      report_.imported = report_.updated = report_.deleted = 0;
      return tx_.Rollback();
    }
    TZ_RETURN_IF_ERROR(writer_->Flush());
    TZ_RETURN_IF_ERROR(store::SetImportRows(store_, import_id_, report_.imported));
    return tx_.Commit();
  }

  // A problem of the file as a whole (it breaks off, breaks a limit): the import fails.
  void FileError(std::string message) {
    ImportIssue issue{0, "", std::move(message)};
    // Listed even past the cap: it says why the rest of the file was not read.
    if (report_.errors.size() >= kMaxReportedErrors) report_.errors.push_back(issue);
    Error(std::move(issue), -1);
  }

  std::vector<MarkedIssue> TakeMarked() { return std::move(marked_); }
  size_t error_count() const { return error_count_; }

 private:
  struct RefCheck {
    size_t column;
    const Ledger* target;
    KeyRows known;
  };
  struct SelfRef {
    std::string value;
    int64_t row;
    size_t column;
  };

  void Error(ImportIssue issue, int sheet_column) {
    ++error_count_;
    if (marked_.size() < kMaxMarkedErrors) {
      marked_.push_back({issue.row, sheet_column, issue.column.empty()
                                                      ? issue.message
                                                      : issue.column + "：" + issue.message});
    }
    if (report_.errors.size() < kMaxReportedErrors) report_.errors.push_back(std::move(issue));
  }

  void RowError(int64_t row, size_t column, std::string message) {
    row_errors_.push_back(
        {{row, ledger_.columns[column].label, std::move(message)}, header_.source_of[column]});
  }

  static void AddRowError(const Ledger& ledger, const HeaderMatch& header, int64_t row,
                          size_t column, std::string message, PreparedRow* out) {
    out->errors.push_back(
        {{row, ledger.columns[column].label, std::move(message)}, header.source_of[column]});
  }

  void CheckIds(int64_t row, const std::vector<std::pair<std::string, ResidentIdInfo>>& ids,
                PreparedRow* out) const {
    for (const pack::Check& check : ledger_.checks) {
      int other = ledger_.ColumnIndex(check.other_column);
      if (other < 0 || store::IsNull(out->values[static_cast<size_t>(other)])) continue;
      const ResidentIdInfo* id = nullptr;
      for (const auto& [label, info] : ids) {
        if (label == check.id_column) id = &info;
      }
      if (!id) continue;
      const std::string& v = std::get<std::string>(out->values[static_cast<size_t>(other)]);
      if (check.kind == pack::Check::Kind::kIdSex) {
        std::string want = id->male ? "男" : "女";
        if (v != want) {
          AddRowError(ledger_, header_, row, static_cast<size_t>(other),
                      "与" + check.id_column + "不符（" + check.id_column + "显示为" + want + "）",
                      out);
        }
      } else if (v != id->birth.ToIso()) {
        AddRowError(ledger_, header_, row, static_cast<size_t>(other),
                    "与" + check.id_column + "中的出生日期" + id->birth.ToIso() + "不符", out);
      }
    }
  }

  void CheckUnit(int64_t row, PreparedRow* out) const {
    if (!unit_ || ledger_.village_column < 0) return;
    size_t c = static_cast<size_t>(ledger_.village_column);
    const auto* code = std::get_if<std::string>(&out->values[c]);
    if (code && *code == unit_->code) return;
    const pack::OrgUnit* v = code ? catalog_.org.FindVillage(*code) : nullptr;
    AddRowError(ledger_, header_, row, c,
                (v ? "属于" + v->name : "没有填写" + ledger_.columns[c].label) + "，不是本次导入的" +
                    unit_->name + "的数据",
                out);
  }

  // Returns true when the row's key is already in the ledger and the row will replace it.
  bool CheckKey(int64_t row) {
    if (ledger_.key_column < 0) return false;
    size_t kc = static_cast<size_t>(ledger_.key_column);
    const SqlValue& k = values_[kc];
    if (store::IsNull(k)) return false;
    // Keys compare in their stored form, whatever the column type (DistinctValues agrees).
    std::string key = KeyText(k);
    if (std::optional<int64_t> first = keys_in_file_.Insert(key, row)) {
      RowError(row, kc, Quoted(key) + "与第" + std::to_string(*first) + "行重复");
      return false;
    }
    if (keys_elsewhere_.Contains(key)) {
      RowError(row, kc,
               Quoted(key) + "已登记在其他村（社区），不能用" + unit_->name + "的文件更改");
      return false;
    }
    if (!keys_in_db_.Contains(key)) return false;
    if (options_.mode == ImportMode::kUpsert) return true;
    RowError(row, kc,
             Quoted(key) + "已在" + Quoted(ledger_.title) +
                 "中登记过（要用文件中的数据更新已有记录，请选择“更新”方式导入）");
    return false;
  }

  // References are warnings only: the register may be imported later.
  void CheckRefs(int64_t row) {
    for (const RefCheck& ref : refs_) {
      const auto* v = std::get_if<std::string>(&values_[ref.column]);
      if (!v || ref.known.Contains(*v)) continue;
      if (ref.target == &ledger_) {
        self_refs_.push_back({*v, row, ref.column});
      } else {
        Warn(row, ref.column, *v);
      }
    }
  }

  void Warn(int64_t row, size_t column, const std::string& value) {
    if (ref_warnings_++ >= kMaxReportedErrors) return;
    const Column& col = ledger_.columns[column];
    const Ledger* target = catalog_.FindLedger(col.ref_ledger);
    report_.warnings.push_back(
        {row, col.label, Quoted(value) + "在" + Quoted(target->title) + "中没有登记"});
  }

  store::Store& store_;
  const pack::Catalog& catalog_;
  const Ledger& ledger_;
  const ImportOptions& options_;
  const pack::OrgUnit* unit_;
  const bool date1904_;
  ImportReport& report_;
  store::Transaction tx_;
  HeaderMatch header_;

  KeyRows keys_in_db_;      // rows are not needed: 1 for every key
  KeyRows keys_elsewhere_;  // with --unit: keys of rows of other villages (or of none)
  KeyRows keys_in_file_;
  std::vector<RefCheck> refs_;
  std::vector<SelfRef> self_refs_;
  size_t ref_warnings_ = 0;
  int64_t import_id_ = 0;
  std::unique_ptr<store::RowWriter> writer_;
  std::unique_ptr<store::KeyDeleter> deleter_;

  size_t error_count_ = 0;
  int64_t rows_seen_ = 0;
  std::vector<MarkedIssue> marked_;
  // The row being applied.
  std::vector<SqlValue> values_;
  std::vector<std::pair<ImportIssue, int>> row_errors_;
};

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

  // 1. The options.
  const pack::OrgUnit* unit = nullptr;
  if (!options.unit.empty()) {
    unit = catalog.org.FindVillage(options.unit);
    if (!unit) {
      return OptionsError("没有名为" + Quoted(options.unit) + "的村（社区）",
                          "unknown unit '" + options.unit + "'");
    }
    if (ledger.village_column < 0) {
      return OptionsError(Quoted(ledger.title) + "不按村登记，不能指定村（社区）",
                          "ledger " + ledger.id + " has no village column");
    }
  }
  if (options.mode == ImportMode::kUpsert && ledger.key_column < 0) {
    return OptionsError(Quoted(ledger.title) + "没有唯一标识列，不能按标识更新（请用追加或替换方式）",
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
      return OptionsError("工作簿中没有名为" + Quoted(options.sheet) + "的工作表（有：" +
                              Join(names, "、") + "）",
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
  SheetImport import(store, catalog, ledger, options, unit, reader.date1904(), &report);
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
  return ImportSheet(store, catalog, ledger, **reader, path, options);
}

Result<ImportReport> ImportCsvFile(store::Store& store, const pack::Catalog& catalog,
                                   const Ledger& ledger, const std::string& path) {
  return ImportFile(store, catalog, ledger, path);
}

}  // namespace tz::service
