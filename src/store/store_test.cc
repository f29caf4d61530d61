#include "store/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "store/ledger_tables.h"
#include "store/test_database.h"

namespace tz::store {
namespace {

pack::Catalog TinyCatalog() {
  pack::Catalog c;
  c.name = "tiny";
  pack::Ledger l;
  l.id = "visits";
  l.title = "走访台账";
  auto column = [](const char* label, pack::ColumnType type) {
    pack::Column c;
    c.label = label;
    c.type = type;
    return c;
  };
  pack::Column name = column("姓名", pack::ColumnType::kText);
  name.required = true;
  pack::Column date = column("日期", pack::ColumnType::kDate);
  pack::Column amount = column("金额", pack::ColumnType::kDecimal);
  l.columns = {name, date, amount};
  l.key_column = 0;
  c.ledgers.push_back(l);
  return c;
}

using testing::TestDatabase;

// Opens a fresh database of the store under test (SQLite, or PostgreSQL in the "pg." run).
#define OPEN_TEST_STORE(var, name)                              \
  TestDatabase var##_db(name);                                  \
  TZ_REQUIRE_TEST_DATABASE(var##_db);                           \
  auto var = OpenStore(var##_db.location(), /*create=*/true);   \
  ASSERT_TRUE(var.ok()) << var.status().ToString()

std::string TempDb() {
  char tmpl[] = "/tmp/tz_store_testXXXXXX";
  int fd = mkstemp(tmpl);
  close(fd);
  unlink(tmpl);
  return tmpl;
}

TEST(StoreTest, InitWriteReadRollback) {
  OPEN_TEST_STORE(store, "store");
  pack::Catalog catalog = TinyCatalog();
  pack::PackFiles files = {{"pack.txt", "name tiny\n"}};
  ASSERT_TRUE(InitSchema(**store, files, catalog).ok());
  EXPECT_EQ(InitSchema(**store, files, catalog).code(), StatusCode::kAlreadyExists);
  auto stored = LoadStoredPack(**store);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->at("pack.txt"), "name tiny\n");

  const pack::Ledger& ledger = catalog.ledgers[0];
  {
    Transaction tx(**store);
    ASSERT_TRUE(tx.Begin().ok());
    auto id = RecordImport(**store, ledger, "a.csv", 2);
    ASSERT_TRUE(id.ok());
    auto writer = RowWriter::Create(**store, ledger);
    ASSERT_TRUE(writer.ok());
    // A hostile value is data, never SQL.
    std::vector<SqlValue> hostile = {std::string("x'); DROP TABLE l_visits; --"),
                                     std::string("2022-06-30"), int64_t{125000}};
    ASSERT_TRUE((*writer)->Write(*id, 2, hostile).ok());
    std::vector<SqlValue> li = {std::string("李四"), SqlValue(), SqlValue()};
    ASSERT_TRUE((*writer)->Write(*id, 3, li).ok());
    ASSERT_TRUE((*writer)->Flush().ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(*CountRows(**store, ledger), 2);
  {
    // Not committed: rolled back when the transaction goes out of scope.
    Transaction tx(**store);
    ASSERT_TRUE(tx.Begin().ok());
    auto writer = RowWriter::Create(**store, ledger);
    std::vector<SqlValue> wang = {std::string("王五"), SqlValue(), SqlValue()};
    ASSERT_TRUE((*writer)->Write(9, 2, wang).ok());
    ASSERT_TRUE((*writer)->Flush().ok());
    EXPECT_EQ(*CountRows(**store, ledger), 3);  // visible inside the transaction
  }
  EXPECT_EQ(*CountRows(**store, ledger), 2);
  {
    // Rows go in batches: two full statements and a tail, every row exactly once, in order.
    Transaction tx(**store);
    ASSERT_TRUE(tx.Begin().ok());
    auto writer = RowWriter::Create(**store, ledger);
    for (int i = 0; i < 150; ++i) {
      std::vector<SqlValue> row = {std::string("批量") + std::to_string(i), SqlValue(), int64_t{i}};
      ASSERT_TRUE((*writer)->Write(7, 100 + i, row).ok());
    }
    // SQLite: the tail is still pending. PostgreSQL: COPY sends rows in 4 MB chunks, all pending.
    const bool copy = std::string((*store)->dialect().Name()) == "postgresql";
    EXPECT_EQ(*CountRows(**store, ledger), copy ? 2 : 2 + 128);
    ASSERT_TRUE((*writer)->Flush().ok());
    ASSERT_TRUE((*writer)->Flush().ok());  // nothing pending: no-op
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(*CountRows(**store, ledger), 152);
  int64_t expected_row = 100;
  ASSERT_TRUE((*store)
                  ->Query({"SELECT _row FROM l_visits WHERE _import = 7 ORDER BY _id", {}},
                          [&](const std::vector<SqlValue>& r) {
                            EXPECT_EQ(std::get<int64_t>(r[0]), expected_row++);
                            return Status::Ok();
                          })
                  .ok());
  EXPECT_EQ(expected_row, 250);
  auto names = DistinctValues(**store, ledger, 0);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->count("李四"), 1u);
  // The key column is unique.
  auto writer = RowWriter::Create(**store, ledger);
  std::vector<SqlValue> again = {std::string("李四"), SqlValue(), SqlValue()};
  ASSERT_TRUE((*writer)->Write(1, 4, again).ok());  // pending
  // A key taken meanwhile is a conflict (409 over HTTP), not a failure of the system.
  EXPECT_EQ((*writer)->Flush().code(), StatusCode::kAlreadyExists);
}

// Query keeps statements prepared by their text: the same text run again, run from inside its
// own row callback, run after the table it reads changed, and more texts than the cache holds all
// give the results a fresh statement would.
TEST(StoreTest, CachedStatementsBehaveLikeFreshOnes) {
  OPEN_TEST_STORE(opened, "cache");
  Store& store = **opened;
  ASSERT_TRUE(store.ExecuteScript("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2);").ok());
  auto sum = [&](int64_t above) {
    int64_t total = -1;
    EXPECT_TRUE(store.Query({"SELECT SUM(a) FROM t WHERE a > ?", {above}},
                            [&](const std::vector<SqlValue>& row) {
                              total = std::get<int64_t>(row[0]);
                              return Status::Ok();
                            })
                    .ok());
    return total;
  };
  EXPECT_EQ(sum(0), 3);
  EXPECT_EQ(sum(1), 2);  // new bindings on the kept statement
  // The same text from inside its own callback: a second statement, not the busy one.
  int64_t outer_rows = 0, inner_total = 0;
  ASSERT_TRUE(store.Query({"SELECT a FROM t WHERE a > ?", {int64_t{0}}},
                          [&](const std::vector<SqlValue>&) {
                            ++outer_rows;
                            return store.Query({"SELECT a FROM t WHERE a > ?", {int64_t{1}}},
                                               [&](const std::vector<SqlValue>& r) {
                                                 inner_total += std::get<int64_t>(r[0]);
                                                 return Status::Ok();
                                               });
                          })
                  .ok());
  EXPECT_EQ(outer_rows, 2);
  EXPECT_EQ(inner_total, 4);
  // The schema changes under a kept statement: SQLite prepares it again.
  ASSERT_TRUE(store.ExecuteScript("ALTER TABLE t ADD COLUMN b TEXT; INSERT INTO t VALUES (4, 'x');").ok());
  EXPECT_EQ(sum(0), 7);
  // An error stops a query half way; the kept statement is reset for the next run.
  Status stopped = store.Query({"SELECT a FROM t WHERE a > ?", {int64_t{0}}},
                               [](const std::vector<SqlValue>&) {
                                 return Status::InvalidArgument("stop");
                               });
  EXPECT_EQ(stopped.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(store.Execute({"DELETE FROM t WHERE a = ?", {int64_t{4}}}).ok());  // not locked
  // More distinct texts than the cache keeps.
  for (int i = 0; i < 200; ++i) {
    int64_t got = 0;
    ASSERT_TRUE(store.Query({"SELECT COUNT(*) + " + std::to_string(i) + " FROM t", {}},
                            [&](const std::vector<SqlValue>& row) {
                              got = std::get<int64_t>(row[0]);
                              return Status::Ok();
                            })
                    .ok());
    EXPECT_EQ(got, 2 + i);
  }
  EXPECT_EQ(sum(0), 3);
}

// What the PostgreSQL store must translate: `?` inside literals and quoted names is not a
// placeholder; integers beyond 32 bits; text with the characters COPY escapes; NUL refused;
// SUM over BIGINT (numeric in PostgreSQL) and a comparison read back as integers.
TEST(StoreTest, ValuesRoundTripExactly) {
  OPEN_TEST_STORE(opened, "values");
  Store& store = **opened;
  const Dialect& d = store.dialect();
  ASSERT_TRUE(store.ExecuteScript("CREATE TABLE " + d.Quote("表?") + " (" + d.Quote("名称?") +
                                  " TEXT, n BIGINT)").ok());
  const int64_t big = int64_t{9'000'000'000'123};
  ASSERT_TRUE(store.Execute({"INSERT INTO " + d.Quote("表?") + " VALUES (?, ?)",
                             {std::string("它's ?"), big}}).ok());
  std::vector<SqlValue> got;
  ASSERT_TRUE(store.Query({"SELECT " + d.Quote("名称?") + ", n, SUM(n), 'a?b', n = ? FROM " +
                               d.Quote("表?") + " WHERE n > ? GROUP BY 1, 2",
                           {big, int64_t{1}}},
                          [&](const std::vector<SqlValue>& row) {
                            got = row;
                            return Status::Ok();
                          }).ok());
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(std::get<std::string>(got[0]), "它's ?");
  EXPECT_EQ(std::get<int64_t>(got[1]), big);
  EXPECT_EQ(std::get<int64_t>(got[2]), big);
  EXPECT_EQ(std::get<std::string>(got[3]), "a?b");
  EXPECT_EQ(std::get<int64_t>(got[4]), 1);

  pack::Catalog catalog = TinyCatalog();
  ASSERT_TRUE(InitSchema(store, {{"pack.txt", "name tiny\n"}}, catalog).ok());
  const pack::Ledger& ledger = catalog.ledgers[0];
  const std::string tricky = "a\tb\\c\nd\re \\N 终";
  {
    auto writer = RowWriter::Create(store, ledger);
    ASSERT_TRUE(writer.ok());
    std::vector<SqlValue> row = {tricky, std::string("2022-01-01"), big};
    ASSERT_TRUE((*writer)->Write(1, 2, row).ok());
    std::vector<SqlValue> empty = {std::string(""), SqlValue(), SqlValue()};
    ASSERT_TRUE((*writer)->Write(1, 3, empty).ok());
    ASSERT_TRUE((*writer)->Flush().ok());
  }
  std::vector<std::vector<SqlValue>> rows;
  ASSERT_TRUE(ForEachLedgerRow(store, ledger, {}, [&](const std::vector<SqlValue>& r) {
                rows.push_back(r);
                return Status::Ok();
              }).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(rows[0][0]), tricky);
  EXPECT_EQ(std::get<int64_t>(rows[0][2]), big);
  EXPECT_EQ(std::get<std::string>(rows[1][0]), "");  // empty text is not NULL
  EXPECT_TRUE(IsNull(rows[1][1]));
  if (std::string(d.Name()) == "postgresql") {
    Status nul = store.Execute({"INSERT INTO " + d.Quote("表?") + " VALUES (?, 1)",
                                {std::string("a\0b", 3)}});
    EXPECT_EQ(nul.code(), StatusCode::kInvalidArgument);
  }
}

// QueryStream gives every row of a result larger than one fetch (PostgreSQL: a cursor read 2,000
// rows at a time), in order, lets the callback query meanwhile, works inside a transaction and
// outside, and stops at the callback's error.
TEST(StoreTest, StreamedQueriesGiveEveryRowInOrder) {
  OPEN_TEST_STORE(opened, "stream");
  Store& store = **opened;
  ASSERT_TRUE(store.ExecuteScript("CREATE TABLE s (n BIGINT)").ok());
  auto writer = store.Prepare("INSERT INTO s VALUES (?)");
  ASSERT_TRUE(writer.ok());
  {
    Transaction tx(store);
    ASSERT_TRUE(tx.Begin().ok());
    for (int64_t i = 0; i < 4500; ++i) ASSERT_TRUE((*writer)->Run({i}).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  for (bool in_transaction : {false, true}) {
    Transaction tx(store);
    if (in_transaction) ASSERT_TRUE(tx.Begin().ok());
    int64_t next = 0, nested = 0;
    Status st = store.QueryStream({"SELECT n FROM s WHERE n >= ? ORDER BY n", {int64_t{0}}},
                                  [&](const std::vector<SqlValue>& row) {
                                    EXPECT_EQ(std::get<int64_t>(row[0]), next++);
                                    if (next % 1000 != 0) return Status::Ok();
                                    return store.Query({"SELECT COUNT(*) FROM s", {}},
                                                       [&](const std::vector<SqlValue>& r) {
                                                         nested += std::get<int64_t>(r[0]);
                                                         return Status::Ok();
                                                       });
                                  });
    EXPECT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(next, 4500);
    EXPECT_EQ(nested, 4 * 4500);
    int64_t seen = 0;
    Status stopped = store.QueryStream({"SELECT n FROM s ORDER BY n", {}},
                                       [&](const std::vector<SqlValue>&) {
                                         return ++seen == 2500 ? Status::InvalidArgument("stop")
                                                               : Status::Ok();
                                       });
    EXPECT_EQ(stopped.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(seen, 2500);
    // The connection is usable afterwards, in or out of the transaction.
    EXPECT_TRUE(store.Execute({"INSERT INTO s VALUES (?)", {int64_t{-1}}}).ok());
    EXPECT_TRUE(store.Execute({"DELETE FROM s WHERE n = ?", {int64_t{-1}}}).ok());
    if (in_transaction) ASSERT_TRUE(tx.Rollback().ok());
  }
}

TEST(StoreTest, TooLongColumnNamesAreRefusedWhereTheDatabaseWouldCutThem) {
  OPEN_TEST_STORE(opened, "longname");
  pack::Catalog catalog = TinyCatalog();
  std::string label;
  for (int i = 0; i < 22; ++i) label += "长";  // 66 bytes
  catalog.ledgers[0].columns[1].label = label;
  Status st = InitSchema(**opened, {{"pack.txt", "name tiny\n"}}, catalog);
  if ((*opened)->dialect().MaxIdentifierBytes() == 0) {
    EXPECT_TRUE(st.ok()) << st.ToString();
  } else {
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(st.message().find("太长"), std::string::npos) << st.message();
  }
}

TEST(StoreLocationTest, PostgresUrlsAreToldApartAndTheirPasswordsHidden) {
  EXPECT_TRUE(IsPostgresLocation("postgresql://u@h/db"));
  EXPECT_TRUE(IsPostgresLocation("postgres://h/db"));
  EXPECT_FALSE(IsPostgresLocation("taizhang.db"));
  EXPECT_FALSE(IsPostgresLocation("./postgresql://x"));
  EXPECT_EQ(DisplayLocation("postgresql://tz:s3cret@10.0.0.5:5432/city"),
            "postgresql://tz:***@10.0.0.5:5432/city");
  EXPECT_EQ(DisplayLocation("postgresql://tz@h/city?sslmode=require&password=abc&x=1"),
            "postgresql://tz@h/city?sslmode=require&password=***&x=1");
  EXPECT_EQ(DisplayLocation("postgresql://h/city"), "postgresql://h/city");
  EXPECT_EQ(DisplayLocation("/data/a:b@c.db"), "/data/a:b@c.db");
}

TEST(StoreLocationTest, AnUnreachableServerIsAnIoErrorWithoutThePassword) {
  auto store = OpenStore("postgresql://tz:s3cret@127.0.0.1:1/none?connect_timeout=2", false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIoError);
  EXPECT_NE(store.status().message().find("无法连接数据库"), std::string::npos);
  EXPECT_EQ(store.status().ToString().find("s3cret"), std::string::npos);
}

TEST(SqliteStoreTest, AFileThatIsNotADatabaseIsAnInputError) {
  std::string path = TempDb();
  FILE* f = fopen(path.c_str(), "w");
  fputs("这不是数据库，只是一段文字。this is not a database file, just some text.\n", f);
  fclose(f);
  auto store = OpenSqlite(path, false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(store.status().message().find("不是数据库"), std::string::npos);
  unlink(path.c_str());
}

TEST(SqliteStoreTest, MissingDatabaseIsNotFound) {
  auto store = OpenSqlite("/nonexistent-dir/x.db", false);
  ASSERT_FALSE(store.ok());
}

}  // namespace
}  // namespace tz::store
