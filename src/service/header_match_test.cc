// Finding the header of a ledger in sheets laid out the way cadres lay them out.
#include "service/header_match.h"

#include <gtest/gtest.h>

#include "pack/catalog.h"

namespace tz::service {
namespace {

const pack::Ledger& Tekun() {
  static const pack::Catalog catalog = [] {
    auto files = pack::ReadPackDir("packs/township");
    auto c = pack::LoadPack(*files);
    return std::move(*c);
  }();
  return *catalog.FindLedger("tekun");
}

io::SheetRow Row(int64_t number, std::vector<std::string> texts) {
  io::SheetRow row;
  row.number = number;
  for (std::string& t : texts) {
    io::Cell c;
    c.kind = t.empty() ? io::CellKind::kEmpty : io::CellKind::kText;
    c.text = std::move(t);
    row.cells.push_back(std::move(c));
  }
  return row;
}

int Col(const HeaderMatch& m, const std::string& label) {
  return m.source_of[static_cast<size_t>(Tekun().ColumnIndex(label))];
}

TEST(NormalizeLabel, DropsSpacesMarkersAndRequiredNotes) {
  EXPECT_EQ(NormalizeLabel(" 身份\n证号 "), "身份证号");
  EXPECT_EQ(NormalizeLabel("姓名*"), "姓名");
  EXPECT_EQ(NormalizeLabel("＊姓名"), "姓名");
  EXPECT_EQ(NormalizeLabel("所属村（必填）"), "所属村");
  EXPECT_EQ(NormalizeLabel("认定\xE3\x80\x80日期"), "认定日期");
}

TEST(FindHeader, AfterTitleAndUnitLinesInAnyOrderWithExtraColumns) {
  std::vector<io::SheetRow> rows = {
      Row(1, {"辽市镇特困人员台账"}),
      Row(2, {"填报单位：辽市镇民政所", "", "", "单位：人"}),
      Row(3,
          {"序号", "姓名", "身份证号*", "所属村", "供养方式", "认定日期", "是否建档立卡", "备注"}),
      Row(4, {"1", "罗特一", "360902199001013113", "院前村", "集中供养", "2020-01-01", "是"}),
  };
  HeaderMatch m = FindHeader(Tekun(), rows);
  EXPECT_EQ(m.first_row, 3);
  EXPECT_EQ(m.last_row, 3);
  EXPECT_EQ(m.matched, 6);
  EXPECT_EQ(Col(m, "身份证号"), 2);
  EXPECT_EQ(Col(m, "姓名"), 1);
  EXPECT_EQ(Col(m, "户编号"), -1);
  ASSERT_EQ(m.unknown.size(), 2u);
  EXPECT_EQ(m.unknown[0].second, "序号");
  EXPECT_EQ(m.unknown[1].second, "备注");
  EXPECT_TRUE(m.Plausible(Tekun()));
}

TEST(FindHeader, TwoRowHeaderWithMergedGroupAndVerticallyMergedCells) {
  // Row 3: a group cell 基本信息 over A:B, and 所属村 … merged down over rows 3-4 (value on top).
  std::vector<io::SheetRow> rows = {
      Row(1, {"辽市镇特困人员台账"}),
      Row(3, {"基本信息", "", "所属村", "供养方式", "认定日期", "终止日期", "是否建档立卡"}),
      Row(4, {"身份证号", "姓名"}),
      Row(5, {"360902199001013113", "罗特一", "院前村", "集中供养", "2020-01-01", "", "是"}),
  };
  HeaderMatch m = FindHeader(Tekun(), rows);
  EXPECT_EQ(m.first_row, 3);
  EXPECT_EQ(m.last_row, 4);
  EXPECT_EQ(m.matched, 7);
  EXPECT_EQ(Col(m, "身份证号"), 0);
  EXPECT_EQ(Col(m, "所属村"), 2);
  EXPECT_EQ(Col(m, "是否建档立卡"), 6);
}

TEST(FindHeader, OneRowHeaderFollowedByDataIsNotTakenAsTwoRows) {
  std::vector<io::SheetRow> rows = {
      Row(1, {"身份证号", "姓名", "所属村"}),
      Row(2, {"360902199001013113", "罗特一", "院前村"}),
  };
  HeaderMatch m = FindHeader(Tekun(), rows);
  EXPECT_EQ(m.first_row, 1);
  EXPECT_EQ(m.last_row, 1);
}

TEST(FindHeader, DuplicatesAndNoHeader) {
  HeaderMatch dup = FindHeader(Tekun(), {Row(1, {"姓名", "身份证号", "姓名"})});
  ASSERT_EQ(dup.duplicates.size(), 1u);
  EXPECT_EQ(dup.duplicates[0].first, 2);
  HeaderMatch none = FindHeader(Tekun(), {Row(1, {"日期", "会议类型"}), Row(2, {"a", "b"})});
  EXPECT_EQ(none.matched, 0);
  EXPECT_FALSE(none.Plausible(Tekun()));
  // One column of six required ones is not this ledger's header.
  EXPECT_FALSE(FindHeader(Tekun(), {Row(1, {"姓名", "金额"})}).Plausible(Tekun()));
}

}  // namespace
}  // namespace tz::service
