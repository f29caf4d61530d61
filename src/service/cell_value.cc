#include "service/cell_value.h"

#include <cmath>

#include "base/date.h"
#include "base/decimal.h"
#include "base/strings.h"

namespace tz::service {

using pack::Column;
using pack::ColumnType;
using store::SqlValue;

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

namespace {

bool IsFormulaLead(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// Columns whose values are codes typed digit by digit: as a number Excel keeps only 15 digits.
bool IsCodeColumn(const Column& col) {
  return col.type == ColumnType::kId18 || col.type == ColumnType::kUscc ||
         col.type == ColumnType::kPhone || col.type == ColumnType::kText ||
         col.type == ColumnType::kRef;
}

std::string LostDigits(const Column& col, const std::string& shown) {
  return Quoted(col.label) + "被存成了数字（Excel 显示为 " + shown +
         "），Excel 只保留 15 位有效数字，后几位已经丢失：请把这一列设置为“文本”格式，"
         "重新录入后再导入";
}

std::string SerialText(const Column& col, double serial, bool date1904, std::string* error) {
  std::optional<io::SerialDate> d = io::SerialToDate(serial, date1904);
  if (!d) {
    *error = Quoted(io::FormatGeneralNumber(serial)) + "不是有效的日期";
    return {};
  }
  std::string iso = io::FormatSerialDate(*d).substr(0, 10);
  return col.type == ColumnType::kMonth ? iso.substr(0, 7) : iso;
}

}  // namespace

std::string CellToText(const Column& col, const io::Cell& cell, bool date1904, std::string* error) {
  switch (cell.kind) {
    case io::CellKind::kEmpty:
      return {};
    case io::CellKind::kText: {
      std::string_view t = cell.text;
      if (t.size() >= 2 && t[0] == '\'' && IsFormulaLead(t[1])) t.remove_prefix(1);
      return CleanCell(t);
    }
    case io::CellKind::kNumber:
      if (col.type == ColumnType::kDate || col.type == ColumnType::kMonth) {
        return SerialText(col, cell.number, date1904, error);
      }
      if (col.type == ColumnType::kId18 || col.type == ColumnType::kUscc ||
          (IsCodeColumn(col) && std::fabs(cell.number) >= 1e15)) {
        *error = LostDigits(col, cell.text);
        return {};
      }
      return cell.text;
    case io::CellKind::kDate:
      if (col.type == ColumnType::kDate) return cell.text.substr(0, 10);
      if (col.type == ColumnType::kMonth) return cell.text.substr(0, 7);
      return cell.text;
    case io::CellKind::kBool:
      if (col.type == ColumnType::kBool) return cell.number != 0 ? "是" : "否";
      return cell.text;
    case io::CellKind::kError:
      *error = "单元格是公式错误 " + cell.text + "，请改正后再导入";
      return {};
  }
  return {};
}

SqlValue ConvertCell(const pack::Catalog& catalog, const Column& col, const std::string& cell,
                     std::string* error, ResidentIdInfo* id_info, std::string_view town) {
  auto fail = [&](std::string msg) {
    *error = std::move(msg);
    return SqlValue();
  };
  if (cell.empty()) {
    if (col.required) return fail("必填项为空");
    return SqlValue();
  }
  if (cell.size() > kMaxCellBytes) return fail("内容过长（超过 8KB）");
  // Refused on both stores alike: PostgreSQL cannot store such text, SQLite would keep the bytes.
  if (!IsValidUtf8(cell)) return fail("含有无法识别的文字（不是有效的 UTF-8 编码）");
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
        return fail(Quoted(cell) + "不是有效日期（可写作 2022-06-30、2022/6/30 或 2022年6月30日）");
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
      if (cell.find('*') != std::string::npos) {
        return fail(Quoted(cell) + "是遮盖过的" + col.label +
                    "，无法导入：请使用原始数据，或导出时选择不遮盖（--unmasked）");
      }
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
      const pack::OrgTree& org = catalog.org;
      const pack::OrgUnit* v = town.empty() ? org.FindVillage(cell) : org.FindVillageIn(town, cell);
      if (v) return v->code;
      if (!org.MultiTown()) {
        std::vector<std::string> names;
        for (const auto& u : org.villages) names.push_back(u.name);
        return fail(Quoted(cell) + "不是" + org.town.name + "的村（社区）（可选：" +
                    Join(names, "、") + "）");
      }
      if (!town.empty()) {
        std::vector<std::string> names;
        for (const pack::OrgUnit* u : org.VillagesOf(town)) names.push_back(u->name);
        const pack::OrgUnit* t = org.FindAbove(town);
        return fail(Quoted(cell) + "不是" + (t ? t->name : std::string(town)) +
                    "的村（社区）（可选：" + Join(names, "、") + "）");
      }
      std::vector<const pack::OrgUnit*> all = org.VillagesNamed(cell);
      if (all.size() > 1) {
        std::vector<std::string> which;
        for (const pack::OrgUnit* u : all) {
          const pack::OrgUnit* t = org.TownOfVillage(u->code);
          which.push_back((t ? t->name : "") + u->name + "（" + u->code + "）");
        }
        return fail(Quoted(cell) + "有多个同名的村（社区）：" + Join(which, "、") +
                    "；请填写 12 位代码，或指定所属乡镇");
      }
      return fail(Quoted(cell) + "不是" + org.town.name + "的村（社区）");
    }
  }
  return fail("未知的列类型");
}

}  // namespace tz::service
