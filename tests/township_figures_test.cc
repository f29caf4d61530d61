// The proof that every figure definition of the default township pack is right.
//
// tests/fixtures/township/*.csv holds a hand-made fixture per ledger (a few rows each, chosen at
// the edges of every condition). Every figure of the pack is computed for the town and for 院前村
// (360902117201), for 2022H1, 2022 and 2022Q2, and compared with the value worked out BY HAND from
// spec/seed-report.md and the rows below. Nothing here was copied from the engine's output.
//
// Periods (seed-report.md "Periods"):
//   2022H1: P = Y = [2022-01-01, 2022-06-30], A = 2022-06-30, y = 2022
//   2022  : P = Y = [2022-01-01, 2022-12-31], A = 2022-12-31, y = 2022
//   2022Q2: P = [2022-04-01, 2022-06-30], Y = [2022-01-01, 2022-06-30], A = 2022-06-30, y = 2022
//   Only in 2022Q2 do P and Y differ: a figure with `in P` drops the Q1 rows (Jan–Mar), while a
//   figure with `in Y`, `≤ A`, `active at A` or y has the 2022H1 value (same Y, A and y). Each Q2
//   value below was checked against the rows anyway; a "Q2:" comment is given where it differs
//   from H1 or where the reason it does not is worth seeing.
//   active(s, e) at A ⇔ s ≤ A and (e empty or e > A): a row ending ON A is not active, one starting
//   on A is.
// Scope: V = 院前村 (also written 院前村委会 / 360902117201 in the CSVs), O = 西坑村 or another
// village, T = 所属村 empty (town only). At village level ledgers without 所属村 are not
// applicable. Row numbers in the comments are data rows (1 = the first row under the header).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/period.h"
#include "service/database.h"
#include "service/import_service.h"
#include "store/test_database.h"

namespace tz {
namespace {

using service::Database;

// An expected display string. "—" alone: no value (any note); "—|text": no value and the note
// contains text.
#define NA "—|不适用"  // not applicable at village level: the ledger has no 所属村

struct Expect {
  const char* id;
  const char* town_h1;
  const char* town_y;
  const char* village_h1;
  const char* village_y;
  const char* town_q2;  // 2022Q2: P ≠ Y
  const char* village_q2;
};

// clang-format off
const Expect kExpect[] = {
  // ---------------------------------------------------------------- 党的建设 (figures/party.txt)
  // training.csv: 1 2021-12-31 党校 V (out) | 2 2022-01-01 党校 V | 3 2022/6/30 党校 T |
  //   4 2022年7月1日 党校 O | 5 2022-03-15 网格员培训 V (type) | 6 2022-12-31 党校 V
  //   town H1 {2,3}=2, town Y {2,3,4,6}=4, village H1 {2}=1, village Y {2,6}=2
  // Q2: town {3}=1 (row 2 is 01-01, row 5 wrong type), village none=0
  {"party.school_lessons", "2", "4", "1", "2", "1", "0"},
  // civil_station.csv 建成日期 ≤ A: 1 2020-05-01 T | 2 2022-06-30 V | 3 2022-07-01 O |
  //   4 2022-12-31 V | 5 2023-01-01 V (never)
  //   town H1 {1,2}=2, town Y {1,2,3,4}=4, village H1 {2}=1, village Y {2,4}=2
  {"civil.stations", "2", "4", "1", "2", "2", "1"},
  // letters_visits.csv sum 人次, 日期 in P: 1 2021-12-31 5 V (out) | 2 2022-01-01 3 V |
  //   3 2022-06-30 2 T | 4 2022-07-01 7 O | 5 2022-12-31 4 V | 6 2023-01-01 9 V (out)
  //   town H1 3+2=5, town Y 3+2+7+4=16, village H1 3, village Y 3+4=7
  // Q2: town {3} 2 (row 2 is 01-01), village none → 0
  {"discipline.visit_persons", "5", "16", "3", "7", "2", "0"},
  // discipline_case.csv (no 所属村 → village n/a):
  //   1 AJ2022-01 受理01-10 立案01-20 办结05-10 留党察看一年@05-10
  //   2 AJ2022-01 受理01-10 立案01-20 办结05-10 党内警告@06-30
  //   3 AJ2022-02 受理06-30 立案— 办结06-30 无
  //   4 AJ2021-09 受理2021-12-31 立案2021-12-31 办结2022-01-01 党内警告@2022-01-01
  //   5 AJ2022-03 受理07-01 立案07-05 办结12-31 留党察看一年@12-31
  //   6 AJ2022-03 受理07-01 立案07-05 办结12-31 党内警告@07-01
  //   7 AJ2022-04 受理12-31 立案12-31 办结2023-01-01 党内严重警告@12-31
  //   8 AJ2021-05 受理2021-06-01 立案2021-07-01 办结2021-12-31 党内警告@2021-12-31
  // accepted = distinct 案件编号, 受理 in P: H1 {AJ2022-01, AJ2022-02}=2; Y + {AJ2022-03, AJ2022-04}=4
  // Q2: {AJ2022-02 (受理 06-30)}=1 (AJ2022-01 受理 01-10)
  {"discipline.cases_accepted", "2", "4", NA, NA, "1", NA},
  // concluded = distinct 案件编号, 立案 given, 办结 in P: H1 {AJ2022-01 (rows 1,2), AJ2021-09}=2
  //   (row 3 has no 立案日期, row 8 ended 2021); Y + {AJ2022-03 (rows 5,6)}=3 (row 7 办结 2023)
  // Q2: {AJ2022-01 (办结 05-10)}=1 (AJ2021-09 办结 01-01; row 3 no 立案)
  {"discipline.cases_concluded", "2", "3", NA, NA, "1", NA},
  // 留党察看一年, 处分日期 in P: H1 {1}=1, Y {1,5}=2
  // Q2: {1 (05-10)}=1
  {"discipline.probation_persons", "1", "2", NA, NA, "1", NA},
  // 党内警告, 处分日期 in P: H1 {2,4}=2, Y {2,4,6}=3 (row 7 党内严重警告, row 8 2021)
  // Q2: {2 (06-30)}=1 (row 4 is 01-01)
  {"discipline.warning_persons", "2", "3", NA, NA, "1", NA},
  // first_form.csv (no 所属村): 1 2021-12-31 诫勉 | 2 2022-01-01 诫勉 | 3 2022-06-30 提醒 |
  //   4 2022-07-01 提醒 | 5 2022-12-31 诫勉 | 6 2022-03-01 批评教育
  {"discipline.admonish_persons", "1", "2", NA, NA, "0", NA},  // H1 {2}, Y {2,5}, Q2 none (2 is 01-01)
  {"discipline.reminder_persons", "1", "2", NA, NA, "1", NA},  // H1 {3}, Y {3,4}, Q2 {3}
  // militia_unit.csv: 1 基干 T 2022-01-01 | 2 基干 V 2022-06-30 | 3 基干 O 2021-12-31 |
  //   4 村级民兵连 V 2019-03-01 | 5 村级民兵连 O 2022-07-01 | 6 基干 V 2022-12-31
  // core_teams: 基干, 整组 in Y: town H1 {1,2}=2, town Y {1,2,6}=3, village H1 {2}=1, Y {2,6}=2
  {"militia.core_teams", "2", "3", "1", "2", "2", "1"},  // Q2 = H1: 整组 in Y, not P
  // militia.csv: 1 基干 V 2021-03-01..— | 2 基干 V 2022-06-30..— | 3 基干 T 2020-01-01..2022-06-30 |
  //   4 基干 O 2020-01-01..2022-07-01 | 5 普通 V 2022-07-01..— | 6 普通 V 2021-01-01..2022-12-31 |
  //   7 普通 O 2021-01-01..—
  // core_members active at A: H1 {1,2 (start=A),4 (end>A)}=3 — row 3 ends ON A; Y {1,2}=2;
  //   village H1 {1,2}=2, village Y {1,2}=2
  {"militia.core_members", "3", "2", "2", "2", "3", "2"},
  // village_companies: 村级民兵连, 整组 ≤ A: town H1 {4}=1, town Y {4,5}=2, village {4}=1
  {"militia.village_companies", "1", "2", "1", "1", "1", "1"},
  // ordinary_members active at A: H1 {6,7}=2, Y {5,7}=2 (row 6 ends ON 12-31); village H1 {6}, Y {5}
  {"militia.ordinary_members", "2", "2", "1", "1", "2", "1"},
  // conscription.csv (年度, 登记日期, 文化程度, 上站, 体检, 政考, 入伍):
  //   1 V 2022 03-01 本科 是 合格 合格 03-20 | 2 V 2022 06-30 高中 是 合格 不合格 — |
  //   3 T 2022 04-01 大专 是 合格 合格 09-10 | 4 O 2022 07-01 初中 是 合格 合格 12-31 |
  //   5 V 2021 2021-05-01 本科 … (年度 2021: never) | 6 V 2022 05-01 研究生 否 — — — |
  //   7 V 2022 12-31 中专 是 合格 合格 —
  // registered (年度=y, 登记 ≤ A): town H1 {1,2,3,6}=4, Y {1,2,3,4,6,7}=6; village H1 {1,2,6}=3, Y {1,2,6,7}=4
  // Q2 = H1 for all conscription figures: 年度 = y and ≤ A (row 1 登记 03-01 still counts)
  {"conscription.registered", "4", "6", "3", "4", "4", "3"},
  // examined (+上站=是): town H1 {1,2,3}=3, Y {1,2,3,4,7}=5; village H1 {1,2}=2, Y {1,2,7}=3
  {"conscription.examined", "3", "5", "2", "3", "3", "2"},
  // qualified (+体检=合格, 政考=合格): town H1 {1,3}=2, Y {1,3,4,7}=4; village H1 {1}=1, Y {1,7}=2
  {"conscription.qualified", "2", "4", "1", "2", "2", "1"},
  // enlisted (年度=y, 入伍 ≤ A): town H1 {1}=1, Y {1,3,4}=3; village {1}=1 both
  {"conscription.enlisted", "1", "3", "1", "1", "1", "1"},
  // all_graduates: enlisted > 0 and all enlisted in {大专,本科,研究生}: town Y has row 4 (初中) → 否
  {"conscription.all_graduates", "是", "否", "是", "是", "是", "是"},

  // ---------------------------------------------------------------- 平安稳定 (figures/safety.txt)
  // meeting.csv (no 所属村): 1 2021-12-31 班子 安全 | 2 2022-01-01 班子 安全 | 3 2022-06-30 班子 安全 |
  //   4 2022-07-01 班子 安全 | 5 2022-03-01 班子 疫情防控 | 6 2022-05-01 专项 安全 |
  //   7 2022-12-31 专项 安全 | 8 2022-04-01 村级会议 安全
  {"safety.leadership_meetings", "2", "3", NA, NA, "2", NA},  // H1 {2,3}, Y {2,3,4}; < 10 → as is
  {"safety.special_meetings", "1", "2", NA, NA, "1", NA},     // H1 {6}, Y {6,7}
  // hazard.csv 发现日期 in P: 1 2021-12-31 V | 2 2022-01-01 V | 3 2022-06-30 T | 4 2022-07-01 O |
  //   5 2022-12-31 V → town H1 {2,3}=2, Y {2,3,4,5}=4, village H1 {2}=1, Y {2,5}=2
  // Q2: town {3}=1 (row 2 is 01-01), village none=0
  {"safety.hazards_found", "2", "4", "1", "2", "1", "0"},
  // enforcement.csv: 1 01-01 处罚 V | 2 06-30 违规违章排查 T | 3 03-10 非法生产排查 V 文书3 |
  //   4 07-01 处罚 O | 5 05-20 执法文书 V 12 | 6 06-30 执法文书 T 5 | 7 12-31 执法文书 V 8 |
  //   8 2021-12-31 非法生产排查 V (out)
  // Q2: penalties none (row 1 is 01-01); illegal_checks town {2}=1, village none=0 (row 3 is 03-10)
  {"safety.penalties", "1", "2", "1", "1", "0", "0"},       // town H1 {1}, Y {1,4}; village {1}
  {"safety.illegal_checks", "2", "2", "1", "1", "1", "0"},  // town {2,3}; village {3}
  // docs: sum 文书份数 of 执法文书 rows only (row 3's 3 does not count):
  //   town H1 12+5=17, Y 12+5+8=25, village H1 12, Y 12+8=20
  // Q2: rows 5 (05-20) and 6 (06-30) are both in Q2: town 17, village 12 (as H1)
  {"safety.enforcement_docs", "17", "25", "12", "20", "17", "12"},
  // grid.csv: G01 V, G02 V (院前村委会), G03 O (code) → town 3, village 2
  {"grid.count", "3", "3", "2", "2", "3", "2"},
  // dispute.csv (摸排, 村, 状态, 调处日期): 1 01-01 V 成功 01-05 | 2 06-30 V 成功 07-01 |
  //   3 03-01 V 调处中 — | 4 07-01 O 成功 07-10 | 5 2021-12-31 V 成功 2022-01-02 (out) |
  //   6 05-01 O 不成功 05-02 | 7 12-31 O 成功 12-31
  // found: town H1 {1,2,3,6}=4, Y {1,2,3,4,6,7}=6; village H1 {1,2,3}=3, Y {1,2,3}=3
  // Q2: town {2,6}=2 (rows 1, 3 are Q1), village {2}=1
  {"dispute.found", "4", "6", "3", "3", "2", "1"},
  // resolved (+成功, 调处 ≤ A): town H1 {1}=1 (row 2 resolved 07-01 > A), Y {1,2,4,7}=4;
  //   village H1 {1}=1, Y {1,2}=2
  // Q2: none (row 2 resolved 07-01 > A, row 6 不成功)
  {"dispute.resolved", "1", "4", "1", "2", "0", "0"},
  // rate: 100×1/4=25; 100×4/6=66.67→66.7; 100×1/3=33.33→33.3; 100×2/3→66.7
  // Q2: 100×0/2 = 0; 100×0/1 = 0
  {"dispute.rate", "25", "66.7", "33.3", "66.7", "0", "0"},
  // campaign.csv (no 所属村): 1 2021-12-31 大型 500 | 2 2022-01-01 大型 1200 | 3 06-30 一般 37 |
  //   4 07-01 大型 800 | 5 12-31 一般 (份数 empty) | 6 05-01 一般 100
  {"campaign.large_events", "1", "2", NA, NA, "0", NA},  // H1 {2}, Y {2,4}, Q2 none (2 is 01-01)
  // materials: H1 1200+37+100=1337 → 2 significant digits 1300 + 余; Y 1337+800=2137 → 2100余
  // Q2: 37+100=137 → 2 significant digits 130 + 余
  {"campaign.materials", "1300余", "2100余", NA, NA, "130余", NA},
  // petition.csv (登记, 村, 越级, 状态, 办结): 1 01-01 V 无 已办结 02-01 | 2 06-30 V 赴市 已办结 07-01 |
  //   3 03-01 T 无 办理中 | 4 07-01 O 进京 已办结 12-31 | 5 2021-12-31 V 赴省 (out) |
  //   6 12-31 V 赴省 办理中
  // Q2 = H1: 登记日期 in Y, so rows 1 (01-01) and 3 (03-01) still count
  {"petition.received", "3", "5", "2", "3", "3", "2"},    // town H1 {1,2,3}, Y {1,2,3,4,6}; V {1,2} / {1,2,6}
  // in P, not Y: Q2 only row 2 (06-30) for town and village
  {"petition.received_in_period", "3", "5", "2", "3", "1", "1"},
  {"petition.handled", "1", "3", "1", "2", "1", "1"},     // town H1 {1}, Y {1,2,4}; V {1} / {1,2}
  {"petition.skip_level", "0", "2", "0", "1", "0", "0"},  // 进京/赴省 in Y: H1 none (row 5 is 2021); Y {4,6}; V Y {6}

  // ---------------------------------------------------------------- 乡村振兴 (figures/rural.txt)
  // dibao.csv (户, 村, 人数, 批准, 停保, 原因): 1 H001 V 3 2020-05-01 — | 2 H002 V 2 2022-06-30 — |
  //   3 H003 O 4 2021-03-01 2022-06-30 整户取消 | 4 H004 V 1 2022-01-01 2022-07-01 整户取消 |
  //   5 H005 O 5 2022-07-01 — | 6 H006 V 2 2021-12-31 2022-12-31 迁出 |
  //   7 H007 V 6 2019-01-01 2021-12-31 整户取消
  // active: town H1 {1,2,4,6}=4 (3 ends ON A), Y {1,2,5}=3 (4 ended, 6 ends ON A);
  //   village H1 {1,2,4,6}=4, Y {1,2}=2
  {"dibao.households", "4", "3", "4", "2", "4", "4"},
  // persons: town H1 3+2+1+2=8, Y 3+2+5=10; village H1 8, Y 3+2=5
  {"dibao.persons", "8", "10", "8", "5", "8", "8"},
  // new (批准 in Y): town H1 {2,4}=2, Y {2,4,5}=3; village {2,4}=2 both
  //   Q2 = H1: 批准 in Y, so row 4 (01-01) still counts
  {"dibao.new_households", "2", "3", "2", "2", "2", "2"},
  {"dibao.new_persons", "3", "8", "3", "3", "3", "3"},  // 2+1; 2+1+5; 2+1; 2+1
  // cancelled (整户取消, 停保 in Y): town H1 {3}=1, Y {3,4}=2; village H1 none, Y {4}=1 (6 is 迁出,
  //   7 stopped in 2021)
  {"dibao.cancelled_households", "1", "2", "0", "1", "1", "0"},
  {"dibao.cancelled_persons", "4", "5", "0", "1", "4", "0"},  // 4; 4+1; 0; 1
  // tekun.csv (户, 村, 认定, 终止, 建档): 1 H001 V 2020-01-01 — 是 | 2 H001 V 2022-06-30 — 是 |
  //   3 (no 户) V 2021-01-01 — 是 | 4 H003 O 2021-01-01 2022-06-30 是 | 5 H005 O 2021-01-01 2022-07-01 是 |
  //   6 H004 V 2022-07-01 — 否 | 7 H002 V 2022-12-31 — 是
  // persons active: town H1 {1,2,3,5}=4, Y {1,2,3,6,7}=5; village H1 {1,2,3}=3, Y {1,2,3,6,7}=5
  {"tekun.persons", "4", "5", "3", "5", "4", "3"},
  // registered households, distinct 户编号 (empty not counted): town H1 {H001,H005}=2,
  //   Y {H001,H002}=2; village H1 {H001}=1, Y {H001,H002}=2
  {"tekun.registered_households", "2", "2", "1", "2", "2", "1"},
  // registered persons: town H1 {1,2,3,5}=4, Y {1,2,3,7}=4; village H1 {1,2,3}=3, Y {1,2,3,7}=4
  {"tekun.registered_persons", "4", "4", "3", "4", "4", "3"},
  // gongyi_job.csv: 1 V 2021-01-01..— | 2 V 2022-06-30..— | 3 O 2021-01-01..2022-06-30 |
  //   4 V 2022-01-01..2022-12-31 | 5 O 2022-07-01..— | 6 O 2020-01-01..2022-07-01
  //   town H1 {1,2,4,6}=4, Y {1,2,5}=3; village H1 {1,2,4}=3, Y {1,2}=2
  {"jobs.persons", "4", "3", "3", "2", "4", "3"},
  // labor.csv: 1 V 2021-03-01..— | 2 O 2022-06-30..— | 3 V 2022-07-01..— |
  //   4 V 2021-01-01..2022-06-30 | 5 O 2021-01-01..2022-12-31
  //   town H1 {1,2,5}=3, Y {1,2,3}=3; village H1 {1}=1, Y {1,3}=2
  {"labor.persons", "3", "3", "1", "2", "3", "1"},
  // housing.csv distinct 户编号, 申报 in Y: 1 H001 V 01-01 | 2 H001 V 03-01 | 3 H002 V 2021-12-31 |
  //   4 H003 O 06-30 | 5 H004 V 07-01 | 6 H005 O 12-31
  //   town H1 {H001,H003}=2, Y {H001,H003,H004,H005}=4; village H1 {H001}=1, Y {H001,H004}=2
  //   Q2 = H1: 申报 in Y (rows 1, 2 in Q1 still count)
  {"housing.applications", "2", "4", "1", "2", "2", "1"},
  // yulu.csv 学期 = "2022年春季" (y = 2022 in both periods): 1 S1 V 1500 | 2 S1 V 500.6 |
  //   3 S2 O 1500 | 4 S3 V 2022年秋季 | 5 S4 V 2021年春季 | 6 S5 V "2022年春" (not equal)
  //   persons: town {S1,S2}=2, village {S1}=1; amount: town 3500.6 → 3501, village 2000.6 → 2001
  {"yulu.spring_persons", "2", "2", "1", "1", "2", "1"},
  {"yulu.spring_amount", "3501", "3501", "2001", "2001", "3501", "2001"},
  // pv_income.csv (村, 月份, 收益): 1 V 2021-12 1000 | 2 O 2022-01 1200.5 | 3 V 2022/2 800 |
  //   4 V 2022年6月 1300.25 | 5 O 2022-07 900 | 6 V(code) 2022-12 1000 | 7 O 2023-01 500
  //   town H1 months {1,2,6}, Y {1,2,6,7,12}; village H1 {2,6}, Y {2,6,12}
  //   Q2 = H1: 月份 in Y, so the first month stays 1 (town) / 2 (village), not 4
  {"pv.first_month", "1", "1", "2", "2", "1", "2"},
  {"pv.last_month", "6", "12", "6", "12", "6", "6"},
  // income: town H1 1200.5+800+1300.25=3300.75 → 3301, Y +900+1000=5200.75 → 5201;
  //   village H1 800+1300.25=2100.25 → 2100, Y +1000=3100.25 → 3100
  {"pv.income", "3301", "5201", "2100", "3100", "3301", "2100"},
  // industry_subsidy.csv (户, 村, 申请, 金额): 1 H001 V 01-01 2000 | 2 H001 V 06-30 1500.6 |
  //   3 H003 O 04-01 3000 | 4 H004 V 07-01 800 | 5 H005 O 2021-12-31 999 | 6 H006 V 12-31 1200.4
  //   households: town H1 {H001,H003}=2, Y {H001,H003,H004,H006}=4; village H1 {H001}=1, Y 3
  //   Q2 = H1: 申请 in Y (row 1 01-01 still counts)
  {"subsidy.households", "2", "4", "1", "3", "2", "1"},
  // amount: town H1 2000+1500.6+3000=6500.6 → 6501, Y +800+1200.4=8501; village H1 3500.6 → 3501,
  //   Y 3500.6+800+1200.4=5501
  {"subsidy.amount", "6501", "8501", "3501", "5501", "6501", "3501"},
  // monitor.csv (户, 村, 类型, 人口, 纳入, 消除, 退出): 1 H001 V 脱贫户 4 2016 — — |
  //   2 H002 V 脱贫不稳定户 3 2022-06-30 | 3 H003 O 脱贫户 5 2016 退出 2022-07-01 |
  //   4 H004 V 边缘 2 消除 2022-06-30 | 5 H005 O 边缘 6 消除 2022-07-01 |
  //   6 H006 V 突发严重困难户 1 消除 2022-03-01 | 7 H007 V 脱贫户 2 2016 退出 2022-12-31 |
  //   8 H008 O 脱贫不稳定户 3 纳入 2022-07-01
  // poor households active: town H1 {1,2,3,7}=4, Y {1,2,8}=3; village H1 {1,2,7}=3, Y {1,2}=2
  {"monitor.poor_households", "4", "3", "3", "2", "4", "3"},
  // persons: town H1 4+3+5+2=14, Y 4+3+3=10; village H1 4+3+2=9, Y 4+3=7
  {"monitor.poor_persons", "14", "10", "9", "7", "14", "9"},
  // edge eliminated (边缘易致贫户, 消除 ≤ A): town H1 {4}=1, Y {4,5}=2; village {4}=1 (6 wrong type)
  {"monitor.edge_eliminated", "1", "2", "1", "1", "1", "1"},

  // ---------------------------------------------------------------- 经济与项目 (figures/economy.txt)
  // investment.csv (no 所属村; 投资额, 签约): 1 东莞晨蓝实业有限公司 15000 06-30 |
  //   2 宜春中晶高科股份有限公司 10000 01-01 | 3 辽丰 9999.99 03-01 (< 10000) |
  //   4 远景 20000 (no 签约日期) | 5 宜春恒远科技有限公司 12000 07-01 | 6 旧年 50000 2021-12-31
  //   H1 by 签约日期: 2 (01-01), 1 (06-30); Y: 2, 1, 5
  //   Q2 = H1: 签约日期 in Y, so row 2 (01-01) is still listed
  {"investment.billion_projects", "宜春中晶高科股份有限公司和东莞晨蓝实业有限公司",
   "宜春中晶高科股份有限公司、东莞晨蓝实业有限公司和宜春恒远科技有限公司", NA, NA,
   "宜春中晶高科股份有限公司和东莞晨蓝实业有限公司", NA},
  {"investment.billion_project_count", "两", "三", NA, NA, "两", NA},
  // enterprise.csv (行业, 村, 规上, 培育): 1 建筑业 V 否 月度 | 2 建筑业 V 否 月度 | 3 建筑业 O 否 月度 |
  //   4 餐饮业 V 否 月度 | 5 建筑业 V 是 月度 (规上: no) | 6 宜春豆福网络科技有限公司 服务业 V 否 年度 |
  //   7 江西禧宴科技有限公司 服务业 O 否 年度 | 8 卡多利雅 餐饮业 T 否 年度 | 9 工业 V 否 无
  // No date condition: same in every period. Measure word 家 as the seed writes it.
  // monthly: town 建筑业 {1,2,3}=3, 餐饮业 {4}=1; village 建筑业 {1,2}=2, 餐饮业 {4}=1
  {"enterprise.monthly_candidates", "三家建筑业、一家餐饮业", "三家建筑业、一家餐饮业",
   "两家建筑业、一家餐饮业", "两家建筑业、一家餐饮业",
   "三家建筑业、一家餐饮业", "两家建筑业、一家餐饮业"},
  // annual: town 服务业 {6,7}, 餐饮业 {8}; village 服务业 {6} (row 8 has no 所属村)
  {"enterprise.annual_candidates",
   "两家服务业：宜春豆福网络科技有限公司和江西禧宴科技有限公司，一家餐饮业：卡多利雅",
   "两家服务业：宜春豆福网络科技有限公司和江西禧宴科技有限公司，一家餐饮业：卡多利雅",
   "一家服务业：宜春豆福网络科技有限公司", "一家服务业：宜春豆福网络科技有限公司",
   "两家服务业：宜春豆福网络科技有限公司和江西禧宴科技有限公司，一家餐饮业：卡多利雅",
   "一家服务业：宜春豆福网络科技有限公司"},
  // fiscal.csv (no 所属村; 万元): 2021-12 500 | 2022-01 1600 | 2022-06 900 | 2022-07 2000 |
  //   2022-12 1000.5 | 2023-01 300. target 2022 财政总收入 = 1.2 亿元 → 12000 万元.
  //   H1 100×2500/12000 = 20.83 → 20.8; Y 100×5500.5/12000 = 45.84 → 45.8; Q2 = H1 (月份 in Y)
  {"fiscal.completion", "20.8", "45.8", NA, NA, "20.8", NA},
  // target.csv (no 所属村): one 2022 row per indicator; a 2021 地区生产总值 row (14.6 / 7) and a
  //   2023 引进企业 row (9) must not be picked.
  {"target.gdp", "15.8", "15.8", NA, NA, "15.8", NA},
  {"target.gdp_growth", "8.5", "8.5", NA, NA, "8.5", NA},
  {"target.fiscal_total", "1.2", "1.2", NA, NA, "1.2", NA},
  {"target.public_budget", "3560.75", "3560.75", NA, NA, "3560.75", NA},
  {"target.public_budget_growth", "6", "6", NA, NA, "6", NA},
  {"target.industry_growth", "9.5", "9.5", NA, NA, "9.5", NA},
  {"target.fixed_asset_growth", "10", "10", NA, NA, "10", NA},
  {"target.retail", "5.62", "5.62", NA, NA, "5.62", NA},           // 5.616 → two decimals
  {"target.retail_growth", "11", "11", NA, NA, "11", NA},          // 11.0 → trailing zeros dropped
  {"target.rural_income", "18651", "18651", NA, NA, "18651", NA},  // 18650.6 元 → whole 元
  {"target.rural_income_growth", "8.2", "8.2", NA, NA, "8.2", NA},
  {"target.new_enterprises", "6", "6", NA, NA, "6", NA},
  {"target.above_size_enterprises", "5", "5", NA, NA, "5", NA},
  {"target.billion_enterprises", "2", "2", NA, NA, "2", NA},
  {"target.eco_agriculture", "3", "3", NA, NA, "3", NA},

  // ---------------------------------------------------------------- 镇村环境 (figures/environment.txt)
  // project.csv (no date condition): 人行道 T 125.5 | 泽溪桥 泽溪村 300 | 泽溪桥 V 20.25 |
  //   垃圾 T 57.8 | 垃圾 V 8 | 小修小补 T 30 | 小修小补 V 5
  {"project.sidewalk_investment", "125.5", "125.5", "0", "0", "125.5", "0"},  // village: no row → empty sum 0
  {"project.bridge_investment", "320.25", "320.25", "20.25", "20.25", "320.25", "20.25"},
  {"project.garbage_investment", "60多", "60多", "8", "8", "60多", "8"},  // 65.8 → 60多; 8 < 10 as is
  {"project.repair_investment", "30多", "30多", "5", "5", "30多", "5"},   // 35 → 30多; 5
  // afforestation.csv 油茶, 日期 in P: 1 2021-12-31 V 100 | 2 2022-01-01 V 120.5 | 3 06-30 T 30.25 |
  //   4 07-01 O 50 | 5 03-01 V 杉木 80 | 6 12-31 V 9.333
  //   town H1 150.75, Y 150.75+50+9.333=210.083 → 210.08; village H1 120.5, Y 129.833 → 129.83
  // Q2: town {3} 30.25 (row 2 is 01-01, row 5 杉木), village none → empty sum 0
  {"forest.oil_tea_area", "150.75", "210.08", "120.5", "129.83", "30.25", "0"},
  // new_village_site.csv 施工中: 院前罗家组 V, 寒岭新屋组 寒岭村, 西坑中组 O → town 3, village 1
  {"village_site.under_construction", "3", "3", "1", "1", "3", "1"},
  {"fishpond.survey_threshold", "10", "10", "10", "10", "10", "10"},  // a parameter: the same everywhere
  // fishpond.csv 面积 ≥ 10: V 10 ✓ | V 9.99 ✗ | O 25 ✓ | V 12.5 ✓ | O 3 ✗ → town 3, village 2
  {"fishpond.surveyed", "3", "3", "2", "2", "3", "2"},
  // townmgmt.csv (no 所属村), sum 数量 by 整治类别, 日期 in P:
  //   出店经营: 2021-12-31 10 (out), 01-01 15, 06-30 5, 07-01 7 → H1 20, Y 27
  // Q2: 06-30 5 only (01-01 15 is Q1)
  {"townmgmt.street_stalls", "20", "27", NA, NA, "5", NA},
  // Q2 for the rest: rows dated 04-01..06-30 count (04-01 = P.start included), Q1 and H2 rows not
  {"townmgmt.gas_cylinders", "4", "4", NA, NA, "0", NA},      // 03-01 4 (Q1 → Q2 empty sum 0)
  {"townmgmt.umbrellas", "30", "42", NA, NA, "30", NA},       // 04-01 30, 12-31 12
  {"townmgmt.billboards", "6", "6", NA, NA, "6", NA},         // 05-01 6
  {"townmgmt.vehicles", "20", "20", NA, NA, "20", NA},        // 05-02 20, 08-01 0
  {"townmgmt.leaflets", "3000", "3000", NA, NA, "3000", NA},  // 05-03 3000 (int: no approx)
  {"townmgmt.persuasions", "45", "45", NA, NA, "45", NA},     // 05-04 45
  {"townmgmt.illegal_builds", "0", "2", NA, NA, "0", NA},     // 09-01 2 only → H1 empty sum 0
  {"townmgmt.parking_spaces", "80", "80", NA, NA, "80", NA},  // 06-15 80; 2023-01-01 20 out

  // ---------------------------------------------------------------- 社会事业 (figures/epidemic.txt)
  // epi_group.csv (no 所属村) 成立 in P: 2022-01-01, 2022-06-30, 2022-07-01, 2021-12-31 → H1 2, Y 3
  // Q2: 06-30 only (01-01 is Q1) → 1
  {"epidemic.supervision_groups", "2", "3", NA, NA, "1", NA},
  // checkpoint.csv (村, 时长, 设置): 1 V 24 01-01 | 2 T 12 06-30 | 3 O 48 07-01 |
  //   4 V 36 2021-12-31 (out) | 5 V 8 12-31
  //   max hours: town H1 max(24,12)=24, Y 48; village H1 24, Y max(24,8)=24
  // Q2: town {2} 12 (row 1 is 01-01); village no row in P → max of nothing: no value
  {"epidemic.checkpoint_hours", "24", "48", "24", "24", "12", "—"},
  // checkpoints: town {1,2} / {1,2,3,5}, village {1} / {1,5}; Q2: town {2}=1, village none=0
  {"epidemic.checkpoints", "2", "4", "1", "2", "1", "0"},
  // isolation.csv (id, 村, 方式, 开始): 1 I1 V 集中 01-01 | 2 I1 V 集中 03-01 | 3 I2 T 集中 06-30 |
  //   4 I3 O 集中 07-01 | 5 I4 V 居家 02-01 | 6 I1 V 居家 12-31 | 7 I5 V 居家 2021-12-31 (out)
  //   central: town H1 {I1,I2}=2, Y {I1,I2,I3}=3; village {I1}=1
  // Q2: town {I2 (06-30)}=1 (I1 rows are 01-01, 03-01), village 0
  {"epidemic.central_isolation", "2", "3", "1", "1", "1", "0"},
  //   home: town H1 {I4}=1, Y {I4,I1}=2; village H1 {I4}=1, Y {I4,I1}=2
  // Q2: none (I4 02-01 is Q1, I1 12-31 later)
  {"epidemic.home_isolation", "1", "2", "1", "2", "0", "0"},
  // medical_insurance.csv 年度=2022: V 已, V 已, V 未, O 已, O 未, O 已, O 已; (V 2021, O 2023 out)
  //   town 7 assessed, 5 paid → 71.43 → floored 71; village 3 / 2 → 66.67 → 66
  {"medins.assessed", "7", "7", "3", "3", "7", "3"},
  {"medins.paid", "5", "5", "2", "2", "5", "2"},
  {"medins.rate", "71", "71", "66", "66", "71", "66"},

  // ---------------------------------------------------------------- 期间与单位 (figures/period.txt)
  {"period.asof_month", "6", "12", "6", "12", "6", "6"},  // month(A): Q2 A = 06-30
  {"period.year", "2022", "2022", "2022", "2022", "2022", "2022"},
  {"period.span", "上半年", "全年", "上半年", "全年", "第二季度", "第二季度"},
  {"unit.name", "辽市镇", "辽市镇", "院前村", "院前村", "辽市镇", "院前村"},
};
// clang-format on

// Every ledger with a fixture, in import order (registries first, so references resolve).
const char* const kLedgers[] = {
    "grid",
    "household",
    "training",
    "civil_station",
    "letters_visits",
    "discipline_case",
    "first_form",
    "militia_unit",
    "militia",
    "conscription",
    "meeting",
    "hazard",
    "enforcement",
    "dispute",
    "campaign",
    "petition",
    "dibao",
    "tekun",
    "monitor",
    "gongyi_job",
    "labor",
    "housing",
    "yulu",
    "pv_income",
    "industry_subsidy",
    "medical_insurance",
    "investment",
    "enterprise",
    "fiscal",
    "target",
    "project",
    "afforestation",
    "new_village_site",
    "fishpond",
    "townmgmt",
    "epi_group",
    "checkpoint",
    "isolation",
};

std::string MakeTempDir() {
  char dir[] = "/tmp/tz_township_figuresXXXXXX";
  if (mkdtemp(dir) == nullptr) return "";
  return dir;
}

void RemoveDir(const std::string& dir) {
  if (dir.empty()) return;
  std::string cmd = "rm -rf '" + dir + "'";
  (void)system(cmd.c_str());
}

// Imports a CSV file into `ledger`; asserts zero errors and zero warnings.
void ImportFile(Database& db, const std::string& ledger, const std::string& path) {
  auto l = service::FindLedger(db.catalog(), ledger);
  ASSERT_TRUE(l.ok()) << ledger << ": " << l.status().message();
  auto report = service::ImportCsvFile(db.store(), db.catalog(), **l, path);
  ASSERT_TRUE(report.ok()) << path << ": " << report.status().message();
  std::string issues;
  for (const auto& e : report->errors) {
    issues += "  error row " + std::to_string(e.row) + " " + e.column + ": " + e.message + "\n";
  }
  for (const auto& w : report->warnings) {
    issues += "  warning row " + std::to_string(w.row) + " " + w.column + ": " + w.message + "\n";
  }
  EXPECT_TRUE(report->errors.empty() && report->warnings.empty()) << path << "\n" << issues;
  EXPECT_GT(report->imported, 0) << path;
}

// Checks one computed figure against an expectation string (see NA above).
void CheckFigure(const figures::ComputeResult& computed, const std::string& id,
                 const std::string& expected, const std::string& where) {
  const figures::FigureResult* r = computed.Find(id);
  ASSERT_NE(r, nullptr) << where << ": figure " << id << " was not computed";
  const std::string kDash = "—";
  if (expected.rfind(kDash, 0) == 0) {
    EXPECT_FALSE(r->value.has_value())
        << where << " " << id << ": expected no value, got " << r->display;
    EXPECT_EQ(r->display, kDash) << where << " " << id;
    size_t bar = expected.find('|');
    if (bar != std::string::npos) {
      std::string note = expected.substr(bar + 1);
      EXPECT_NE(r->value.note().find(note), std::string::npos)
          << where << " " << id << ": note '" << r->value.note() << "' lacks '" << note << "'";
    }
  } else {
    EXPECT_TRUE(r->value.has_value())
        << where << " " << id << ": no value, note '" << r->value.note() << "'";
    EXPECT_EQ(r->display, expected) << where << " " << id;
  }
}

class TownshipFiguresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // On SQLite, or on PostgreSQL in the "pg." run: the same expectations hold for both.
    test_db_ = new store::testing::TestDatabase("figures");
    TZ_REQUIRE_TEST_DATABASE(*test_db_);
    auto db = Database::Init(test_db_->location(), "packs/township");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value().release();
    for (const char* ledger : kLedgers) {
      ImportFile(*db_, ledger, std::string("tests/fixtures/township/") + ledger + ".csv");
    }
  }
  void SetUp() override {
    if (db_) return;
    if (test_db_ && test_db_->skip()) GTEST_SKIP() << test_db_->error();
    FAIL() << "the test database was not made: " << (test_db_ ? test_db_->error() : "");
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
    delete test_db_;
    test_db_ = nullptr;
  }

  static figures::ComputeResult Compute(const std::string& period, const std::string& unit) {
    auto p = ParsePeriod(period);
    EXPECT_TRUE(p.ok()) << period;
    auto scope = db_->engine().ResolveScope(db_->store(), unit);
    EXPECT_TRUE(scope.ok()) << unit << ": " << scope.status().message();
    auto r = db_->engine().Compute(db_->store(), *p, *scope);
    EXPECT_TRUE(r.ok()) << period << " " << unit << ": " << r.status().message();
    return r.ok() ? std::move(r).value() : figures::ComputeResult{};
  }

  static void CheckCase(const char* period, const char* unit, const char* Expect::*expected,
                        const std::string& label);

  static store::testing::TestDatabase* test_db_;
  static Database* db_;
};

store::testing::TestDatabase* TownshipFiguresTest::test_db_ = nullptr;
Database* TownshipFiguresTest::db_ = nullptr;

TEST_F(TownshipFiguresTest, EveryFixtureImportsAndEveryLedgerHasRows) {
  ASSERT_NE(db_, nullptr);
  // Every fixture file in the directory is imported above (none is forgotten).
  std::set<std::string> imported(std::begin(kLedgers), std::end(kLedgers));
  EXPECT_EQ(imported.size(), std::size(kLedgers));
  for (const char* ledger : kLedgers) {
    std::ifstream f(std::string("tests/fixtures/township/") + ledger + ".csv");
    EXPECT_TRUE(f.good()) << ledger;
  }
}

// Which figures have records behind them (the web app links only those).
TEST_F(TownshipFiguresTest, ReadsLedgersFollowsTheFiguresUsed) {
  ASSERT_NE(db_, nullptr);
  const figures::Engine& e = db_->engine();
  EXPECT_TRUE(e.ReadsLedgers("tekun.persons"));
  EXPECT_TRUE(e.ReadsLedgers("dispute.rate"));  // only through dispute.found and dispute.resolved
  EXPECT_FALSE(e.ReadsLedgers("period.year"));  // year(A)
  EXPECT_FALSE(e.ReadsLedgers("unit.name"));
  EXPECT_FALSE(e.ReadsLedgers("fishpond.survey_threshold"));  // a constant
  EXPECT_FALSE(e.ReadsLedgers("no.such"));
}

TEST_F(TownshipFiguresTest, TheTableCoversEveryFigureOfThePackOnce) {
  ASSERT_NE(db_, nullptr);
  std::set<std::string> in_table;
  for (const Expect& e : kExpect) {
    EXPECT_TRUE(in_table.insert(e.id).second) << "duplicate line for " << e.id;
  }
  std::set<std::string> in_pack;
  for (const auto& f : db_->catalog().figures) in_pack.insert(f.id);
  for (const auto& id : in_pack) EXPECT_TRUE(in_table.count(id)) << "no expectation for " << id;
  for (const auto& id : in_table)
    EXPECT_TRUE(in_pack.count(id)) << "not a figure of the pack: " << id;
  EXPECT_EQ(in_pack.size(), 105u);  // the seed report's figures and one for the dashboard
}

// One case: every figure of the table's column `expected` for a period and unit.
void TownshipFiguresTest::CheckCase(const char* period, const char* unit,
                                    const char* Expect::*expected, const std::string& label) {
  ASSERT_NE(db_, nullptr);
  auto r = Compute(period, unit);
  if (*unit) {
    EXPECT_EQ(r.scope.code, "360902117201");
  }
  for (const Expect& e : kExpect) CheckFigure(r, e.id, e.*expected, label);
}

TEST_F(TownshipFiguresTest, Town2022H1) {
  CheckCase("2022H1", "", &Expect::town_h1, "town 2022H1");
}
TEST_F(TownshipFiguresTest, Town2022) { CheckCase("2022", "", &Expect::town_y, "town 2022"); }
TEST_F(TownshipFiguresTest, Village2022H1) {
  CheckCase("2022H1", "院前村", &Expect::village_h1, "院前村 2022H1");
}
TEST_F(TownshipFiguresTest, Village2022) {
  CheckCase("2022", "院前村", &Expect::village_y, "院前村 2022");
}
// 2022Q2: the one case where P (04-01..06-30) and Y (01-01..06-30) differ.
TEST_F(TownshipFiguresTest, TownQ2) { CheckCase("2022Q2", "", &Expect::town_q2, "town 2022Q2"); }
TEST_F(TownshipFiguresTest, VillageQ2) {
  CheckCase("2022Q2", "院前村", &Expect::village_q2, "院前村 2022Q2");
}

// The planner's one statement per ledger gives what one plain query per aggregate gives (the
// baseline bench/ measures it against), on rows chosen at the edges of every condition.
TEST_F(TownshipFiguresTest, BatchedPlanEqualsOneQueryPerAggregate) {
  for (const char* period : {"2022H1", "2022", "2022Q2"}) {
    for (const char* unit : {"", "院前村"}) {
      auto p = ParsePeriod(period);
      ASSERT_TRUE(p.ok());
      auto scope = db_->engine().ResolveScope(db_->store(), unit);
      ASSERT_TRUE(scope.ok());
      auto batched = db_->engine().Compute(db_->store(), *p, *scope);
      auto plain = db_->engine().Compute(db_->store(), *p, *scope, {},
                                         figures::PlanMode::kOneQueryPerAggregate);
      ASSERT_TRUE(batched.ok() && plain.ok());
      EXPECT_GT(plain->stats.queries, 2 * batched->stats.queries);
      ASSERT_EQ(batched->figures.size(), plain->figures.size());
      for (size_t i = 0; i < batched->figures.size(); ++i) {
        const figures::FigureResult& a = batched->figures[i];
        const figures::FigureResult& b = plain->figures[i];
        EXPECT_EQ(a.display, b.display) << period << " '" << unit << "' " << a.def->id;
        EXPECT_EQ(a.value.note(), b.value.note()) << period << " '" << unit << "' " << a.def->id;
      }
    }
  }
}

// ---------------------------------------------------------------- small separate databases

class SmallDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir();
    ASSERT_FALSE(dir_.empty());
    TZ_REQUIRE_TEST_DATABASE(test_db_);
    auto db = Database::Init(test_db_.location(), "packs/township");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    RemoveDir(dir_);
  }
  void Import(const std::string& ledger, const std::string& csv) {
    std::string path = dir_ + "/" + ledger + ".csv";
    std::ofstream(path, std::ios::binary) << csv;
    ImportFile(*db_, ledger, path);
  }
  figures::ComputeResult Compute(const std::string& period, const std::string& unit = "") {
    auto p = ParsePeriod(period);
    EXPECT_TRUE(p.ok()) << period;
    auto scope = db_->engine().ResolveScope(db_->store(), unit);
    EXPECT_TRUE(scope.ok()) << unit;
    auto r = db_->engine().Compute(db_->store(), *p, *scope);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : figures::ComputeResult{};
  }

  std::string dir_;  // the CSV files
  store::testing::TestDatabase test_db_{"small"};
  std::unique_ptr<Database> db_;
};

// target(y, name) with several rows (or none, or an empty cell) has no value, and the note says
// why.
TEST_F(SmallDbTest, SeveralTargetRowsGiveNoValue) {
  Import("target",
         "年度,指标名称,目标值,单位,增长目标\n"
         "2022,地区生产总值,15.8,亿元,8.5\n"
         "2022,地区生产总值,16.2,亿元,9\n"  // a second 2022 row for the same indicator
         "2021,财政总收入,1.1,亿元,\n"      // 财政总收入 only for 2021: none for 2022
         "2022,引进企业,6,个,\n"
         "2022,规上企业,5,个,\n"
         "2022,一般公共预算收入,3560,万元,\n");  // one row, 增长目标 empty
  auto r = Compute("2022H1");
  // Two rows with 年度=2022, 指标名称=地区生产总值: both the value and the growth have no value.
  CheckFigure(r, "target.gdp", "—|2条", "several rows");
  CheckFigure(r, "target.gdp_growth", "—|2条", "several rows");
  // No 2022 row: no value (the 2021 row is not used).
  CheckFigure(r, "target.fiscal_total", "—|没有", "no row");
  // fiscal.completion divides by target(y, 财政总收入): no value, passed on.
  CheckFigure(r, "fiscal.completion", "—", "no row");
  // The single row is used when unique.
  CheckFigure(r, "target.new_enterprises", "6", "one row");
  CheckFigure(r, "target.above_size_enterprises", "5", "one row");
  // One row, but its 增长目标 cell is empty: the value is there, the growth has none (never 0).
  CheckFigure(r, "target.public_budget", "3560", "one row");
  CheckFigure(r, "target.public_budget_growth", "—", "empty cell");
}

// A ratio with a zero denominator has no value: 分母为0.
TEST_F(SmallDbTest, ZeroDenominatorGivesNoValue) {
  Import("grid",
         "网格编号,网格名称,所属村,网格员\n"
         "G01,院前一网格,院前村,罗网一\n");
  // Disputes exist, but none 摸排 in 2022H1 (one before, one after): found = 0 → rate has no value.
  Import("dispute",
         "编号,摸排日期,所属村,所属网格,纠纷类型,当事人,调处状态,调处日期\n"
         "MD01,2021-12-31,院前村,G01,邻里纠纷,甲、乙,调处成功,2022-01-02\n"
         "MD02,2022-07-01,院前村,,其他,丙、丁,调处成功,2022-07-02\n");
  // No medical_insurance rows at all: assessed = 0 → rate has no value.
  auto h1 = Compute("2022H1");
  CheckFigure(h1, "dispute.found", "0", "H1");
  CheckFigure(h1, "dispute.resolved", "0", "H1");
  CheckFigure(h1, "dispute.rate", "—|分母为0", "H1");
  CheckFigure(h1, "medins.assessed", "0", "H1");
  CheckFigure(h1, "medins.rate", "—|分母为0", "H1");
  // max over no rows has no value (not 0).
  CheckFigure(h1, "epidemic.checkpoint_hours", "—", "H1");
  CheckFigure(h1, "epidemic.checkpoints", "0", "H1");
  // 2022H2: MD02 found and resolved → 100.
  auto h2 = Compute("2022H2");
  CheckFigure(h2, "dispute.found", "1", "H2");
  CheckFigure(h2, "dispute.rate", "100", "H2");
  // Village level too: 院前村 has the same rows; 西坑村 has none → 分母为0.
  CheckFigure(Compute("2022H2", "院前村"), "dispute.rate", "100", "院前村 H2");
  CheckFigure(Compute("2022H2", "西坑村"), "dispute.rate", "—|分母为0", "西坑村 H2");
}

}  // namespace
}  // namespace tz
