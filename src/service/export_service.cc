#include "service/export_service.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

#include "base/period.h"
#include "base/strings.h"
#include "figures/planner.h"
#include "io/csv_reader.h"
#include "io/xlsx_writer.h"
#include "store/ledger_tables.h"

namespace tz::service {
namespace {

using io::XlsxCellStyle;
using io::XlsxStyle;
using pack::Column;
using pack::ColumnType;
using pack::Ledger;
using store::SqlValue;

std::string Extension(const std::string& path) {
  return AsciiLower(std::filesystem::path(path).extension().string());
}

// How a column looks in Excel: digits that are codes stay text; dates are dates.
XlsxStyle ColumnStyle(const Column& col) {
  switch (col.type) {
    case ColumnType::kDate:
      return XlsxStyle::kDate;
    case ColumnType::kMonth:
      return XlsxStyle::kMonth;
    case ColumnType::kInt:
    case ColumnType::kDecimal:
      return XlsxStyle::kGeneral;
    default:
      return XlsxStyle::kText;
  }
}

double ColumnWidth(const Column& col) {
  switch (col.type) {
    case ColumnType::kId18:
    case ColumnType::kUscc:
      return 22;
    case ColumnType::kPhone:
      return 15;
    case ColumnType::kDate:
    case ColumnType::kMonth:
      return 12;
    default:
      return std::max<double>(10, static_cast<double>(col.label.size()) / 3 * 2 + 4);
  }
}

std::string Title(const pack::Catalog& catalog, const Ledger& ledger, const pack::OrgUnit* unit) {
  return catalog.org.town.name + (unit ? unit->name : std::string()) + ledger.title;
}

// Title row 0, header row 1, column formats, frozen header: shared by templates and exports.
Status WriteHead(io::XlsxWriter& w, const pack::Catalog& catalog, const Ledger& ledger,
                 const pack::OrgUnit* unit, bool mark_required) {
  TZ_RETURN_IF_ERROR(w.AddSheet(ledger.title));
  const int last = static_cast<int>(ledger.columns.size()) - 1;
  for (int c = 0; c <= last; ++c) {
    const Column& col = ledger.columns[static_cast<size_t>(c)];
    TZ_RETURN_IF_ERROR(w.SetColumn(c, ColumnWidth(col), ColumnStyle(col)));
  }
  TZ_RETURN_IF_ERROR(w.FreezeRows(2));
  TZ_RETURN_IF_ERROR(w.WriteTitle(0, 0, last, Title(catalog, ledger, unit)));
  for (int c = 0; c <= last; ++c) {
    const Column& col = ledger.columns[static_cast<size_t>(c)];
    bool required = mark_required && col.required;
    TZ_RETURN_IF_ERROR(
        w.WriteText(1, c, required ? col.label + "*" : col.label,
                    {required ? XlsxStyle::kRequiredHeader : XlsxStyle::kHeader, false}));
  }
  return Status::Ok();
}

// The WHERE clause of an export: the village and the period, as bound parameters.
Result<store::SqlStatement> ExportFilter(store::Store& store, const Ledger& ledger,
                                         const ExportOptions& options, const pack::OrgUnit* unit,
                                         ExportResult* result) {
  const store::Dialect& d = store.dialect();
  store::SqlStatement where;
  auto add = [&](const std::string& sql) {
    if (!where.sql.empty()) where.sql += " AND ";
    where.sql += sql;
  };
  if (!options.towns.empty()) {
    std::string in = std::string(store::kTownColumn) + " IN (";
    for (size_t i = 0; i < options.towns.size(); ++i) {
      in += i ? ", ?" : "?";
      where.params.push_back(options.towns[i]);
    }
    add(in + ")");
  }
  if (unit) {
    add(d.Quote(ledger.columns[static_cast<size_t>(ledger.village_column)].label) + " = ?");
    where.params.push_back(unit->code);
  }
  if (!options.grid.empty()) {
    if (ledger.grid_column < 0) {
      return Status::InvalidArgument(Quoted(ledger.title) + "不按网格登记，不能按网格导出",
                                     "ledger " + ledger.id + " has no grid column");
    }
    add(d.Quote(ledger.columns[static_cast<size_t>(ledger.grid_column)].label) + " = ?");
    where.params.push_back(options.grid);
  }
  if (options.period.empty()) return where;
  TZ_ASSIGN_OR_RETURN(Period p, ParsePeriod(options.period));
  if (ledger.period_start < 0) {
    result->note = Quoted(ledger.title) + "没有日期列，不分期间，已导出全部记录";
    return where;
  }
  auto bound = [&](const Column& col, Date day) -> SqlValue {
    std::string iso = day.ToIso();
    return col.type == ColumnType::kMonth ? iso.substr(0, 7) : iso;
  };
  const Column& start = ledger.columns[static_cast<size_t>(ledger.period_start)];
  const std::string s = d.Quote(start.label);
  if (!ledger.period_in_force) {
    add(s + " >= ? AND " + s + " <= ?");
    where.params.push_back(bound(start, p.start));
    where.params.push_back(bound(start, p.end));
    return where;
  }
  add(s + " <= ?");
  where.params.push_back(bound(start, p.end));
  if (ledger.period_end >= 0) {
    const Column& end = ledger.columns[static_cast<size_t>(ledger.period_end)];
    const std::string e = d.Quote(end.label);
    add("(" + e + " IS NULL OR " + e + " > ?)");
    where.params.push_back(bound(end, p.start));
  }
  return where;
}

Status WriteXlsxRow(io::XlsxWriter& w, const pack::Catalog& catalog, const Ledger& ledger,
                    const std::vector<SqlValue>& row, int64_t r, bool unmasked) {
  for (size_t c = 0; c < ledger.columns.size(); ++c) {
    const Column& col = ledger.columns[c];
    const SqlValue& v = row[c];
    if (store::IsNull(v)) continue;
    const int ci = static_cast<int>(c);
    const auto* n = std::get_if<int64_t>(&v);
    if (n && col.type == ColumnType::kInt) {
      TZ_RETURN_IF_ERROR(w.WriteNumber(r, ci, static_cast<double>(*n)));
    } else if (n && col.type == ColumnType::kDecimal) {
      // Scaled by 10^4; as a double exact to the last decimal below 10^11 元.
      TZ_RETURN_IF_ERROR(w.WriteNumber(r, ci, static_cast<double>(*n) / 10000.0));
    } else if (col.type == ColumnType::kDate || col.type == ColumnType::kMonth) {
      const std::string& iso = std::get<std::string>(v);
      int y = 0, m = 0, d = 1;
      int got = std::sscanf(iso.c_str(), "%d-%d-%d", &y, &m, &d);
      if (got >= 2) {
        TZ_RETURN_IF_ERROR(w.WriteDate(r, ci, y, m, col.type == ColumnType::kMonth ? 1 : d,
                                       {ColumnStyle(col), false}));
      } else {
        TZ_RETURN_IF_ERROR(w.WriteText(r, ci, iso, {XlsxStyle::kText, false}));
      }
    } else {
      std::string text =
          unmasked ? figures::CellText(catalog, col, v) : figures::MaskedCellText(catalog, col, v);
      TZ_RETURN_IF_ERROR(w.WriteText(r, ci, text, {XlsxStyle::kText, false}));
    }
  }
  return Status::Ok();
}

// Excel runs a CSV cell starting with = + - @ (or a tab/CR) as a formula; a leading ' keeps it
// text, and the importer drops that ' again.
std::string CsvGuard(const Column& col, std::string text) {
  if (col.type == ColumnType::kInt || col.type == ColumnType::kDecimal) return text;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos) {
    text.insert(0, "'");
  }
  return text;
}

// Runs write(tmp) for a temporary file next to `path`, then renames it to `path`; on any error
// the temporary file goes and `path` is untouched.
Status WriteViaTemp(const std::string& path,
                    const std::function<Status(const std::string& tmp)>& write) {
  const std::string tmp = path + ".part";
  Status st = write(tmp);
  std::error_code ec;
  if (st.ok()) std::filesystem::rename(tmp, path, ec);
  if (!st.ok() || ec) {
    std::filesystem::remove(tmp, ec);
    return st.ok() ? Status::IoError("无法写入文件：" + path, "rename failed: " + path) : st;
  }
  return Status::Ok();
}

Status WriteCsv(store::Store& store, const pack::Catalog& catalog, const Ledger& ledger,
                const store::SqlStatement& where, const ExportOptions& options,
                const std::string& path, int64_t* rows) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError("无法写入文件：" + path, "cannot create " + path);
  out << "\xEF\xBB\xBF";  // BOM: Excel then reads the file as UTF-8
  std::vector<std::string> header;
  for (const Column& c : ledger.columns) header.push_back(io::CsvEscape(c.label));
  out << Join(header, ",") << "\r\n";
  TZ_RETURN_IF_ERROR(
      store::ForEachLedgerRow(store, ledger, where, [&](const std::vector<SqlValue>& row) {
        std::vector<std::string> cells;
        for (size_t c = 0; c < ledger.columns.size(); ++c) {
          const Column& col = ledger.columns[c];
          std::string text = options.unmasked ? figures::CellText(catalog, col, row[c])
                                              : figures::MaskedCellText(catalog, col, row[c]);
          cells.push_back(io::CsvEscape(CsvGuard(col, std::move(text))));
        }
        out << Join(cells, ",") << "\r\n";
        ++*rows;
        return Status::Ok();
      }));
  out.close();
  if (!out) return Status::IoError("无法写入文件：" + path, "write failed: " + path);
  return Status::Ok();
}

Status WriteXlsx(store::Store& store, const pack::Catalog& catalog, const Ledger& ledger,
                 const store::SqlStatement& where, const ExportOptions& options,
                 const pack::OrgUnit* unit, const std::string& path, int64_t* rows) {
  TZ_ASSIGN_OR_RETURN(auto w, io::XlsxWriter::Create(path));
  TZ_RETURN_IF_ERROR(WriteHead(*w, catalog, ledger, unit, /*mark_required=*/false));
  int64_t r = 2;
  TZ_RETURN_IF_ERROR(
      store::ForEachLedgerRow(store, ledger, where, [&](const std::vector<SqlValue>& row) {
        TZ_RETURN_IF_ERROR(WriteXlsxRow(*w, catalog, ledger, row, r++, options.unmasked));
        ++*rows;
        return Status::Ok();
      }));
  return w->Close();
}

}  // namespace

Result<ExportResult> ExportLedger(store::Store& store, const pack::Catalog& catalog,
                                  const Ledger& ledger, const ExportOptions& options,
                                  const std::string& path) {
  const std::string ext = Extension(path);
  if (ext != ".xlsx" && ext != ".csv") {
    return Status::InvalidArgument("导出文件应以 .xlsx 或 .csv 结尾：" + path,
                                   "export wants .xlsx or .csv: " + path);
  }
  const pack::OrgUnit* unit = nullptr;
  if (!options.unit.empty()) {
    unit = catalog.org.FindVillage(options.unit);
    if (!unit) {
      return Status::NotFound("没有名为" + Quoted(options.unit) + "的村（社区）",
                              "unknown unit '" + options.unit + "'");
    }
    if (ledger.village_column < 0) {
      return Status::InvalidArgument(Quoted(ledger.title) + "不按村登记，不能按村导出",
                                     "ledger " + ledger.id + " has no village column");
    }
  }
  ExportResult result;
  TZ_ASSIGN_OR_RETURN(store::SqlStatement where,
                      ExportFilter(store, ledger, options, unit, &result));

  // Written next to the target and renamed, so that a failed export never leaves half a file
  // or replaces a good one with half of one.
  TZ_RETURN_IF_ERROR(WriteViaTemp(path, [&](const std::string& tmp) -> Status {
    return ext == ".csv"
               ? WriteCsv(store, catalog, ledger, where, options, tmp, &result.rows)
               : WriteXlsx(store, catalog, ledger, where, options, unit, tmp, &result.rows);
  }));
  return result;
}

Status WriteLedgerTemplate(const pack::Catalog& catalog, const Ledger& ledger,
                           const std::string& path) {
  if (Extension(path) != ".xlsx") {
    return Status::InvalidArgument("模板文件应以 .xlsx 结尾：" + path,
                                   "template wants .xlsx: " + path);
  }
  TZ_ASSIGN_OR_RETURN(auto w, io::XlsxWriter::Create(path));
  TZ_RETURN_IF_ERROR(WriteHead(*w, catalog, ledger, nullptr, /*mark_required=*/true));
  std::vector<std::string> villages;
  for (const pack::OrgUnit& v : catalog.org.villages) villages.push_back(v.name);
  for (size_t c = 0; c < ledger.columns.size(); ++c) {
    const Column& col = ledger.columns[c];
    const std::vector<std::string>* list = nullptr;
    static const std::vector<std::string> kYesNo = {"是", "否"};
    if (col.type == ColumnType::kEnum) list = &col.enum_values;
    if (col.type == ColumnType::kBool) list = &kYesNo;
    if (col.type == ColumnType::kUnit) list = &villages;
    if (list) {
      TZ_RETURN_IF_ERROR(
          w->AddListValidation(2, 2 + kTemplateRows - 1, static_cast<int>(c), *list));
    }
  }
  return w->Close();
}

}  // namespace tz::service
