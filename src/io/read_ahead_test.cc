#include "io/read_ahead.h"

#include <gtest/gtest.h>

namespace tz::io {
namespace {

// A reader of `rows` one-cell rows that fails after `fail_after` rows (when >= 0).
class CountingReader final : public SheetReader {
 public:
  CountingReader(int rows, int fail_after) : rows_(rows), fail_after_(fail_after) {}
  WorkbookFormat format() const override { return WorkbookFormat::kCsv; }
  const std::vector<std::string>& sheet_names() const override { return names_; }
  bool date1904() const override { return false; }
  Status ForEachRow(size_t, const SheetRowFn& on_row) override {
    SheetRow row;
    row.cells.resize(1);
    for (int i = 1; i <= rows_; ++i) {
      if (i == fail_after_ + 1) return Status::InvalidArgument("第" + std::to_string(i) + "行坏了");
      row.number = i;
      row.cells[0].kind = CellKind::kNumber;
      row.cells[0].number = i;
      ++produced;
      TZ_ASSIGN_OR_RETURN(bool more, on_row(row));
      if (!more) return Status::Ok();
    }
    return Status::Ok();
  }
  int produced = 0;

 private:
  int rows_, fail_after_;
  std::vector<std::string> names_{"s"};
};

TEST(ReadAhead, DeliversEveryRowInOrder) {
  CountingReader reader(10007, -1);
  int64_t expect = 1;
  Status st = ForEachRowReadAhead(reader, 0,
                                  [&](const SheetRow& row) -> Result<bool> {
                                    EXPECT_EQ(row.number, expect);
                                    EXPECT_EQ(row.cells[0].number, static_cast<double>(expect));
                                    ++expect;
                                    return true;
                                  },
                                  {100, 3});
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(expect, 10008);
}

TEST(ReadAhead, EarlyStopStopsTheReaderSoon) {
  CountingReader reader(1000000, -1);
  int seen = 0;
  Status st = ForEachRowReadAhead(
      reader, 0, [&](const SheetRow&) -> Result<bool> { return ++seen < 50; }, {10, 2});
  EXPECT_TRUE(st.ok());
  EXPECT_EQ(seen, 50);
  // Bounded by the queue: what was handed over, what waits, and one batch in the making.
  EXPECT_LT(reader.produced, 200);
}

TEST(ReadAhead, ErrorsFromEitherSideAreReturned) {
  CountingReader bad_file(1000, 500);
  int seen = 0;
  Status st = ForEachRowReadAhead(bad_file, 0,
                                  [&](const SheetRow&) -> Result<bool> {
                                    ++seen;
                                    return true;
                                  },
                                  {64, 2});
  EXPECT_EQ(st.message(), "第501行坏了");
  EXPECT_EQ(seen, 500);  // the rows before the error still arrive

  CountingReader good(100000, -1);
  st = ForEachRowReadAhead(good, 0,
                           [&](const SheetRow& row) -> Result<bool> {
                             if (row.number == 77) return Status::IoError("磁盘满了");
                             return true;
                           },
                           {16, 2});
  EXPECT_EQ(st.message(), "磁盘满了");
  EXPECT_LT(good.produced, 200);
}

TEST(ReadAhead, PreparedOnTheReadingThreadConsumedInOrder) {
  CountingReader reader(5000, -1);
  const std::thread::id caller = std::this_thread::get_id();
  int64_t expect = 1;
  struct Twice {
    int64_t row = 0;
    double value = 0;
  };
  Status st = ForEachRowPipelined<Twice>(
      reader, 0,
      [&](const SheetRow& row, Twice* out) {
        EXPECT_NE(std::this_thread::get_id(), caller);
        *out = {row.number, row.cells[0].number * 2};
        return row.number == 4000 ? Status::InvalidArgument("第4000行无法转换") : Status::Ok();
      },
      [&](Twice& t) -> Result<bool> {
        EXPECT_EQ(std::this_thread::get_id(), caller);
        EXPECT_EQ(t.row, expect++);
        EXPECT_EQ(t.value, static_cast<double>(t.row) * 2);
        return true;
      },
      {128, 4});
  EXPECT_EQ(st.message(), "第4000行无法转换");
  EXPECT_EQ(expect, 4000);  // rows 1..3999 consumed, the failing one not
}

}  // namespace
}  // namespace tz::io
