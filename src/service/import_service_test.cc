// Import validation as spec/ledgers.md states it: a bad file gives clear errors and writes nothing.
#include "service/import_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "base/encoding.h"
#include "service/database.h"
#include "store/ledger_tables.h"
#include "store/test_database.h"

namespace tz::service {
namespace {

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_import_testXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;  // the CSV inputs; the database is db_ (SQLite, or PostgreSQL in the "pg." run)
    TZ_REQUIRE_TEST_DATABASE(test_db_);
    auto db = Database::Init(test_db_.location(), "packs/township");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(system(cmd.c_str()), 0);
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  ImportReport Import(const std::string& ledger, const std::string& bytes) {
    auto l = FindLedger(db_->catalog(), ledger);
    EXPECT_TRUE(l.ok());
    auto report = ImportCsvFile(db_->store(), db_->catalog(), **l, Write("in.csv", bytes));
    EXPECT_TRUE(report.ok()) << report.status().message();
    return *report;
  }

  int64_t Rows(const std::string& ledger) {
    return *store::CountRows(db_->store(), *db_->catalog().FindLedger(ledger));
  }

  // The first error's text, for assertions.
  static std::string FirstError(const ImportReport& r) {
    return r.errors.empty() ? "" : r.errors[0].message;
  }

  std::string dir_;
  store::testing::TestDatabase test_db_{"import"};
  std::unique_ptr<Database> db_;
};

const char kHouseholdHeader[] = "户编号,户主姓名,户主身份证号,所属村,家庭人口数\n";

TEST_F(ImportTest, GoodFileImportsEveryRow) {
  ImportReport r = Import("household", std::string(kHouseholdHeader) +
                                           "H001,李明,360902198001010017,院前村,4\n"
                                           "H002,王芳,36090219851215002x,360902117203,3\n"
                                           "H003,张伟,360902199006300034,辽市村委会,5\n");
  ASSERT_TRUE(r.ok()) << FirstError(r);
  EXPECT_EQ(r.imported, 3);
  EXPECT_EQ(Rows("household"), 3);
  // By title too, and a re-import of the same keys is refused.
  ImportReport again = Import(
      "农户信息台账", std::string(kHouseholdHeader) + "H001,李明,360902198001010017,院前村,4\n");
  ASSERT_EQ(again.errors.size(), 1u);
  EXPECT_NE(again.errors[0].message.find("已在"), std::string::npos);
  EXPECT_EQ(Rows("household"), 3);
}

TEST_F(ImportTest, WrongCheckDigitIsAnErrorWithRowAndColumn) {
  ImportReport r = Import("household", std::string(kHouseholdHeader) +
                                           "H001,李明,360902198001010017,院前村,4\n"
                                           "H002,王芳,360902198512150021,院前村,3\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].row, 3);
  EXPECT_EQ(r.errors[0].column, "户主身份证号");
  EXPECT_NE(r.errors[0].message.find("校验"), std::string::npos) << r.errors[0].message;
  EXPECT_EQ(r.imported, 0);
  EXPECT_EQ(Rows("household"), 0);  // the good row 2 is not written either
}

TEST_F(ImportTest, ImpossibleDateUnknownVillageAndEnumAreAllReported) {
  ImportReport r = Import("dibao",
                          "户编号,户主姓名,户主身份证号,所属村,保障人数,批准日期,停保原因\n"
                          "H001,李明,360902198001010017,院前村,2,2022-02-30,\n"
                          "H002,王芳,36090219851215002X,东风村,1,2022-03-01,\n"
                          "H003,张伟,360902199006300034,院前村,1,2022-03-01,搬走了\n"
                          "H004,赵强,360902197003050042,院前村,0,2022/3/1,\n");
  ASSERT_EQ(r.errors.size(), 4u);
  EXPECT_EQ(r.errors[0].row, 2);
  EXPECT_EQ(r.errors[0].column, "批准日期");
  EXPECT_NE(r.errors[0].message.find("2022-02-30"), std::string::npos);
  EXPECT_EQ(r.errors[1].row, 3);
  EXPECT_EQ(r.errors[1].column, "所属村");
  EXPECT_NE(r.errors[1].message.find("东风村"), std::string::npos);
  EXPECT_EQ(r.errors[2].column, "停保原因");
  EXPECT_NE(r.errors[2].message.find("整户取消"), std::string::npos);  // lists the choices
  EXPECT_EQ(r.errors[3].column, "保障人数");                           // int ≥ 1
  EXPECT_EQ(Rows("dibao"), 0);
}

TEST_F(ImportTest, MissingRequiredColumnAndRequiredCell) {
  ImportReport missing = Import("household",
                                "户编号,户主姓名,所属村,家庭人口数\n"
                                "H001,李明,院前村,4\n");
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].row, 1);
  EXPECT_EQ(missing.errors[0].column, "户主身份证号");
  EXPECT_NE(missing.errors[0].message.find("缺少必填列"), std::string::npos);

  ImportReport empty_cell =
      Import("household", std::string(kHouseholdHeader) + "H001,,360902198001010017,院前村,4\n");
  ASSERT_EQ(empty_cell.errors.size(), 1u);
  EXPECT_EQ(empty_cell.errors[0].column, "户主姓名");
  EXPECT_EQ(Rows("household"), 0);
}

TEST_F(ImportTest, Gb18030FileImports) {
  std::string utf8 = std::string(kHouseholdHeader) + "H001,李明,360902198001010017,院前村,4\n";
  auto gb = Utf8ToGb18030(utf8);
  ASSERT_TRUE(gb.ok());
  ImportReport r = Import("household", *gb);
  ASSERT_TRUE(r.ok()) << FirstError(r);
  EXPECT_EQ(r.encoding, "GB18030");
  EXPECT_EQ(Rows("household"), 1);
  auto names = store::DistinctValues(db_->store(), *db_->catalog().FindLedger("household"), 1);
  EXPECT_EQ(names->count("李明"), 1u);
}

TEST_F(ImportTest, Utf8WithBomImports) {
  ImportReport r = Import("household", "\xEF\xBB\xBF" + std::string(kHouseholdHeader) +
                                           "H001,李明,360902198001010017,院前村,4\r\n");
  ASSERT_TRUE(r.ok()) << FirstError(r);
  EXPECT_EQ(Rows("household"), 1);
}

TEST_F(ImportTest, EmptyFileIsAnError) {
  ImportReport r = Import("household", "");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("空"), std::string::npos) << r.errors[0].message;
  ImportReport header_only = Import("household", kHouseholdHeader);
  ASSERT_EQ(header_only.errors.size(), 1u);
  EXPECT_NE(header_only.errors[0].message.find("没有数据"), std::string::npos);
  EXPECT_EQ(Rows("household"), 0);
}

TEST_F(ImportTest, HeaderOfAnotherLedgerIsRecognised) {
  ImportReport r =
      Import("household", "日期,会议类型,议题类别,主题\n2022-01-05,班子会议,安全生产,安全\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].row, 0);  // no row of the file is the header
  EXPECT_NE(r.errors[0].message.find("表头"), std::string::npos);
  EXPECT_NE(r.errors[0].message.find("会议台账"), std::string::npos) << r.errors[0].message;
  EXPECT_EQ(Rows("household"), 0);
}

TEST_F(ImportTest, SexMustAgreeWithIdNumber) {
  // 360902198001010017: the 17th digit 1 is odd → male.
  ImportReport r =
      Import("person", "身份证号,姓名,性别,所属村\n360902198001010017,李明,女,院前村\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].column, "性别");
  EXPECT_EQ(Rows("person"), 0);
}

TEST_F(ImportTest, DanglingReferenceIsOnlyAWarning) {
  ImportReport r = Import("dibao",
                          "户编号,户主姓名,户主身份证号,所属村,保障人数,批准日期\n"
                          "H404,李明,360902198001010017,院前村,2,2022年3月1日\n");
  ASSERT_TRUE(r.ok()) << FirstError(r);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].column, "户编号");
  EXPECT_EQ(Rows("dibao"), 1);
}

TEST_F(ImportTest, UnknownLedgerListsTheChoices) {
  auto l = FindLedger(db_->catalog(), "不存在的台账");
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.status().message().find("低保台账"), std::string::npos);
}

TEST_F(ImportTest, ManyBadRowsAreCappedAndNothingIsWritten) {
  std::string csv = kHouseholdHeader;
  for (int i = 0; i < 3000; ++i) csv += "H" + std::to_string(i) + ",李明,123,院前村,4\n";
  ImportReport r = Import("household", csv);
  EXPECT_EQ(r.errors.size(), kMaxReportedErrors + 1);  // the cap plus "另有…处错误未列出"
  EXPECT_NE(r.errors.back().message.find("未列出"), std::string::npos);
  EXPECT_EQ(Rows("household"), 0);
}

}  // namespace
}  // namespace tz::service
