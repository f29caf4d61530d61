#include "figures/parser.h"

#include <gtest/gtest.h>

namespace tz::figures {
namespace {

TEST(ParserTest, AggregateWithCondition) {
  auto n = ParseExpression("count(training | 类型 = '党校授课', 日期 in P)");
  ASSERT_TRUE(n.ok()) << n.status().message();
  const Node& agg = **n;
  EXPECT_EQ(agg.kind, NodeKind::kAggregate);
  EXPECT_EQ(agg.text, "count");
  EXPECT_EQ(agg.ledger, "training");
  ASSERT_TRUE(agg.has_condition);
  EXPECT_EQ(agg.children[0]->op, "and");  // the comma means and
}

TEST(ParserTest, ColumnsOrderByAndSets) {
  auto n = ParseExpression(
      "list(investment.企业名称 | 投资额 >= 10000, not 阶段 in {'对接中', '已签约'} by 签约日期)");
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ((*n)->columns, std::vector<std::string>{"企业名称"});
  EXPECT_EQ((*n)->order_by, "签约日期");
  auto g = ParseExpression("groups(enterprise.行业, enterprise.企业名称 | 是否规上 = '否')");
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ((*g)->columns.size(), 2u);
}

TEST(ParserTest, DerivedArithmeticPrecedence) {
  auto n = ParseExpression("100 * dispute.resolved / dispute.found");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)->op, "/");
  EXPECT_EQ((*n)->children[0]->op, "*");
  EXPECT_EQ((*n)->children[0]->children[1]->text, "dispute.resolved");
}

TEST(ParserTest, ActiveAtAndSymbols) {
  auto n =
      ParseExpression("count(militia | 类别 = '基干民兵', active(编入日期, 退出日期) at P.start)");
  ASSERT_TRUE(n.ok()) << n.status().message();
  const Node& cond = *(*n)->children[0];
  EXPECT_EQ(cond.children[1]->kind, NodeKind::kActive);
  EXPECT_EQ(cond.children[1]->children[2]->text, "P.start");
}

TEST(ParserTest, ErrorsNameTheColumn) {
  auto n = ParseExpression("count(training | 类型 = '党校授课'");
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("列"), std::string::npos);
  auto unterminated = ParseExpression("count(x | a = 'abc)");
  EXPECT_FALSE(unterminated.ok());
  auto fullwidth = ParseExpression("count(x | a = 1， b = 2)");
  ASSERT_FALSE(fullwidth.ok());
  EXPECT_NE(fullwidth.status().message().find("全角"), std::string::npos);
  EXPECT_FALSE(ParseExpression("1 +").ok());
  EXPECT_FALSE(ParseExpression("").ok());
  EXPECT_FALSE(ParseExpression("a b").ok());
}

TEST(ParserTest, HostileNestingIsAnErrorNotACrash) {
  std::string deep(100000, '(');
  EXPECT_FALSE(ParseExpression(deep).ok());
  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "not ";
  EXPECT_FALSE(ParseExpression(nots + "x").ok());
  std::string chain = "1";
  for (int i = 0; i < 30000; ++i) chain += "+1";
  EXPECT_FALSE(ParseExpression(chain).ok());
  std::string minus(5000, '-');
  EXPECT_FALSE(ParseExpression(minus + "1").ok());
}

}  // namespace
}  // namespace tz::figures
