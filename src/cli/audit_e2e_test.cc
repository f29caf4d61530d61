// `taizhang audit verify|export` end to end: entries appended through the library (no command
// writes them yet), then tampered with the sqlite3 shell as issue 5's "Done means" asks.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/audit_log.h"
#include "cli/test_shell.h"

#ifndef TZ_BINARY
#error "TZ_BINARY must name the taizhang binary"
#endif

namespace {

using tz::cli::testing::CmdResult;

// stdout and stderr together.
CmdResult Shell(const std::string& cmd) { return tz::cli::testing::RunShell(cmd + " 2>&1"); }

class AuditCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_audit_cliXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    db_ = dir_ + "/t.db";
    ASSERT_EQ(Taizhang("init").code, 0);
    auto store = tz::store::OpenSqlite(db_, /*create=*/false);
    ASSERT_TRUE(store.ok());
    tz::auth::AuditLog log(**store);
    for (int i = 1; i <= 5; ++i) {
      ASSERT_TRUE(log.AppendCommitted({"张三", tz::auth::audit_action::kExport,
                                       "=l_dibao/" + std::to_string(i), R"({"rows":3})"})
                      .ok());
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // As the local administrator (the audit commands need an identity).
  CmdResult Taizhang(const std::string& args) {
    return Shell(std::string(TZ_BINARY) + " --db " + db_ + " " + args + " --local-admin");
  }
  CmdResult Sqlite(const std::string& sql) { return Shell("sqlite3 " + db_ + " \"" + sql + "\""); }

  std::string dir_, db_;
};

TEST_F(AuditCliTest, VerifyIntactLog) {
  CmdResult r = Taizhang("audit verify");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("审计日志完整：5 条"), std::string::npos) << r.out;
}

TEST_F(AuditCliTest, VerifyNamesARowChangedWithTheSqliteShell) {
  ASSERT_EQ(Sqlite("UPDATE _audit SET actor = '李四' WHERE seq = 2").code, 0);
  CmdResult r = Taizhang("audit verify");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("审计日志第 2 条被改动"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("entry 2 altered"), std::string::npos) << r.out;  // the log line
}

TEST_F(AuditCliTest, VerifyNamesARowDeletedWithTheSqliteShell) {
  ASSERT_EQ(Sqlite("DELETE FROM _audit WHERE seq = 3").code, 0);
  CmdResult r = Taizhang("audit verify");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("审计日志缺少第 3 条"), std::string::npos) << r.out;
}

TEST_F(AuditCliTest, VerifyNamesADeletedLastRow) {
  ASSERT_EQ(Sqlite("DELETE FROM _audit WHERE seq = 5").code, 0);
  CmdResult r = Taizhang("audit verify");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("审计日志缺少第 5 条"), std::string::npos) << r.out;
}

TEST_F(AuditCliTest, ExportCsvAndJsonLines) {
  CmdResult csv = Taizhang("audit export -o " + dir_ + "/a.csv");
  ASSERT_EQ(csv.code, 0) << csv.out;
  std::stringstream text;
  text << std::ifstream(dir_ + "/a.csv", std::ios::binary).rdbuf();
  EXPECT_EQ(text.str().rfind("\xEF\xBB\xBFseq,at,actor,action,target,detail,prev_hash,hash\r\n", 0),
            0u);
  EXPECT_NE(text.str().find(",'=l_dibao/1,"), std::string::npos) << "formula guard";

  CmdResult jsonl = Taizhang("audit export --format jsonl -o " + dir_ + "/a.jsonl");
  ASSERT_EQ(jsonl.code, 0) << jsonl.out;
  std::ifstream in(dir_ + "/a.jsonl");
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  // The five entries, the CSV export's own entry, and this export's (written before the log).
  EXPECT_EQ(lines, 7);

  EXPECT_EQ(Taizhang("audit export --format xml -o " + dir_ + "/a.xml").code, 2);
  EXPECT_EQ(Taizhang("audit export").code, 2);
  EXPECT_EQ(Taizhang("audit").code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/a.xml"));
}

TEST_F(AuditCliTest, MissingDatabaseIsExitOne) {
  EXPECT_EQ(Shell(std::string(TZ_BINARY) + " --db " + dir_ + "/none.db audit verify --local-admin")
                .code,
            1);
}

TEST_F(AuditCliTest, NeedsAnIdentityAndRecordsTheExport) {
  CmdResult anonymous = Shell(std::string(TZ_BINARY) + " --db " + db_ + " audit verify");
  EXPECT_EQ(anonymous.code, 4) << anonymous.out;
  EXPECT_NE(anonymous.out.find("--local-admin"), std::string::npos) << anonymous.out;
  ASSERT_EQ(Taizhang("audit export -o " + dir_ + "/b.csv").code, 0);
  // The export is itself in the log, by the local administrator, and the chain still holds.
  CmdResult last = Sqlite("SELECT actor || ' ' || action || ' ' || target FROM _audit "
                          "ORDER BY seq DESC LIMIT 1");
  EXPECT_EQ(last.out.rfind("local-admin:", 0), 0u) << last.out;
  EXPECT_NE(last.out.find(" export _audit"), std::string::npos) << last.out;
  EXPECT_EQ(Taizhang("audit verify").code, 0);
}

}  // namespace
