#include "report/template.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>

#include "figures/engine.h"
#include "report/render.h"
#include "report/test_pack.h"

namespace tz::report {
namespace {

class TemplateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = pack::LoadPack(testing::SmallPack());
    ASSERT_TRUE(c.ok()) << c.status().message();
    catalog_ = std::move(c).value();
  }

  Result<ParsedTemplate> Parse(const std::string& text) {
    pack::Template t;
    t.id = "t";
    t.file = "templates/t.md";
    t.text = text;
    return ParseTemplate(*catalog_, t);
  }

  // The error message of parsing `text`, which must fail.
  std::string Error(const std::string& text) {
    auto r = Parse(text);
    EXPECT_FALSE(r.ok()) << text;
    if (r.ok()) return "";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_FALSE(r.status().log_message().empty());
    return r.status().message();
  }

  std::optional<pack::Catalog> catalog_;
};

TEST_F(TemplateTest, TitleAndPlaceholders) {
  auto r = Parse("# {{name}}报告\n共{{a.count}}人，比率{{ a.rate | floor }}%。\n\n第二段。\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ParsedTemplate& p = *r;
  EXPECT_EQ(p.id, "t");
  EXPECT_EQ(p.file, "templates/t.md");
  ASSERT_TRUE(p.has_title);
  ASSERT_EQ(p.title.size(), 2u);
  EXPECT_EQ(p.title[0].kind, Segment::Kind::kFigure);
  EXPECT_EQ(p.title[0].figure->id, "name");
  EXPECT_FALSE(p.title[0].rule.has_value());
  EXPECT_EQ(p.title[1].text, "报告");

  ASSERT_EQ(p.body.size(), 5u);
  EXPECT_EQ(p.body[0].kind, Segment::Kind::kText);
  EXPECT_EQ(p.body[0].text, "共");
  EXPECT_EQ(p.body[0].line, 2);
  EXPECT_EQ(p.body[1].figure->id, "a.count");
  EXPECT_EQ(p.body[2].text, "人，比率");
  EXPECT_EQ(p.body[3].figure->id, "a.rate");
  ASSERT_TRUE(p.body[3].rule.has_value());
  EXPECT_EQ(*p.body[3].rule, pack::DisplayRule::kPercentFloor);
  EXPECT_EQ(p.body[4].text, "%。\n\n第二段。\n");
  EXPECT_EQ(p.body[4].line, 2);
}

// A Word template puts each filled value back where its placeholder stood: segments know their
// bytes in the text.
TEST_F(TemplateTest, SegmentsKnowWhereTheyStand) {
  const std::string text = "# {{name}}报告\n共{{ a.count }}人{{#if a.flag}}，多{{/if}}。";
  auto r = Parse(text);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->title.size(), 2u);
  EXPECT_EQ(text.substr(r->title[0].offset, r->title[0].length), "{{name}}");
  EXPECT_EQ(text.substr(r->title[1].offset, r->title[1].length), "报告");
  std::vector<std::string> body;
  for (const Segment& s : r->body) body.push_back(text.substr(s.offset, s.length));
  EXPECT_EQ(body, (std::vector<std::string>{"共", "{{ a.count }}", "人", "{{#if a.flag}}", "，多",
                                            "{{/if}}", "。"}));

  // Without a title line, "# " is text like any other.
  pack::Template t{"w", text, "w.docx"};
  auto untitled = ParseTemplate(*catalog_, t, TitleLine::kNoTitle);
  ASSERT_TRUE(untitled.ok()) << untitled.status().message();
  EXPECT_FALSE(untitled->has_title);
  ASSERT_GE(untitled->body.size(), 2u);
  EXPECT_EQ(untitled->body[0].text, "# ");
  EXPECT_EQ(text.substr(untitled->body[1].offset, untitled->body[1].length), "{{name}}");
}

TEST_F(TemplateTest, ChineseRuleNames) {
  auto r = Parse("约{{a.count|余}}人，{{a.count|多}}人，{{a.count|approx_yu}}人");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->has_title);
  ASSERT_EQ(r->body.size(), 7u);
  EXPECT_EQ(*r->body[1].rule, pack::DisplayRule::kApproxYu);
  EXPECT_EQ(*r->body[3].rule, pack::DisplayRule::kApproxDuo);
  EXPECT_EQ(*r->body[5].rule, pack::DisplayRule::kApproxYu);
}

TEST_F(TemplateTest, Conditionals) {
  auto r = Parse("甲\n乙{{#if a.flag and a.count > 3}}，丙{{a.rate}}{{/if}}。\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& b = r->body;
  ASSERT_EQ(b.size(), 6u);
  EXPECT_EQ(b[1].kind, Segment::Kind::kIfBegin);
  EXPECT_EQ(b[1].text, "a.flag and a.count > 3");
  EXPECT_EQ(b[1].line, 2);
  ASSERT_EQ(b[1].expr_figures.size(), 2u);
  EXPECT_EQ(b[1].expr_figures[0]->id, "a.flag");
  EXPECT_EQ(b[1].expr_figures[1]->id, "a.count");
  EXPECT_EQ(b[4].kind, Segment::Kind::kIfEnd);
}

TEST_F(TemplateTest, CrlfAndBom) {
  auto r = Parse("\xEF\xBB\xBF# 标题\r\n{{a.count}}\r\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(r->has_title);
  EXPECT_EQ(r->title[0].text, "标题");
  ASSERT_EQ(r->body.size(), 2u);
  EXPECT_EQ(r->body[1].text, "\n");
}

TEST_F(TemplateTest, FiguresUsedInOrderOfFirstUse) {
  auto r = Parse(
      "# {{name}}\n"
      "{{a.rate}}{{#if a.count > 1 and name != 'a.flag' and P.start = "
      "\"a.flag\"}}x{{a.rate}}{{/if}}"
      "{{name}}\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(FiguresUsed(*r), (std::vector<std::string>{"name", "a.rate", "a.count"}));
}

TEST_F(TemplateTest, FiguresInExpression) {
  EXPECT_EQ(FiguresInExpression(*catalog_, "not a.flag or (a.count >= 2.5 and name = '名')"),
            (std::vector<std::string>{"a.flag", "a.count", "name"}));
  EXPECT_TRUE(FiguresInExpression(*catalog_, "'a.count' = \"name\"").empty());
  EXPECT_TRUE(FiguresInExpression(*catalog_, "a.unknown > 1").empty());
}

TEST_F(TemplateTest, UnknownFigure) {
  std::string e = Error("第一行\n共{{a.nope}}人\n");
  EXPECT_NE(e.find("templates/t.md:2"), std::string::npos) << e;
  EXPECT_NE(e.find("未知的指标“a.nope”"), std::string::npos) << e;
  e = Error("# {{}}\n");
  EXPECT_NE(e.find("templates/t.md:1"), std::string::npos) << e;
  EXPECT_NE(e.find("未知的指标"), std::string::npos) << e;
}

TEST_F(TemplateTest, UnknownRule) {
  std::string e = Error("a\nb\n{{a.count|percentage}}\n");
  EXPECT_NE(e.find("templates/t.md:3"), std::string::npos) << e;
  EXPECT_NE(e.find("未知的显示规则“percentage”"), std::string::npos) << e;
}

TEST_F(TemplateTest, UnclosedBraces) {
  std::string e = Error("共{{a.count人\n");
  EXPECT_NE(e.find("templates/t.md:1"), std::string::npos) << e;
  EXPECT_NE(e.find("缺少对应的“}}”"), std::string::npos) << e;
  // A "}}" on a later line does not close it.
  e = Error("x\n共{{a.count\n人}}\n");
  EXPECT_NE(e.find("templates/t.md:2"), std::string::npos) << e;
}

TEST_F(TemplateTest, EndIfWithoutIf) {
  std::string e = Error("# t\n\n文字{{/if}}\n");
  EXPECT_NE(e.find("templates/t.md:3"), std::string::npos) << e;
  EXPECT_NE(e.find("“{{/if}}”前面没有对应的“{{#if …}}”"), std::string::npos) << e;
}

TEST_F(TemplateTest, NestedIf) {
  std::string e = Error("{{#if a.flag}}\n甲{{#if a.flag}}乙{{/if}}{{/if}}\n");
  EXPECT_NE(e.find("templates/t.md:2"), std::string::npos) << e;
  EXPECT_NE(e.find("条件不能嵌套：第1行"), std::string::npos) << e;
}

TEST_F(TemplateTest, UnclosedIf) {
  std::string e = Error("甲\n\n乙{{#if a.flag}}丙\n丁\n");
  EXPECT_NE(e.find("templates/t.md:3"), std::string::npos) << e;
  EXPECT_NE(e.find("缺少对应的“{{/if}}”"), std::string::npos) << e;
  // An {{#if}} opened in the title must close there.
  e = Error("# 标题{{#if a.flag}}甲\n{{/if}}\n");
  EXPECT_NE(e.find("templates/t.md:1"), std::string::npos) << e;
}

TEST_F(TemplateTest, OtherDirectivesAndEmptyCondition) {
  std::string e = Error("{{#else}}");
  EXPECT_NE(e.find("无法识别的模板指令“#else”"), std::string::npos) << e;
  e = Error("{{#if }}x{{/if}}");
  EXPECT_NE(e.find("缺少条件"), std::string::npos) << e;
}

TEST_F(TemplateTest, ConditionsAreBoundAgainstTheEngine) {
  auto engine = figures::Engine::Create(*catalog_);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  auto good = Parse("{{#if a.flag and a.count > 2}}x{{/if}}");
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(CheckConditions(*good, **engine).ok());
  auto bad = Parse("甲\n{{#if a.count > 'abc' or nope}}x{{/if}}");
  ASSERT_TRUE(bad.ok());
  Status s = CheckConditions(*bad, **engine);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("templates/t.md:2"), std::string::npos) << s.message();
}

TEST(SeedTemplate, ParsesAgainstTheTownshipPack) {
  auto files = pack::ReadPackDir("packs/township");
  ASSERT_TRUE(files.ok()) << files.status().message();
  auto catalog = pack::LoadPack(*files);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  const pack::Template* seed = catalog->FindTemplate("seed");
  ASSERT_NE(seed, nullptr);
  auto parsed = ParseTemplate(*catalog, *seed);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->has_title);
  std::vector<std::string> used = FiguresUsed(*parsed);
  EXPECT_GE(used.size(), 100u);
  for (const char* id : {"unit.name", "period.year", "conscription.all_graduates",
                         "petition.skip_level", "medins.rate"}) {
    EXPECT_NE(std::find(used.begin(), used.end(), id), used.end()) << id;
  }
  auto engine = figures::Engine::Create(*catalog);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  Status s = CheckConditions(*parsed, **engine);
  EXPECT_TRUE(s.ok()) << s.message();
}

}  // namespace
}  // namespace tz::report
