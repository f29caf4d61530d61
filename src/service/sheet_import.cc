#include "service/sheet_import.h"

#include <set>

#include "base/strings.h"
#include "service/cell_value.h"
#include "service/row_values.h"

namespace tz::service {
namespace {

using pack::Column;
using pack::ColumnType;
using pack::Ledger;
using store::SqlValue;

// Lines under a ledger that are not data: totals and signatures. Recognised by the first filled
// cell of the row so that a cadre's sheet imports as it is, with a warning.
constexpr std::string_view kFooterWords[] = {"合计",   "总计",     "小计",     "填表人",
                                             "制表人", "填报人",   "审核人",   "负责人",
                                             "统计人", "填表日期", "制表日期", "填报日期"};

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

}  // namespace

SheetImport::SheetImport(store::Store& store, const pack::Catalog& catalog, const Ledger& ledger,
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

bool SheetImport::CheckHeader(const HeaderMatch& header) {
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

Status SheetImport::Begin(const std::string& source) {
  // The write lock is taken before existing keys and references are read, so that what was
  // checked is still true when the rows are written (two imports at once cannot both pass).
  TZ_RETURN_IF_ERROR(tx_.Begin());
  const store::Dialect& dialect = store_.dialect();
  if (std::string lock = dialect.LockTableForWrite(dialect.Quote(store::LedgerTable(ledger_)));
      !lock.empty()) {
    TZ_RETURN_IF_ERROR(store_.ExecuteScript(lock));
  }
  // Multi-town databases: everything below is the import's town's (empty in a township's).
  const std::string& town = options_.town;
  if (options_.mode == ImportMode::kReplace) {
    TZ_ASSIGN_OR_RETURN(report_.deleted,
                        store::DeleteRows(store_, ledger_, unit_ ? ledger_.village_column : -1,
                                          unit_ ? SqlValue(unit_->code) : SqlValue(), town));
  }
  if (ledger_.key_column >= 0) {
    TZ_ASSIGN_OR_RETURN(std::set<std::string> keys,
                        store::DistinctValues(store_, ledger_, ledger_.key_column, -1, {}, town));
    for (const std::string& k : keys) keys_in_db_.Insert(k, 1);
    // With a village given, a key held by another village's row is not this file's to touch.
    if (unit_ && ledger_.village_column >= 0) {
      TZ_ASSIGN_OR_RETURN(keys, store::DistinctValues(store_, ledger_, ledger_.key_column,
                                                      ledger_.village_column, unit_->code, town));
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
                        store::DistinctValues(store_, *target, target->key_column, -1, {}, town));
    RefCheck ref{c, target, {}};
    for (const std::string& k : known) ref.known.Insert(k, 1);
    refs_.push_back(std::move(ref));
  }
  if (ledger_.village_column >= 0 && ledger_.grid_column >= 0) {
    TZ_ASSIGN_OR_RETURN(grid_villages_, LoadGridVillages(store_, catalog_, nullptr, town));
  }
  TZ_ASSIGN_OR_RETURN(import_id_, store::RecordImport(store_, ledger_, source, 0));
  TZ_ASSIGN_OR_RETURN(writer_, store::RowWriter::Create(store_, ledger_, town));
  if (options_.mode == ImportMode::kUpsert) {
    TZ_ASSIGN_OR_RETURN(deleter_, store::KeyDeleter::Create(store_, ledger_, town));
  }
  return Status::Ok();
}

Status SheetImport::Prepare(const io::SheetRow& row, PreparedRow* out) const {
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
    texts[c] =
        CellToText(ledger_.columns[c], row.cells[static_cast<size_t>(src)], date1904_, &error);
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
  std::vector<CellError> errors;
  out->values = ConvertRow(catalog_, ledger_, texts, &failed, &errors, options_.town);
  for (CellError& e : errors) {
    AddRowError(ledger_, header_, row.number, e.column, std::move(e.message), out);
  }
  CheckUnit(row.number, out);
  if (auto wrong = GridOutsideVillage(catalog_, ledger_, grid_villages_, out->values)) {
    AddRowError(ledger_, header_, row.number, wrong->column, std::move(wrong->message), out);
  }
  return Status::Ok();
}

Status SheetImport::Apply(PreparedRow& prepared) {
  const int64_t row = prepared.number;
  if (prepared.kind == PreparedRow::Kind::kSkip) return Status::Ok();
  if (prepared.kind == PreparedRow::Kind::kFooter) {
    // Bounded like every list in the report: a file of nothing but 合计 lines is still small.
    if (report_.warnings.size() < kMaxReportedErrors) {
      report_.warnings.push_back({row, "", "合计或签名行，已跳过"});
    }
    return Status::Ok();
  }
  if (++rows_seen_ % kProgressRows == 0 && options_.on_progress) options_.on_progress(rows_seen_);
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

Status SheetImport::Finish() {
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
  if (options_.before_commit) {
    Status hook = options_.before_commit(report_);
    if (!hook.ok()) {
      report_.imported = report_.updated = report_.deleted = 0;
      return hook;  // tx_ rolls back
    }
  }
  return tx_.Commit();
}

void SheetImport::FileError(std::string message) {
  ImportIssue issue{0, "", std::move(message)};
  // Listed even past the cap: it says why the rest of the file was not read.
  if (report_.errors.size() >= kMaxReportedErrors) report_.errors.push_back(issue);
  Error(std::move(issue), -1);
}

void SheetImport::Error(ImportIssue issue, int sheet_column) {
  ++error_count_;
  if (marked_.size() < kMaxMarkedErrors) {
    marked_.push_back({issue.row, sheet_column,
                       issue.column.empty() ? issue.message : issue.column + "：" + issue.message});
  }
  if (report_.errors.size() < kMaxReportedErrors) report_.errors.push_back(std::move(issue));
}

void SheetImport::RowError(int64_t row, size_t column, std::string message) {
  row_errors_.push_back(
      {{row, ledger_.columns[column].label, std::move(message)}, header_.source_of[column]});
}

void SheetImport::AddRowError(const Ledger& ledger, const HeaderMatch& header, int64_t row,
                              size_t column, std::string message, PreparedRow* out) {
  out->errors.push_back(
      {{row, ledger.columns[column].label, std::move(message)}, header.source_of[column]});
}

void SheetImport::CheckUnit(int64_t row, PreparedRow* out) const {
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

bool SheetImport::CheckKey(int64_t row) {
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
    RowError(row, kc, Quoted(key) + "已登记在其他村（社区），不能用" + unit_->name + "的文件更改");
    return false;
  }
  if (!keys_in_db_.Contains(key)) return false;
  if (options_.mode == ImportMode::kUpsert) return true;
  RowError(row, kc,
           Quoted(key) + "已在" + Quoted(ledger_.title) +
               "中登记过（要用文件中的数据更新已有记录，请选择“更新”方式导入）");
  return false;
}

void SheetImport::CheckRefs(int64_t row) {
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

void SheetImport::Warn(int64_t row, size_t column, const std::string& value) {
  if (ref_warnings_++ >= kMaxReportedErrors) return;
  const Column& col = ledger_.columns[column];
  const Ledger* target = catalog_.FindLedger(col.ref_ledger);
  report_.warnings.push_back(
      {row, col.label, Quoted(value) + "在" + Quoted(target->title) + "中没有登记"});
}

}  // namespace tz::service
