#include "service/records_service.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "figures/planner.h"
#include "service/access.h"
#include "service/cell_value.h"
#include "service/row_values.h"
#include "store/ledger_tables.h"
#include "store/record_queries.h"

namespace tz::service {
namespace {

using pack::Column;
using pack::ColumnType;
using pack::Ledger;
using store::SqlStatement;
using store::SqlValue;

constexpr char kWebSource[] = "web";
constexpr size_t kMaxUnknownColumns = 10;

std::string ColumnList(const Ledger& ledger) {
  std::vector<std::string> labels;
  for (const Column& c : ledger.columns) labels.push_back(c.label);
  return Join(labels, "、");
}

Status UnknownColumn(const Ledger& ledger, const std::string& label) {
  return Status::InvalidArgument(
      Quoted(label) + "不是" + Quoted(ledger.title) + "的列（可选：" + ColumnList(ledger) + "）",
      "unknown column in ledger " + ledger.id);
}

Status BadFilter(const Column& col, const std::string& reason) {
  return Status::InvalidArgument("筛选条件" + Quoted(col.label) + "：" + reason,
                                 "bad filter value");
}

// A LIKE pattern matching `text` anywhere, literally (with ESCAPE '\').
std::string ContainsPattern(const std::string& text) {
  std::string p = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

// `column` contains the pattern, ignoring ASCII case on both stores: SQLite's LIKE ignores it and
// PostgreSQL's does not, so both sides are lowered (a search for "x" finds an ID ending in X).
std::string Contains(const std::string& column) {
  return "LOWER(" + column + ") LIKE LOWER(?) ESCAPE '\\'";
}

// Appends "AND cond" to the WHERE being built.
void And(SqlStatement& where, const std::string& cond) {
  if (!where.sql.empty()) where.sql += " AND ";
  where.sql += cond;
}

// One filter value parsed as an import would take it, without required / min / max: a filter
// "0..5" on a column whose values are at least 1 is a question, not a bad value.
Result<SqlValue> FilterValue(const pack::Catalog& catalog, const Column& col,
                             const std::string& text) {
  Column loose = col;
  loose.required = false;
  loose.min.reset();
  loose.max.reset();
  std::string error;
  SqlValue v = ConvertCell(catalog, loose, text, &error);
  if (!error.empty()) return BadFilter(col, error);
  return v;
}

bool IsRangeType(ColumnType t) {
  return t == ColumnType::kDate || t == ColumnType::kMonth || t == ColumnType::kInt ||
         t == ColumnType::kDecimal;
}

Status AddFilter(const pack::Catalog& catalog, const store::Dialect& d, const Column& col,
                 const std::string& raw, SqlStatement& where) {
  std::string text = CleanCell(raw);
  if (text.empty()) return Status::Ok();
  if (text.size() > kMaxCellBytes) return BadFilter(col, "内容过长（超过 8KB）");
  // PostgreSQL refuses such text in a query where SQLite would find nothing: refused on both.
  if (!IsValidUtf8(text)) return BadFilter(col, "含有无法识别的文字（不是有效的 UTF-8 编码）");
  const std::string c = d.Quote(col.label);
  if (col.type == ColumnType::kText) {
    And(where, Contains(c));
    where.params.push_back(ContainsPattern(text));
    return Status::Ok();
  }
  size_t dots = IsRangeType(col.type) ? text.find("..") : std::string::npos;
  if (dots == std::string::npos) {
    TZ_ASSIGN_OR_RETURN(SqlValue v, FilterValue(catalog, col, text));
    And(where, c + " = ?");
    where.params.push_back(std::move(v));
    return Status::Ok();
  }
  std::string from = CleanCell(text.substr(0, dots));
  std::string to = CleanCell(text.substr(dots + 2));
  if (to.find("..") != std::string::npos) {
    return BadFilter(col,
                     Quoted(text) + "不是有效的范围（写作 起..止，如 2022-01-01..2022-06-30）");
  }
  if (!from.empty()) {
    TZ_ASSIGN_OR_RETURN(SqlValue v, FilterValue(catalog, col, from));
    And(where, c + " >= ?");
    where.params.push_back(std::move(v));
  }
  if (!to.empty()) {
    TZ_ASSIGN_OR_RETURN(SqlValue v, FilterValue(catalog, col, to));
    And(where, c + " <= ?");
    where.params.push_back(std::move(v));
  }
  return Status::Ok();
}

// Rows where some column a person would search contains `q`: text, references and enum values;
// village columns by the village's names; sensitive columns (ID numbers, phones) only when shown
// unmasked (else a search would reveal the hidden characters).
void AddSearch(const pack::Catalog& catalog, const store::Dialect& d, const Ledger& ledger,
               const std::string& q, bool unmasked, SqlStatement& where) {
  std::string cond;
  std::vector<SqlValue> params;
  auto add = [&](const std::string& term) { cond += (cond.empty() ? "" : " OR ") + term; };
  for (const Column& col : ledger.columns) {
    if (col.sensitive && !unmasked) continue;
    const std::string c = d.Quote(col.label);
    switch (col.type) {
      case ColumnType::kId18:
      case ColumnType::kPhone:
      case ColumnType::kText:
      case ColumnType::kRef:
      case ColumnType::kEnum:
      case ColumnType::kUscc:
        add(Contains(c));
        params.push_back(ContainsPattern(q));
        break;
      case ColumnType::kUnit:
        for (const pack::OrgUnit& v : catalog.org.villages) {
          bool hit = v.name.find(q) != std::string::npos || v.code == q;
          for (const std::string& a : v.aliases) hit = hit || a.find(q) != std::string::npos;
          if (!hit) continue;
          add(c + " = ?");
          params.push_back(v.code);
        }
        break;
      default:
        break;
    }
  }
  And(where, cond.empty() ? "1 = 0" : "(" + cond + ")");
  for (SqlValue& p : params) where.params.push_back(std::move(p));
}

Status RecordMissing(const Ledger& ledger, int64_t id) {
  return Status::NotFound(
      Quoted(ledger.title) + "中没有这条记录（编号 " + std::to_string(id) + "），可能已被删除",
      "no row " + std::to_string(id) + " in " + ledger.id);
}

RecordRow DisplayRow(const pack::Catalog& catalog, const Ledger& ledger, int64_t id,
                     const std::vector<SqlValue>& values, bool unmasked) {
  RecordRow row;
  row.id = id;
  row.cells.reserve(values.size());
  for (size_t c = 0; c < values.size(); ++c) {
    row.cells.push_back(unmasked ? figures::CellText(catalog, ledger.columns[c], values[c])
                                 : figures::MaskedCellText(catalog, ledger.columns[c], values[c]));
  }
  return row;
}

// Whether StoredRow reads the row to change it in the same transaction: it is then locked
// (PostgreSQL's FOR UPDATE; SQLite's BEGIN IMMEDIATE has already excluded other writers), so that
// what was checked of it and audited as "before" still holds at the write.
enum class Lock { kNo, kForUpdate };

// The stored values of row `id`, or nullopt.
Result<std::optional<std::vector<SqlValue>>> StoredRow(store::Store& store, const Ledger& ledger,
                                                       int64_t id, Lock lock = Lock::kNo) {
  const store::Dialect& d = store.dialect();
  SqlStatement stmt{"SELECT ", {}};
  for (size_t c = 0; c < ledger.columns.size(); ++c) {
    stmt.sql += (c ? ", " : "") + d.Quote(ledger.columns[c].label);
  }
  stmt.sql += " FROM " + d.Quote(store::LedgerTable(ledger)) + " WHERE _id = ?";
  if (lock == Lock::kForUpdate) stmt.sql += d.LockForUpdate();
  stmt.params.emplace_back(std::in_place_index<1>, id);
  std::optional<std::vector<SqlValue>> found;
  TZ_RETURN_IF_ERROR(store.Query(stmt, [&](const std::vector<SqlValue>& values) {
    found = values;
    return Status::Ok();
  }));
  return found;
}

// Whether a row lies in the principal's scope (its village or grid column holds the scope's code).
bool RowInScope(const RowPin& pin, const std::vector<SqlValue>& values) {
  auto holds = [&](int column, const std::string& want) {
    const auto* code = std::get_if<std::string>(&values[static_cast<size_t>(column)]);
    return code && *code == want;
  };
  if (pin.column >= 0 && !holds(pin.column, pin.code)) return false;
  return pin.village_column < 0 || holds(pin.village_column, pin.village_code);
}

Status OutOfScope(Database& db, const Principal& who, const Ledger& ledger, int64_t id) {
  return Deny(db, who, ledger.id + "/" + std::to_string(id),
              "无权查看或更改这条记录：它不属于" + who.root().name,
              "row " + std::to_string(id) + " of " + ledger.id + " outside the scope");
}

// A row as the audit log keeps it: column label → masked display text, empty cells left out.
// `only` (when given) limits it to those columns.
nlohmann::json AuditRow(const pack::Catalog& catalog, const Ledger& ledger,
                        const std::vector<SqlValue>& values, const std::vector<size_t>* only) {
  nlohmann::json out = nlohmann::json::object();
  auto add = [&](size_t c) {
    if (!store::IsNull(values[c])) {
      out[ledger.columns[c].label] = figures::MaskedCellText(catalog, ledger.columns[c], values[c]);
    }
  };
  if (only) {
    for (size_t c : *only) add(c);
  } else {
    for (size_t c = 0; c < values.size(); ++c) add(c);
  }
  return out;
}

// Create (id 0) or replace (id > 0) one record, as `who`, audited in the same transaction.
Result<RecordWrite> WriteRecord(Database& db, const Principal& who, const Ledger& ledger,
                                int64_t id, std::map<std::string, std::string> cells) {
  TZ_RETURN_IF_ERROR(Require(db, who, "write"));
  TZ_RETURN_IF_ERROR(RequireLedger(db, who, ledger));
  const pack::Catalog& catalog = db.catalog();
  store::Store& store = db.store();
  const RowPin pin = RowPinFor(who, ledger);
  RecordWrite out;
  const size_t n = ledger.columns.size();

  // The write lock is taken before the stored row and the key are read, so that what was checked
  // still holds at the write (a concurrent edit cannot slip in between).
  store::Transaction tx(store);
  TZ_RETURN_IF_ERROR(tx.Begin());
  std::vector<SqlValue> before;
  if (id != 0) {
    TZ_ASSIGN_OR_RETURN(std::optional<std::vector<SqlValue>> stored,
                        StoredRow(store, ledger, id, Lock::kForUpdate));
    if (!stored) return RecordMissing(ledger, id);
    if (!RowInScope(pin, *stored)) {
      TZ_RETURN_IF_ERROR(tx.Rollback());
      return OutOfScope(db, who, ledger, id);
    }
    before = std::move(*stored);
    // A form shows sensitive cells masked; sent back unchanged, a masked cell means "keep the
    // stored value" (the form never had it to send).
    for (size_t c = 0; c < n; ++c) {
      const Column& col = ledger.columns[c];
      auto it = cells.find(col.label);
      if (it == cells.end() || !col.sensitive) continue;
      std::string shown = figures::MaskedCellText(catalog, col, before[c]);
      std::string full = figures::CellText(catalog, col, before[c]);
      if (shown != full && it->second == shown) it->second = full;
    }
  }

  std::vector<std::string> texts(n);
  bool any = false;
  size_t unknown = 0;
  for (const auto& [label, raw] : cells) {
    int c = ledger.ColumnIndex(label);
    if (c < 0) {
      // Bounded: a request can name any number of columns that do not exist.
      if (++unknown <= kMaxUnknownColumns) {
        out.errors.push_back(
            {0, label, "不是" + Quoted(ledger.title) + "的列（可选：" + ColumnList(ledger) + "）"});
      }
      continue;
    }
    texts[static_cast<size_t>(c)] = CleanCell(raw);
    any = any || !texts[static_cast<size_t>(c)].empty();
  }
  if (unknown > kMaxUnknownColumns) {
    out.errors.push_back(
        {0, "", "另有" + std::to_string(unknown - kMaxUnknownColumns) + "个不存在的列未列出"});
  }
  // A multi-town database: the town whose villages unit cells name, when the account's scope is
  // one town (a wider account names villages by a name only one village has, or by code).
  const std::string scope_town = who.root().towns.size() == 1 ? who.root().towns.front() : "";
  std::vector<CellError> cell_errors;
  std::vector<SqlValue> values =
      ConvertRow(catalog, ledger, texts, nullptr, &cell_errors, scope_town);
  for (CellError& e : cell_errors) {
    out.errors.push_back({0, ledger.columns[e.column].label, std::move(e.message)});
  }
  // A ledger without required columns would otherwise take a blank form as a record.
  if (!any && out.errors.empty()) out.errors.push_back({0, "", "记录是空的：请至少填写一项"});
  const auto* grid = ledger.grid_column >= 0
                         ? std::get_if<std::string>(&values[static_cast<size_t>(ledger.grid_column)])
                         : nullptr;
  if (out.errors.empty() && ledger.village_column >= 0 && grid) {
    TZ_ASSIGN_OR_RETURN(GridVillages grids, LoadGridVillages(store, catalog, grid));
    if (auto wrong = GridOutsideVillage(catalog, ledger, grids, values)) {
      out.errors.push_back({0, ledger.columns[wrong->column].label, std::move(wrong->message)});
    }
  }
  // A record placed outside the scope (another village, another grid) is refused like a bad cell.
  if (out.errors.empty() && !RowInScope(pin, values)) {
    const Column& col = ledger.columns[static_cast<size_t>(pin.column)];
    const bool grid_ok = RowInScope({pin.column, pin.code, pin.unit_name, -1, ""}, values);
    out.errors.push_back(
        {0, grid_ok ? ledger.columns[static_cast<size_t>(pin.village_column)].label : col.label,
         "只能录入" + pin.unit_name + "的记录"});
  }

  // The row's town (multi-town databases): its village's, else the account's one town. A new row
  // placed in neither cannot be counted anywhere and is refused; an edited one keeps its town.
  std::string town;
  if (catalog.org.MultiTown()) {
    const SqlValue* village =
        ledger.village_column >= 0 ? &values[static_cast<size_t>(ledger.village_column)] : nullptr;
    const auto* code = village ? std::get_if<std::string>(village) : nullptr;
    const pack::OrgUnit* t = code ? catalog.org.TownOfVillage(*code) : nullptr;
    town = t ? t->code : scope_town;
    if (town.empty() && id == 0) {
      out.errors.push_back(
          {0, ledger.village_column >= 0 ? ledger.columns[static_cast<size_t>(ledger.village_column)].label : "",
           ledger.village_column >= 0
               ? "这个数据库包含多个乡镇：请填写所属村，据此确定记录属于哪个乡镇"
               : "这个数据库包含多个乡镇，而" + Quoted(ledger.title) +
                     "不按村登记：请用乡镇的账号录入，或导入时指定乡镇"});
    }
  }
  if (ledger.key_column >= 0) {
    const size_t kc = static_cast<size_t>(ledger.key_column);
    if (!store::IsNull(values[kc])) {
      TZ_ASSIGN_OR_RETURN(bool taken, store::ValueTaken(store, ledger, ledger.key_column,
                                                        values[kc], id, town));
      if (taken) {
        out.errors.push_back({0, ledger.columns[kc].label,
                              Quoted(texts[kc]) + "已在" + Quoted(ledger.title) + "中登记过"});
        // The answer tells whether a full ID number is registered — for someone who sees it only
        // masked, a way to test guesses of the hidden digits. Such an attempt leaves a trace.
        if (ledger.columns[kc].sensitive && !who.Can("unmask")) {
          TZ_RETURN_IF_ERROR(tx.Rollback());
          nlohmann::json detail = {
              {"reason", "sensitive key already registered"},
              {"column", ledger.columns[kc].label},
              {"key", figures::MaskedCellText(catalog, ledger.columns[kc], values[kc])}};
          TZ_RETURN_IF_ERROR(AuditCommitted(db, who, auth::audit_action::kDenied, ledger.id,
                                            detail.dump()));
          return out;
        }
      }
    }
  }
  if (!out.errors.empty()) return out;  // the transaction rolls back: nothing written

  for (size_t c = 0; c < n; ++c) {
    const Column& col = ledger.columns[c];
    const auto* v = std::get_if<std::string>(&values[c]);
    if (col.type != ColumnType::kRef || !v) continue;
    const Ledger* target = catalog.FindLedger(col.ref_ledger);
    if (!target || target->key_column < 0) continue;
    if (target == &ledger && static_cast<int>(c) != ledger.key_column &&
        values[static_cast<size_t>(ledger.key_column)] == values[c]) {
      continue;  // refers to itself
    }
    TZ_ASSIGN_OR_RETURN(bool known,
                        store::ValueTaken(store, *target, target->key_column, *v, 0, town));
    if (!known) {
      out.warnings.push_back(
          {0, col.label, Quoted(*v) + "在" + Quoted(target->title) + "中没有登记"});
    }
  }
  TZ_ASSIGN_OR_RETURN(int64_t import_id, store::RecordImport(store, ledger, kWebSource, 1));
  nlohmann::json detail;
  if (id == 0) {
    TZ_ASSIGN_OR_RETURN(out.id, store::InsertRow(store, ledger, import_id, 1, values, town));
    detail["after"] = AuditRow(catalog, ledger, values, nullptr);
  } else {
    TZ_ASSIGN_OR_RETURN(bool replaced,
                        store::ReplaceRow(store, ledger, id, import_id, 1, values, town));
    if (!replaced) return RecordMissing(ledger, id);
    out.id = id;
    std::vector<size_t> changed;
    for (size_t c = 0; c < n; ++c) {
      if (!(before[c] == values[c])) changed.push_back(c);
    }
    detail["before"] = AuditRow(catalog, ledger, before, &changed);
    detail["after"] = AuditRow(catalog, ledger, values, &changed);
  }
  TZ_RETURN_IF_ERROR(AuditInTransaction(
      db, who, id == 0 ? auth::audit_action::kRecordCreate : auth::audit_action::kRecordUpdate,
      ledger.id + "/" + std::to_string(out.id), detail.dump()));
  TZ_RETURN_IF_ERROR(tx.Commit());
  return out;
}

}  // namespace

Result<RecordPage> ListRecords(Database& db, const Principal& who, const Ledger& ledger,
                               const RecordQuery& query) {
  TZ_RETURN_IF_ERROR(Require(db, who, "read"));
  TZ_RETURN_IF_ERROR(RequireLedger(db, who, ledger));
  if (query.unmasked) TZ_RETURN_IF_ERROR(Require(db, who, "unmask"));
  const pack::Catalog& catalog = db.catalog();
  store::Store& store = db.store();
  const store::Dialect& d = store.dialect();
  if (query.page_size < 1 || query.page_size > kMaxPageSize) {
    return Status::InvalidArgument("每页行数应在1到" + std::to_string(kMaxPageSize) +
                                       "之间，实际为" + std::to_string(query.page_size),
                                   "page_size out of range");
  }
  if (query.page < 1) {
    return Status::InvalidArgument("页码应从1开始，实际为" + std::to_string(query.page),
                                   "page < 1");
  }
  if (query.page - 1 > std::numeric_limits<int64_t>::max() / query.page_size) {
    return Status::InvalidArgument("页码过大：" + std::to_string(query.page), "page too large");
  }
  // Who sees a column masked cannot filter or sort by it: a filter would test guesses of the
  // hidden digits, a sort would order rows by them.
  auto masked = [&](const Column& col) -> Status {
    if (query.unmasked || !col.sensitive) return Status::Ok();
    return Status::InvalidArgument(Quoted(col.label) + "已遮盖，不能按它筛选或排序",
                                   "filter or sort on masked column");
  };
  store::RowOrder order;
  order.descending = query.descending;
  if (!query.sort.empty()) {
    order.column = ledger.ColumnIndex(query.sort);
    if (order.column < 0) return UnknownColumn(ledger, query.sort);
    TZ_RETURN_IF_ERROR(masked(ledger.columns[static_cast<size_t>(order.column)]));
  }
  SqlStatement where;
  for (const auto& [label, text] : query.filters) {
    const Column* col = ledger.FindColumn(label);
    if (!col) return UnknownColumn(ledger, label);
    if (CleanCell(text).empty()) continue;  // no filter
    TZ_RETURN_IF_ERROR(masked(*col));
    TZ_RETURN_IF_ERROR(AddFilter(catalog, d, *col, text, where));
  }
  // The scope first: rows outside it are never counted, whatever else the query says.
  const RowPin pin = RowPinFor(who, ledger);
  if (pin.column >= 0) {
    And(where, d.Quote(ledger.columns[static_cast<size_t>(pin.column)].label) + " = ?");
    where.params.push_back(pin.code);
  }
  if (pin.village_column >= 0) {
    And(where, d.Quote(ledger.columns[static_cast<size_t>(pin.village_column)].label) + " = ?");
    where.params.push_back(pin.village_code);
  }
  if (!query.unit.empty()) {
    TZ_ASSIGN_OR_RETURN(figures::Scope unit, UnitFor(db, who, query.unit));
    // A district or town of a multi-town database: the rows of its towns, as its figures count.
    if (!unit.towns.empty()) {
      std::string in = std::string(store::kTownColumn) + " IN (";
      for (size_t i = 0; i < unit.towns.size(); ++i) {
        in += i ? ", ?" : "?";
        where.params.push_back(unit.towns[i]);
      }
      And(where, in + ")");
    }
    const int c = figures::ScopeColumn(ledger, unit);
    if (c == figures::kNotApplicable) {
      return Status::InvalidArgument(Quoted(ledger.title) + "不按" + unit.name + "这一级登记，不能按它筛选",
                                     "ledger has no column for the unit's level");
    }
    if (c >= 0) {
      And(where, d.Quote(ledger.columns[static_cast<size_t>(c)].label) + " = ?");
      where.params.push_back(unit.code);
      // A grid's rows are those of its village too (as the figures count them).
      if (unit.level == pack::OrgLevel::kGrid && ledger.village_column >= 0 &&
          !unit.parent_code.empty()) {
        And(where,
            d.Quote(ledger.columns[static_cast<size_t>(ledger.village_column)].label) + " = ?");
        where.params.push_back(unit.parent_code);
      }
    }
  }
  std::string q = CleanCell(query.q);
  if (q.size() > kMaxCellBytes) {
    return Status::InvalidArgument("搜索内容过长（超过 8KB）", "q too long");
  }
  if (!IsValidUtf8(q)) {
    return Status::InvalidArgument("搜索内容含有无法识别的文字（不是有效的 UTF-8 编码）",
                                   "q is not UTF-8");
  }
  if (!q.empty()) AddSearch(catalog, d, ledger, q, query.unmasked, where);

  RecordPage page;
  page.page = query.page;
  page.page_size = query.page_size;
  TZ_ASSIGN_OR_RETURN(page.total, store::CountMatching(store, ledger, where));
  const int64_t offset = (query.page - 1) * query.page_size;
  if (offset >= page.total) return page;  // past the end: no second query needed
  page.rows.reserve(static_cast<size_t>(std::min(query.page_size, page.total - offset)));
  TZ_RETURN_IF_ERROR(store::PageRows(store, ledger, where, order, query.page_size, offset,
                                     [&](int64_t id, const std::vector<SqlValue>& values) {
                                       page.rows.push_back(
                                           DisplayRow(catalog, ledger, id, values, query.unmasked));
                                       return Status::Ok();
                                     }));
  if (query.unmasked) {
    nlohmann::json detail = {{"rows", page.rows.size()}, {"page", page.page}};
    if (!query.q.empty()) detail["search"] = true;
    TZ_RETURN_IF_ERROR(
        AuditCommitted(db, who, auth::audit_action::kUnmask, ledger.id, detail.dump()));
  }
  return page;
}

Result<RecordRow> GetRecord(Database& db, const Principal& who, const Ledger& ledger, int64_t id,
                            bool unmasked) {
  TZ_RETURN_IF_ERROR(Require(db, who, "read"));
  TZ_RETURN_IF_ERROR(RequireLedger(db, who, ledger));
  if (unmasked) TZ_RETURN_IF_ERROR(Require(db, who, "unmask"));
  TZ_ASSIGN_OR_RETURN(std::optional<std::vector<SqlValue>> stored,
                      StoredRow(db.store(), ledger, id));
  if (!stored) return RecordMissing(ledger, id);
  if (!RowInScope(RowPinFor(who, ledger), *stored)) return OutOfScope(db, who, ledger, id);
  if (unmasked) {
    TZ_RETURN_IF_ERROR(AuditCommitted(db, who, auth::audit_action::kUnmask,
                                      ledger.id + "/" + std::to_string(id), ""));
  }
  return DisplayRow(db.catalog(), ledger, id, *stored, unmasked);
}

Result<RecordWrite> CreateRecord(Database& db, const Principal& who, const Ledger& ledger,
                                 const std::map<std::string, std::string>& cells) {
  return WriteRecord(db, who, ledger, 0, cells);
}

Result<RecordWrite> UpdateRecord(Database& db, const Principal& who, const Ledger& ledger,
                                 int64_t id, const std::map<std::string, std::string>& cells) {
  if (id <= 0) return RecordMissing(ledger, id);
  return WriteRecord(db, who, ledger, id, cells);
}

Status DeleteRecord(Database& db, const Principal& who, const Ledger& ledger, int64_t id) {
  TZ_RETURN_IF_ERROR(Require(db, who, "write"));
  TZ_RETURN_IF_ERROR(RequireLedger(db, who, ledger));
  store::Store& store = db.store();
  store::Transaction tx(store);
  TZ_RETURN_IF_ERROR(tx.Begin());
  TZ_ASSIGN_OR_RETURN(std::optional<std::vector<SqlValue>> stored,
                      StoredRow(store, ledger, id, Lock::kForUpdate));
  if (!stored) return RecordMissing(ledger, id);
  if (!RowInScope(RowPinFor(who, ledger), *stored)) {
    TZ_RETURN_IF_ERROR(tx.Rollback());
    return OutOfScope(db, who, ledger, id);
  }
  TZ_ASSIGN_OR_RETURN(bool deleted, store::DeleteRow(store, ledger, id));
  if (!deleted) return RecordMissing(ledger, id);
  nlohmann::json detail = {{"before", AuditRow(db.catalog(), ledger, *stored, nullptr)}};
  TZ_RETURN_IF_ERROR(AuditInTransaction(db, who, auth::audit_action::kRecordDelete,
                                        ledger.id + "/" + std::to_string(id), detail.dump()));
  return tx.Commit();
}

}  // namespace tz::service
