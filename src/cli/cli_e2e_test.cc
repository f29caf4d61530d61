// The command line end to end, as other checks drive it: exit codes, JSON shapes, files written.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/test_shell.h"

#ifndef TZ_BINARY
#error "TZ_BINARY must name the taizhang binary"
#endif

namespace {

using nlohmann::json;

using tz::cli::testing::CmdResult;

// Runs taizhang with `args` (shell-quoted by the caller) as the local administrator; stdout is
// captured, stderr dropped.
CmdResult Taizhang(const std::string& args) {
  return tz::cli::testing::RunShell(std::string(TZ_BINARY) + " " + args +
                                    " --local-admin 2>/dev/null");
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/tz_cli_testXXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    db_ = "--db " + dir_ + "/t.db";
  }
  void TearDown() override { ASSERT_EQ(system(("rm -rf '" + dir_ + "'").c_str()), 0); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_, db_;
};

TEST_F(CliTest, InitImportFiguresExplain) {
  EXPECT_EQ(Taizhang(db_ + " init").code, 0);
  EXPECT_EQ(Taizhang(db_ + " init").code, 1);  // already initialised

  std::string good = Write("d.csv",
                           "编号,摸排日期,所属村,纠纷类型,当事人,调处状态,调处日期\n"
                           "D1,2022-03-01,院前村,邻里纠纷,甲乙,调处成功,2022-03-05\n"
                           "D2,2022-04-01,院前村,婚姻家庭,丙丁,调处中,\n"
                           "D3,2022-05-01,辽市村,土地山林,戊己,调处成功,2022-05-20\n");
  CmdResult imported = Taizhang(db_ + " import 矛盾纠纷台账 " + good + " --json");
  ASSERT_EQ(imported.code, 0) << imported.out;
  EXPECT_EQ(json::parse(imported.out)["imported"], 3);

  std::string bad = Write("bad.csv",
                          "编号,摸排日期,所属村,纠纷类型,当事人,调处状态\n"
                          "D9,2022-02-30,院前村,邻里纠纷,甲乙,调处成功\n");
  CmdResult rejected = Taizhang(db_ + " import dispute " + bad + " --json");
  EXPECT_EQ(rejected.code, 1);
  json errors = json::parse(rejected.out)["errors"];
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]["row"], 2);
  EXPECT_EQ(errors[0]["column"], "摸排日期");
  EXPECT_FALSE(errors[0]["message"].get<std::string>().empty());
  EXPECT_EQ(Taizhang(db_ + " import 没有这个台账 " + good).code, 1);

  CmdResult figures = Taizhang(db_ + " figures --period 2022H1 --json");
  ASSERT_EQ(figures.code, 0);
  json f = json::parse(figures.out);
  EXPECT_EQ(f["period"]["start"], "2022-01-01");
  EXPECT_EQ(f["period"]["end"], "2022-06-30");
  EXPECT_EQ(f["unit"]["code"], "360902117");
  EXPECT_EQ(f["figures"]["dispute.found"]["value"], 3);
  EXPECT_EQ(f["figures"]["dispute.resolved"]["value"], 2);
  EXPECT_EQ(f["figures"]["dispute.rate"]["display"], "66.7");
  // No target rows: no value, with a note saying why.
  EXPECT_TRUE(f["figures"]["target.gdp"]["value"].is_null());
  EXPECT_FALSE(f["figures"]["target.gdp"]["note"].get<std::string>().empty());
  EXPECT_GT(f["stats"]["queries"].get<int>(), 0);

  CmdResult village = Taizhang(db_ + " figures --period 2022 --unit 院前村 --json");
  ASSERT_EQ(village.code, 0);
  json v = json::parse(village.out);
  EXPECT_EQ(v["unit"]["code"], "360902117201");
  EXPECT_EQ(v["figures"]["dispute.found"]["value"], 2);
  EXPECT_TRUE(v["figures"]["fiscal.completion"]["value"].is_null());  // fiscal has no village

  CmdResult explain = Taizhang(db_ + " explain dispute.resolved --period 2022H1");
  ASSERT_EQ(explain.code, 0);
  EXPECT_NE(explain.out.find("SELECT"), std::string::npos);
  EXPECT_NE(explain.out.find("D3"), std::string::npos);  // the records behind it
  EXPECT_EQ(Taizhang(db_ + " explain no.such --period 2022H1").code, 1);
  EXPECT_EQ(Taizhang(db_ + " figures --period 2022H3").code, 1);
  EXPECT_EQ(Taizhang(db_ + " figures --period 2022H1 --unit 东风村").code, 1);
  EXPECT_EQ(Taizhang(db_ + " frobnicate").code, 2);
}

TEST_F(CliTest, ExcelTemplateImportErrorsAndExport) {
  // A template works before any database exists (the default pack's ledgers).
  std::string tpl = dir_ + "/tpl.xlsx";
  EXPECT_EQ(Taizhang(db_ + " template 特困人员台账 -o " + tpl).code, 0);
  EXPECT_EQ(Taizhang(db_ + " template tekun").code, 2);  // -o missing
  EXPECT_EQ(Taizhang(db_ + " init").code, 0);

  std::string households = "tests/fixtures/township/household.csv";
  ASSERT_EQ(Taizhang(db_ + " import household " + households).code, 0);
  std::string tekun = "tests/fixtures/township/tekun.csv";
  ASSERT_EQ(Taizhang(db_ + " import tekun " + tekun).code, 0);

  // Export to xlsx, unmasked, and import it into a second database: the same rows come back.
  std::string xlsx = dir_ + "/tekun.xlsx";
  CmdResult exported = Taizhang(db_ + " export tekun --unmasked -o " + xlsx);
  ASSERT_EQ(exported.code, 0);
  EXPECT_EQ(exported.out, "7\n");
  std::string db2 = "--db " + dir_ + "/t2.db";
  ASSERT_EQ(Taizhang(db2 + " init").code, 0);
  ASSERT_EQ(Taizhang(db2 + " import household " + households).code, 0);
  CmdResult back = Taizhang(db2 + " import tekun " + xlsx + " --json");
  ASSERT_EQ(back.code, 0) << back.out;
  json b = json::parse(back.out);
  EXPECT_EQ(b["imported"], 7);
  EXPECT_EQ(b["sheet"], "特困人员台账");
  EXPECT_EQ(b["header_row"], 2);
  EXPECT_EQ(b["mode"], "append");

  // By period and village; masked by default.
  std::string csv = dir_ + "/yq.csv";
  ASSERT_EQ(Taizhang(db_ + " export tekun --period 2022H1 --unit 院前村 -o " + csv).out, "3\n");
  std::ifstream in(csv);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("360902********3113"), std::string::npos);
  EXPECT_EQ(text.str().find("360902194001013113"), std::string::npos);

  // Importing the masked export again fails, and --errors-xlsx writes the marked-up sheet.
  std::string marked = dir_ + "/marked.xlsx";
  CmdResult rejected =
      Taizhang(db2 + " import tekun " + csv + " --mode replace --errors-xlsx " + marked + " --json");
  EXPECT_EQ(rejected.code, 1);
  json r = json::parse(rejected.out);
  EXPECT_EQ(r["errors"].size(), 3u);
  EXPECT_EQ(r["error_count"], 3);
  EXPECT_EQ(r["errors_file"], marked);
  EXPECT_EQ(Taizhang(db2 + " export tekun -o " + dir_ + "/still.csv").out, "7\n");  // unchanged
  EXPECT_TRUE(std::ifstream(marked).good());
  EXPECT_EQ(Taizhang(db2 + " import tekun " + csv + " --mode sideways").code, 2);
  EXPECT_EQ(Taizhang(db2 + " import tekun " + csv + " --mode upsert").code, 1);  // no key
  EXPECT_EQ(Taizhang(db_ + " export tekun -o " + dir_ + "/x.pdf").code, 1);
}

// Runs taizhang with `args` as account `user` (password from TAIZHANG_PASSWORD), no --local-admin.
CmdResult TaizhangAs(const std::string& user, const std::string& password,
                     const std::string& args) {
  return tz::cli::testing::RunShell("TAIZHANG_PASSWORD='" + password + "' " +
                                    std::string(TZ_BINARY) + " " + args + " --user " + user +
                                    " 2>/dev/null");
}

// The command line is no way around roles and scope (issue 5, item 5): data commands need an
// identity, and an account's scope applies as it does on the web.
TEST_F(CliTest, DataCommandsActAsAnAccountOrTheLocalAdmin) {
  ASSERT_EQ(Taizhang(db_ + " init").code, 0);
  std::string disputes = Write("d.csv",
                               "编号,摸排日期,所属村,纠纷类型,当事人,调处状态\n"
                               "D1,2022-03-01,院前村,邻里纠纷,甲乙,调处成功\n"
                               "D2,2022-04-01,辽市村,婚姻家庭,丙丁,调处中\n");
  ASSERT_EQ(Taizhang(db_ + " import dispute " + disputes).code, 0);
  // Neither --user nor --local-admin: refused with exit 4 before anything is read.
  CmdResult anonymous = tz::cli::testing::RunShell(std::string(TZ_BINARY) + " " + db_ +
                                                   " figures --period 2022H1 2>&1");
  EXPECT_EQ(anonymous.code, 4);
  EXPECT_NE(anonymous.out.find("--local-admin"), std::string::npos) << anonymous.out;

  const std::string pw = "Village-Cadre-2024";
  ASSERT_EQ(tz::cli::testing::RunShell("TAIZHANG_PASSWORD='" + pw + "' " + std::string(TZ_BINARY) +
                                       " " + db_ +
                                       " user add cun --role village_cadre --unit 院前村 "
                                       "--local-admin 2>/dev/null")
                .code,
            0);
  // The village cadre's figures are their village's: one dispute, not the town's two.
  CmdResult mine = TaizhangAs("cun", pw, db_ + " figures --period 2022H1 --json");
  ASSERT_EQ(mine.code, 0) << mine.out;
  EXPECT_EQ(json::parse(mine.out)["unit"]["name"], "院前村");
  EXPECT_EQ(json::parse(mine.out)["figures"]["dispute.found"]["value"], 1);
  EXPECT_EQ(TaizhangAs("cun", pw, db_ + " figures --period 2022H1 --unit 辽市村").code, 4);
  EXPECT_EQ(TaizhangAs("cun", pw, db_ + " export dispute --unmasked -o " + dir_ + "/x.csv").code,
            4);
  CmdResult exported = TaizhangAs("cun", pw, db_ + " export dispute -o " + dir_ + "/d.csv");
  ASSERT_EQ(exported.code, 0);
  EXPECT_EQ(exported.out, "1\n");  // rows written: only 院前村's
  // A wrong password is refused like a failed web login, and the user list needs `users`.
  EXPECT_EQ(TaizhangAs("cun", "wrong-Password-1", db_ + " figures --period 2022H1").code, 4);
  EXPECT_EQ(TaizhangAs("cun", pw, db_ + " user list").code, 4);
  CmdResult users = Taizhang(db_ + " user list");
  EXPECT_EQ(users.code, 0);
  EXPECT_NE(users.out.find("cun"), std::string::npos) << users.out;
  // An administrator adding an account with --user: TAIZHANG_PASSWORD is the administrator's
  // own password and never becomes the new account's (that one is generated, printed once).
  const std::string admin_pw = "Admin-Password-2024";
  ASSERT_EQ(tz::cli::testing::RunShell("TAIZHANG_PASSWORD='" + admin_pw + "' " +
                                       std::string(TZ_BINARY) + " " + db_ +
                                       " user add boss --role admin --local-admin 2>/dev/null")
                .code,
            0);
  CmdResult added = TaizhangAs("boss", admin_pw, db_ + " user add bob --role leader");
  ASSERT_EQ(added.code, 0);
  EXPECT_EQ(added.out.size(), 17u) << added.out;  // the generated password and a newline
  EXPECT_NE(added.out, admin_pw + "\n");
  EXPECT_EQ(TaizhangAs("bob", admin_pw, db_ + " figures --period 2022H1").code, 4);
  EXPECT_EQ(Taizhang(db_ + " audit verify").code, 0);
}

TEST_F(CliTest, MissingDatabaseSaysSo) {
  EXPECT_EQ(Taizhang(db_ + " figures --period 2022H1").code, 1);
}

TEST_F(CliTest, ReportWritesMarkdownAndHtml) {
  ASSERT_EQ(Taizhang(db_ + " init").code, 0);
  std::string md = dir_ + "/r.md", html = dir_ + "/r.html";
  ASSERT_EQ(Taizhang(db_ + " report --period 2022H1 -o " + md).code, 0);
  ASSERT_EQ(Taizhang(db_ + " report --period 2022H1 --format html -o " + html).code, 0);
  std::stringstream m, h;
  m << std::ifstream(md).rdbuf();
  h << std::ifstream(html).rdbuf();
  EXPECT_NE(m.str().find("工作总结"), std::string::npos);
  EXPECT_EQ(m.str().find("{{"), std::string::npos);
  EXPECT_NE(h.str().find("<html"), std::string::npos);
  EXPECT_EQ(Taizhang(db_ + " report --period 2022H1 --format pdf").code, 1);
}

#ifdef TZ_HAVE_TOWNSHIP_DEMO
// Done means: the 2022H1 demo report reads like the seed, every figure filled in, nothing blank.
TEST_F(CliTest, DemoReportHasEveryFigure) {
  ASSERT_EQ(Taizhang(db_ + " demo --seed 2022").code, 0);
  EXPECT_EQ(Taizhang(db_ + " demo").code, 1);  // refuses to fill twice

  CmdResult figures = Taizhang(db_ + " figures --period 2022H1 --json");
  ASSERT_EQ(figures.code, 0);
  json f = json::parse(figures.out);
  for (auto& [id, fig] : f["figures"].items()) {
    EXPECT_FALSE(fig["value"].is_null()) << id << ": " << fig.value("note", "");
    EXPECT_NE(fig["display"], "") << id;
    EXPECT_NE(fig["display"], "—") << id;
    if (fig["value"].is_number() && id != "petition.skip_level") {
      EXPECT_NE(fig["value"].get<double>(), 0.0) << id;
    }
  }
  // One statement per ledger touched, at most: 45 ledgers in the pack.
  EXPECT_LE(f["stats"]["queries"].get<int>(), 45);

  std::string md = dir_ + "/r.md";
  ASSERT_EQ(Taizhang(db_ + " report --period 2022H1 -o " + md).code, 0);
  std::stringstream m;
  m << std::ifstream(md).rdbuf();
  std::string text = m.str();
  EXPECT_EQ(text.find("—"), std::string::npos) << "a figure without value in the demo report";
  EXPECT_EQ(text.find("{{"), std::string::npos);
  EXPECT_EQ(text.find("说明"), std::string::npos);
  EXPECT_NE(text.find("# 辽市镇2022年上半年工作总结"), std::string::npos);
  EXPECT_NE(text.find("且全部都是大学毕业生"), std::string::npos);
  EXPECT_NE(text.find("无安全生产事故、无进京赴省越级上访事件"), std::string::npos);
  EXPECT_NE(text.find("宜春中晶高科股份有限公司和东莞晨蓝实业有限公司两个投资额亿元以上的项目"),
            std::string::npos);
  EXPECT_NE(text.find("三家建筑业、一家餐饮业"), std::string::npos);

  // explain lists the records behind a number, with ID numbers masked.
  CmdResult ex = Taizhang(db_ + " explain tekun.persons --period 2022H1 --limit 5");
  ASSERT_EQ(ex.code, 0);
  EXPECT_NE(ex.out.find("360902********"), std::string::npos);
  EXPECT_FALSE(std::regex_search(ex.out, std::regex("360902[0-9]{11}[0-9X]")));

  CmdResult village = Taizhang(db_ + " report --period 2022H1 --unit 院前村");
  ASSERT_EQ(village.code, 0);
  EXPECT_NE(village.out.find("# 院前村2022年上半年工作总结"), std::string::npos);
}
#endif

}  // namespace
