#include "report/render.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/period.h"
#include "report/sources.h"
#include "report/test_pack.h"

namespace tz::report {
namespace {

using figures::FigureValue;

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = pack::LoadPack(testing::SmallPack());
    ASSERT_TRUE(c.ok()) << c.status().message();
    catalog_ = std::move(c).value();
    auto e = figures::Engine::Create(*catalog_);
    ASSERT_TRUE(e.ok()) << e.status().message();
    engine_ = std::move(e).value();
    // The usual values; tests override or drop some.
    Set("name", FigureValue::Text("辽市镇"));
    Set("a.count", FigureValue::Int(10));
    Set("a.rate", FigureValue::Num(Number::FromRatio(9756, 100)));
    Set("a.flag", FigureValue::Bool(true));
  }

  void Set(const std::string& id, FigureValue v) { values_[id] = std::move(v); }
  void Drop(const std::string& id) { values_.erase(id); }

  figures::ComputeResult Computed() const { return testing::ComputedFrom(*catalog_, values_); }

  ParsedTemplate Parse(const std::string& text) {
    pack::Template t;
    t.id = "t";
    t.file = "templates/t.md";
    t.text = text;
    auto r = ParseTemplate(*catalog_, t);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : ParsedTemplate{};
  }

  RenderedReport Markdown(const std::string& text) {
    ParsedTemplate p = Parse(text);
    auto r = RenderMarkdown(p, *engine_, Computed());
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : RenderedReport{};
  }

  RenderedReport Html(const std::string& text, const FigureRecords* records = nullptr) {
    ParsedTemplate p = Parse(text);
    auto r = RenderHtml(p, *engine_, Computed(), records);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : RenderedReport{};
  }

  std::optional<pack::Catalog> catalog_;
  std::unique_ptr<figures::Engine> engine_;
  std::map<std::string, FigureValue> values_;
};

constexpr char kReport[] =
    "# {{name}}工作总结\n"
    "\n"
    "共{{a.count}}人，比率{{a.rate}}%，取整{{a.rate|floor}}%。\n"
    "\n"
    "{{#if a.flag}}标志为真。{{/if}}第三段。\n";

TEST_F(RenderTest, MarkdownPlaceholdersAndOverrides) {
  RenderedReport r = Markdown(kReport);
  EXPECT_EQ(r.title, "辽市镇工作总结");
  EXPECT_EQ(r.text,
            "# 辽市镇工作总结\n"
            "\n"
            "共10人，比率97.6%，取整97%。\n"
            "\n"
            "标志为真。第三段。\n");
  EXPECT_TRUE(r.notes.empty());
}

TEST_F(RenderTest, OverrideUsesTheFiguresMeasureWordRules) {
  Set("a.count", FigureValue::Int(1234));
  RenderedReport r = Markdown("{{a.count|余}}|{{a.count|cn_count}}");
  const pack::FigureDef* def = catalog_->FindFigure("a.count");
  EXPECT_EQ(
      r.text,
      "# t\n\n" + figures::Display(FigureValue::Int(1234), pack::DisplayRule::kApproxYu) + "|" +
          figures::Display(FigureValue::Int(1234), pack::DisplayRule::kCnCount, def->display_arg) +
          "\n");
}

TEST_F(RenderTest, ConditionFalseDropsText) {
  Set("a.flag", FigureValue::Bool(false));
  RenderedReport r = Markdown(kReport);
  EXPECT_EQ(r.text, "# 辽市镇工作总结\n\n共10人，比率97.6%，取整97%。\n\n第三段。\n");
  EXPECT_TRUE(r.notes.empty());
}

TEST_F(RenderTest, ConditionExpressionOverFigures) {
  RenderedReport r = Markdown(
      "{{#if a.count >= 10 and name = '辽市镇'}}是{{/if}}"
      "{{#if a.count > 10}}否{{/if}}。");
  EXPECT_EQ(r.text, "# t\n\n是。\n");
}

TEST_F(RenderTest, ConditionWithNoValueIsDroppedAndNoted) {
  Set("a.flag", FigureValue::None("分母为0"));
  RenderedReport r = Markdown(kReport);
  ASSERT_EQ(r.notes.size(), 2u);
  EXPECT_EQ(r.notes[0], "标志（a.flag）：分母为0");
  EXPECT_NE(r.notes[1].find("条件“a.flag”"), std::string::npos) << r.notes[1];
  EXPECT_NE(r.notes[1].find("templates/t.md:5"), std::string::npos) << r.notes[1];
  EXPECT_NE(r.notes[1].find("分母为0"), std::string::npos) << r.notes[1];
  EXPECT_EQ(r.text,
            "# 辽市镇工作总结\n\n共10人，比率97.6%，取整97%。\n\n第三段。"
            "\n\n---\n\n**说明**\n\n"
            "- " +
                r.notes[0] + "\n- " + r.notes[1] + "\n");
}

TEST_F(RenderTest, NotesSectionOncePerFigureInOrderOfFirstUse) {
  Set("a.rate", FigureValue::None("分母为0"));
  Set("a.count", FigureValue::None("村一级不适用：人口台账没有村列"));
  RenderedReport r = Markdown("# 报告\n{{a.rate}}、{{a.count}}、{{a.rate|floor}}、{{a.count}}\n");
  EXPECT_EQ(r.text,
            "# 报告\n\n—、—、—、—"
            "\n\n---\n\n**说明**\n\n"
            "- 比率（a.rate）：分母为0\n"
            "- 人数（a.count）：村一级不适用：人口台账没有村列\n");
  EXPECT_EQ(r.notes, (std::vector<std::string>{"比率（a.rate）：分母为0",
                                               "人数（a.count）：村一级不适用：人口台账没有村列"}));
}

TEST_F(RenderTest, FigureNotComputedShowsDashWithNote) {
  Drop("a.rate");
  RenderedReport r = Markdown("{{a.rate}}");
  EXPECT_NE(r.text.find("# t\n\n—\n\n---\n\n**说明**\n\n- 比率（a.rate）：未计算"),
            std::string::npos)
      << r.text;
}

TEST_F(RenderTest, FiguresInDroppedTextAreNotNoted) {
  Set("a.flag", FigureValue::Bool(false));
  Set("a.rate", FigureValue::None("分母为0"));
  RenderedReport r = Markdown("甲{{#if a.flag}}{{a.rate}}{{/if}}乙");
  EXPECT_EQ(r.text, "# t\n\n甲乙\n");
  EXPECT_TRUE(r.notes.empty());
}

TEST_F(RenderTest, BlankLinesLeftByDroppedParagraphsCollapse) {
  Set("a.flag", FigureValue::Bool(false));
  RenderedReport r = Markdown("# T\n\n甲\n\n{{#if a.flag}}乙{{/if}}\n\n丙\n\n\n");
  EXPECT_EQ(r.text, "# T\n\n甲\n\n丙\n");
}

TEST_F(RenderTest, ConditionErrors) {
  ParsedTemplate not_bool = Parse("甲\n{{#if a.count}}x{{/if}}");
  auto r = RenderMarkdown(not_bool, *engine_, Computed());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("templates/t.md:2"), std::string::npos);
  EXPECT_NE(r.status().message().find("不是真假值"), std::string::npos) << r.status().message();

  ParsedTemplate unbound = Parse("{{#if nope > 1}}x{{/if}}");
  r = RenderHtml(unbound, *engine_, Computed());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("templates/t.md:1"), std::string::npos)
      << r.status().message();
}

TEST_F(RenderTest, HtmlPage) {
  Set("a.rate", FigureValue::None("分母为0"));
  RenderedReport r = Html(kReport + std::string("## 二、小结\n{{a.rate}}\n"));
  const std::string& h = r.text;
  EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(h.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(h.find("<title>辽市镇工作总结</title>"), std::string::npos);
  EXPECT_NE(h.find("\"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\""), std::string::npos);
  EXPECT_NE(h.find("text-indent: 2em"), std::string::npos);
  EXPECT_NE(h.find("2022-01-01–2022-06-30"), std::string::npos);
  EXPECT_NE(h.find("单位：辽市镇"), std::string::npos);
  // Figures link to their rows; the title attribute carries label and definition (escaped).
  EXPECT_NE(
      h.find("<p>共<a class=\"fig\" href=\"#fig-a.count\" title=\"人数：count(person)\">10</a>人"),
      std::string::npos)
      << h;
  // a.flag is only in a condition: no link, but a row in the appendix.
  EXPECT_EQ(h.find("href=\"#fig-a.flag\""), std::string::npos) << h;
  EXPECT_NE(
      h.find("<a class=\"fig none\" href=\"#fig-a.rate\" title=\"比率：a.count * 100 / 3\">—</a>"),
      std::string::npos)
      << h;
  EXPECT_NE(h.find("<h2>二、小结</h2>"), std::string::npos) << h;
  EXPECT_NE(h.find("<p>标志为真。第三段。</p>"), std::string::npos) << h;
  // Appendix rows, in order of first use (title first), with the note for the missing one.
  size_t sources = h.find("<section id=\"sources\">");
  ASSERT_NE(sources, std::string::npos);
  EXPECT_NE(h.find("<h2>数据来源</h2>", sources), std::string::npos);
  size_t name_row = h.find("<tr id=\"fig-name\">", sources);
  size_t count_row = h.find("<tr id=\"fig-a.count\">", sources);
  size_t rate_row = h.find("<tr id=\"fig-a.rate\" class=\"none\">", sources);
  size_t flag_row = h.find("<tr id=\"fig-a.flag\">", sources);
  ASSERT_NE(name_row, std::string::npos);
  ASSERT_NE(count_row, std::string::npos);
  ASSERT_NE(rate_row, std::string::npos);
  ASSERT_NE(flag_row, std::string::npos);
  EXPECT_LT(name_row, count_row);
  EXPECT_LT(count_row, rate_row);
  EXPECT_LT(rate_row, flag_row);
  EXPECT_NE(h.find("<td><code>a.count &gt; 5</code></td>"), std::string::npos) << h;
  EXPECT_NE(h.find("<td>—</td><td><code>a.count * 100 / 3</code></td><td>分母为0</td>"),
            std::string::npos)
      << h;
  EXPECT_EQ(r.notes, (std::vector<std::string>{"比率（a.rate）：分母为0"}));
  EXPECT_EQ(h.find("<h2>说明</h2>"), std::string::npos);  // figure notes live in the table
  EXPECT_NE(h.find("</html>"), std::string::npos);
}

TEST_F(RenderTest, HtmlEscapesHostileValues) {
  Set("name", FigureValue::Text("<script>alert('x')</script>&\"村\""));
  RenderedReport r = Html("# {{name}}\n{{name}}与<b>模板文字</b>\n");
  const std::string& h = r.text;
  EXPECT_EQ(h.find("<script>"), std::string::npos) << h;
  EXPECT_EQ(h.find("<b>"), std::string::npos) << h;
  const std::string escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;村&quot;";
  EXPECT_NE(h.find("<title>" + escaped + "</title>"), std::string::npos) << h;
  EXPECT_NE(h.find("title=\"单位名称：unit_name()\">" + escaped + "</a>与&lt;b&gt;模板文字"),
            std::string::npos)
      << h;
  EXPECT_NE(h.find("<td>" + escaped + "</td>"), std::string::npos) << h;
  // The Markdown title stays the plain value.
  EXPECT_EQ(r.title, "<script>alert('x')</script>&\"村\"");
}

TEST_F(RenderTest, HtmlConditionNoteListed) {
  Set("a.rate", FigureValue::None("分母为0"));
  RenderedReport r = Html("{{#if a.rate > 50}}高{{/if}}");
  EXPECT_EQ(r.notes.size(), 2u);
  EXPECT_NE(r.text.find("<h2>说明</h2>"), std::string::npos);
  EXPECT_NE(r.text.find("<li>条件“a.rate &gt; 50”"), std::string::npos) << r.text;
}

// An explanation as Engine::Explain gives it for a.count (one aggregate over the 人口台账) with a
// hostile record.
figures::Explanation CountExplanation(int64_t total = 3) {
  figures::Explanation ex;
  figures::AggregateExplanation a;
  a.ledger_id = "person";
  a.ledger_title = "人口台账";
  a.source = "count(person)";
  a.columns = {"行号", "姓名", "所属村"};
  a.records = {{"1", "<script>alert('x')</script>", "辽市村"}, {"2", "张&三", "\"村\""}};
  a.total_records = total;
  ex.aggregates.push_back(std::move(a));
  return ex;
}

figures::Explanation DerivedExplanation(std::vector<std::string> deps) {
  figures::Explanation ex;
  ex.depends_on = std::move(deps);
  return ex;
}

// The appendix row of a figure, from its <tr> to its </tr> (nested tables included).
std::string Row(const std::string& h, const std::string& id) {
  size_t start = h.find("<tr id=\"fig-" + id + "\"");
  if (start == std::string::npos) return "";
  size_t end = std::string::npos;
  for (const char* next : {"\n<tr id=\"fig-", "\n<tr class=\"group\"", "\n</tbody>\n</table>\n"}) {
    end = std::min(end, h.find(next, start + 1));
  }
  return end == std::string::npos ? "" : h.substr(start, end + 1 - start);
}

TEST_F(RenderTest, HtmlRecordsUnderTheDefinition) {
  FigureRecords records;
  records.by_figure["a.count"] = CountExplanation();
  records.by_figure["a.rate"] = DerivedExplanation({"a.count"});
  RenderedReport r = Html("共{{a.count}}人，比率{{a.rate}}%。\n", &records);
  const std::string& h = r.text;
  EXPECT_EQ(h.find("<script>"), std::string::npos) << h;

  std::string count = Row(h, "a.count");
  ASSERT_FALSE(count.empty()) << h;
  // The definition, then one collapsed <details> per aggregate.
  EXPECT_NE(count.find("<td><div class=\"def\"><code>count(person)</code></div>\n"
                       "<details><summary>人口台账：共 3 条记录（列出前 2 条） "
                       "<code>count(person)</code></summary>\n"),
            std::string::npos)
      << count;
  EXPECT_EQ(count.find("<details open"), std::string::npos) << count;
  EXPECT_NE(count.find("<table class=\"recs\">\n<thead><tr><th>行号</th><th>姓名</th>"
                       "<th>所属村</th></tr></thead>\n<tbody>\n"
                       "<tr><td>1</td><td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td>"
                       "<td>辽市村</td></tr>\n"
                       "<tr><td>2</td><td>张&amp;三</td><td>&quot;村&quot;</td></tr>\n"
                       "</tbody>\n</table></div>\n</details>\n"),
            std::string::npos)
      << count;
  // The value and note cells are still there, after the definition cell.
  EXPECT_NE(count.find("<td>10</td><td><div class=\"def\">"), std::string::npos) << count;
  EXPECT_NE(h.find("</details>\n</td><td></td></tr>\n"), std::string::npos) << h;

  // A derived figure links to the rows of the figures it is computed from.
  std::string rate = Row(h, "a.rate");
  ASSERT_FALSE(rate.empty()) << h;
  EXPECT_NE(rate.find("<div class=\"agg\">由 <a href=\"#fig-a.count\" title=\"人数\">a.count</a> "
                      "计算</div>"),
            std::string::npos)
      << rate;
  EXPECT_EQ(rate.find("<details>"), std::string::npos) << rate;
  // No extra rows: every dependency is in the template.
  EXPECT_EQ(h.find("class=\"group\""), std::string::npos) << h;
}

TEST_F(RenderTest, HtmlRecordsAllListedAndEmptyAndNotApplicable) {
  FigureRecords records;
  records.by_figure["a.count"] = CountExplanation(2);
  RenderedReport r = Html("{{a.count}}\n", &records);
  // All records listed: no "列出前" remark.
  EXPECT_NE(r.text.find("<summary>人口台账：共 2 条记录 <code>"), std::string::npos) << r.text;

  figures::Explanation empty = CountExplanation(0);
  empty.aggregates[0].records.clear();
  figures::Explanation na = CountExplanation();
  na.aggregates[0].applicable = false;
  na.aggregates[0].records.clear();
  na.aggregates[0].total_records = 0;
  na.aggregates[0].ledger_title = "<人口>台账";
  empty.aggregates.push_back(std::move(na.aggregates[0]));
  records.by_figure["a.count"] = std::move(empty);
  r = Html("{{a.count}}\n", &records);
  std::string row = Row(r.text, "a.count");
  EXPECT_EQ(row.find("<details>"), std::string::npos) << row;
  EXPECT_NE(row.find("<div class=\"agg\">人口台账：共 0 条记录 <code>count(person)</code></div>"),
            std::string::npos)
      << row;
  EXPECT_NE(row.find("<div class=\"agg na\">&lt;人口&gt;台账：不适用"), std::string::npos) << row;
}

TEST_F(RenderTest, HtmlRecordsAddRowsForFiguresUsedIndirectly) {
  FigureRecords records;
  records.by_figure["a.count"] = CountExplanation();
  records.by_figure["a.rate"] = DerivedExplanation({"a.count", "name"});  // name: no explanation
  RenderedReport r = Html("比率{{a.rate}}%。\n", &records);
  const std::string& h = r.text;
  size_t rate_row = h.find("<tr id=\"fig-a.rate\">");
  size_t group = h.find("<tr class=\"group\"><th colspan=\"5\">");
  size_t count_row = h.find("<tr id=\"fig-a.count\">");
  ASSERT_NE(rate_row, std::string::npos) << h;
  ASSERT_NE(group, std::string::npos) << h;
  ASSERT_NE(count_row, std::string::npos) << h;
  EXPECT_LT(rate_row, group);
  EXPECT_LT(group, count_row);
  // The added row carries its value and records; a dependency with no row is not a link.
  EXPECT_NE(Row(h, "a.count").find("<td>10</td>"), std::string::npos) << h;
  EXPECT_NE(Row(h, "a.count").find("<details>"), std::string::npos) << h;
  EXPECT_NE(Row(h, "a.rate")
                .find("由 <a href=\"#fig-a.count\" title=\"人数\">a.count</a>、"
                      "<code>name</code> 计算"),
            std::string::npos)
      << h;
  EXPECT_EQ(h.find("id=\"fig-name\""), std::string::npos) << h;
  EXPECT_TRUE(r.notes.empty());
}

TEST_F(RenderTest, HtmlWithoutRecordsIsUnchanged) {
  FigureRecords none;
  EXPECT_EQ(Html(kReport, &none).text, Html(kReport).text);
  EXPECT_EQ(Html(kReport).text.find("<details>"), std::string::npos);
}

TEST(HtmlEscape, AllFive) {
  EXPECT_EQ(HtmlEscape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  EXPECT_EQ(HtmlEscape("中文"), "中文");
}

TEST(SeedTemplate, RendersWithNothingComputed) {
  auto files = pack::ReadPackDir("packs/township");
  ASSERT_TRUE(files.ok()) << files.status().message();
  auto catalog = pack::LoadPack(*files);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  auto engine = figures::Engine::Create(*catalog);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  auto parsed = ParseTemplate(*catalog, *catalog->FindTemplate("seed"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  figures::ComputeResult none;
  none.period = *ParsePeriod("2022H1");
  none.scope.name = "辽市镇";
  auto md = RenderMarkdown(*parsed, **engine, none);
  ASSERT_TRUE(md.ok()) << md.status().message();
  EXPECT_GE(md->notes.size(), 100u);
  auto html = RenderHtml(*parsed, **engine, none);
  ASSERT_TRUE(html.ok()) << html.status().message();
  EXPECT_NE(html->text.find("<section id=\"sources\">"), std::string::npos);
}

// The 数据来源 appendix's rows: the figures named (in order of first use, conditions included),
// then what they are computed from; each with its value, ledgers and counts, or why it has none.
TEST_F(RenderTest, SourceRowsListUsedFiguresThenTheirDependencies) {
  Drop("a.flag");
  ParsedTemplate p = Parse("# {{name}}\n比率{{a.rate}}。{{#if a.flag}}多{{/if}}\n");
  figures::ComputeResult computed = Computed();
  auto blocks = RenderBlocks(p, *engine_, computed);
  ASSERT_TRUE(blocks.ok()) << blocks.status().message();

  FigureRecords records;
  figures::Explanation rate;
  rate.depends_on = {"a.count"};
  records.by_figure["a.rate"] = rate;
  figures::Explanation count;
  figures::AggregateExplanation persons;
  persons.ledger_id = "person";
  persons.ledger_title = "人口台账";
  persons.total_records = 10;
  count.aggregates = {persons};
  records.by_figure["a.count"] = count;
  figures::Explanation flag;
  flag.depends_on = {"a.count"};
  records.by_figure["a.flag"] = flag;

  std::vector<SourceRow> rows = SourceRows(*blocks, *engine_, computed, records);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].def->id, "name");
  EXPECT_EQ(rows[0].value, "辽市镇");
  EXPECT_TRUE(rows[0].ledgers.empty());
  EXPECT_EQ(rows[1].def->id, "a.rate");
  EXPECT_EQ(rows[1].value, "97.6");  // display percent: one decimal, the text has the "%"
  EXPECT_EQ(rows[1].computed_from, std::vector<std::string>{"人数"});
  EXPECT_EQ(rows[1].definition, "a.count * 100 / 3");
  EXPECT_FALSE(rows[1].dependency);
  EXPECT_EQ(rows[2].def->id, "a.flag");  // only in a condition, and not computed
  EXPECT_EQ(rows[2].value, "—");
  EXPECT_EQ(rows[2].note, "未计算");
  EXPECT_EQ(rows[3].def->id, "a.count");  // once, though two figures use it
  EXPECT_TRUE(rows[3].dependency);
  EXPECT_EQ(rows[3].value, "10");
  ASSERT_EQ(rows[3].ledgers.size(), 1u);
  EXPECT_EQ(rows[3].ledgers[0].title, "人口台账");
  EXPECT_EQ(rows[3].ledgers[0].records, 10);
}

}  // namespace
}  // namespace tz::report
