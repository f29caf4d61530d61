#include "pack/catalog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

namespace tz::pack {
namespace {

namespace fs = std::filesystem;

// A small pack touching every attribute, every column type and every figure attribute.
PackFiles GoodPack() {
  PackFiles f;
  f["pack.txt"] =
      "# 测试用的包\n"
      "name 测试包\n"
      "version 1\n"
      "description 测试用 台账包\n";
  f["org.txt"] =
      "region 江西省 宜春市 袁州区\n"
      "town 360902117 辽市镇\n"
      "\n"
      "village 360902117200 辽市村 辽市村委会\n"
      "village 360902117201 院前村 院前村委会 院前\n"
      "grids grid 网格编号 网格名称 所属村\n";
  f["ledgers/base.txt"] =
      "# registries\n"
      "ledger household 农户信息台账\n"
      "  domain 基础信息\n"
      "  note 一户 一行\n"
      "  key 户编号\n"
      "  column 户编号 text required\n"
      "  column 户主姓名 text required\n"
      "  column 户主身份证号 id18 required\n"
      "  column 所属村 unit required\n"
      "  column 所属网格 ref(grid)\n"
      "  column 家庭人口数 int required min=1 max=30\n"
      "  column 联系电话 phone\n"
      "\n"
      "ledger grid 网格台账\n"
      "  key 网格编号\n"
      "  column 网格编号 text required\n"
      "  column 网格名称 text required\n"
      "  column 所属村 unit required\n"
      "\n"
      "ledger person 人口信息台账\n"
      "  key 身份证号\n"
      "  column 身份证号 id18 required\n"
      "  column 性别 enum(男|女)\n"
      "  column 出生日期 date\n"
      "  column 户编号 ref(household)\n"
      "  column 登记村 unit\n"
      "  column 现居村 unit\n"
      "  column 所属网格 ref(grid)\n"
      "  scope 现居村 所属网格\n"
      "  check id_sex 身份证号 性别\n"
      "  check id_birth 身份证号 出生日期\n";
  f["ledgers/econ.txt"] =
      "ledger enterprise 企业台账\n"
      "  column 企业名称 text required\n"
      "  column 统一社会信用代码 uscc\n"
      "  column 是否规上 bool\n"
      "  column 月份 month\n"
      "  column 投资额 decimal min=-5 max=100\n"
      "  column 阶段 enum(对接中|已签约|已开工)\n"
      "  column 所属村 unit\n";
  f["figures/a.txt"] =
      "figure dispute.found\n"
      "  label 摸排矛盾纠纷数\n"
      "  words 摸排各类大小矛盾纠纷*起\n"
      "  value count(household\n"
      "      | 家庭人口数 > 1)\n"
      "  display approx_yu\n"
      "  note 按 摸排日期 计\n"
      "\n"
      "figure param.x\n"
      "  value 10\n"
      "\n"
      "figure rate\n"
      "  label 比率\n"
      "  value 100 * dispute.found / param.x\n"
      "  display percent_floor\n"
      "\n"
      "figure industries\n"
      "  value groups(enterprise, 阶段)\n"
      "  display groups 家\n"
      "\n"
      "figure industries.named\n"
      "  value groups(enterprise, 阶段)\n"
      "  display groups_named\n";
  f["templates/seed.md"] = "# {{town}}半年工作总结\n正文\n";
  f["README.md"] = "not part of the format: ignored\n";
  return f;
}

// Replaces the first `from` in files[path] (which must contain it) with `to`.
PackFiles With(PackFiles f, const std::string& path, const std::string& from,
               const std::string& to) {
  std::string& s = f[path];
  size_t p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return f;
}

PackFiles Append(PackFiles f, const std::string& path, const std::string& text) {
  f[path] += text;
  return f;
}

// 1-based line of the first occurrence of `needle` in files[path].
int LineOf(const PackFiles& f, const std::string& path, const std::string& needle) {
  const std::string& s = f.at(path);
  size_t p = s.find(needle);
  EXPECT_NE(p, std::string::npos) << needle;
  return 1 + static_cast<int>(std::count(s.begin(), s.begin() + p, '\n'));
}

std::string LoadError(const PackFiles& f) {
  Result<Catalog> r = LoadPack(f);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  return r.status().message();
}

// Loads `f`, expects failure with an error at path:line (line of `needle`) containing `what`.
void ExpectError(const PackFiles& f, const std::string& path, const std::string& needle,
                 const std::string& what) {
  std::string msg = LoadError(f);
  std::string where = path + ":" + std::to_string(LineOf(f, path, needle)) + ": ";
  EXPECT_NE(msg.find(where), std::string::npos) << "want " << where << "\n got: " << msg;
  EXPECT_NE(msg.find(what), std::string::npos) << "want " << what << "\n got: " << msg;
}

TEST(Names, ColumnTypes) {
  EXPECT_STREQ(ColumnTypeName(ColumnType::kText), "text");
  EXPECT_STREQ(ColumnTypeName(ColumnType::kId18), "id18");
  EXPECT_STREQ(ColumnTypeName(ColumnType::kEnum), "enum");
  EXPECT_STREQ(ColumnTypeName(ColumnType::kRef), "ref");
  EXPECT_STREQ(ColumnTypeName(ColumnType::kUnit), "unit");
}

TEST(Names, DisplayRules) {
  for (DisplayRule r :
       {DisplayRule::kInt, DisplayRule::kYuan, DisplayRule::kWan, DisplayRule::kDecimal,
        DisplayRule::kPercent, DisplayRule::kPercentFloor, DisplayRule::kApproxYu,
        DisplayRule::kApproxDuo, DisplayRule::kCnCount, DisplayRule::kList, DisplayRule::kGroups,
        DisplayRule::kGroupsNamed, DisplayRule::kBool, DisplayRule::kText}) {
    EXPECT_EQ(ParseDisplayRule(DisplayRuleName(r)), r) << DisplayRuleName(r);
  }
  EXPECT_STREQ(DisplayRuleName(DisplayRule::kApproxYu), "approx_yu");
  EXPECT_STREQ(DisplayRuleName(DisplayRule::kPercentFloor), "percent_floor");
  EXPECT_EQ(ParseDisplayRule("余"), DisplayRule::kApproxYu);
  EXPECT_EQ(ParseDisplayRule("多"), DisplayRule::kApproxDuo);
  EXPECT_EQ(ParseDisplayRule("floor"), DisplayRule::kPercentFloor);
  EXPECT_EQ(ParseDisplayRule("groups_named"), DisplayRule::kGroupsNamed);
  EXPECT_FALSE(ParseDisplayRule("Int"));
  EXPECT_FALSE(ParseDisplayRule(""));
}

TEST(LoadPack, GoodPack) {
  Result<Catalog> r = LoadPack(GoodPack());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Catalog& c = *r;
  EXPECT_EQ(c.name, "测试包");
  EXPECT_EQ(c.version, "1");
  EXPECT_EQ(c.description, "测试用 台账包");

  EXPECT_EQ(c.org.region, (std::vector<std::string>{"江西省", "宜春市", "袁州区"}));
  EXPECT_EQ(c.org.town.code, "360902117");
  EXPECT_EQ(c.org.town.name, "辽市镇");
  EXPECT_EQ(c.org.town.level, OrgLevel::kTown);
  ASSERT_EQ(c.org.villages.size(), 2u);
  EXPECT_EQ(c.org.villages[1].level, OrgLevel::kVillage);
  EXPECT_EQ(c.org.villages[1].parent_code, "360902117");
  EXPECT_EQ(c.org.villages[1].aliases, (std::vector<std::string>{"院前村委会", "院前"}));
  ASSERT_TRUE(c.org.grids.has_value());
  EXPECT_EQ(c.org.grids->ledger, "grid");
  EXPECT_EQ(c.org.grids->code_column, "网格编号");
  EXPECT_EQ(c.org.grids->name_column, "网格名称");
  EXPECT_EQ(c.org.grids->village_column, "所属村");

  ASSERT_EQ(c.ledgers.size(), 4u);  // files in name order: base.txt, econ.txt
  EXPECT_EQ(c.ledgers[0].id, "household");
  EXPECT_EQ(c.ledgers[3].id, "enterprise");

  const Ledger& hh = c.ledgers[0];
  EXPECT_EQ(hh.title, "农户信息台账");
  EXPECT_EQ(hh.domain, "基础信息");
  EXPECT_EQ(hh.note, "一户 一行");
  EXPECT_EQ(hh.key_column, 0);
  EXPECT_EQ(hh.village_column, 3);  // default: the first unit column
  EXPECT_EQ(hh.grid_column, -1);    // default: no grid
  ASSERT_EQ(hh.columns.size(), 7u);
  EXPECT_TRUE(hh.columns[0].required);
  EXPECT_FALSE(hh.columns[6].required);
  EXPECT_EQ(hh.columns[2].type, ColumnType::kId18);
  EXPECT_EQ(hh.columns[3].type, ColumnType::kUnit);
  EXPECT_EQ(hh.columns[4].type, ColumnType::kRef);
  EXPECT_EQ(hh.columns[4].ref_ledger, "grid");
  EXPECT_EQ(hh.columns[5].type, ColumnType::kInt);
  EXPECT_EQ(hh.columns[5].min, 1);
  EXPECT_EQ(hh.columns[5].max, 30);
  EXPECT_EQ(hh.columns[6].type, ColumnType::kPhone);
  EXPECT_FALSE(hh.columns[6].min.has_value());
  EXPECT_EQ(hh.ColumnIndex("联系电话"), 6);
  EXPECT_EQ(hh.ColumnIndex("没有"), -1);
  EXPECT_EQ(hh.FindColumn("所属村"), &hh.columns[3]);
  EXPECT_EQ(hh.FindColumn("没有"), nullptr);

  const Ledger& person = c.ledgers[2];
  EXPECT_EQ(person.village_column, person.ColumnIndex("现居村"));  // scope, not the first unit
  EXPECT_EQ(person.grid_column, person.ColumnIndex("所属网格"));
  EXPECT_EQ(person.domain, "");
  ASSERT_EQ(person.checks.size(), 2u);
  EXPECT_EQ(person.checks[0].kind, Check::Kind::kIdSex);
  EXPECT_EQ(person.checks[0].id_column, "身份证号");
  EXPECT_EQ(person.checks[0].other_column, "性别");
  EXPECT_EQ(person.checks[1].kind, Check::Kind::kIdBirth);
  EXPECT_EQ(person.checks[1].other_column, "出生日期");
  const Column* sex = person.FindColumn("性别");
  ASSERT_NE(sex, nullptr);
  EXPECT_EQ(sex->type, ColumnType::kEnum);
  EXPECT_EQ(sex->enum_values, (std::vector<std::string>{"男", "女"}));
  EXPECT_TRUE(sex->HasEnumValue("女"));
  EXPECT_FALSE(sex->HasEnumValue("其他"));
  EXPECT_FALSE(sex->HasEnumValue(""));
  EXPECT_EQ(person.FindColumn("出生日期")->type, ColumnType::kDate);

  const Ledger& ent = c.ledgers[3];
  EXPECT_EQ(ent.key_column, -1);
  EXPECT_EQ(ent.village_column, 6);
  EXPECT_EQ(ent.FindColumn("统一社会信用代码")->type, ColumnType::kUscc);
  EXPECT_EQ(ent.FindColumn("是否规上")->type, ColumnType::kBool);
  EXPECT_EQ(ent.FindColumn("月份")->type, ColumnType::kMonth);
  EXPECT_EQ(ent.FindColumn("投资额")->type, ColumnType::kDecimal);
  EXPECT_EQ(ent.FindColumn("投资额")->min, -5);
  EXPECT_EQ(ent.FindColumn("阶段")->enum_values.size(), 3u);

  ASSERT_EQ(c.figures.size(), 5u);
  const FigureDef& f = c.figures[0];
  EXPECT_EQ(f.id, "dispute.found");
  EXPECT_EQ(f.label, "摸排矛盾纠纷数");
  EXPECT_EQ(f.words, "摸排各类大小矛盾纠纷*起");
  EXPECT_EQ(f.expr, "count(household | 家庭人口数 > 1)");  // continuation joined by one space
  EXPECT_EQ(f.display, DisplayRule::kApproxYu);
  EXPECT_EQ(f.note, "按 摸排日期 计");
  EXPECT_EQ(f.file, "figures/a.txt");
  EXPECT_EQ(f.line, 4);
  EXPECT_EQ(c.figures[1].expr, "10");
  EXPECT_EQ(c.figures[1].display, DisplayRule::kInt);  // the default
  EXPECT_EQ(c.figures[1].line, 10);
  EXPECT_EQ(c.figures[2].display, DisplayRule::kPercentFloor);
  EXPECT_EQ(c.figures[2].display_arg, "");
  EXPECT_EQ(c.figures[3].display, DisplayRule::kGroups);
  EXPECT_EQ(c.figures[3].display_arg, "家");
  EXPECT_EQ(c.figures[4].display, DisplayRule::kGroupsNamed);
  EXPECT_EQ(c.figures[4].display_arg, "");

  ASSERT_EQ(c.templates.size(), 1u);
  EXPECT_EQ(c.templates[0].id, "seed");
  EXPECT_EQ(c.templates[0].file, "templates/seed.md");
  EXPECT_EQ(c.templates[0].text, "# {{town}}半年工作总结\n正文\n");
}

TEST(LoadPack, Lookups) {
  Result<Catalog> r = LoadPack(GoodPack());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Catalog& c = *r;
  ASSERT_NE(c.FindLedger("household"), nullptr);
  EXPECT_EQ(c.FindLedger("农户信息台账"), c.FindLedger("household"));
  EXPECT_EQ(c.FindLedger("nosuch"), nullptr);
  EXPECT_EQ(c.FindLedger(""), nullptr);
  ASSERT_NE(c.FindFigure("param.x"), nullptr);
  EXPECT_EQ(c.FindFigure("param.x")->expr, "10");
  EXPECT_EQ(c.FindFigure("param"), nullptr);
  ASSERT_NE(c.FindTemplate("seed"), nullptr);
  EXPECT_EQ(c.FindTemplate("seed.md"), nullptr);

  const OrgTree& org = c.org;
  const OrgUnit* by_code = org.FindVillage("360902117201");
  ASSERT_NE(by_code, nullptr);
  EXPECT_EQ(by_code->name, "院前村");
  EXPECT_EQ(org.FindVillage("院前村"), by_code);
  EXPECT_EQ(org.FindVillage("院前村委会"), by_code);
  EXPECT_EQ(org.FindVillage("院前"), by_code);
  EXPECT_EQ(org.FindVillage(" 院前村\xE3\x80\x80"), by_code);  // stray (ideographic) spaces
  EXPECT_EQ(org.FindVillage("辽市村委会")->code, "360902117200");
  EXPECT_EQ(org.FindVillage("辽市镇"), nullptr);  // the town is not a village
  EXPECT_EQ(org.FindVillage("360902117"), nullptr);
  EXPECT_EQ(org.FindVillage(""), nullptr);
  EXPECT_EQ(org.FindVillage("西坑村"), nullptr);
}

TEST(LoadPack, ValueContinuationNeedsDeeperIndent) {
  // Attributes indented by 4 are attributes, not continuations of a value indented by 4.
  PackFiles f = GoodPack();
  f["figures/a.txt"] =
      "figure a\n"
      "    value 1 +\n"
      "        2\n"
      "    display yuan\n"
      "figure b\n"
      "  value\n"
      "    3\n"
      "  # a comment does not end the value\n"
      "    + 4\n";
  Result<Catalog> r = LoadPack(f);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->figures[0].expr, "1 + 2");
  EXPECT_EQ(r->figures[0].display, DisplayRule::kYuan);
  EXPECT_EQ(r->figures[1].expr, "3 + 4");
  EXPECT_EQ(r->figures[1].line, 6);
}

TEST(LoadPack, CrlfAndBomAndTabs) {
  PackFiles f = GoodPack();
  f["pack.txt"] = "\xEF\xBB\xBFname 包\r\nversion 2\r\n";
  f["ledgers/econ.txt"] = "ledger enterprise 企业台账\r\n\tcolumn 企业名称 text required\r\n";
  Result<Catalog> r = LoadPack(f);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name, "包");
  EXPECT_EQ(r->version, "2");
  EXPECT_EQ(r->FindLedger("enterprise")->columns[0].label, "企业名称");
}

// ---- validation: every error names file:line ----

const char kEcon[] = "ledgers/econ.txt";
const char kBase[] = "ledgers/base.txt";
const char kFig[] = "figures/a.txt";
const char kOrg[] = "org.txt";

TEST(LoadPackErrors, NotUtf8) {
  PackFiles f = With(GoodPack(), kEcon, "column 月份", "column 月\xFF份");
  ExpectError(f, kEcon, "column 月", "不是有效的 UTF-8");
}

TEST(LoadPackErrors, UnknownType) {
  PackFiles f = With(GoodPack(), kEcon, "月份 month", "月份 interger");
  std::string msg = LoadError(f);
  EXPECT_NE(msg.find("ledgers/econ.txt:5: 未知的列类型“interger”"), std::string::npos) << msg;
}

TEST(LoadPackErrors, LedgerIds) {
  PackFiles base = GoodPack();
  ExpectError(Append(base, kEcon, "ledger grid 另一台账\n  column 甲 text\n"), kEcon, "ledger grid",
              "台账 ID“grid”重复（ledgers/base.txt:14 已有）");
  ExpectError(Append(base, kEcon, "ledger other 网格台账\n"), kEcon, "ledger other",
              "台账名称“网格台账”重复");
  ExpectError(With(base, kEcon, "ledger enterprise", "ledger Enterprise"), kEcon, "ledger Ent",
              "台账 ID“Enterprise”不合法");
  ExpectError(With(base, kEcon, "ledger enterprise", "ledger 9x"), kEcon, "ledger 9x", "不合法");
  ExpectError(With(base, kEcon, "ledger enterprise 企业台账", "ledger enterprise"), kEcon,
              "ledger enterprise", "内容不全");
  ExpectError(With(base, kEcon, "企业台账", "企业 台账"), kEcon, "ledger enterprise", "多余的内容");
}

TEST(LoadPackErrors, Labels) {
  PackFiles base = GoodPack();
  ExpectError(With(base, kEcon, "column 月份 month", "column 企业名称 month"), kEcon,
              "column 企业名称 month", "列名“企业名称”在台账 enterprise 中重复（第 2 行已有）");
  for (const std::string bad : {"月\"份", "月'份", "月|份", "月,份", "月\x01份", "月\x7F份",
                                "月\xE3\x80\x80份", "月\xC2\xA0份", "月\xC2\x85份"}) {
    PackFiles f = With(base, kEcon, "column 月份", "column " + bad);
    ExpectError(f, kEcon, bad, "列名");
  }
  // The store's own columns, and ASCII labels that SQL would take for one column.
  ExpectError(With(base, kEcon, "column 月份", "column _row"), kEcon, "column _row", "下划线");
  PackFiles cased =
      With(base, kEcon, "column 月份 month", "column Amount decimal\n  column amount int");
  auto r = LoadPack(cased);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("重复"), std::string::npos) << r.status().message();
}

TEST(LoadPackErrors, Types) {
  PackFiles base = GoodPack();
  struct Case {
    std::string type;
    std::string want;
  };
  for (const Case& c : std::vector<Case>{
           {"enum()", "enum 至少需要一个取值"},
           {"enum", "enum 至少需要一个取值"},
           {"enum(甲|甲)", "enum 的取值“甲”重复"},
           {"enum(甲||乙)", "enum 的取值不能为空"},
           {"enum(甲|乙", "括号不配对"},
           {"enum甲|乙)", "括号不配对"},
           {"enum((甲))", "括号不配对"},
           {"ref(grid", "括号不配对"},
           {"ref)grid(", "括号不配对"},
           {"(grid)", "括号不配对"},
           {"int(3)", "不带参数"},
           {"ref", "ref 需要目标台账"},
           {"ref()", "ref 需要目标台账"},
           {"ref(网格)", "不是台账 ID"},
           {"ref(nosuch)", "ref(nosuch) 指向的台账不存在"},
           {"ref(enterprise)", "没有 key 列"},
       }) {
    PackFiles f = With(base, kEcon, "月份 month", "月份 " + c.type);
    ExpectError(f, kEcon, "月份", c.want);
  }
}

TEST(LoadPackErrors, ColumnAttributes) {
  PackFiles base = GoodPack();
  ExpectError(With(base, kEcon, "min=-5 max=100", "min=5 max=1"), kEcon, "min=5",
              "min=5 大于 max=1");
  ExpectError(With(base, kEcon, "企业名称 text required", "企业名称 text min=1"), kEcon, "min=1",
              "只能用于 int 或 decimal 列");
  ExpectError(With(base, kEcon, "min=-5", "min=abc"), kEcon, "min=abc", "应为整数");
  ExpectError(With(base, kEcon, "min=-5", "min="), kEcon, "min=", "应为整数");
  ExpectError(With(base, kEcon, "min=-5", "min=99999999999999999999999"), kEcon, "min=9",
              "应为整数");
  ExpectError(With(base, kEcon, "企业名称 text required", "企业名称 text requried"), kEcon,
              "requried", "未知的列属性“requried”");
  ExpectError(With(base, kEcon, "企业名称 text required", "企业名称 text required required"), kEcon,
              "required required", "重复");
  ExpectError(With(base, kEcon, "column 企业名称 text required", "column 企业名称"), kEcon,
              "column 企业名称", "内容不全");
}

TEST(LoadPackErrors, KeyScopeCheck) {
  PackFiles base = GoodPack();
  ExpectError(With(base, kBase, "key 户编号", "key 户号"), kBase, "key 户号",
              "key 列“户号”不在台账 household 的列中");
  ExpectError(With(base, kBase, "key 户编号", "key"), kBase, "  key\n", "内容不全");
  ExpectError(With(base, kBase, "scope 现居村 所属网格", "scope 现住村"), kBase, "scope",
              "scope 的所属村列“现住村”不存在");
  ExpectError(With(base, kBase, "scope 现居村 所属网格", "scope 出生日期"), kBase, "scope",
              "应为 unit 类型（现为 date）");
  ExpectError(With(base, kBase, "scope 现居村 所属网格", "scope 现居村 登记村"), kBase, "scope",
              "scope 的网格列“登记村”应为 ref 类型");
  ExpectError(With(base, kBase, "scope 现居村 所属网格", "scope 现居村 户编号"), kBase, "scope",
              "应为 ref(grid)");
  ExpectError(With(base, kBase, "check id_sex 身份证号 性别", "check id_sex 户编号 性别"), kBase,
              "check id_sex", "check id_sex 的身份证列“户编号”应为 id18 类型");
  ExpectError(With(base, kBase, "check id_sex 身份证号 性别", "check id_sex 身份证号 登记村"),
              kBase, "check id_sex", "应为含“男”“女”的 enum");
  ExpectError(With(base, kBase, "column 性别 enum(男|女)", "column 性别 enum(男|其他)"), kBase,
              "check id_sex", "应为含“男”“女”的 enum");
  ExpectError(With(base, kBase, "check id_birth 身份证号 出生日期", "check id_birth 身份证号 性别"),
              kBase, "check id_birth", "check id_birth 的日期列“性别”应为 date 类型");
  ExpectError(
      With(base, kBase, "check id_birth 身份证号 出生日期", "check id_birth 身份证 出生日期"),
      kBase, "check id_birth", "身份证列“身份证”不存在");
  ExpectError(With(base, kBase, "check id_birth", "check id_age"), kBase, "check id_age",
              "未知的校验“id_age”");
  ExpectError(With(base, kBase, "check id_birth 身份证号 出生日期", "check id_birth 身份证号"),
              kBase, "check id_birth", "内容不全");
}

TEST(LoadPackErrors, Period) {
  PackFiles base = GoodPack();
  const char kScope[] = "  scope 现居村 所属网格\n";
  ExpectError(With(base, kBase, kScope, "  scope 现居村 所属网格\n  period at 生日\n"), kBase,
              "period at", "period 的列“生日”不存在");
  ExpectError(With(base, kBase, kScope, "  scope 现居村 所属网格\n  period from 性别\n"), kBase,
              "period from", "period 的列“性别”应为 date 或 month 类型");
  ExpectError(With(base, kBase, kScope, "  scope 现居村 所属网格\n  period 出生日期\n"), kBase,
              "period 出生日期", "period 的写法应为");
  ExpectError(With(base, kBase, kScope, "  scope 现居村 所属网格\n  period at 出生日期 until 出生日期\n"),
              kBase, "period at", "period 的写法应为");
}

TEST(Period, DefaultIsAtTheFirstDateColumnAndFromUntilIsInForce) {
  Result<Catalog> r = LoadPack(GoodPack());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Ledger* person = r->FindLedger("person");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->period_start, person->ColumnIndex("出生日期"));
  EXPECT_EQ(person->period_end, -1);
  EXPECT_FALSE(person->period_in_force);
  EXPECT_EQ(r->FindLedger("grid")->period_start, -1);  // no dates: no period

  Result<PackFiles> files = ReadPackDir("packs/township");
  ASSERT_TRUE(files.ok());
  Result<Catalog> town = LoadPack(*files);
  ASSERT_TRUE(town.ok()) << town.status().message();
  const Ledger* dibao = town->FindLedger("dibao");
  EXPECT_TRUE(dibao->period_in_force);
  EXPECT_EQ(dibao->period_start, dibao->ColumnIndex("批准日期"));
  EXPECT_EQ(dibao->period_end, dibao->ColumnIndex("停保日期"));
  const Ledger* members = town->FindLedger("party_member");
  EXPECT_TRUE(members->period_in_force);
  EXPECT_EQ(members->period_end, -1);
}

TEST(LoadPackErrors, LedgerSyntax) {
  PackFiles base = GoodPack();
  ExpectError(With(base, kBase, "  domain 基础信息", "  domian 基础信息"), kBase, "domian",
              "未知的台账属性“domian”");
  ExpectError(With(base, kBase, "  note 一户 一行", "  domain 重复"), kBase, "domain 重复",
              "重复的 domain");
  ExpectError(With(base, kBase, "  note 一户 一行", "  note"), kBase, "  note", "note 缺少内容");
  ExpectError(With(base, kBase, "# registries", "  column 甲 text"), kBase, "column 甲",
              "缩进的行不属于任何 ledger 块");
  ExpectError(Append(base, kBase, "figure x\n  value 1\n"), kBase, "figure x",
              "figure 块应写在 figures/ 目录下");
  ExpectError(Append(base, kBase, "table x 表\n"), kBase, "table x", "未知的块“table”");
}

TEST(LoadPackErrors, Figures) {
  PackFiles base = GoodPack();
  ExpectError(With(base, kFig, "figure rate", "figure Rate"), kFig, "figure Rate",
              "指标 ID“Rate”不合法");
  ExpectError(With(base, kFig, "figure rate", "figure a..b"), kFig, "figure a..b", "不合法");
  ExpectError(With(base, kFig, "figure rate", "figure a.b."), kFig, "figure a.b.", "不合法");
  ExpectError(With(base, kFig, "figure rate", "figure param.x"), kFig, "figure param.x\n  label",
              "指标 ID“param.x”重复（figures/a.txt:9 已有）");
  ExpectError(With(base, kFig, "  value 10\n", ""), kFig, "figure param.x", "缺少 value");
  ExpectError(With(base, kFig, "  value 10\n", "  value\n"), kFig, "  value\n", "value 缺少内容");
  ExpectError(With(base, kFig, "display percent_floor", "display percent_flor"), kFig,
              "percent_flor", "未知的显示规则“percent_flor”");
  ExpectError(With(base, kFig, "display percent_floor", "display"), kFig, "  display\n",
              "内容不全");
  ExpectError(With(base, kFig, "display percent_floor", "display percent 家"), kFig,
              "display percent 家", "只有 groups 和 groups_named 可以带量词");
  ExpectError(With(base, kFig, "display percent_floor", "display groups 家 户"), kFig,
              "display groups", "多余的内容“户”");
  ExpectError(With(base, kFig, "  label 比率", "  lable 比率"), kFig, "lable",
              "未知的指标属性“lable”");
  ExpectError(With(base, kFig, "  label 比率", "  value 1"), kFig, "  value 100", "重复的 value");
  ExpectError(With(base, kFig, "  label 比率", "  label"), kFig, "  label\n", "label 缺少内容");
  ExpectError(With(base, kFig, "figure rate", "figure"), kFig, "figure\n", "内容不全");
  ExpectError(Append(base, kFig, "ledger x 某台账\n"), kFig, "ledger x",
              "ledger 块应写在 ledgers/ 目录下");
}

TEST(LoadPackErrors, Org) {
  PackFiles base = GoodPack();
  std::string msg = LoadError(With(base, kOrg, "town 360902117 辽市镇\n", ""));
  EXPECT_NE(msg.find("org.txt: 缺少 town"), std::string::npos) << msg;
  ExpectError(Append(base, kOrg, "town 360902118 别镇\n"), kOrg, "town 360902118",
              "只能有一个 town");
  ExpectError(With(base, kOrg, "town 360902117", "town 36090211"), kOrg, "town",
              "镇代码“36090211”应为 9 位数字");
  ExpectError(With(base, kOrg, "town 360902117 辽市镇", "town 360902117"), kOrg, "town",
              "内容不全");
  ExpectError(With(base, kOrg, "village 360902117201", "village 36090211720"), kOrg,
              "village 36090211720 ", "应为 12 位数字");
  ExpectError(With(base, kOrg, "village 360902117201", "village 360902118201"), kOrg,
              "village 360902118201", "应以镇代码 360902117 开头");
  ExpectError(With(base, kOrg, "village 360902117201", "village 360902117200"), kOrg, "院前村",
              "村代码“360902117200”重复（第 4 行已有）");
  ExpectError(With(base, kOrg, "院前村委会 院前", "院前村委会 辽市村委会"), kOrg, "院前村",
              "村名或别名“辽市村委会”重复");
  ExpectError(With(base, kOrg, "院前村 院前村委会", "辽市村 院前村委会"), kOrg, "院前村委会",
              "村名或别名“辽市村”重复");
  ExpectError(With(base, kOrg, "grids grid", "grids grids"), kOrg, "grids",
              "grids 的台账“grids”不存在");
  ExpectError(With(base, kOrg, "网格名称 所属村", "网格名 所属村"), kOrg, "grids",
              "grids 的名称列“网格名”不在台账 grid 中");
  ExpectError(With(base, kOrg, "grids grid 网格编号 网格名称 所属村",
                   "grids grid 网格名称 网格编号 所属村"),
              kOrg, "grids", "应为台账 grid 的 key 列");
  ExpectError(With(base, kOrg, "grids grid 网格编号 网格名称 所属村",
                   "grids grid 网格编号 网格名称 网格名称"),
              kOrg, "grids", "应为 unit 类型");
  ExpectError(With(base, kOrg, "grids grid 网格编号 网格名称 所属村", "grids grid 网格编号"), kOrg,
              "grids", "内容不全");
  ExpectError(Append(base, kOrg, "  village 360902117209 上石村\n"), kOrg, "上石村",
              "不应有缩进的行");
  ExpectError(Append(base, kOrg, "villag 360902117209 上石村\n"), kOrg, "villag 36",
              "未知的关键字“villag”");
  ExpectError(With(base, kOrg, "region 江西省 宜春市 袁州区", "region"), kOrg, "region",
              "内容不全");
}

// A district's or a city's tree: `city`/`district` above the towns; village names repeat across
// towns (院前村 is in 辽市镇 and 金瑞镇) and are looked up within a town; codes nest by prefix.
constexpr char kCityOrg[] =
    "region 江西省\n"
    "city 3609 宜春市\n"
    "district 360902 袁州区\n"
    "town 360902117 辽市镇\n"
    "village 360902117200 辽市村 辽市村委会\n"
    "village 360902117201 院前村 院前村委会\n"
    "town 360902102 金瑞镇\n"
    "village 360902102213 院前村 院前村委会\n"
    "district 360981 丰城市\n"
    "town 360981100 剑光街道\n"
    "village 360981100001 龙津社区 龙津社区居委会\n"
    "grids grid 网格编号 网格名称 所属村\n";

TEST(LoadPack, CityTree) {
  PackFiles f = GoodPack();
  f[kOrg] = kCityOrg;
  Result<Catalog> r = LoadPack(f);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const OrgTree& org = r->org;
  EXPECT_TRUE(org.MultiTown());
  EXPECT_EQ(org.town.level, OrgLevel::kCity);
  EXPECT_EQ(org.town.code, "3609");
  ASSERT_EQ(org.districts.size(), 2u);
  EXPECT_EQ(org.districts[1].parent_code, "3609");
  ASSERT_EQ(org.towns.size(), 3u);
  EXPECT_EQ(org.towns[1].parent_code, "360902");
  EXPECT_EQ(org.towns[2].parent_code, "360981");
  ASSERT_EQ(org.villages.size(), 4u);
  EXPECT_EQ(org.villages[2].parent_code, "360902102");
  // 院前村 names two villages: by name alone it is ambiguous, within a town it is one.
  EXPECT_EQ(org.FindVillage("院前村"), nullptr);
  EXPECT_EQ(org.VillagesNamed("院前村委会").size(), 2u);
  ASSERT_NE(org.FindVillageIn("360902102", "院前村"), nullptr);
  EXPECT_EQ(org.FindVillageIn("360902102", "院前村")->code, "360902102213");
  ASSERT_NE(org.FindVillage("360902117201"), nullptr);
  EXPECT_EQ(org.FindVillage("龙津社区")->code, "360981100001");
  EXPECT_EQ(org.FindAbove("袁州区")->code, "360902");
  EXPECT_EQ(org.FindAbove("金瑞镇")->code, "360902102");
  EXPECT_EQ(org.FindAbove("宜春市")->level, OrgLevel::kCity);
  EXPECT_EQ(org.FindAbove("院前村"), nullptr);
  EXPECT_EQ(org.TownOfVillage("360902102213")->name, "金瑞镇");
  EXPECT_EQ(org.TownCodesUnder(org.town).size(), 3u);
  EXPECT_EQ(org.TownCodesUnder(*org.FindAbove("袁州区")),
            (std::vector<std::string>{"360902117", "360902102"}));
  EXPECT_EQ(org.VillagesOf("360902117").size(), 2u);
}

TEST(LoadPack, DistrictTreeAndTheTownshipTreeUnchanged) {
  PackFiles f = GoodPack();
  f[kOrg] = "district 360902 袁州区\ntown 360902117 辽市镇\nvillage 360902117201 院前村\n"
            "town 360902102 金瑞镇\nvillage 360902102213 院前村\n";
  Result<Catalog> r = LoadPack(f);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->org.town.level, OrgLevel::kDistrict);
  EXPECT_TRUE(r->org.districts.empty());
  EXPECT_EQ(r->org.towns[1].parent_code, "360902");
  // A township pack: the root is its one town, listed in towns too.
  Result<Catalog> town = LoadPack(GoodPack());
  ASSERT_TRUE(town.ok());
  EXPECT_FALSE(town->org.MultiTown());
  EXPECT_EQ(town->org.town.code, "360902117");
  ASSERT_EQ(town->org.towns.size(), 1u);
  EXPECT_EQ(town->org.FindVillage("院前")->code, "360902117201");
}

TEST(LoadPackErrors, CityTree) {
  PackFiles base = GoodPack();
  base[kOrg] = kCityOrg;
  ExpectError(With(base, kOrg, "town 360902102 金瑞镇", "town 360903102 金瑞镇"), kOrg,
              "town 360903102", "应以区县代码 360902 开头");
  ExpectError(With(base, kOrg, "district 360981", "district 370981"), kOrg, "district 370981",
              "应以市代码 3609 开头");
  ExpectError(With(base, kOrg, "village 360902102213 院前村 院前村委会",
                   "village 360902102213 院前村 院前村委会\nvillage 360902102214 院前村"),
              kOrg, "360902102214", "村名或别名“院前村”重复");
  ExpectError(With(base, kOrg, "town 360902102 金瑞镇", "town 360902102 辽市镇"), kOrg,
              "town 360902102", "名称“辽市镇”重复");
  ExpectError(With(base, kOrg, "city 3609 宜春市\n", ""), kOrg, "district 360981",
              "有多个 district 时应先写 city 行");
  ExpectError(With(base, kOrg, "city 3609", "city 360"), kOrg, "city 360 ", "应为 4 位数字");
  PackFiles no_town = GoodPack();
  no_town[kOrg] = "city 3609 宜春市\nvillage 360902117201 院前村\n";
  ExpectError(no_town, kOrg, "village", "village 行应在它所属的 town 行之后");
}

TEST(Dashboard, CardsCompareAndTrend) {
  PackFiles f = GoodPack();
  Result<Catalog> none = LoadPack(f);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->dashboard.cards.empty());  // optional
  f["dashboard.txt"] =
      "# 看板\n"
      "card 平安建设\n"
      "  figures dispute.found\n"
      "  figures param.x dispute.found\n"
      "card 其他\n"
      "  figures param.x\n"
      "compare dispute.found\n"
      "trend dispute.found param.x\n";
  Result<Catalog> c = LoadPack(f);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->dashboard.cards.size(), 2u);
  EXPECT_EQ(c->dashboard.cards[0].title, "平安建设");
  EXPECT_EQ(c->dashboard.cards[0].figures,
            (std::vector<std::string>{"dispute.found", "param.x", "dispute.found"}));
  EXPECT_EQ(c->dashboard.compare, (std::vector<std::string>{"dispute.found"}));
  EXPECT_EQ(c->dashboard.trend, (std::vector<std::string>{"dispute.found", "param.x"}));
}

TEST(LoadPackErrors, Dashboard) {
  PackFiles base = GoodPack();
  base["dashboard.txt"] = "card 平安建设\n  figures dispute.found\ntrend dispute.found\n";
  ASSERT_TRUE(LoadPack(base).ok());
  const char kDash[] = "dashboard.txt";
  ExpectError(With(base, kDash, "  figures dispute.found", "  figures no.such"), kDash,
              "no.such", "没有编号为“no.such”的指标");
  ExpectError(Append(base, kDash, "trend param.x\n"), kDash, "trend param.x", "重复的 trend");
  ExpectError(Append(base, kDash, "chart x\n"), kDash, "chart", "未知的关键字“chart”");
  ExpectError(Append(base, kDash, "card 空卡片\n"), kDash, "空卡片", "没有 figures 行");
  ExpectError(Append(base, kDash, "compare\n"), kDash, "compare", "内容不全");
  ExpectError(With(base, kDash, "card 平安建设\n", "  figures param.x\ncard 平安建设\n"), kDash,
              "param.x", "缩进的行应为卡片下的 figures 行");
}

TEST(LoadPackErrors, PackTxt) {
  PackFiles base = GoodPack();
  std::string msg = LoadError(With(base, "pack.txt", "name 测试包\n", ""));
  EXPECT_NE(msg.find("pack.txt: 缺少 name"), std::string::npos) << msg;
  ExpectError(Append(base, "pack.txt", "author 某人\n"), "pack.txt", "author",
              "未知的关键字“author”");
  ExpectError(Append(base, "pack.txt", "name 又一个\n"), "pack.txt", "又一个", "重复的 name");
  PackFiles f = base;
  f.erase("pack.txt");
  f.erase("org.txt");
  msg = LoadError(f);
  EXPECT_NE(msg.find("缺少 pack.txt"), std::string::npos) << msg;
  EXPECT_NE(msg.find("缺少 org.txt"), std::string::npos) << msg;
}

TEST(LoadPackErrors, AllErrorsCollectedInFileAndLineOrder) {
  PackFiles f = GoodPack();
  f = With(f, kFig, "display approx_yu", "display nope");
  f = With(f, kEcon, "月份 month", "月份 interger");
  f = With(f, kEcon, "是否规上 bool", "是否规上 boolean");
  f = With(f, kOrg, "town 360902117", "town 3609021170");
  std::string msg = LoadError(f);
  size_t org = msg.find("org.txt:2: ");
  size_t econ4 = msg.find("ledgers/econ.txt:4: ");
  size_t econ5 = msg.find("ledgers/econ.txt:5: ");
  size_t fig = msg.find("figures/a.txt:6: ");
  ASSERT_NE(org, std::string::npos) << msg;
  ASSERT_NE(econ4, std::string::npos) << msg;
  ASSERT_NE(econ5, std::string::npos) << msg;
  ASSERT_NE(fig, std::string::npos) << msg;
  EXPECT_LT(org, econ4);
  EXPECT_LT(econ4, econ5);
  EXPECT_LT(econ5, fig);
  // The log message is English and names the same places.
  Result<Catalog> r = LoadPack(f);
  EXPECT_NE(r.status().log_message().find("ledgers/econ.txt:5: unknown column type 'interger'"),
            std::string::npos)
      << r.status().log_message();
}

TEST(LoadPackErrors, HostileInput) {
  PackFiles base = GoodPack();
  // A megabyte-long label: a clear, short error.
  std::string huge(1 << 20, 'x');
  std::string msg = LoadError(With(base, kEcon, "column 月份 month", "column 月份 " + huge));
  EXPECT_NE(msg.find("ledgers/econ.txt:5: 未知的列类型"), std::string::npos);
  EXPECT_LT(msg.size(), 1000u);
  // A huge line without a newline at the end of the file, and many errors: capped.
  PackFiles f = base;
  std::string many;
  for (int i = 0; i < 500; ++i) many += "  bogus " + std::to_string(i) + "\n";
  f[kEcon] += many + huge;
  msg = LoadError(f);
  EXPECT_NE(msg.find("另有"), std::string::npos);
  EXPECT_LT(msg.size(), 100000u);
  // Random bytes and random fragments of pack syntax never crash.
  std::mt19937 rng(42);
  const std::vector<std::string> bits = {
      "ledger ",  "figure ",  "column ", "  ",      "    ",      "\n",
      "(",        ")",        "|",       "enum(",   "ref(",      "value ",
      "key ",     "scope ",   "check ",  "id_sex ", "min=",      "max=",
      "required", "x",        "甲",      "#",       "\t",        "\r",
      " ",        "village ", "town ",   "grids ",  "360902117", "\xE3\x80\x80",
      "=",        "."};
  for (int round = 0; round < 300; ++round) {
    PackFiles g = base;
    std::string junk;
    for (int i = 0; i < 60; ++i) junk += bits[rng() % bits.size()];
    const char* target[] = {kEcon, kBase, kFig, kOrg, "pack.txt"};
    g[target[round % 5]] += junk;
    Result<Catalog> r = LoadPack(g);
    if (!r.ok()) {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
  for (int round = 0; round < 100; ++round) {
    PackFiles g = base;
    std::string junk;
    for (int i = 0; i < 200; ++i) junk += static_cast<char>(rng() % 256);
    g[kEcon] = junk;
    (void)LoadPack(g);
  }
}

// ---- sensitive columns, restricted ledgers, roles ----

TEST(Sensitive, IdAndPhoneAlwaysOthersWhenMarked) {
  PackFiles f = With(GoodPack(), kBase, "column 户主姓名 text required",
                     "column 户主姓名 text required sensitive");
  Result<Catalog> r = LoadPack(f);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Ledger* hh = r->FindLedger("household");
  EXPECT_TRUE(hh->FindColumn("户主姓名")->sensitive);      // marked
  EXPECT_TRUE(hh->FindColumn("户主身份证号")->sensitive);  // id18: implicit
  EXPECT_TRUE(hh->FindColumn("联系电话")->sensitive);      // phone: implicit
  EXPECT_FALSE(hh->FindColumn("户编号")->sensitive);
  EXPECT_FALSE(hh->FindColumn("所属村")->sensitive);
  EXPECT_TRUE(hh->FindColumn("户主姓名")->required);  // flags in any order, both kept
  f = With(GoodPack(), kEcon, "column 企业名称 text required", "column 企业名称 sensitive text");
  ExpectError(f, kEcon, "企业名称", "未知的列类型“sensitive”");

  PackFiles base = GoodPack();
  ExpectError(With(base, kEcon, "企业名称 text required", "企业名称 text sensitive=1"), kEcon,
              "sensitive=1", "sensitive 不带值");
  ExpectError(With(base, kEcon, "企业名称 text required", "企业名称 text sensitive sensitive"),
              kEcon, "sensitive sensitive", "列属性 sensitive 重复");
  ExpectError(With(base, kEcon, "企业名称 text required", "企业名称 text secret"), kEcon, "secret",
              "（应为 required、sensitive、min=N 或 max=N）");
}

TEST(Restricted, LedgerAttribute) {
  PackFiles base = GoodPack();
  PackFiles f = With(base, kEcon, "ledger enterprise 企业台账\n",
                     "ledger enterprise 企业台账\n  restricted\n");
  Result<Catalog> r = LoadPack(f);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->FindLedger("enterprise")->restricted);
  EXPECT_FALSE(r->FindLedger("household")->restricted);  // the default

  ExpectError(With(base, kEcon, "ledger enterprise 企业台账\n",
                   "ledger enterprise 企业台账\n  restricted yes\n"),
              kEcon, "restricted yes", "多余的内容“yes”");
  std::string msg = LoadError(With(base, kEcon, "ledger enterprise 企业台账\n",
                                   "ledger enterprise 企业台账\n  restricted\n  restricted\n"));
  EXPECT_NE(msg.find("ledgers/econ.txt:3: 重复的 restricted"), std::string::npos) << msg;
  ExpectError(
      With(base, kEcon, "ledger enterprise 企业台账\n", "ledger enterprise 企业台账\n  secret\n"),
      kEcon, "secret", "（应为 domain、note、key、column、scope、period、check 或 restricted）");
}

TEST(Names, PermissionsAndScopes) {
  for (const char* p : kPermissions) EXPECT_TRUE(IsPermission(p)) << p;
  EXPECT_EQ(std::size(kPermissions), 8u);
  EXPECT_FALSE(IsPermission("Read"));
  EXPECT_FALSE(IsPermission("delete"));
  EXPECT_FALSE(IsPermission(""));
  EXPECT_FALSE(IsPermission("*"));
  EXPECT_STREQ(RoleScopeName(RoleScope::kNone), "none");
  EXPECT_STREQ(RoleScopeName(RoleScope::kTown), "town");
  EXPECT_STREQ(RoleScopeName(RoleScope::kVillage), "village");
  EXPECT_STREQ(RoleScopeName(RoleScope::kGrid), "grid");
}

const char kRoles[] = "roles.txt";

// GoodPack with two restricted ledgers, a ledger placed in no village, and roles.txt using every
// attribute.
PackFiles RolesPack() {
  PackFiles f = GoodPack();
  f["ledgers/secret.txt"] =
      "ledger petition 信访件台账\n"
      "  restricted\n"
      "  column 信访人 text required sensitive\n"
      "  column 所属村 unit\n"
      "ledger case 纪检案件台账\n"
      "  restricted\n"
      "  column 被审查人 text\n"
      "ledger meeting 会议台账\n"
      "  column 日期 date required\n";
  f[kRoles] =
      "# 角色\n"
      "role admin 系统管理员\n"
      "  scope none\n"
      "  can users audit\n"
      "\n"
      "role town_cadre 镇干部\n"
      "  scope town   # 全镇\n"
      "  can read write import export report unmask\n"
      "  ledgers *\n"
      "role village_cadre 村干部\n"
      "  scope village\n"
      "  can read\n"
      "  ledgers *\n"
      "role grid_worker 网格员\n"
      "  scope grid\n"
      "  can read write\n"
      "  ledgers person\n"
      "role leader 领导\n"
      "  scope town\n"
      "  can read report\n"
      "  ledgers *\n"
      "  restricted *\n"
      "role stability_2 综治信访干部\n"
      "  scope town\n"
      "  can read\n"
      "  ledgers petition household\n"
      "  restricted petition\n"
      "role guest 访客\n"
      "  scope town\n";
  return f;
}

TEST(Roles, Parsed) {
  Result<Catalog> none = LoadPack(GoodPack());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->roles.empty());  // roles.txt is optional

  Result<Catalog> r = LoadPack(RolesPack());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Catalog& c = *r;
  ASSERT_EQ(c.roles.size(), 7u);
  const Role& admin = c.roles[0];
  EXPECT_EQ(admin.id, "admin");
  EXPECT_EQ(admin.title, "系统管理员");
  EXPECT_EQ(admin.scope, RoleScope::kNone);
  EXPECT_EQ(admin.permissions, (std::vector<std::string>{"users", "audit"}));
  EXPECT_FALSE(admin.all_ledgers);
  EXPECT_TRUE(admin.ledgers.empty());
  EXPECT_EQ(admin.file, "roles.txt");
  EXPECT_EQ(admin.line, 2);

  const Role* town = c.FindRole("town_cadre");
  ASSERT_NE(town, nullptr);
  EXPECT_EQ(c.FindRole("镇干部"), town);
  EXPECT_EQ(c.FindRole("nosuch"), nullptr);
  EXPECT_EQ(c.FindRole(""), nullptr);
  EXPECT_EQ(town->scope, RoleScope::kTown);  // a comment after the word is not a word
  EXPECT_TRUE(town->all_ledgers);
  EXPECT_FALSE(town->all_restricted);
  EXPECT_EQ(town->permissions.size(), 6u);
  EXPECT_EQ(c.FindRole("village_cadre")->scope, RoleScope::kVillage);
  const Role* grid = c.FindRole("网格员");
  EXPECT_EQ(grid->scope, RoleScope::kGrid);
  EXPECT_EQ(grid->ledgers, (std::vector<std::string>{"person"}));
  EXPECT_TRUE(c.FindRole("leader")->all_restricted);
  const Role* stab = c.FindRole("stability_2");
  EXPECT_FALSE(stab->all_ledgers);
  EXPECT_EQ(stab->ledgers, (std::vector<std::string>{"petition", "household"}));
  EXPECT_EQ(stab->restricted, (std::vector<std::string>{"petition"}));
  const Role* guest = c.FindRole("guest");
  EXPECT_TRUE(guest->permissions.empty());  // no `can`: no permission
  EXPECT_FALSE(guest->all_ledgers);         // no `ledgers`: no ledger
  EXPECT_TRUE(guest->ledgers.empty());
}

TEST(Roles, CanAndSeesLedger) {
  Result<Catalog> r = LoadPack(RolesPack());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Catalog& c = *r;
  const Ledger& household = *c.FindLedger("household");
  const Ledger& meeting = *c.FindLedger("meeting");
  const Ledger& petition = *c.FindLedger("petition");
  const Ledger& kase = *c.FindLedger("case");
  ASSERT_TRUE(petition.restricted);
  ASSERT_TRUE(kase.restricted);

  const Role& town = *c.FindRole("town_cadre");
  EXPECT_TRUE(town.Can("read"));
  EXPECT_TRUE(town.Can("unmask"));
  EXPECT_FALSE(town.Can("users"));
  EXPECT_FALSE(town.Can(""));
  EXPECT_FALSE(town.Can("READ"));
  EXPECT_TRUE(town.SeesLedger(household));
  EXPECT_TRUE(town.SeesLedger(meeting));
  EXPECT_FALSE(town.SeesLedger(petition));  // `ledgers *` is every unrestricted ledger only
  EXPECT_FALSE(town.SeesLedger(kase));

  // Scope placement is not the role's business: `ledgers *` includes the ledger that has no
  // village column; the principal checks placement (src/auth).
  EXPECT_TRUE(c.FindRole("village_cadre")->SeesLedger(meeting));

  const Role& leader = *c.FindRole("leader");
  EXPECT_TRUE(leader.SeesLedger(petition));
  EXPECT_TRUE(leader.SeesLedger(kase));
  EXPECT_TRUE(leader.SeesLedger(household));
  EXPECT_FALSE(leader.Can("write"));

  const Role& stab = *c.FindRole("stability_2");
  EXPECT_TRUE(stab.SeesLedger(petition));
  EXPECT_TRUE(stab.SeesLedger(household));
  EXPECT_FALSE(stab.SeesLedger(kase));
  EXPECT_FALSE(stab.SeesLedger(meeting));  // not listed

  const Role& admin = *c.FindRole("admin");
  EXPECT_TRUE(admin.Can("users"));
  EXPECT_TRUE(admin.Can("audit"));
  EXPECT_FALSE(admin.Can("read"));
  for (const Ledger& l : c.ledgers) {
    EXPECT_FALSE(admin.SeesLedger(l)) << l.id;
    EXPECT_FALSE(c.FindRole("guest")->SeesLedger(l)) << l.id;
  }

  // A restricted ledger listed under `ledgers` still needs its grant; the grant alone suffices.
  Role listed;
  listed.ledgers = {"petition", "household"};
  EXPECT_FALSE(listed.SeesLedger(petition));
  EXPECT_TRUE(listed.SeesLedger(household));
  Role granted;
  granted.restricted = {"case"};
  EXPECT_TRUE(granted.SeesLedger(kase));
  EXPECT_FALSE(granted.SeesLedger(petition));
  EXPECT_FALSE(granted.SeesLedger(household));
  Role all;
  all.all_ledgers = true;
  all.all_restricted = true;
  for (const Ledger& l : c.ledgers) EXPECT_TRUE(all.SeesLedger(l)) << l.id;
}

TEST(LoadPackErrors, Roles) {
  PackFiles base = RolesPack();
  ASSERT_TRUE(LoadPack(base).ok()) << LoadPack(base).status().message();

  // Blocks and syntax.
  ExpectError(With(base, kRoles, "role admin 系统管理员", "role Admin 系统管理员"), kRoles,
              "role Admin", "角色 ID“Admin”不合法（只能含小写字母 a-z、数字 0-9 和 _）");
  ExpectError(With(base, kRoles, "role admin 系统管理员", "role ad-min 系统管理员"), kRoles,
              "role ad-min", "角色 ID“ad-min”不合法");
  ExpectError(Append(base, kRoles, "role admin 另一个管理员\n  scope none\n"), kRoles,
              "另一个管理员", "角色 ID“admin”重复（roles.txt:2 已有）");
  ExpectError(Append(base, kRoles, "role admin2 系统管理员\n  scope none\n"), kRoles, "role admin2",
              "角色名称“系统管理员”重复（roles.txt:2 已有）");
  ExpectError(Append(base, kRoles, "role x\n"), kRoles, "role x",
              "内容不全，应为：role 角色ID 角色名称");
  ExpectError(Append(base, kRoles, "group g 组\n"), kRoles, "group",
              "未知的块“group”（roles.txt 只能有 role 块）");
  PackFiles f = base;
  f[kRoles] = "  scope town\n" + f[kRoles];
  ExpectError(f, kRoles, "scope town", "缩进的行不属于任何 role 块");
  ExpectError(Append(base, kRoles, "  perms read\n"), kRoles, "perms",
              "未知的角色属性“perms”（应为 scope、can、ledgers 或 restricted）");
  ExpectError(Append(base, kRoles, "  scope none  # 又一次\n"), kRoles, "又一次", "重复的 scope");
  ExpectError(Append(base, kRoles, "role guest2 访客二\n  can read\n"), kRoles, "role guest2",
              "角色“guest2”缺少 scope 行");

  // scope
  ExpectError(With(base, kRoles, "scope village", "scope county"), kRoles, "scope county",
              "未知的数据范围“county”（应为 none、town、village 或 grid）");
  ExpectError(With(base, kRoles, "scope village", "scope"), kRoles, "  scope\n", "内容不全");
  ExpectError(With(base, kOrg, "grids grid 网格编号 网格名称 所属村\n", ""), kRoles, "scope grid",
              "org.txt 没有 grids 行（本包没有网格），数据范围不能为 grid");

  // can
  ExpectError(
      With(base, kRoles, "can read write import", "can read wirte import"), kRoles, "wirte",
      "未知的权限“wirte”（应为 read、write、import、export、report、unmask、users、audit）");
  ExpectError(With(base, kRoles, "can users audit", "can users audit users"), kRoles,
              "can users audit users", "权限“users”重复");
  ExpectError(With(base, kRoles, "can users audit", "can"), kRoles, "  can\n", "内容不全");

  // ledgers / restricted
  ExpectError(With(base, kRoles, "ledgers petition household", "ledgers petition nosuch"), kRoles,
              "ledgers petition nosuch", "没有 ID 为“nosuch”的台账");
  ExpectError(With(base, kRoles, "restricted petition", "restricted nosuch"), kRoles,
              "restricted nosuch", "没有 ID 为“nosuch”的台账");
  ExpectError(With(base, kRoles, "restricted petition", "restricted petition household"), kRoles,
              "restricted petition household", "台账“household”（农户信息台账）不是受限台账");
  ExpectError(
      With(base, kRoles, "ledgers petition household", "ledgers petition household petition"),
      kRoles, "ledgers petition household", "台账 ID“petition”重复");
  ExpectError(With(base, kRoles, "restricted *", "restricted * case"), kRoles, "restricted * case",
              "restricted * 表示全部，不能再列出台账 ID");
  ExpectError(With(base, kRoles, "restricted *", "restricted"), kRoles, "  restricted\n",
              "内容不全");

  // Scope none: no data at all.
  ExpectError(With(base, kRoles, "can users audit", "can users read export"), kRoles,
              "can users read",
              "角色“admin”的数据范围为 none（看不到台账数据），不能授予 read、export");
  ExpectError(With(base, kRoles, "can users audit\n", "can users audit\n  ledgers household\n"),
              kRoles, "ledgers household",
              "角色“admin”的数据范围为 none（看不到台账数据），不能有 ledgers 行");
  ExpectError(With(base, kRoles, "can users audit\n", "can users audit\n  ledgers *\n"), kRoles,
              "ledgers *", "不能有 ledgers 行");
  ExpectError(With(base, kRoles, "can users audit\n", "can users audit\n  restricted case\n"),
              kRoles, "restricted case", "不能有 restricted 行");

  // Explicitly listed ledgers must be placeable in the scope (`ledgers *` just skips them).
  ExpectError(With(base, kRoles, "scope village\n  can read\n  ledgers *",
                   "scope village\n  can read\n  ledgers household meeting"),
              kRoles, "ledgers household meeting",
              "台账“meeting”（会议台账）没有所属村列，村级数据范围的角色看不到它");
  ExpectError(With(base, kRoles, "ledgers person", "ledgers person household"), kRoles,
              "ledgers person household",
              "台账“household”（农户信息台账）没有所属网格列，网格级数据范围的角色看不到它");
  ExpectError(With(base, kRoles, "scope grid\n  can read write\n  ledgers person",
                   "scope grid\n  can read write\n  ledgers person\n  restricted petition"),
              kRoles, "restricted petition", "台账“petition”（信访件台账）没有所属网格列");

  // Errors come in file order: roles.txt after the ledgers it names.
  f = With(base, kRoles, "ledgers person", "ledgers nosuch");
  f = With(f, kEcon, "月份 month", "月份 interger");
  std::string msg = LoadError(f);
  size_t econ = msg.find("ledgers/econ.txt:");
  size_t roles = msg.find("roles.txt:");
  ASSERT_NE(econ, std::string::npos) << msg;
  ASSERT_NE(roles, std::string::npos) << msg;
  EXPECT_LT(econ, roles);
}

// ---- ReadPackDir ----

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("tz_pack_test_" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void Write(const std::string& rel, const std::string& text) const {
    fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }

 private:
  fs::path path_;
};

TEST(ReadPackDir, ReadsThePackFilesInOrder) {
  TempDir dir;
  PackFiles good = GoodPack();
  for (const auto& [rel, text] : good) dir.Write(rel, text);
  dir.Write("ledgers/notes.md", "not a ledger file");
  dir.Write("ledgers/.#econ.txt", "an editor lock file");
  dir.Write("ledgers/sub/deep.txt", "not read: no recursion");
  dir.Write("templates/other.txt", "not a template");
  dir.Write("templates/a.md", "# A\n");

  Result<PackFiles> r = ReadPackDir(dir.path().string());
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::vector<std::string> keys;
  for (const auto& [rel, text] : *r) keys.push_back(rel);
  EXPECT_EQ(keys, (std::vector<std::string>{"figures/a.txt", "ledgers/base.txt", "ledgers/econ.txt",
                                            "org.txt", "pack.txt", "templates/a.md",
                                            "templates/seed.md"}));
  EXPECT_EQ(r->at("org.txt"), good.at("org.txt"));
  Result<Catalog> c = LoadPack(*r);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->templates.size(), 2u);
  EXPECT_EQ(c->templates[0].id, "a");
  EXPECT_EQ(c->templates[1].id, "seed");
}

TEST(ReadPackDir, ReadsTheOptionalRolesTxt) {
  TempDir dir;
  for (const auto& [rel, text] : RolesPack()) dir.Write(rel, text);
  Result<PackFiles> r = ReadPackDir(dir.path().string());
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->count("roles.txt"), 1u);
  EXPECT_EQ(r->at("roles.txt"), RolesPack().at("roles.txt"));
  Result<Catalog> c = LoadPack(*r);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->roles.size(), 7u);
}

TEST(ReadPackDir, MissingThings) {
  Result<PackFiles> r = ReadPackDir("/nonexistent/tz/pack");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("找不到台账包目录"), std::string::npos);

  TempDir dir;
  dir.Write("pack.txt", "name x\n");
  r = ReadPackDir(dir.path().string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("缺少 org.txt"), std::string::npos) << r.status().message();

  TempDir dir2;
  dir2.Write("org.txt", "town 360902117 辽市镇\n");
  r = ReadPackDir(dir2.path().string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("缺少 pack.txt"), std::string::npos);
}

// ---- the shipped pack ----

TEST(TownshipPack, Loads) {
  Result<PackFiles> files = ReadPackDir("packs/township");
  ASSERT_TRUE(files.ok()) << files.status().message();
  Result<Catalog> r = LoadPack(*files);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Catalog& c = *r;
  EXPECT_GE(c.ledgers.size(), 40u);
  EXPECT_EQ(c.org.villages.size(), 10u);
  const Ledger* dibao = c.FindLedger("dibao");
  ASSERT_NE(dibao, nullptr);
  EXPECT_EQ(dibao->title, "低保台账");
  EXPECT_EQ(c.FindLedger("低保台账"), dibao);
  const Column* reason = dibao->FindColumn("停保原因");
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->type, ColumnType::kEnum);
  EXPECT_EQ(reason->enum_values.size(), 4u);
  EXPECT_TRUE(dibao->FindColumn("户主身份证号")->sensitive);

  std::vector<std::string> restricted;
  for (const Ledger& l : c.ledgers) {
    if (l.restricted) restricted.push_back(l.id);
  }
  std::sort(restricted.begin(), restricted.end());
  EXPECT_EQ(restricted, (std::vector<std::string>{"discipline_case", "first_form", "key_person",
                                                  "letters_visits", "petition"}));

  std::vector<std::string> roles;
  for (const Role& role : c.roles) roles.push_back(role.id);
  EXPECT_EQ(roles, (std::vector<std::string>{"admin", "town_cadre", "village_cadre", "grid_worker",
                                             "leader", "auditor", "discipline_officer",
                                             "stability_officer"}));
  const Role* grid = c.FindRole("网格员");
  ASSERT_NE(grid, nullptr);
  EXPECT_EQ(grid->scope, RoleScope::kGrid);
  // Every ledger a grid worker can be given: those with a grid column, and no other.
  std::vector<std::string> gridded;
  for (const Ledger& l : c.ledgers) {
    if (l.grid_column >= 0) gridded.push_back(l.id);
  }
  EXPECT_EQ(grid->ledgers, gridded);
  const Role& leader = *c.FindRole("leader");
  const Role& stability = *c.FindRole("stability_officer");
  const Role& discipline = *c.FindRole("discipline_officer");
  const Role& town = *c.FindRole("town_cadre");
  const Ledger& petition = *c.FindLedger("petition");
  const Ledger& kase = *c.FindLedger("discipline_case");
  EXPECT_TRUE(leader.SeesLedger(petition));
  EXPECT_TRUE(leader.SeesLedger(kase));
  EXPECT_FALSE(leader.Can("write"));
  EXPECT_TRUE(stability.SeesLedger(petition));
  EXPECT_FALSE(stability.SeesLedger(kase));
  EXPECT_TRUE(stability.SeesLedger(*dibao));
  EXPECT_TRUE(discipline.SeesLedger(kase));
  EXPECT_FALSE(discipline.SeesLedger(petition));
  EXPECT_FALSE(discipline.SeesLedger(*dibao));
  EXPECT_FALSE(town.SeesLedger(petition));
  EXPECT_TRUE(town.Can("unmask"));
  EXPECT_FALSE(c.FindRole("village_cadre")->Can("unmask"));
  for (const char* id : {"admin", "auditor"}) {
    const Role& r = *c.FindRole(id);
    EXPECT_EQ(r.scope, RoleScope::kNone) << id;
    for (const Ledger& l : c.ledgers) EXPECT_FALSE(r.SeesLedger(l)) << id << " " << l.id;
  }
  EXPECT_TRUE(c.FindRole("admin")->Can("users"));
  EXPECT_TRUE(c.FindRole("auditor")->Can("audit"));
}

}  // namespace
}  // namespace tz::pack
