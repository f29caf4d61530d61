#include "auth/audit_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "io/csv_reader.h"
#include "store/test_database.h"

namespace tz::auth {
namespace {

using Problem = VerifyReport::Problem;
using store::SqlValue;

class AuditLogTest : public ::testing::Test {
 protected:
  // On SQLite, or on PostgreSQL in the "pg." run (store/test_database.h).
  void SetUp() override {
    TZ_REQUIRE_TEST_DATABASE(db_);
    auto s = store::OpenStore(db_.location(), /*create=*/true);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    log_ = std::make_unique<AuditLog>(*store_, [this] { return FakeNow(); });
  }
  void TearDown() override {
    log_.reset();
    store_.reset();
  }

  bool OnPostgres() const { return std::string(store_->dialect().Name()) == "postgresql"; }

  // A deterministic clock: one second per entry.
  std::string FakeNow() {
    char buf[32];
    std::snprintf(buf, sizeof buf, "2024-05-01T08:30:%02dZ", tick_++ % 60);
    return buf;
  }

  void AppendN(int n) {
    for (int i = 0; i < n; ++i) {
      AuditEntry e{"张三", audit_action::kRecordUpdate, "l_dibao/" + std::to_string(i + 1),
                   R"({"before":{"身份证号":"3609**********1234"},"after":{"人数":)" +
                       std::to_string(i) + "}}"};
      ASSERT_TRUE(log_->AppendCommitted(e).ok());
    }
  }

  VerifyReport MustVerify() {
    auto r = log_->Verify();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }

  void Exec(const std::string& sql, std::vector<SqlValue> params = {}) {
    Status st = store_->Execute({sql, std::move(params)});
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  std::vector<StoredAuditEntry> Rows() {
    std::vector<StoredAuditEntry> rows;
    Status st = store_->Query(
        {"SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM _audit ORDER BY seq",
         {}},
        [&](const std::vector<SqlValue>& r) {
          rows.push_back({std::get<int64_t>(r[0]), std::get<std::string>(r[1]),
                          std::get<std::string>(r[2]), std::get<std::string>(r[3]),
                          std::get<std::string>(r[4]), std::get<std::string>(r[5]),
                          std::get<std::string>(r[6]), std::get<std::string>(r[7])});
          return Status::Ok();
        });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return rows;
  }

  store::testing::TestDatabase db_{"audit"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AuditLog> log_;
  int tick_ = 0;
};

TEST_F(AuditLogTest, EmptyDatabaseHasAnIntactEmptyLog) {
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.checked, 0);
}

TEST_F(AuditLogTest, AppendsChainAndVerify) {
  AppendN(5);
  std::vector<StoredAuditEntry> rows = Rows();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].prev_hash, AuditLog::kGenesisHash);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(rows[i].hash, AuditLog::EntryHash(rows[i]));
    EXPECT_EQ(rows[i].hash.size(), 64u);
    if (i > 0) {
      EXPECT_EQ(rows[i].prev_hash, rows[i - 1].hash);
    }
  }
  EXPECT_EQ(rows[0].at, "2024-05-01T08:30:00Z");
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok()) << r.log;
  EXPECT_EQ(r.checked, 5);
}

TEST_F(AuditLogTest, RealClockIsUtcIso8601) {
  std::string now = AuditLog::UtcNow();
  ASSERT_EQ(now.size(), 20u);
  EXPECT_EQ(now[10], 'T');
  EXPECT_EQ(now.back(), 'Z');
}

// The exact bytes docs/audit.md describes; the expected hash was computed independently
// (Python hashlib) so an outside re-verifier and this code agree.
TEST_F(AuditLogTest, CanonicalEncodingIsTheDocumentedOne) {
  StoredAuditEntry e{
      1, "2024-05-01T08:30:00Z", "张三", "login", "", "{}", std::string(AuditLog::kGenesisHash),
      ""};
  EXPECT_EQ(AuditLog::CanonicalBytes(e),
            "11:tz-audit-v1,1:1,20:2024-05-01T08:30:00Z,6:张三,5:login,0:,2:{},64:" +
                std::string(64, '0') + ",");
  EXPECT_EQ(AuditLog::EntryHash(e),
            "4f6eb2607c3afc68a22cea2619e9fd8360398ca3f9c0f5713751b58d975420cc");
}

TEST_F(AuditLogTest, FieldBoundariesAreInTheHash) {
  StoredAuditEntry a{1, "t", "ab", "c", "", "", std::string(AuditLog::kGenesisHash), ""};
  StoredAuditEntry b{1, "t", "a", "bc", "", "", std::string(AuditLog::kGenesisHash), ""};
  EXPECT_NE(AuditLog::CanonicalBytes(a), AuditLog::CanonicalBytes(b));
  EXPECT_NE(AuditLog::EntryHash(a), AuditLog::EntryHash(b));
  // Also across an empty field: target "x" + detail "" vs target "" + detail "x".
  StoredAuditEntry c{1, "t", "a", "b", "x", "", std::string(AuditLog::kGenesisHash), ""};
  StoredAuditEntry d{1, "t", "a", "b", "", "x", std::string(AuditLog::kGenesisHash), ""};
  EXPECT_NE(AuditLog::EntryHash(c), AuditLog::EntryHash(d));
}

TEST_F(AuditLogTest, AlteredRowIsNamed) {
  AppendN(5);
  Exec("UPDATE _audit SET detail = ? WHERE seq = 3", {std::string(R"({"after":{"人数":99}})")});
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kAltered);
  EXPECT_EQ(r.seq, 3);
  EXPECT_EQ(r.checked, 2);
  EXPECT_EQ(r.message, "审计日志第 3 条被改动");
  EXPECT_NE(r.log.find("entry 3 altered"), std::string::npos) << r.log;
}

TEST_F(AuditLogTest, AlteredTimestampOrActorIsNamed) {
  AppendN(3);
  Exec("UPDATE _audit SET actor = '李四' WHERE seq = 1");
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kAltered);
  EXPECT_EQ(r.seq, 1);
}

TEST_F(AuditLogTest, DeletedMiddleRowIsNamedAsAGap) {
  AppendN(5);
  Exec("DELETE FROM _audit WHERE seq = 3");
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kMissing);
  EXPECT_EQ(r.seq, 3);
  EXPECT_EQ(r.checked, 2);
  EXPECT_EQ(r.message, "审计日志缺少第 3 条（第 2 条之后是第 4 条）");
  EXPECT_NE(r.log.find("entry 3 missing"), std::string::npos) << r.log;
}

TEST_F(AuditLogTest, DeletedFirstRowIsNamed) {
  AppendN(3);
  Exec("DELETE FROM _audit WHERE seq = 1");
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kMissing);
  EXPECT_EQ(r.seq, 1);
}

TEST_F(AuditLogTest, DeletedTailIsFoundThroughTheHead) {
  AppendN(5);
  Exec("DELETE FROM _audit WHERE seq >= 4");
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kMissing);
  EXPECT_EQ(r.seq, 4);
  EXPECT_EQ(r.checked, 3);
}

TEST_F(AuditLogTest, AppendAfterADeletedTailLeavesTheGapVisible) {
  AppendN(5);
  Exec("DELETE FROM _audit WHERE seq = 5");
  AppendN(1);
  EXPECT_EQ(Rows().back().seq, 6);
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kMissing);
  EXPECT_EQ(r.seq, 5);
}

TEST_F(AuditLogTest, DeletedHeadRowIsReported) {
  AppendN(2);
  Exec("DELETE FROM _audit_head");
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kHeadMissing);
  EXPECT_EQ(r.checked, 2);
}

// A head whose seq was overwritten with text (SQLite keeps any type; on PostgreSQL the column's
// type has to be changed first): Append refuses to chain onto it with an error, never a crash,
// and writes nothing.
TEST_F(AuditLogTest, AppendOntoAMangledHeadFailsCleanly) {
  AppendN(2);
  if (OnPostgres()) Exec("ALTER TABLE _audit_head ALTER COLUMN seq TYPE TEXT");
  Exec("UPDATE _audit_head SET seq = 'x'");
  Status st = log_->AppendCommitted({"张三", audit_action::kExport, "", ""});
  EXPECT_EQ(st.code(), StatusCode::kCorruption) << st.ToString();
  EXPECT_EQ(Rows().size(), 2u);
}

// A clever attacker rewrites an entry and recomputes its hash: the entry is self-consistent, but
// the next one's prev_hash no longer matches.
TEST_F(AuditLogTest, RewrittenAndRehashedRowBreaksTheNextLink) {
  AppendN(5);
  StoredAuditEntry e = Rows()[1];
  e.detail = R"({"after":{"人数":99}})";
  e.hash = AuditLog::EntryHash(e);
  Exec("UPDATE _audit SET detail = ?, hash = ? WHERE seq = 2", {e.detail, e.hash});
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kBrokenLink);
  EXPECT_EQ(r.seq, 3);
  EXPECT_EQ(r.checked, 2);
  EXPECT_NE(r.log.find("entry 3 does not follow 2"), std::string::npos) << r.log;
  EXPECT_NE(r.message.find("第 3 条与第 2 条接不上"), std::string::npos) << r.message;
}

TEST_F(AuditLogTest, RewrittenAndRehashedLastRowIsCaughtByTheHead) {
  AppendN(3);
  StoredAuditEntry e = Rows()[2];
  e.actor = "李四";
  e.hash = AuditLog::EntryHash(e);
  Exec("UPDATE _audit SET actor = ?, hash = ? WHERE seq = 3", {e.actor, e.hash});
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kAltered);
  EXPECT_EQ(r.seq, 3);
}

TEST_F(AuditLogTest, ForgedEntryPastTheHeadIsReported) {
  AppendN(2);
  StoredAuditEntry last = Rows().back();
  StoredAuditEntry forged{3, "2024-05-01T09:00:00Z", "张三", "login", "", "", last.hash, ""};
  forged.hash = AuditLog::EntryHash(forged);
  Exec(
      "INSERT INTO _audit (seq, at, actor, action, target, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {forged.seq, forged.at, forged.actor, forged.action, forged.target, forged.detail,
       forged.prev_hash, forged.hash});
  VerifyReport r = MustVerify();
  EXPECT_EQ(r.problem, Problem::kBeyondHead);
  EXPECT_EQ(r.seq, 3);
}

// "If an audit entry cannot be written, the action fails" works because the entry is written in
// the action's transaction: roll the action back and the entry goes with it.
TEST_F(AuditLogTest, AppendInARolledBackTransactionLeavesNoEntry) {
  AppendN(2);
  {
    store::Transaction tx(*store_);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(log_->Append({"张三", audit_action::kRecordDelete, "l_dibao/1", ""}).ok());
    ASSERT_TRUE(tx.Rollback().ok());
  }
  {
    store::Transaction tx(*store_);  // the destructor rolls back, as on an error return
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(log_->Append({"张三", audit_action::kRecordDelete, "l_dibao/2", ""}).ok());
  }
  EXPECT_EQ(Rows().size(), 2u);
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok()) << r.log;
  EXPECT_EQ(r.checked, 2);
  AppendN(1);  // the chain continues from entry 2
  EXPECT_EQ(Rows().back().seq, 3);
  EXPECT_TRUE(MustVerify().ok());
}

// The first entry ever, rolled back together with the tables it created.
TEST_F(AuditLogTest, RolledBackFirstAppendLeavesAnEmptyLog) {
  {
    store::Transaction tx(*store_);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(log_->Append({"张三", audit_action::kLogin, "", ""}).ok());
  }
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok()) << r.log;
  EXPECT_EQ(r.checked, 0);
  AppendN(1);
  EXPECT_EQ(Rows().front().seq, 1);
}

TEST_F(AuditLogTest, RefusesBadEntries) {
  EXPECT_EQ(log_->AppendCommitted({"", "login", "", ""}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->AppendCommitted({"张三", "", "", ""}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->AppendCommitted({"张三", "export", "", "{not json"}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->AppendCommitted({"\xff", "login", "", ""}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log_->AppendCommitted({"张三", "login", std::string("a\0b", 3), ""}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MustVerify().checked, 0);
}

// Two connections appending at once (as two server threads or a server and the CLI would), from
// a database without the log's tables: the write lock taken by BEGIN IMMEDIATE (SQLite) or the
// head row read FOR UPDATE (PostgreSQL) serialises them, so the chain never forks.
TEST_F(AuditLogTest, ConcurrentAppendersKeepOneChain) {
  auto other = store::OpenStore(db_.location(), /*create=*/false);
  ASSERT_TRUE(other.ok());
  AuditLog other_log(**other);
  constexpr int kEach = 40;
  std::thread t([&] {
    for (int i = 0; i < kEach; ++i) {
      Status st = other_log.AppendCommitted({"李四", audit_action::kLogin, "", ""});
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
  });
  for (int i = 0; i < kEach; ++i) {
    Status st = log_->AppendCommitted({"张三", audit_action::kLogout, "", ""});
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  t.join();
  VerifyReport r = MustVerify();
  EXPECT_TRUE(r.ok()) << r.log;
  EXPECT_EQ(r.checked, 2 * kEach);
}

// The first entries of a log, written by two transactions at once: the second waits for the
// first (SQLite: its BEGIN IMMEDIATE; PostgreSQL: on the tables or the head row the first is
// creating) and then chains onto its entry instead of failing or forking.
TEST_F(AuditLogTest, TwoFirstAppendsAtOnceKeepOneChain) {
  for (bool tables_exist : {false, true}) {
    SCOPED_TRACE(tables_exist ? "empty tables" : "no tables");
    if (tables_exist) {
      AppendN(1);
      Exec("DELETE FROM _audit");
      Exec("DELETE FROM _audit_head");
    }
    auto other = store::OpenStore(db_.location(), /*create=*/false);
    ASSERT_TRUE(other.ok());
    AuditLog other_log(**other);
    store::Transaction tx(*store_);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(log_->Append({"张三", audit_action::kLogin, "", ""}).ok());
    std::atomic<bool> done{false};
    std::thread t([&] {
      Status st = other_log.AppendCommitted({"李四", audit_action::kLogin, "", ""});
      EXPECT_TRUE(st.ok()) << st.ToString();
      done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_FALSE(done.load());  // waiting for the first transaction
    ASSERT_TRUE(tx.Commit().ok());
    t.join();
    std::vector<StoredAuditEntry> rows = Rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].actor, "张三");
    EXPECT_EQ(rows[1].actor, "李四");
    VerifyReport r = MustVerify();
    EXPECT_TRUE(r.ok()) << r.log;
    EXPECT_EQ(r.checked, 2);
    Exec("DROP TABLE _audit");
    Exec("DROP TABLE _audit_head");
  }
}

// Values that would run as formulas in Excel, quotes, commas and line breaks.
void AppendAwkward(AuditLog& log) {
  ASSERT_TRUE(log.AppendCommitted({"=HYPERLINK(\"x\")", "export", "+1", R"({"a":"x,y"})"}).ok());
  ASSERT_TRUE(log.AppendCommitted({"'already quoted", "import", "-2", ""}).ok());
  ASSERT_TRUE(log.AppendCommitted({"@user", "unmask", "多行\r\n目标", R"({"b":"\"q\""})"}).ok());
  ASSERT_TRUE(log.AppendCommitted({"王五", "login", "", "{}"}).ok());
}

TEST_F(AuditLogTest, CsvExportRoundTripsAndGuardsFormulas) {
  AppendAwkward(*log_);
  std::ostringstream out;
  auto n = log_->Export(out, AuditExportFormat::kCsv);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 4);
  std::string text = out.str();
  ASSERT_EQ(text.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 BOM first";

  io::CsvReader reader(text);
  io::CsvRecord rec;
  auto more = reader.Next(&rec);
  ASSERT_TRUE(more.ok() && *more);
  EXPECT_EQ(rec.fields, (std::vector<std::string>{"seq", "at", "actor", "action", "target",
                                                  "detail", "prev_hash", "hash"}));
  std::vector<StoredAuditEntry> stored = Rows();
  for (const StoredAuditEntry& want : stored) {
    more = reader.Next(&rec);
    ASSERT_TRUE(more.ok() && *more);
    ASSERT_EQ(rec.fields.size(), 8u);
    if (want.seq == 1) {  // guarded
      EXPECT_EQ(rec.fields[2], "'=HYPERLINK(\"x\")");
      EXPECT_EQ(rec.fields[4], "'+1");
    } else if (want.seq == 2) {
      EXPECT_EQ(rec.fields[2], "''already quoted");
      EXPECT_EQ(rec.fields[4], "'-2");
    } else if (want.seq == 3) {
      EXPECT_EQ(rec.fields[2], "'@user");
    }
    auto unguard = [](std::string s) { return !s.empty() && s[0] == '\'' ? s.substr(1) : s; };
    StoredAuditEntry got{std::stoll(rec.fields[0]), unguard(rec.fields[1]), unguard(rec.fields[2]),
                         unguard(rec.fields[3]),    unguard(rec.fields[4]), unguard(rec.fields[5]),
                         unguard(rec.fields[6]),    unguard(rec.fields[7])};
    EXPECT_EQ(got.at, want.at);
    EXPECT_EQ(got.actor, want.actor);
    EXPECT_EQ(got.action, want.action);
    EXPECT_EQ(got.target, want.target);
    EXPECT_EQ(got.detail, want.detail);
    EXPECT_EQ(got.prev_hash, want.prev_hash);
    EXPECT_EQ(got.hash, want.hash);
    EXPECT_EQ(AuditLog::EntryHash(got), got.hash) << "re-verifiable from the CSV alone";
  }
  more = reader.Next(&rec);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
}

TEST_F(AuditLogTest, JsonLinesExportIsExact) {
  AppendAwkward(*log_);
  std::ostringstream out;
  auto n = log_->Export(out, AuditExportFormat::kJsonLines);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 4);
  std::istringstream in(out.str());
  std::string line;
  std::string prev(AuditLog::kGenesisHash);
  int64_t seq = 0;
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    StoredAuditEntry e{
        j["seq"].get<int64_t>(), j["at"],  j["actor"], j["action"], j["target"], j["detail"],
        j["prev_hash"],          j["hash"]};
    EXPECT_EQ(e.seq, ++seq);
    EXPECT_EQ(e.prev_hash, prev);
    EXPECT_EQ(AuditLog::EntryHash(e), e.hash);
    prev = e.hash;
  }
  EXPECT_EQ(seq, 4);
}

TEST_F(AuditLogTest, PagesFilterByActorAndAction) {
  AppendN(3);
  ASSERT_TRUE(log_->AppendCommitted({"李四", audit_action::kLogin, "", ""}).ok());
  int64_t total = -1;
  AuditLog::PageQuery q;
  q.limit = 2;
  auto page = log_->Page(q, &total);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(total, 4);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 4);  // newest first
  q.actor = "张三";
  q.offset = 2;
  page = log_->Page(q, &total);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(total, 3);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].seq, 1);
  // Text no entry can hold finds nothing on both stores (PostgreSQL would refuse to compare it).
  for (const std::string& bad : {std::string("\xff"), std::string("a\0b", 3)}) {
    q = {};
    q.actor = bad;
    page = log_->Page(q, &total);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    EXPECT_EQ(total, 0);
    EXPECT_TRUE(page->empty());
  }
}

TEST_F(AuditLogTest, ExportOfAnEmptyLogIsJustTheHeader) {
  std::ostringstream out;
  auto n = log_->Export(out, AuditExportFormat::kCsv);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(out.str(), "\xEF\xBB\xBFseq,at,actor,action,target,detail,prev_hash,hash\r\n");
}

}  // namespace
}  // namespace tz::auth
