#include "service/import_service.h"

#include <map>
#include <set>

#include "base/checks.h"
#include "base/date.h"
#include "base/decimal.h"
#include "base/strings.h"
#include "io/csv_reader.h"
#include "store/ledger_tables.h"

namespace tz::service {
namespace {

using pack::Column;
using pack::ColumnType;
using pack::Ledger;
using store::SqlValue;

// A text cell longer than this is refused: no ledger column holds essays, and it bounds memory.
constexpr size_t kMaxCellBytes = 8 * 1024;

// Drops control characters (they break CSV round trips and are never typed on purpose); a tab
// becomes a space, a line break inside a cell (Alt+Enter in Excel) is kept.
std::string CleanCell(std::string_view raw) {
  std::string_view t = TrimSpace(raw);
  std::string out;
  out.reserve(t.size());
  for (char c : t) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u == '\t')
      out += ' ';
    else if (u == '\n')
      out += '\n';
    else if (u < 0x20 || u == 0x7f)
      continue;
    else
      out += c;
  }
  return out;
}

// A header cell: trimmed, a trailing required-marker `*` or `＊` dropped (cadres' templates mark
// required columns that way).
std::string CleanHeader(std::string_view raw) {
  std::string h = CleanCell(raw);
  while (!h.empty() && h.back() == '*') h.pop_back();
  if (EndsWith(h, "＊")) h.resize(h.size() - 3);
  return std::string(TrimSpace(h));
}

class RowValidator {
 public:
  RowValidator(const pack::Catalog& catalog, const Ledger& ledger)
      : catalog_(catalog), ledger_(ledger) {}

  // Converts one cell; on error appends to *errors and returns NULL.
  SqlValue Convert(const Column& col, const std::string& cell, int64_t row,
                   std::vector<ImportIssue>* errors, ResidentIdInfo* id_info) {
    auto fail = [&](std::string msg) {
      errors->push_back({row, col.label, std::move(msg)});
      return SqlValue();
    };
    if (cell.empty()) {
      if (col.required) return fail("必填项为空");
      return SqlValue();
    }
    if (cell.size() > kMaxCellBytes) return fail("内容过长（超过 8KB）");
    switch (col.type) {
      case ColumnType::kText:
      case ColumnType::kRef:
        return cell;
      case ColumnType::kInt: {
        auto d = Decimal::Parse(cell);
        if (!d || !d->IsInteger()) return fail(Quoted(cell) + "不是整数");
        int64_t v = d->IntegerPart();
        if (col.min && v < *col.min)
          return fail("应不小于" + std::to_string(*col.min) + "，实际为" + cell);
        if (col.max && v > *col.max)
          return fail("应不大于" + std::to_string(*col.max) + "，实际为" + cell);
        return v;
      }
      case ColumnType::kDecimal: {
        auto d = Decimal::Parse(cell);
        if (!d) return fail(Quoted(cell) + "不是数字（最多4位小数）");
        if (col.min && *d < Decimal::FromInt(*col.min)) {
          return fail("应不小于" + std::to_string(*col.min) + "，实际为" + cell);
        }
        if (col.max && *d > Decimal::FromInt(*col.max)) {
          return fail("应不大于" + std::to_string(*col.max) + "，实际为" + cell);
        }
        return d->scaled();
      }
      case ColumnType::kDate: {
        auto d = Date::Parse(cell);
        if (!d) {
          return fail(Quoted(cell) +
                      "不是有效日期（可写作 2022-06-30、2022/6/30 或 2022年6月30日）");
        }
        return d->ToIso();
      }
      case ColumnType::kMonth: {
        auto d = ParseMonth(cell);
        if (!d) return fail(Quoted(cell) + "不是有效月份（可写作 2022-06、2022/6 或 2022年6月）");
        return d->ToMonthIso();
      }
      case ColumnType::kEnum: {
        if (col.HasEnumValue(cell)) return cell;
        return fail(Quoted(cell) + "不是可选值（可选：" + Join(col.enum_values, "、") + "）");
      }
      case ColumnType::kBool:
        if (cell == "是") return int64_t{1};
        if (cell == "否") return int64_t{0};
        return fail(Quoted(cell) + "应为“是”或“否”");
      case ColumnType::kId18: {
        auto info = CheckResidentId(cell);
        if (!info.ok()) return fail(info.status().message());
        if (id_info) *id_info = *info;
        return info->normalized;
      }
      case ColumnType::kUscc: {
        auto code = CheckCreditCode(cell);
        if (!code.ok()) return fail(code.status().message());
        return *code;
      }
      case ColumnType::kPhone: {
        auto phone = CheckPhone(cell);
        if (!phone.ok()) return fail(phone.status().message());
        return *phone;
      }
      case ColumnType::kUnit: {
        const pack::OrgUnit* v = catalog_.org.FindVillage(cell);
        if (!v) {
          std::vector<std::string> names;
          for (const auto& u : catalog_.org.villages) names.push_back(u.name);
          return fail(Quoted(cell) + "不是" + catalog_.org.town.name + "的村（社区）（可选：" +
                      Join(names, "、") + "）");
        }
        return v->code;
      }
    }
    return fail("未知的列类型");
  }

 private:
  const pack::Catalog& catalog_;
  const Ledger& ledger_;
};

// The ledger whose columns best match a header, for a hint when the user picked the wrong one.
const Ledger* BestMatch(const pack::Catalog& catalog, const std::vector<std::string>& header) {
  const Ledger* best = nullptr;
  int best_hits = 0;
  for (const Ledger& l : catalog.ledgers) {
    int hits = 0;
    for (const std::string& h : header) hits += l.ColumnIndex(h) >= 0;
    if (hits > best_hits) {
      best_hits = hits;
      best = &l;
    }
  }
  return best_hits * 2 >= static_cast<int>(header.size()) ? best : nullptr;
}

void AddError(ImportReport* report, ImportIssue issue) {
  if (report->errors.size() < kMaxReportedErrors) report->errors.push_back(std::move(issue));
}

}  // namespace

Result<const Ledger*> FindLedger(const pack::Catalog& catalog, std::string_view name) {
  if (const Ledger* l = catalog.FindLedger(TrimSpace(name))) return l;
  std::vector<std::string> names;
  for (const Ledger& l : catalog.ledgers) names.push_back(l.id + "（" + l.title + "）");
  return Status::NotFound("没有名为" + Quoted(name) + "的台账。可用的台账：" + Join(names, "、"),
                          "unknown ledger '" + std::string(name) + "'");
}

Result<ImportReport> ImportTable(store::Store& store, const pack::Catalog& catalog,
                                 const Ledger& ledger, const Table& table,
                                 const std::string& source) {
  ImportReport report;
  report.ledger_id = ledger.id;

  // 1. The header: which file column feeds which ledger column.
  std::vector<std::string> header;
  for (const std::string& h : table.header) header.push_back(CleanHeader(h));
  std::vector<int> source_of(ledger.columns.size(), -1);  // ledger column → file column
  std::vector<std::string> unknown;
  int matched = 0;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty()) continue;
    int c = ledger.ColumnIndex(header[i]);
    if (c < 0) {
      unknown.push_back(header[i]);
      continue;
    }
    if (source_of[static_cast<size_t>(c)] >= 0) {
      AddError(&report, {1, header[i], "表头中列" + Quoted(header[i]) + "出现了两次"});
      continue;
    }
    source_of[static_cast<size_t>(c)] = static_cast<int>(i);
    ++matched;
  }
  if (matched == 0) {
    std::string msg = "表头与" + Quoted(ledger.title) + "不符：没有一列是该台账的列";
    if (const Ledger* guess = BestMatch(catalog, header); guess && guess != &ledger) {
      msg += "；这个文件看起来是" + Quoted(guess->title);
    }
    std::vector<std::string> labels;
    for (const Column& c : ledger.columns) labels.push_back(c.label);
    msg += "（应有的列：" + Join(labels, "、") + "）";
    AddError(&report, {1, "", msg});
    return report;
  }
  for (size_t c = 0; c < ledger.columns.size(); ++c) {
    if (ledger.columns[c].required && source_of[c] < 0) {
      AddError(&report,
               {1, ledger.columns[c].label, "缺少必填列" + Quoted(ledger.columns[c].label)});
    }
  }
  for (const std::string& u : unknown) {
    report.warnings.push_back({1, u, "不是" + Quoted(ledger.title) + "的列，已忽略"});
  }
  if (!report.errors.empty()) return report;

  // 2. Every row, every cell.
  RowValidator validator(catalog, ledger);
  std::vector<std::vector<SqlValue>> values;
  std::vector<int64_t> rows;
  values.reserve(table.rows.size());
  std::map<std::string, int64_t> keys_in_file;
  // The write lock is taken before existing keys and references are read, so that what was
  // checked is still true when the rows are written (two imports at once cannot both pass).
  store::Transaction tx(store);
  TZ_RETURN_IF_ERROR(tx.Begin());
  std::set<std::string> keys_in_db;
  if (ledger.key_column >= 0) {
    TZ_ASSIGN_OR_RETURN(keys_in_db, store::DistinctValues(store, ledger, ledger.key_column));
  }
  size_t error_count = 0;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const std::vector<std::string>& cells = table.rows[r];
    int64_t row = r < table.row_numbers.size() ? table.row_numbers[r] : static_cast<int64_t>(r) + 2;
    std::vector<std::string> clean(ledger.columns.size());
    bool any = false;
    for (size_t c = 0; c < ledger.columns.size(); ++c) {
      int src = source_of[c];
      if (src >= 0 && static_cast<size_t>(src) < cells.size()) {
        clean[c] = CleanCell(cells[static_cast<size_t>(src)]);
        any = any || !clean[c].empty();
      }
    }
    if (!any) continue;  // a blank row in a spreadsheet is not data
    std::vector<ImportIssue> errors;
    std::vector<SqlValue> out(ledger.columns.size());
    std::map<std::string, ResidentIdInfo> ids;
    for (size_t c = 0; c < ledger.columns.size(); ++c) {
      ResidentIdInfo info;
      out[c] = validator.Convert(ledger.columns[c], clean[c], row, &errors, &info);
      if (ledger.columns[c].type == ColumnType::kId18 && !store::IsNull(out[c])) {
        ids[ledger.columns[c].label] = info;
      }
    }
    for (const pack::Check& check : ledger.checks) {
      auto id = ids.find(check.id_column);
      int other = ledger.ColumnIndex(check.other_column);
      if (id == ids.end() || other < 0 || store::IsNull(out[static_cast<size_t>(other)])) continue;
      const SqlValue& v = out[static_cast<size_t>(other)];
      if (check.kind == pack::Check::Kind::kIdSex) {
        std::string want = id->second.male ? "男" : "女";
        if (std::get<std::string>(v) != want) {
          errors.push_back(
              {row, check.other_column,
               "与" + check.id_column + "不符（" + check.id_column + "显示为" + want + "）"});
        }
      } else if (std::get<std::string>(v) != id->second.birth.ToIso()) {
        errors.push_back(
            {row, check.other_column,
             "与" + check.id_column + "中的出生日期" + id->second.birth.ToIso() + "不符"});
      }
    }
    if (ledger.key_column >= 0) {
      const SqlValue& k = out[static_cast<size_t>(ledger.key_column)];
      if (!store::IsNull(k)) {
        // Keys compare in their stored form, whatever the column type (DistinctValues agrees).
        const std::string key = std::holds_alternative<int64_t>(k)
                                    ? std::to_string(std::get<int64_t>(k))
                                    : std::get<std::string>(k);
        const std::string& label = ledger.columns[static_cast<size_t>(ledger.key_column)].label;
        auto [it, inserted] = keys_in_file.emplace(key, row);
        if (!inserted) {
          errors.push_back(
              {row, label, Quoted(key) + "与第" + std::to_string(it->second) + "行重复"});
        } else if (keys_in_db.count(key)) {
          errors.push_back({row, label, Quoted(key) + "已在" + Quoted(ledger.title) + "中登记过"});
        }
      }
    }
    if (!errors.empty()) {
      error_count += errors.size();
      for (ImportIssue& e : errors) AddError(&report, std::move(e));
      // Keep validating to report every error, but stop holding rows.
      values.clear();
      continue;
    }
    if (error_count == 0) {
      values.push_back(std::move(out));
      rows.push_back(row);
    }
  }
  if (error_count > report.errors.size()) {
    report.errors.push_back(
        {0, "", "另有" + std::to_string(error_count - report.errors.size()) + "处错误未列出"});
  }
  if (!report.errors.empty()) return report;
  if (values.empty()) {
    AddError(&report, {0, "", "文件中没有数据行"});
    return report;
  }

  // 3. References (warnings only: the register may be imported later).
  for (size_t c = 0; c < ledger.columns.size(); ++c) {
    const Column& col = ledger.columns[c];
    if (col.type != ColumnType::kRef) continue;
    const Ledger* target = catalog.FindLedger(col.ref_ledger);
    if (!target || target->key_column < 0) continue;
    TZ_ASSIGN_OR_RETURN(std::set<std::string> known,
                        store::DistinctValues(store, *target, target->key_column));
    if (target == &ledger) {
      for (const auto& [k, r] : keys_in_file) known.insert(k);
    }
    size_t warned = 0;
    for (size_t r = 0; r < values.size(); ++r) {
      const auto* v = std::get_if<std::string>(&values[r][c]);
      if (v && !known.count(*v) && warned++ < kMaxReportedErrors) {
        report.warnings.push_back(
            {rows[r], col.label, Quoted(*v) + "在" + Quoted(target->title) + "中没有登记"});
      }
    }
  }

  // 4. All or nothing.
  TZ_ASSIGN_OR_RETURN(int64_t import_id, store::RecordImport(store, ledger, source,
                                                             static_cast<int64_t>(values.size())));
  TZ_ASSIGN_OR_RETURN(auto writer, store::RowWriter::Create(store, ledger));
  for (size_t r = 0; r < values.size(); ++r) {
    TZ_RETURN_IF_ERROR(writer->Write(import_id, rows[r], values[r]));
  }
  TZ_RETURN_IF_ERROR(tx.Commit());
  report.imported = static_cast<int64_t>(values.size());
  return report;
}

Result<ImportReport> ImportCsvFile(store::Store& store, const pack::Catalog& catalog,
                                   const Ledger& ledger, const std::string& path) {
  // A ledger of 100,000 rows is under 20 MB of CSV; the caps bound memory against hostile files.
  io::CsvLimits limits;
  limits.max_bytes = kMaxCsvBytes;
  Table table;
  bool header_seen = false;
  io::CsvInfo info;
  Status read = io::ForEachCsvRecordInFile(
      path, limits,
      [&](io::CsvRecord&& rec) -> Status {
        if (!header_seen) {
          table.header = std::move(rec.fields);
          header_seen = true;
          return Status::Ok();
        }
        // Cells beyond the header belong to no column; rows of nothing but commas are not data.
        if (rec.fields.size() > table.header.size()) rec.fields.resize(table.header.size());
        bool any = false;
        for (const std::string& f : rec.fields) any = any || !TrimSpace(f).empty();
        if (!any) return Status::Ok();
        if (table.rows.size() >= kMaxImportRows) {
          return Status::InvalidArgument(
              "文件超过 " + std::to_string(kMaxImportRows) + " 行，请分成几个文件导入",
              "more than " + std::to_string(kMaxImportRows) + " data rows");
        }
        table.rows.push_back(std::move(rec.fields));
        table.row_numbers.push_back(rec.row);
        return Status::Ok();
      },
      &info);
  if (read.ok() && !header_seen) read = Status::InvalidArgument("文件为空", "no records");
  if (!read.ok()) {
    // A file we cannot read is a problem with the input, reported like any other.
    ImportReport report;
    report.ledger_id = ledger.id;
    report.errors.push_back({0, "", read.message()});
    return report;
  }
  TZ_ASSIGN_OR_RETURN(ImportReport report, ImportTable(store, catalog, ledger, table, path));
  report.encoding = TextEncodingName(info.encoding);
  return report;
}

}  // namespace tz::service
