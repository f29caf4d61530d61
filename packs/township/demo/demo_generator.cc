#include "packs/township/demo/demo_generator.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "base/checks.h"
#include "base/date.h"
#include "service/import_service.h"

namespace tz::demo {
namespace {

// ---------------------------------------------------------------------------------------------
// Randomness: splitmix64, and ranges computed here (never <random>'s distributions, whose output
// differs between standard libraries).

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi], both included.
  int64_t Range(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>((static_cast<unsigned __int128>(Next()) * span) >> 64);
  }
  int Int(int lo, int hi) { return static_cast<int>(Range(lo, hi)); }
  // True with probability per_mille / 1000.
  bool Chance(int per_mille) { return Range(0, 999) < per_mille; }
  template <typename C>
  const auto& Pick(const C& c) {
    return c[static_cast<size_t>(Range(0, static_cast<int64_t>(c.size()) - 1))];
  }
  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[static_cast<size_t>(Range(0, static_cast<int64_t>(N) - 1))];
  }
  // One of the values, with integer weights.
  const char* Weighted(std::initializer_list<std::pair<const char*, int>> choices) {
    return WeightedOf(choices);
  }
  template <typename C>
  const char* WeightedOf(const C& choices) {
    int total = 0;
    for (const auto& c : choices) total += c.second;
    int x = Int(0, total - 1);
    for (const auto& c : choices) {
      if (x < c.second) return c.first;
      x -= c.second;
    }
    return choices.begin()->first;
  }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      size_t j = static_cast<size_t>(Range(0, static_cast<int64_t>(i) - 1));
      std::swap(v[i - 1], v[j]);
    }
  }

 private:
  uint64_t state_;
};

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// Dates and numbers as a cadre types them.

Date D(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

const Date kDataStart = D(2021, 1, 1);
const Date kDataEnd = D(2023, 6, 30);
const Date kCensusDay = D(2022, 6, 30);  // ages of the population are as of this day

Date RandomDate(Rng& r, Date from, Date to) {
  if (to < from) return from;
  return Date::FromDays(static_cast<int32_t>(r.Range(from.days(), to.days())));
}
Date RandomDayOfMonth(Rng& r, int y, int m) { return D(y, m, r.Int(1, DaysInMonth(y, m))); }
Date Min(Date a, Date b) { return a < b ? a : b; }

std::string Iso(Date d) { return d.ToIso(); }
std::string Str(int64_t v) { return std::to_string(v); }

// An amount given in hundredths, written as typed: 1500, 386.5, 12.25.
std::string Cents(int64_t cents) {
  std::string s = std::to_string(cents / 100);
  int64_t frac = cents % 100;
  if (frac == 0) return s;
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%02d", static_cast<int>(frac));
  std::string f = buf;
  if (f.back() == '0') f.pop_back();
  return s + f;
}

// Chinese ordinal for small numbers: 一 … 十二.
std::string CnNum(int n) {
  static const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  if (n <= 10) return kDigits[n];
  if (n < 20) return std::string("十") + kDigits[n - 10];
  return std::to_string(n);
}

struct Half {
  Date start;
  Date end;
};
const std::array<Half, 5> kHalves = {{{D(2021, 1, 1), D(2021, 6, 30)},
                                      {D(2021, 7, 1), D(2021, 12, 31)},
                                      {D(2022, 1, 1), D(2022, 6, 30)},
                                      {D(2022, 7, 1), D(2022, 12, 31)},
                                      {D(2023, 1, 1), D(2023, 6, 30)}}};

// Every month of the demo window, as (year, month).
std::vector<std::pair<int, int>> DemoMonths() {
  std::vector<std::pair<int, int>> out;
  for (int y = 2021; y <= 2023; ++y) {
    for (int m = 1; m <= 12; ++m) {
      if (y == 2023 && m > 6) break;
      out.push_back({y, m});
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Name material.

const std::vector<std::pair<const char*, int>> kSurnames = {
    {"李", 6}, {"王", 5}, {"张", 5}, {"刘", 6}, {"陈", 6}, {"杨", 3}, {"黄", 5}, {"赵", 2},
    {"吴", 3}, {"周", 3}, {"徐", 2}, {"孙", 1}, {"胡", 4}, {"朱", 2}, {"高", 1}, {"林", 2},
    {"何", 2}, {"郭", 2}, {"马", 1}, {"罗", 4}, {"彭", 5}, {"邹", 3}, {"袁", 5}, {"易", 5},
    {"钟", 4}, {"谢", 2}, {"熊", 2}, {"邓", 2}, {"曾", 2}, {"黎", 3}, {"肖", 2}, {"晏", 2}};

// Given-name characters by generation (birth year).
struct NamePool {
  std::vector<const char*> male;
  std::vector<const char*> female;
};
const NamePool kOldNames = {
    {"根", "发", "福", "生", "金", "水", "春", "茂", "旺", "德", "财", "贵", "明",
     "国", "华", "清", "林", "和", "保", "顺", "荣", "桂", "元", "长", "有", "贤"},
    {"秀", "英", "兰", "桂", "花", "梅", "珍", "凤", "娥", "莲",
     "香", "菊", "金", "玉", "春", "冬", "爱", "菊", "仙", "招"}};
const NamePool kMidNames = {
    {"建", "国", "军", "平", "华", "明", "勇", "强", "伟", "斌", "文", "志", "红", "卫", "东",
     "海", "林", "峰", "辉", "波", "涛", "刚", "兵", "春", "良", "新", "亮", "武", "剑", "忠"},
    {"红", "芳", "丽", "萍", "玲", "霞", "燕", "琴", "英", "娟",
     "敏", "兰", "梅", "艳", "莉", "华", "群", "凤", "秀", "青"}};
const NamePool kYoungNames = {
    {"杰", "鹏", "浩", "磊", "超", "宇", "俊", "鑫", "凯", "斌", "涛", "帅",
     "波", "强", "博", "文", "龙", "飞", "翔", "亮", "威", "豪", "健", "晨"},
    {"婷", "静", "倩", "琳", "雪", "丹", "慧", "洁", "颖", "佳",
     "敏", "欣", "莹", "璐", "婧", "娜", "琪", "晶", "薇", "蕾"}};
const NamePool kChildNames = {{"子", "梓", "浩", "宇", "轩", "睿", "辰", "泽", "俊", "博",
                               "皓", "铭", "晨", "一", "瑞", "奕", "航", "骏", "煜", "哲"},
                              {"梓", "涵", "欣", "诗", "语", "可", "馨", "悦", "雨", "彤",
                               "若", "思", "琪", "怡", "萱", "妍", "希", "沐", "依", "佳"}};

const std::vector<const char*> kGroupNames = {
    "罗家", "新屋", "老屋",   "上屋", "下屋",   "塘边", "坑口", "岭下",   "山背", "田心",
    "湾里", "大屋", "枫树下", "石桥", "樟树下", "河边", "高坑", "竹山",   "江口", "彭家",
    "易家", "黄家", "刘家",   "袁家", "钟家",   "胡家", "南坑", "杨梅岭", "下坊", "上坊",
    "瓦屋", "茶园", "洲上",   "邹家", "黎家",   "晏家", "陈家", "岗上",   "桥头", "垅里"};

// Villages of the default pack and their populations (the town seat is the largest).
const std::vector<std::pair<const char*, int>> kVillagePopulation = {
    {"辽市村", 4200}, {"院前村", 2900}, {"西坑村", 2000}, {"肯塘村", 2500}, {"上陈村", 2300},
    {"上西村", 2200}, {"寒岭村", 2100}, {"丰林村", 2600}, {"泽溪村", 2300}, {"上石村", 1900}};

// ---------------------------------------------------------------------------------------------
// The population.

struct Person {
  std::string id;
  std::string name;
  bool male = false;
  Date birth;
  int household = -1;
  int village = 0;
  std::string relation;
  std::string politics;
  std::string education;
  bool labor = false;
  std::string phone;

  int AgeAt(Date at) const {
    int age = at.year() - birth.year();
    if (at.month() < birth.month() || (at.month() == birth.month() && at.day() < birth.day())) {
      --age;
    }
    return age;
  }
  int Age() const { return AgeAt(kCensusDay); }
  bool College() const {
    return education == "大专" || education == "本科" || education == "研究生";
  }
};

struct Household {
  std::string id;
  int village = 0;
  int group = 0;
  int grid = -1;
  int head = -1;
  std::vector<int> members;
  std::string phone;
  std::string address;
};

struct Grid {
  std::string id;
  std::string name;
  int village = 0;
  int households = 0;
  int worker = -1;
};

struct Village {
  std::string name;
  std::string code;
  int population = 0;
  std::vector<std::string> groups;
  std::vector<std::string> group_surname;
  std::vector<int> group_grid;
  std::vector<int> grids;
  std::vector<int> households;
  std::vector<int> people;
};

struct Enterprise {
  std::string name;
  std::string industry;
  int village = 0;
  bool above_size = false;
  std::string cultivation = "无";
  bool individual = false;  // 个体工商户: credit code starts with 92
};

// ---------------------------------------------------------------------------------------------
// Towns: which one is generated, and what must stay unique across the towns of one run.

// One town to generate and the names derived from it.
struct TownPlan {
  std::string code;  // 9 digits
  std::string name;  // 辽市镇
  std::vector<const pack::OrgUnit*> villages;
  // 辽市镇 as it has always been: the seed's enterprises, projects and model sites, its literal
  // place names. Other towns get generated equivalents named after themselves.
  bool anchor = false;
  // Unit cells hold the village's 12-digit code: in a tree of several towns names repeat.
  bool unit_codes = false;
  // Register keys (grids, branches, stations, militia units) carry the town (its name or a
  // village's full code), so that they are unique over the whole tree.
  bool qualified_keys = false;
  uint64_t seed = 0;
  std::string short_name;  // 辽市 (for 辽市中学, 辽市农贸市场)
  // 辽 for 辽市镇 (辽矛〔2022〕001号); elsewhere the short name, or the full name when another town
  // of the tree has the same short name: unique among the tree's towns.
  std::string abbreviation;
  std::string district_code;  // 360902: the region code of ID numbers and credit codes
  std::string district_name;  // 袁州区, or empty when the tree does not say
  std::string city_name;      // 宜春市, or empty
  // Before an enterprise's name: 宜春市袁州区 (or 丰城市 for a county-level city).
  std::string firm_prefix;
};

// 金瑞镇 → 金瑞, 剑光街道 → 剑光: the name without its level.
std::string ShortTownName(const std::string& name) {
  for (const char* suffix : {"街道办事处", "街道", "民族乡", "镇", "乡"}) {
    std::string_view sv(suffix);
    if (name.size() > sv.size() + 3 && name.compare(name.size() - sv.size(), sv.size(), sv) == 0) {
      return name.substr(0, name.size() - sv.size());
    }
  }
  return name;
}

bool EndsWith(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The plan of `town` in `org`, all but the seed-dependent parts.
TownPlan PlanTown(const pack::OrgTree& org, const pack::OrgUnit& town,
                  std::vector<const pack::OrgUnit*> villages, uint64_t seed) {
  TownPlan plan;
  plan.code = town.code;
  plan.name = town.name;
  plan.villages = std::move(villages);
  plan.anchor = town.code == kDemoAnchorTown;
  plan.unit_codes = org.MultiTown();
  plan.qualified_keys = !plan.anchor;
  plan.seed = plan.anchor ? seed : seed ^ Fnv1a(town.code);
  plan.short_name = ShortTownName(town.name);
  plan.district_code = town.code.substr(0, 6);
  // The region's names: a city tree has its districts; a district's or a town's tree names what
  // lies above it in `region` (江西省 宜春市 袁州区).
  const std::vector<std::string>& region = org.region;
  if (org.town.level == pack::OrgLevel::kCity) {
    plan.city_name = org.town.name;
    for (const pack::OrgUnit& d : org.districts) {
      if (d.code == town.parent_code) plan.district_name = d.name;
    }
  } else if (org.town.level == pack::OrgLevel::kDistrict) {
    plan.district_name = org.town.name;
    if (!region.empty()) plan.city_name = region.back();
  } else {
    if (!region.empty()) plan.district_name = region.back();
    if (region.size() >= 2) plan.city_name = region[region.size() - 2];
  }
  if (!EndsWith(plan.city_name, "市")) plan.city_name.clear();
  if (EndsWith(plan.district_name, "市")) {
    plan.firm_prefix = plan.district_name;  // a county-level city: 丰城市…有限公司
  } else {
    plan.firm_prefix = plan.city_name + plan.district_name;
  }
  if (plan.firm_prefix.empty()) plan.firm_prefix = "江西";
  if (plan.anchor) {  // whatever the tree says above it
    plan.city_name = "宜春市";
    plan.district_name = "袁州区";
    plan.firm_prefix = "宜春市袁州区";
  }
  // 辽 for 辽市镇 (as in its real case numbers); other towns their short name, or their full name
  // when another town of the tree has the same short name.
  if (plan.anchor) {
    plan.abbreviation = "辽";
  } else {
    plan.abbreviation = plan.short_name;
    for (const pack::OrgUnit& other : org.towns) {
      if (other.code != town.code && (ShortTownName(other.name) == plan.short_name ||
                                      (other.code == kDemoAnchorTown && plan.short_name == "辽"))) {
        plan.abbreviation = town.name;
      }
    }
  }
  return plan;
}

// What stays unique over every town of a run: ID numbers and credit codes. Bounded by the number
// of districts, not of towns.
class SharedState {
 public:
  // Takes the first 17 characters of an ID number (district, birth date, sequence): false if
  // already taken.
  bool TakeId(const std::string& district, Date birth, int seq) {
    int64_t day = static_cast<int64_t>(birth.days()) - kFirstDay.days();
    if (day < 0 || day >= kDays || seq < 0 || seq > 999) {
      return other_ids_.insert(district + Iso(birth) + Str(seq)).second;
    }
    std::vector<uint64_t>& bits = ids_[district];
    if (bits.empty()) bits.assign(static_cast<size_t>(kDays * 1000 / 64 + 1), 0);
    uint64_t i = static_cast<uint64_t>(day) * 1000 + static_cast<uint64_t>(seq);
    uint64_t mask = uint64_t{1} << (i % 64);
    uint64_t& word = bits[i / 64];
    if (word & mask) return false;
    word |= mask;
    return true;
  }
  bool TakeCreditCode(const std::string& code) { return credit_codes_.insert(code).second; }

 private:
  // Birth dates from 1915 on, 110 years: a bitmap of 5 MB per district.
  static inline const Date kFirstDay = D(1915, 1, 1);
  static constexpr int64_t kDays = 110 * 366;
  std::map<std::string, std::vector<uint64_t>> ids_;
  std::set<std::string> other_ids_;
  std::set<std::string> credit_codes_;
};

// ---------------------------------------------------------------------------------------------
// One ledger's rows, set by column label, in the pack's column order.

class LedgerRows {
 public:
  explicit LedgerRows(const pack::Ledger& ledger) : ledger_(ledger) {}

  void Add() { rows_.emplace_back(ledger_.columns.size()); }
  void Set(std::string_view label, std::string value) {
    int c = ledger_.ColumnIndex(label);
    if (c < 0) {
      missing_.insert(std::string(label));
      return;
    }
    rows_.back()[static_cast<size_t>(c)] = std::move(value);
  }
  size_t size() const { return rows_.size(); }

  const pack::Ledger& ledger() const { return ledger_; }
  const std::set<std::string>& missing() const { return missing_; }

  service::Table ToTable() && {
    service::Table t;
    for (const pack::Column& c : ledger_.columns) t.header.push_back(c.label);
    t.rows = std::move(rows_);
    t.row_numbers.reserve(t.rows.size());
    for (size_t i = 0; i < t.rows.size(); ++i) t.row_numbers.push_back(static_cast<int64_t>(i) + 2);
    return t;
  }

 private:
  const pack::Ledger& ledger_;
  std::vector<std::vector<std::string>> rows_;
  std::set<std::string> missing_;
};

// ---------------------------------------------------------------------------------------------

class Generator {
 public:
  // `progress` (may be null) gets a line per ledger.
  Generator(store::Store& store, const pack::Catalog& catalog, const TownPlan& plan,
            SharedState& shared, const std::function<void(const std::string&)>* progress)
      : store_(store),
        catalog_(catalog),
        plan_(plan),
        shared_(shared),
        seed_(plan.seed),
        progress_(progress) {}

  Result<DemoStats> Run();

 private:
  Rng RngFor(std::string_view what) const { return Rng(seed_ ^ Fnv1a(what)); }

  // Starts the rows of a ledger; nullptr (and an error remembered) when the pack lacks it.
  std::unique_ptr<LedgerRows> Begin(std::string_view ledger_id);
  Status Emit(std::unique_ptr<LedgerRows> rows);

  // Population.
  std::string NewResidentId(Rng& r, Date birth, bool male);
  std::string GivenName(Rng& r, bool male, int birth_year);
  std::string Surname(Rng& r) { return r.WeightedOf(kSurnames); }
  std::string RandomName(Rng& r, bool male, int birth_year) {
    return Surname(r) + GivenName(r, male, birth_year);
  }
  std::string Phone(Rng& r);
  std::string CreditCode(Rng& r, bool individual);
  int AddPerson(Rng& r, int household, const std::string& surname, bool male, int age,
                const std::string& relation);
  void BuildPopulation();
  void BuildEnterprises();
  void ChooseWelfareHouseholds();
  // The size of the town's economy against 辽市镇's, in percent (100 for 辽市镇).
  int64_t EconomySize() const { return plan_.anchor ? 100 : RngFor("economy").Range(70, 140); }

  // A village's name, for text (院前村党支部); Unit for the cell of a unit column.
  const std::string& VillageName(int v) const { return villages_[static_cast<size_t>(v)].name; }
  const std::string& Unit(int v) const {
    const Village& vil = villages_[static_cast<size_t>(v)];
    return plan_.unit_codes ? vil.code : vil.name;
  }
  // The name of a town-wide register entry (a branch, a station): 院前村党支部 in 辽市镇,
  // 金瑞镇院前村党支部 elsewhere, so that it is unique in a tree where village names repeat.
  std::string InTown(const std::string& name) const {
    return plan_.qualified_keys ? plan_.name + name : name;
  }
  // 院前村 → 院前, 龙津社区 → 龙津.
  std::string Place(int v) const {
    const std::string& name = VillageName(v);
    for (std::string_view suffix : {"村", "社区"}) {
      if (name.size() > suffix.size() && EndsWith(name, suffix)) {
        return name.substr(0, name.size() - suffix.size());
      }
    }
    return name;
  }
  // The index of the village named `name`, or -1.
  int VillageNamed(std::string_view name) const {
    for (size_t i = 0; i < villages_.size(); ++i) {
      if (villages_[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }
  const Person& P(int i) const { return people_[static_cast<size_t>(i)]; }
  const Household& H(int i) const { return households_[static_cast<size_t>(i)]; }
  const Person& Head(int h) const { return P(H(h).head); }
  // People matching `pred`, shuffled.
  template <typename Pred>
  std::vector<int> PeopleWhere(Rng& r, Pred pred) const {
    std::vector<int> out;
    for (size_t i = 0; i < people_.size(); ++i) {
      if (pred(people_[i])) out.push_back(static_cast<int>(i));
    }
    r.Shuffle(out);
    return out;
  }
  const std::string& CadreName(Rng& r) const { return r.Pick(cadres_); }

  // Ledgers.
  Status Grids();
  Status Households();
  Status People();
  Status PartyBranches();
  Status CivilStations();
  Status MilitiaUnits();
  Status Dibao();
  Status Tekun();
  Status Monitor();
  Status GongyiJobs();
  Status Labor();
  Status Housing();
  Status Yulu();
  Status PvIncome();
  Status IndustrySubsidy();
  Status Supermarket();
  Status MedicalInsurance();
  Status PartyMembers();
  Status Training();
  Status CivilActivities();
  Status LettersVisits();
  Status DisciplineCases();
  Status FirstForm();
  Status Militia();
  Status Conscription();
  Status Meetings();
  Status SafetyPledges();
  Status Hazards();
  Status Enforcement();
  Status Disputes();
  Status Campaigns();
  Status Petitions();
  Status KeyPersons();
  Status Investment();
  Status Enterprises();
  Status Fiscal();
  Status Targets();
  Status Projects();
  Status Afforestation();
  Status NewVillageSites();
  Status Fishponds();
  Status TownManagement();
  Status EpidemicGroups();
  Status Checkpoints();
  Status Isolation();

  store::Store& store_;
  const pack::Catalog& catalog_;
  const TownPlan& plan_;
  SharedState& shared_;
  uint64_t seed_;
  const std::function<void(const std::string&)>* progress_;
  DemoStats stats_;
  std::vector<std::string> errors_;

  std::vector<Village> villages_;
  std::vector<Household> households_;
  std::vector<Person> people_;
  std::vector<Grid> grids_;
  std::vector<Enterprise> enterprises_;
  std::vector<std::string> cadres_;  // town cadres: instructors, mediators, responsible persons

  // Welfare: household indices.
  std::vector<int> poor_;    // 脱贫户 / 脱贫不稳定户 (monitored)
  std::vector<int> edge_;    // 边缘易致贫户
  std::vector<int> sudden_;  // 突发严重困难户
  std::vector<int> dibao_;   // 低保 households
  std::vector<int> tekun_;   // 特困 persons
  std::vector<std::string> branch_of_village_;
  std::vector<std::string> other_branches_;
  std::vector<std::string> stations_;
  std::vector<int> station_village_;                         // -1: the town
  std::vector<std::pair<std::string, Date>> core_teams_[3];  // by year 2021..2023
  std::vector<std::string> village_companies_;
  std::vector<Date> company_date_;  // per village, sized with villages_
};

std::unique_ptr<LedgerRows> Generator::Begin(std::string_view ledger_id) {
  const pack::Ledger* l = catalog_.FindLedger(ledger_id);
  if (!l) {
    errors_.push_back("台账包中没有台账 " + std::string(ledger_id));
    return nullptr;
  }
  return std::make_unique<LedgerRows>(*l);
}

Status Generator::Emit(std::unique_ptr<LedgerRows> rows) {
  if (!rows) return Status::Ok();
  const pack::Ledger& ledger = rows->ledger();
  if (!rows->missing().empty()) {
    std::string cols;
    for (const std::string& c : rows->missing()) cols += (cols.empty() ? "" : "、") + c;
    return Status::Internal("演示数据与台账包不符：" + ledger.title + "没有列 " + cols,
                            "demo: ledger " + ledger.id + " lacks columns");
  }
  size_t n = rows->size();
  service::Table table = std::move(*rows).ToTable();
  service::ImportOptions options;
  // The town of the rows without a village (fiscal, targets, investment) in a tree of towns.
  if (catalog_.org.MultiTown()) options.town = plan_.code;
  TZ_ASSIGN_OR_RETURN(service::ImportReport report,
                      service::ImportTable(store_, catalog_, ledger, table, "demo", options));
  // Warnings (a reference to a key not registered, an unknown column) are generator bugs too.
  if (!report.ok() || !report.warnings.empty()) {
    std::string msg = "演示数据未通过" + ledger.title + "的校验：";
    size_t shown = 0;
    const auto& issues = report.ok() ? report.warnings : report.errors;
    for (const service::ImportIssue& e : issues) {
      if (shown++ == 5) break;
      msg += "第" + Str(e.row) + "行" + (e.column.empty() ? "" : "“" + e.column + "”") + "：" +
             e.message + "；";
    }
    return Status::Internal(msg, "demo data for " + ledger.id + " failed validation");
  }
  stats_.rows += report.imported;
  stats_.ledgers += 1;
  if (progress_ && *progress_) {
    (*progress_)("生成 " + ledger.title + " " + Str(static_cast<int64_t>(n)) + " 行");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Population

std::string Generator::NewResidentId(Rng& r, Date birth, bool male) {
  char date[16];
  std::snprintf(date, sizeof date, "%04d%02d%02d", birth.year(), birth.month(), birth.day());
  auto id = [&](int seq) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%s%03d", plan_.district_code.c_str(), date, seq);
    std::string first17 = buf;
    return first17 + ResidentIdCheckChar(first17);
  };
  // The sequence (positions 15-17) as a police station gives it: two digits for the station, one
  // whose parity is the sex. Unique in the district over every town generated.
  for (int tries = 0; tries < 200; ++tries) {
    int seq = r.Int(1, 99) * 10 + r.Int(0, 4) * 2 + (male ? 1 : 0);
    if (shared_.TakeId(plan_.district_code, birth, seq)) return id(seq);
  }
  // A birthday crowded in a district of hundreds of towns: any free sequence of that sex.
  for (int seq = male ? 1 : 2; seq <= 999; seq += 2) {
    if (shared_.TakeId(plan_.district_code, birth, seq)) return id(seq);
  }
  return "";  // a thousand people of one sex born on one day in one district: never
}

std::string Generator::GivenName(Rng& r, bool male, int birth_year) {
  const NamePool& pool = birth_year < 1960   ? kOldNames
                         : birth_year < 1990 ? kMidNames
                         : birth_year < 2008 ? kYoungNames
                                             : kChildNames;
  const auto& chars = male ? pool.male : pool.female;
  std::string a = r.Pick(chars);
  if (r.Chance(250)) return a;
  std::string b = r.Pick(chars);
  while (b == a) b = r.Pick(chars);
  return a + b;
}

std::string Generator::Phone(Rng& r) {
  static const char* kPrefixes[] = {"130", "131", "132", "133", "135", "136", "137", "138", "139",
                                    "150", "151", "152", "153", "155", "156", "157", "158", "159",
                                    "180", "181", "182", "183", "186", "187", "188", "189"};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%08d", kPrefixes[r.Int(0, 25)], r.Int(0, 99999999));
  return buf;
}

std::string Generator::CreditCode(Rng& r, bool individual) {
  static const char kAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (;;) {
    std::string code = (individual ? "92" : "91") + plan_.district_code;
    code += "MA3";
    for (int i = 0; i < 6; ++i) code += kAlphabet[r.Int(0, 30)];
    code += CreditCodeCheckChar(code);
    if (shared_.TakeCreditCode(code)) return code;
  }
}

int Generator::AddPerson(Rng& r, int household, const std::string& surname, bool male, int age,
                         const std::string& relation) {
  age = std::clamp(age, 0, 98);
  Person p;
  int year = kCensusDay.year() - age;
  // Born on a random day of the year that makes them `age` on the census day.
  Date from = D(year - 1, 7, 1);
  Date to = D(year, 6, 30);
  p.birth = RandomDate(r, from, to);
  p.male = male;
  p.id = NewResidentId(r, p.birth, male);
  p.name = surname + GivenName(r, male, p.birth.year());
  p.household = household;
  p.village = H(household).village;
  p.relation = relation;
  int a = p.Age();
  if (a < 6) {
    p.education = "";
  } else if (a < 12) {
    p.education = "小学";
  } else if (a < 15) {
    p.education = "初中";
  } else if (a < 18) {
    p.education = r.Weighted({{"初中", 40}, {"高中", 40}, {"中专", 20}});
  } else if (a <= 22) {
    p.education =
        r.Weighted({{"初中", 10}, {"高中", 28}, {"中专", 15}, {"大专", 26}, {"本科", 21}});
  } else if (a <= 35) {
    p.education = r.Weighted({{"小学", 3},
                              {"初中", 35},
                              {"高中", 20},
                              {"中专", 12},
                              {"大专", 17},
                              {"本科", 12},
                              {"研究生", 1}});
  } else if (a <= 50) {
    p.education = r.Weighted(
        {{"小学", 10}, {"初中", 50}, {"高中", 22}, {"中专", 8}, {"大专", 7}, {"本科", 3}});
  } else if (a <= 65) {
    p.education = r.Weighted({{"文盲", 5}, {"小学", 35}, {"初中", 45}, {"高中", 13}, {"中专", 2}});
  } else {
    p.education = r.Weighted({{"文盲", 30}, {"小学", 50}, {"初中", 15}, {"高中", 5}});
  }
  p.politics = "群众";
  if (a >= 14 && a <= 28 && r.Chance(a <= 22 ? 300 : 150)) p.politics = "共青团员";
  if (a >= 23) {
    int per_mille = male ? (a >= 45 ? 85 : 55) : 22;
    if (r.Chance(per_mille))
      p.politics = "中共党员";
    else if (a <= 40 && r.Chance(4))
      p.politics = "中共预备党员";
  }
  bool student = a >= 18 && a <= 22 && p.College();
  p.labor = a >= 16 && a <= 60 && !student;
  if (a >= 16 && r.Chance(850)) p.phone = Phone(r);
  int index = static_cast<int>(people_.size());
  people_.push_back(std::move(p));
  households_[static_cast<size_t>(household)].members.push_back(index);
  villages_[static_cast<size_t>(H(household).village)].people.push_back(index);
  return index;
}

void Generator::BuildPopulation() {
  Rng r = RngFor("population");
  // Villages, their groups (村民小组) and grids.
  for (const pack::OrgUnit* u : plan_.villages) {
    Village v;
    v.name = u->name;
    v.code = u->code;
    v.population = 2400;
    if (plan_.anchor) {
      for (const auto& [name, pop] : kVillagePopulation) {
        if (v.name == name) v.population = pop;
      }
    }
    villages_.push_back(std::move(v));
  }
  if (!plan_.anchor) {
    // About 25,000 residents, the first village (the town seat) the largest; a village holds 300
    // to 12,000 (towns have 1 to 31 villages).
    Rng sizes = RngFor("town_size");
    int64_t total = sizes.Range(21000, 29000);
    std::vector<int64_t> weight;
    int64_t sum = 0;
    for (size_t vi = 0; vi < villages_.size(); ++vi) {
      weight.push_back(vi == 0 ? 170 : sizes.Range(70, 130));
      sum += weight.back();
    }
    for (size_t vi = 0; vi < villages_.size(); ++vi) {
      villages_[vi].population =
          static_cast<int>(std::clamp<int64_t>(total * weight[vi] / sum, 300, 12000));
    }
  }
  company_date_.assign(villages_.size(), Date());
  for (size_t vi = 0; vi < villages_.size(); ++vi) {
    Village& v = villages_[vi];
    std::vector<const char*> pool = kGroupNames;
    r.Shuffle(pool);
    int n_groups = std::clamp(v.population / 260, 7, 16);
    // The groups the seed names: 院前罗家组, 寒岭新屋组, 辽市北社.
    if (plan_.anchor && v.name == "院前村") v.groups.push_back("罗家");
    if (plan_.anchor && v.name == "寒岭村") v.groups.push_back("新屋");
    if (plan_.anchor && v.name == "辽市村") v.groups.push_back("北社");
    for (const char* g : pool) {
      if (static_cast<int>(v.groups.size()) >= n_groups) break;
      if (std::find(v.groups.begin(), v.groups.end(), g) == v.groups.end()) v.groups.push_back(g);
    }
    for (std::string& g : v.groups) {
      std::string clan = g.size() == 6 && g.substr(3) == "家" ? g.substr(0, 3) : Surname(r);
      v.group_surname.push_back(clan);
      g += "组";
    }
    int n_grids = std::max(3, (v.population + 325) / 650);
    for (int k = 0; k < n_grids; ++k) {
      Grid grid;
      // WG20001 in 辽市镇: the village's number in its town. Elsewhere its whole code, unique in
      // any tree.
      std::string village_part = plan_.qualified_keys ? v.code : v.code.substr(v.code.size() - 3);
      grid.id = "WG" + village_part + (k + 1 < 10 ? "0" : "") + Str(k + 1);
      grid.name = InTown(v.name + "第" + CnNum(k + 1) + "网格");
      grid.village = static_cast<int>(vi);
      v.grids.push_back(static_cast<int>(grids_.size()));
      grids_.push_back(std::move(grid));
    }
    for (size_t g = 0; g < v.groups.size(); ++g) {
      v.group_grid.push_back(v.grids[g * v.grids.size() / v.groups.size()]);
    }
  }

  // Households and their members.
  for (size_t vi = 0; vi < villages_.size(); ++vi) {
    int target = villages_[vi].population;
    int seq = 0;
    int people_here = 0;
    while (people_here < target) {
      Household hh;
      ++seq;
      char id[32];
      std::snprintf(id, sizeof id, "%s%04d", villages_[vi].code.c_str(), seq);
      hh.id = id;
      hh.village = static_cast<int>(vi);
      Village& v = villages_[vi];
      hh.group = r.Int(0, static_cast<int>(v.groups.size()) - 1);
      hh.grid = v.group_grid[static_cast<size_t>(hh.group)];
      hh.address = plan_.name + v.name + v.groups[static_cast<size_t>(hh.group)] +
                   Str(r.Int(1, 120)) + "号";
      int h = static_cast<int>(households_.size());
      households_.push_back(hh);
      v.households.push_back(h);
      ++grids_[static_cast<size_t>(hh.grid)].households;

      int size = std::atoi(r.Weighted(
          {{"1", 8}, {"2", 14}, {"3", 18}, {"4", 22}, {"5", 20}, {"6", 11}, {"7", 5}, {"8", 2}}));
      std::string clan =
          r.Chance(550) ? v.group_surname[static_cast<size_t>(hh.group)] : Surname(r);
      int head_age = size == 1 ? r.Int(45, 92) : r.Int(26, 84);
      bool head_male = size == 1 ? r.Chance(550) : r.Chance(880);
      int head = AddPerson(r, h, clan, head_male, head_age, "户主");
      households_[static_cast<size_t>(h)].head = head;
      std::string child_surname = head_male ? clan : Surname(r);
      int left = size - 1;
      if (left > 0 && r.Chance(880)) {
        AddPerson(r, h, Surname(r), !head_male, head_age + r.Int(-6, 3), "配偶");
        --left;
      }
      if (head_age >= 55) {
        // An adult son with his wife and children.
        int son_age = head_age - r.Int(24, 32);
        if (left > 0) {
          AddPerson(r, h, child_surname, r.Chance(700), son_age, "子女");
          --left;
        }
        if (left > 0) {
          AddPerson(r, h, Surname(r), false, son_age + r.Int(-4, 2), "其他");
          --left;
        }
        while (left > 0) {
          AddPerson(r, h, child_surname, r.Chance(520), std::max(0, son_age - r.Int(22, 34)),
                    "孙子女");
          --left;
        }
      } else {
        int children = std::min(left, r.Int(1, 3));
        for (int c = 0; c < children; ++c) {
          AddPerson(r, h, child_surname, r.Chance(520), std::max(0, head_age - r.Int(22, 38)),
                    "子女");
          --left;
        }
        while (left > 0) {
          AddPerson(r, h, child_surname, r.Chance(450), std::min(95, head_age + r.Int(22, 32)),
                    "父母");
          --left;
        }
      }
      people_here += size;
      Household& done = households_[static_cast<size_t>(h)];
      const Person& hp = P(done.head);
      done.phone = hp.phone;
      if (done.phone.empty()) {
        for (int m : done.members) {
          if (!P(m).phone.empty()) {
            done.phone = P(m).phone;
            break;
          }
        }
      }
    }
  }
  // Grid workers: an adult of the grid's village, 28-55.
  for (Grid& g : grids_) {
    const Village& v = villages_[static_cast<size_t>(g.village)];
    for (int tries = 0; tries < 1000; ++tries) {
      int p = r.Pick(v.people);
      if (P(p).Age() >= 28 && P(p).Age() <= 55 && !P(p).phone.empty()) {
        g.worker = p;
        break;
      }
    }
    if (g.worker < 0) g.worker = v.people.front();
  }
  // Town cadres (not necessarily residents of the villages).
  for (int i = 0; i < 36; ++i) {
    bool male = r.Chance(650);
    cadres_.push_back(RandomName(r, male, r.Int(1965, 1995)));
  }
}

void Generator::BuildEnterprises() {
  Rng r = RngFor("enterprises");
  auto village_of = [&](const char* name) { return std::max(0, VillageNamed(name)); };
  struct Seeded {
    const char* name;
    const char* industry;
    const char* village;
    bool above;
    const char* cultivation;
    bool individual;
  };
  static const Seeded kSeeded[] = {
      // 规上企业
      {"宜春市袁州区辽市建材有限公司", "工业", "辽市村", true, "无", false},
      {"江西辽源竹木制品有限公司", "工业", "上西村", true, "无", false},
      {"宜春市袁州区恒达鞭炮烟花有限公司", "工业", "肯塘村", true, "无", false},
      {"江西丰林农业科技有限公司", "工业", "丰林村", true, "无", false},
      {"宜春市泽溪新型材料有限公司", "工业", "泽溪村", true, "无", false},
      {"江西上陈粮油食品有限公司", "工业", "上陈村", true, "无", false},
      {"江西辽市建设工程有限公司", "建筑业", "辽市村", true, "无", false},
      {"宜春市袁州区辽市农资连锁有限公司", "批发零售业", "辽市村", true, "无", false},
      // 月度入规培育：三家建筑业、一家餐饮业
      {"宜春市袁州区鑫辽建筑工程有限公司", "建筑业", "辽市村", false, "月度入规", false},
      {"江西院前建设工程有限公司", "建筑业", "院前村", false, "月度入规", false},
      {"宜春市寒岭路桥工程有限公司", "建筑业", "寒岭村", false, "月度入规", false},
      {"宜春市袁州区辽市好味道餐饮有限公司", "餐饮业", "辽市村", false, "月度入规", false},
      // 年度入规培育：两家服务业、一家餐饮业
      {"宜春豆福网络科技有限公司", "服务业", "辽市村", false, "年度入规", false},
      {"江西禧宴科技有限公司", "服务业", "辽市村", false, "年度入规", false},
      {"卡多利雅", "餐饮业", "辽市村", false, "年度入规", true},
  };
  if (plan_.anchor) {
    for (const Seeded& s : kSeeded) {
      enterprises_.push_back(
          {s.name, s.industry, village_of(s.village), s.above, s.cultivation, s.individual});
    }
  }
  // Other local firms and shops.
  static const char* kWords[] = {"兴旺", "恒盛", "鑫源", "瑞丰", "华康", "绿源", "宏达",
                                 "金泰", "永盛", "鸿运", "嘉禾", "润丰", "天成", "聚福",
                                 "昌盛", "益民", "富民", "春晖", "泰和", "顺发"};
  struct Kind {
    const char* industry;
    const char* suffix;
    bool individual;
  };
  static const Kind kKinds[] = {{"工业", "竹木加工厂", false},
                                {"工业", "机械配件有限公司", false},
                                {"工业", "砖厂", false},
                                {"农业", "油茶专业合作社", false},
                                {"农业", "家庭农场", false},
                                {"农业", "生态养殖有限公司", false},
                                {"农业", "果业有限公司", false},
                                {"批发零售业", "超市", true},
                                {"批发零售业", "农资店", true},
                                {"批发零售业", "建材经营部", true},
                                {"住宿业", "宾馆", true},
                                {"餐饮业", "饭店", true},
                                {"服务业", "物流有限公司", false},
                                {"服务业", "汽车修理厂", true},
                                {"建筑业", "装饰工程有限公司", false},
                                {"房地产业", "置业有限公司", false}};
  std::set<std::string> names;
  for (const Enterprise& e : enterprises_) names.insert(e.name);
  auto firm_name = [&](int v, const char* suffix, bool individual) {
    return (individual ? plan_.name : plan_.firm_prefix) + Place(v) +
           std::string(r.Pick(kWords)) + suffix;
  };
  size_t wanted = 58;
  if (!plan_.anchor) {
    // The seed's kinds of firm with names of this town: the above-size ones, and the candidates
    // for entering the statistics monthly and yearly.
    static const Kind kAbove[] = {{"工业", "建材有限公司", false},
                                  {"工业", "竹木制品有限公司", false},
                                  {"工业", "新型材料有限公司", false},
                                  {"工业", "粮油食品有限公司", false},
                                  {"工业", "机械制造有限公司", false},
                                  {"工业", "鞭炮烟花有限公司", false},
                                  {"建筑业", "建设工程有限公司", false},
                                  {"批发零售业", "农资连锁有限公司", false}};
    static const Kind kMonthly[] = {{"建筑业", "建筑工程有限公司", false},
                                    {"建筑业", "路桥工程有限公司", false},
                                    {"餐饮业", "餐饮有限公司", false},
                                    {"批发零售业", "商贸有限公司", false}};
    static const Kind kAnnual[] = {{"服务业", "网络科技有限公司", false},
                                   {"服务业", "文化传媒有限公司", false},
                                   {"餐饮业", "餐饮管理有限公司", false},
                                   {"住宿业", "酒店管理有限公司", false}};
    auto add = [&](const Kind& k, bool above, const char* cultivation) {
      for (int tries = 0; tries < 50; ++tries) {
        int v = r.Chance(500) ? 0 : r.Int(0, static_cast<int>(villages_.size()) - 1);
        std::string name = firm_name(v, k.suffix, k.individual);
        if (!names.insert(name).second) continue;
        enterprises_.push_back({name, k.industry, v, above, cultivation, k.individual});
        return;
      }
    };
    for (int n = r.Int(5, 10); n > 0; --n) add(r.Pick(kAbove), true, "无");
    for (int n = r.Int(2, 5); n > 0; --n) add(r.Pick(kMonthly), false, "月度入规");
    for (int n = r.Int(1, 4); n > 0; --n) add(r.Pick(kAnnual), false, "年度入规");
    wanted = enterprises_.size() + static_cast<size_t>(r.Int(35, 50));
  }
  for (int tries = 0; enterprises_.size() < wanted && tries < 100000; ++tries) {
    const Kind& k = r.Pick(kKinds);
    int v = r.Int(0, static_cast<int>(villages_.size()) - 1);
    if (r.Chance(400)) v = 0;  // the town seat has more businesses
    std::string name = firm_name(v, k.suffix, k.individual);
    if (!names.insert(name).second) continue;
    enterprises_.push_back({name, k.industry, v, false, "无", k.individual});
  }
}

void Generator::ChooseWelfareHouseholds() {
  Rng r = RngFor("welfare");
  std::vector<int> all(households_.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  r.Shuffle(all);
  // About 7% of households were registered poor (建档立卡) and are now 脱贫户.
  size_t n_poor = households_.size() * 72 / 1000;
  size_t i = 0;
  for (; i < all.size() && poor_.size() < n_poor; ++i) poor_.push_back(all[i]);
  for (; i < all.size() && edge_.size() < 36; ++i) edge_.push_back(all[i]);
  for (; i < all.size() && sudden_.size() < 12; ++i) sudden_.push_back(all[i]);
  // 低保: about 55% of them among the monitored households, the rest among other households with
  // elderly or several members.
  std::vector<int> pool;
  for (size_t k = 0; k < poor_.size(); k += 1) {
    if (k % 9 < 5) pool.push_back(poor_[k]);
  }
  for (int h : edge_) pool.push_back(h);
  for (size_t k = i; k < all.size() && pool.size() < 560; ++k) {
    const Household& hh = H(all[k]);
    if (hh.members.size() == 1) continue;  // singles are mostly 特困
    pool.push_back(all[k]);
  }
  r.Shuffle(pool);
  dibao_ = pool;
  std::set<int> used(dibao_.begin(), dibao_.end());
  // 特困: elderly living alone, not in 低保.
  for (int h : all) {
    const Household& hh = H(h);
    if (hh.members.size() == 1 && Head(h).Age() >= 62 && !used.count(h)) tekun_.push_back(hh.head);
  }
}

// ---------------------------------------------------------------------------------------------
// Registries

Status Generator::Grids() {
  auto t = Begin("grid");
  if (!t) return Status::Ok();
  for (const Grid& g : grids_) {
    t->Add();
    t->Set("网格编号", g.id);
    t->Set("网格名称", g.name);
    t->Set("所属村", Unit(g.village));
    t->Set("网格员", P(g.worker).name);
    t->Set("网格员电话", P(g.worker).phone);
    t->Set("户数", Str(g.households));
  }
  return Emit(std::move(t));
}

Status Generator::Households() {
  auto t = Begin("household");
  if (!t) return Status::Ok();
  for (const Household& h : households_) {
    t->Add();
    t->Set("户编号", h.id);
    t->Set("户主姓名", P(h.head).name);
    t->Set("户主身份证号", P(h.head).id);
    t->Set("所属村", Unit(h.village));
    t->Set("村民小组",
           villages_[static_cast<size_t>(h.village)].groups[static_cast<size_t>(h.group)]);
    t->Set("所属网格", grids_[static_cast<size_t>(h.grid)].id);
    t->Set("家庭人口数", Str(static_cast<int64_t>(h.members.size())));
    t->Set("联系电话", h.phone);
    t->Set("住址", h.address);
  }
  return Emit(std::move(t));
}

Status Generator::People() {
  auto t = Begin("person");
  if (!t) return Status::Ok();
  for (const Person& p : people_) {
    t->Add();
    t->Set("身份证号", p.id);
    t->Set("姓名", p.name);
    t->Set("性别", p.male ? "男" : "女");
    t->Set("户编号", H(p.household).id);
    t->Set("与户主关系", p.relation);
    t->Set("所属村", Unit(p.village));
    t->Set("政治面貌", p.politics);
    t->Set("文化程度", p.education);
    t->Set("是否劳动力", p.labor ? "是" : "否");
    t->Set("联系电话", p.phone);
  }
  return Emit(std::move(t));
}

Status Generator::PartyBranches() {
  Rng r = RngFor("party_branch");
  auto t = Begin("party_branch");
  if (!t) return Status::Ok();
  for (size_t v = 0; v < villages_.size(); ++v) {
    std::string name = InTown(villages_[v].name + (v == 0 ? "党总支" : "党支部"));
    branch_of_village_.push_back(name);
    t->Add();
    t->Set("支部名称", name);
    t->Set("所属村", Unit(static_cast<int>(v)));
    t->Set("党建指导员", CadreName(r));
    t->Set("信息员", P(r.Pick(villages_[v].people)).name);
  }
  // 辽市中学党支部 in 辽市镇; elsewhere 金瑞中学党支部, or 金瑞镇中学党支部 when two towns of the
  // tree are 金瑞 (abbreviation).
  const std::string& school_town = plan_.anchor ? plan_.short_name : plan_.abbreviation;
  other_branches_ = {plan_.name + "机关党支部", school_town + "中学党支部",
                     plan_.name + "中心小学党支部", plan_.name + "卫生院党支部",
                     plan_.name + "非公企业联合党支部"};
  for (const std::string& b : other_branches_) {
    t->Add();
    t->Set("支部名称", b);
    t->Set("党建指导员", CadreName(r));
    t->Set("信息员", CadreName(r));
  }
  return Emit(std::move(t));
}

Status Generator::CivilStations() {
  Rng r = RngFor("civil_station");
  auto t = Begin("civil_station");
  if (!t) return Status::Ok();
  auto add = [&](const std::string& name, const char* type, int village, Date built) {
    t->Add();
    t->Set("名称", name);
    t->Set("类型", type);
    t->Set("所属村", village >= 0 ? Unit(village) : "");
    t->Set("建成日期", Iso(built));
    stations_.push_back(name);
    station_village_.push_back(village);
  };
  add(plan_.name + "新时代文明实践所", "实践所", -1, D(2019, 6, 18));
  for (size_t v = 0; v < villages_.size(); ++v) {
    // Nine stations date from 2019-2020; the last village's was built in 2021.
    Date built =
        v + 1 < villages_.size() ? RandomDate(r, D(2019, 8, 1), D(2020, 10, 31)) : D(2021, 4, 20);
    add(InTown(villages_[v].name + "新时代文明实践站"), "实践站", static_cast<int>(v), built);
  }
  const std::string& school_town = plan_.anchor ? plan_.short_name : plan_.abbreviation;
  add(school_town + "中学新时代文明实践站", "实践站", 0, D(2022, 3, 10));
  return Emit(std::move(t));
}

Status Generator::MilitiaUnits() {
  Rng r = RngFor("militia_unit");
  auto t = Begin("militia_unit");
  if (!t) return Status::Ok();
  static const char* kTeams[] = {"应急连", "森林防火分队", "防汛抢险分队", "治安巡逻分队"};
  for (int y = 2021; y <= 2023; ++y) {
    Date day = D(y, 3, r.Int(5, 20));
    int n = y == 2021 ? 3 : 4;
    for (int k = 0; k < n; ++k) {
      std::string name = plan_.name + "基干民兵" + kTeams[k] + "（" + Str(y) + "年度）";
      core_teams_[y - 2021].push_back({name, day});
      t->Add();
      t->Set("名称", name);
      t->Set("类型", "基干民兵队伍");
      t->Set("整组日期", Iso(day));
    }
  }
  for (size_t v = 0; v < villages_.size(); ++v) {
    std::string name = InTown(villages_[v].name + "民兵连");
    village_companies_.push_back(name);
    company_date_[v] = D(2021, 3, r.Int(1, 25));
    t->Add();
    t->Set("名称", name);
    t->Set("类型", "村级民兵连");
    t->Set("所属村", Unit(static_cast<int>(v)));
    t->Set("整组日期", Iso(company_date_[v]));
  }
  return Emit(std::move(t));
}

// ---------------------------------------------------------------------------------------------
// 乡村振兴

Status Generator::Dibao() {
  Rng r = RngFor("dibao");
  auto t = Begin("dibao");
  if (!t) return Status::Ok();
  // 360 households approved before 2021, then new approvals each half-year; about 35 stop per
  // half-year, most of them 整户取消.
  static const int kNew[] = {24, 21, 28, 22, 26};
  std::vector<Date> approved;
  for (int k = 0; k < 360; ++k) approved.push_back(RandomDate(r, D(2014, 3, 1), D(2020, 12, 20)));
  for (size_t h = 0; h < kHalves.size(); ++h) {
    for (int k = 0; k < kNew[h]; ++k)
      approved.push_back(RandomDate(r, kHalves[h].start, kHalves[h].end));
  }
  size_t n = std::min(approved.size(), dibao_.size());
  for (size_t k = 0; k < n; ++k) {
    int h = dibao_[k];
    const Household& hh = H(h);
    Date from = approved[k];
    int size = static_cast<int>(hh.members.size());
    int covered = std::clamp(r.Int(1, 3), 1, size);
    if (size >= 4 && r.Chance(300)) covered = r.Int(3, std::min(size, 5));
    t->Add();
    t->Set("户编号", hh.id);
    t->Set("户主姓名", Head(h).name);
    t->Set("户主身份证号", Head(h).id);
    t->Set("所属村", Unit(hh.village));
    t->Set("保障人数", Str(covered));
    t->Set("批准日期", Iso(from));
    t->Set("月保障金额", Str(covered * r.Int(33, 46) * 10));
    // About 7% of the rows stop in each half-year of the demo window.
    Date earliest = std::max(from.AddDays(180), kDataStart);
    if (r.Chance(220) && earliest < kDataEnd) {
      Date stop = RandomDate(r, earliest, kDataEnd);
      t->Set("停保日期", Iso(stop));
      t->Set("停保原因",
             r.Weighted({{"整户取消", 70}, {"死亡", 15}, {"迁出", 8}, {"部分减员", 7}}));
    }
  }
  return Emit(std::move(t));
}

Status Generator::Tekun() {
  Rng r = RngFor("tekun");
  auto t = Begin("tekun");
  if (!t) return Status::Ok();
  size_t n = std::min<size_t>(tekun_.size(), 98);
  for (size_t k = 0; k < n; ++k) {
    const Person& p = P(tekun_[k]);
    Date from = k < 80 ? RandomDate(r, D(2012, 1, 1), D(2020, 12, 31))
                       : RandomDate(r, kDataStart, D(2023, 5, 31));
    t->Add();
    t->Set("身份证号", p.id);
    t->Set("姓名", p.name);
    t->Set("户编号", H(p.household).id);
    t->Set("所属村", Unit(p.village));
    t->Set("供养方式", r.Chance(180) ? "集中供养" : "分散供养");
    t->Set("认定日期", Iso(from));
    if (r.Chance(120))
      t->Set("终止日期", Iso(RandomDate(r, std::max(from.AddDays(90), kDataStart), kDataEnd)));
    t->Set("是否建档立卡", r.Chance(330) ? "是" : "否");
  }
  return Emit(std::move(t));
}

Status Generator::Monitor() {
  Rng r = RngFor("monitor");
  auto t = Begin("monitor");
  if (!t) return Status::Ok();
  auto add = [&](int h, const char* type, Date from) {
    const Household& hh = H(h);
    t->Add();
    t->Set("户编号", hh.id);
    t->Set("户主姓名", Head(h).name);
    t->Set("户主身份证号", Head(h).id);
    t->Set("所属村", Unit(hh.village));
    t->Set("户类型", type);
    t->Set("家庭人口数", Str(static_cast<int64_t>(hh.members.size())));
    t->Set("纳入日期", Iso(from));
    return &hh;
  };
  auto risk = [&] {
    return r.Weighted({{"因病", 38},
                       {"因学", 10},
                       {"因残", 18},
                       {"因灾", 4},
                       {"因意外事故", 6},
                       {"缺劳动力", 12},
                       {"务工就业不稳", 10},
                       {"其他", 2}});
  };
  for (size_t k = 0; k < poor_.size(); ++k) {
    bool unstable = k % 17 == 0;
    Date from = unstable ? RandomDate(r, D(2020, 3, 1), D(2022, 10, 31))
                         : RandomDate(r, D(2014, 10, 1), D(2019, 12, 31));
    add(poor_[k], unstable ? "脱贫不稳定户" : "脱贫户", from);
    if (unstable || r.Chance(350)) t->Set("主要风险", risk());
    if (r.Chance(25)) t->Set("退出日期", Iso(RandomDate(r, kDataStart, kDataEnd)));
  }
  for (int h : edge_) {
    Date from = RandomDate(r, D(2020, 6, 1), D(2023, 3, 31));
    add(h, "边缘易致贫户", from);
    t->Set("主要风险", risk());
    Date cleared = from.AddDays(r.Int(150, 480));
    if (cleared <= kDataEnd && r.Chance(750)) t->Set("风险消除日期", Iso(cleared));
  }
  for (int h : sudden_) {
    Date from = RandomDate(r, kDataStart, D(2023, 4, 30));
    add(h, "突发严重困难户", from);
    t->Set("主要风险", r.Weighted({{"因病", 50}, {"因灾", 25}, {"因意外事故", 25}}));
    Date cleared = from.AddDays(r.Int(180, 420));
    if (cleared <= kDataEnd && r.Chance(500)) t->Set("风险消除日期", Iso(cleared));
  }
  return Emit(std::move(t));
}

Status Generator::GongyiJobs() {
  Rng r = RngFor("gongyi_job");
  auto t = Begin("gongyi_job");
  if (!t) return Status::Ok();
  std::set<int> poor(poor_.begin(), poor_.end());
  std::vector<int> pool = PeopleWhere(r, [&](const Person& p) {
    return poor.count(p.household) && p.Age() >= 35 && p.Age() <= 66;
  });
  static const std::pair<const char*, int> kJobs[] = {
      {"护林员", 900},     {"保洁员", 700},     {"护路员", 700},     {"水管员", 600},
      {"治安巡逻员", 700}, {"河道保洁员", 700}, {"孝老助残员", 600}, {"防疫消杀员", 600}};
  size_t n = std::min<size_t>(pool.size(), 118);
  for (size_t k = 0; k < n; ++k) {
    const Person& p = P(pool[k]);
    const auto& job = kJobs[r.Int(0, 7)];
    Date from = k < 92 ? RandomDate(r, D(2019, 3, 1), D(2020, 12, 31))
                       : RandomDate(r, kDataStart, D(2023, 4, 30));
    t->Add();
    t->Set("身份证号", p.id);
    t->Set("姓名", p.name);
    t->Set("所属村", Unit(p.village));
    t->Set("岗位名称", job.first);
    t->Set("上岗日期", Iso(from));
    if (r.Chance(130))
      t->Set("离岗日期", Iso(RandomDate(r, std::max(from.AddDays(120), kDataStart), kDataEnd)));
    t->Set("月补贴", Str(job.second));
  }
  return Emit(std::move(t));
}

Status Generator::Labor() {
  Rng r = RngFor("labor");
  auto t = Begin("labor");
  if (!t) return Status::Ok();
  std::set<int> poor(poor_.begin(), poor_.end());
  std::vector<int> pool =
      PeopleWhere(r, [&](const Person& p) { return poor.count(p.household) && p.labor; });
  for (int i : pool) {
    const Person& p = P(i);
    Date from = r.Chance(850) ? RandomDate(r, D(2021, 2, 20), D(2021, 4, 30))
                              : RandomDate(r, D(2021, 5, 1), D(2023, 5, 31));
    t->Add();
    t->Set("身份证号", p.id);
    t->Set("姓名", p.name);
    t->Set("户编号", H(p.household).id);
    t->Set("所属村", Unit(p.village));
    t->Set("就业状态", r.Weighted({{"省外务工", 44},
                                   {"省内县外务工", 19},
                                   {"县内务工", 21},
                                   {"公益岗位", 6},
                                   {"未就业", 10}}));
    t->Set("登记日期", Iso(from));
    if (r.Chance(50)) t->Set("注销日期", Iso(RandomDate(r, from.AddDays(60), kDataEnd)));
  }
  return Emit(std::move(t));
}

Status Generator::Housing() {
  Rng r = RngFor("housing");
  auto t = Begin("housing");
  if (!t) return Status::Ok();
  static const int kPerHalf[] = {8, 6, 7, 5, 6};
  std::vector<int> pool = poor_;
  pool.insert(pool.end(), dibao_.begin(), dibao_.begin() + std::min<size_t>(dibao_.size(), 60));
  r.Shuffle(pool);
  std::set<int> used;
  size_t next = 0;
  for (size_t h = 0; h < kHalves.size(); ++h) {
    for (int k = 0; k < kPerHalf[h] && next < pool.size(); ++next) {
      int hh = pool[next];
      if (!used.insert(hh).second) continue;
      ++k;
      Date day = RandomDate(r, kHalves[h].start, kHalves[h].end);
      bool rebuild = r.Chance(350);
      int months = (kDataEnd.days() - day.days()) / 30;
      const char* status = months >= 10  ? "已验收"
                           : months >= 6 ? "已竣工"
                           : months >= 2 ? "已批准"
                                         : "已申报";
      t->Add();
      t->Set("户编号", H(hh).id);
      t->Set("户主姓名", Head(hh).name);
      t->Set("户主身份证号", Head(hh).id);
      t->Set("所属村", Unit(H(hh).village));
      t->Set("申报日期", Iso(day));
      t->Set("改造方式", rebuild ? "拆除重建" : "修缮加固");
      t->Set("补助金额", Str(rebuild ? r.Int(30, 40) * 1000 : r.Int(10, 16) * 1000));
      t->Set("状态", status);
    }
  }
  return Emit(std::move(t));
}

Status Generator::Yulu() {
  Rng r = RngFor("yulu");
  auto t = Begin("yulu");
  if (!t) return Status::Ok();
  std::set<int> poor(poor_.begin(), poor_.end());
  for (int h : edge_) poor.insert(h);
  std::vector<std::string> schools = {
      "宜春职业技术学院",         "江西应用技术职业学院", "宜春市中等专业学校",
      "袁州区职业技术学校",       "江西工业职业技术学院", "江西现代职业技术学院",
      "宜春幼儿师范高等专科学校", "江西交通职业技术学院", "江西机电职业技术学院"};
  if (!plan_.anchor && !plan_.district_name.empty()) {
    schools[3] = plan_.district_name + "职业技术学校";
  }
  // Students of 中职/高职 in those households: born 2000-2007.
  std::vector<int> pool = PeopleWhere(r, [&](const Person& p) {
    return poor.count(p.household) && p.birth.year() >= 2000 && p.birth.year() <= 2007;
  });
  std::vector<std::string> school(pool.size());
  for (size_t k = 0; k < pool.size(); ++k) school[k] = r.Pick(schools);
  struct Term {
    int year;
    bool spring;
  };
  static const Term kTerms[] = {
      {2021, true}, {2021, false}, {2022, true}, {2022, false}, {2023, true}};
  for (const Term& term : kTerms) {
    // Students enrolled in that term: those aged 15-21 then, most of them.
    for (size_t k = 0; k < pool.size(); ++k) {
      const Person& p = P(pool[k]);
      int age = term.year - p.birth.year();
      if (age < 15 || age > 21 || !r.Chance(620)) continue;
      t->Add();
      t->Set("身份证号", p.id);
      t->Set("姓名", p.name);
      t->Set("户编号", H(p.household).id);
      t->Set("所属村", Unit(p.village));
      t->Set("就读学校", school[k]);
      t->Set("学期", Str(term.year) + (term.spring ? "年春季" : "年秋季"));
      t->Set("补助金额", "1500");
      Date paid = term.spring ? RandomDate(r, D(term.year, 5, 10), D(term.year, 6, 28))
                              : RandomDate(r, D(term.year, 11, 10), D(term.year, 12, 25));
      t->Set("发放日期", Iso(paid));
    }
  }
  return Emit(std::move(t));
}

Status Generator::PvIncome() {
  Rng r = RngFor("pv_income");
  auto t = Begin("pv_income");
  if (!t) return Status::Ok();
  // Each village has a 100-200 kW station; output follows the seasons.
  static const int kSun[] = {55, 60, 75, 90, 105, 110, 130, 128, 112, 95, 75, 60};
  for (size_t v = 0; v < villages_.size(); ++v) {
    int kw = 100 + static_cast<int>(v % 3) * 50;
    for (auto [y, m] : DemoMonths()) {
      int64_t kwh = static_cast<int64_t>(kw) * kSun[m - 1] * r.Int(88, 112) / 100;
      int64_t cents = kwh * 4143 / 100;  // 0.4143 元/千瓦时
      t->Add();
      t->Set("所属村", Unit(static_cast<int>(v)));
      char month[16];
      std::snprintf(month, sizeof month, "%04d-%02d", y, m);
      t->Set("月份", month);
      t->Set("发电量", Str(kwh));
      t->Set("收益", Cents(cents));
    }
  }
  return Emit(std::move(t));
}

Status Generator::IndustrySubsidy() {
  Rng r = RngFor("industry_subsidy");
  auto t = Begin("industry_subsidy");
  if (!t) return Status::Ok();
  static const char* kKinds[] = {"油茶种植", "水稻种植",   "蔬菜种植", "脐橙种植",
                                 "杨梅种植", "无花果种植", "养鸡",     "养鸭",
                                 "养猪",     "养牛",       "水产养殖"};
  for (int y = 2021; y <= 2023; ++y) {
    std::vector<int> pool = poor_;
    r.Shuffle(pool);
    size_t n = std::min<size_t>(pool.size(), static_cast<size_t>(y == 2023 ? 150 : 205));
    for (size_t k = 0; k < n; ++k) {
      int h = pool[k];
      Date day = y == 2023 ? RandomDate(r, D(2023, 3, 1), D(2023, 6, 20))
                           : (r.Chance(700) ? RandomDate(r, D(y, 3, 1), D(y, 6, 25))
                                            : RandomDate(r, D(y, 8, 20), D(y, 10, 31)));
      t->Add();
      t->Set("户编号", H(h).id);
      t->Set("户主姓名", Head(h).name);
      t->Set("所属村", Unit(H(h).village));
      t->Set("产业类型", r.Pick(kKinds));
      t->Set("申请日期", Iso(day));
      t->Set("补助金额", Str(r.Int(6, 30) * 100));
      t->Set("状态", day.AddDays(75) <= kDataEnd ? "已发放" : "已申请");
    }
  }
  return Emit(std::move(t));
}

Status Generator::Supermarket() {
  Rng r = RngFor("supermarket");
  auto t = Begin("supermarket");
  if (!t) return Status::Ok();
  static const std::pair<const char*, int> kEarn[] = {
      {"人居环境整洁", 10}, {"参加志愿服务", 15}, {"孝老爱亲", 10}, {"参加村集体活动", 5},
      {"子女学业进步", 10}, {"勤劳致富", 20},     {"移风易俗", 10}};
  for (int h : poor_) {
    int balance = 0;
    for (auto [y, m] : DemoMonths()) {
      if (r.Chance(550)) {
        const auto& e = kEarn[r.Int(0, 6)];
        t->Add();
        t->Set("户编号", H(h).id);
        t->Set("户主姓名", Head(h).name);
        t->Set("所属村", Unit(H(h).village));
        t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
        t->Set("事项", e.first);
        t->Set("积分", Str(e.second));
        balance += e.second;
      }
      if (m % 3 == 0 && balance >= 20 && r.Chance(500)) {
        int spend = std::min(balance, r.Int(2, 6) * 10);
        balance -= spend;
        t->Add();
        t->Set("户编号", H(h).id);
        t->Set("户主姓名", Head(h).name);
        t->Set("所属村", Unit(H(h).village));
        t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
        t->Set("事项", "兑换生活用品");
        t->Set("积分", Str(-spend));
      }
    }
  }
  return Emit(std::move(t));
}

Status Generator::MedicalInsurance() {
  Rng r = RngFor("medical_insurance");
  auto t = Begin("medical_insurance");
  if (!t) return Status::Ok();
  // About 6% have employee insurance (工作单位参保) and are not in the residents' list.
  std::vector<bool> employee(people_.size());
  for (size_t i = 0; i < people_.size(); ++i) {
    const Person& p = people_[i];
    int a = p.Age();
    employee[i] = a >= 23 && a <= 58 && r.Chance(p.College() ? 450 : 40);
  }
  static const int kUnpaidPerMille[] = {24, 36, 47};  // 2021, 2022, 2023
  for (int y = 2021; y <= 2023; ++y) {
    for (size_t i = 0; i < people_.size(); ++i) {
      const Person& p = people_[i];
      if (employee[i] || p.birth >= D(y - 1, 12, 1)) continue;
      int a = y - p.birth.year();
      int unpaid = kUnpaidPerMille[y - 2021] * ((a >= 20 && a <= 45) ? 2 : 1) * 3 / 4;
      bool paid = !r.Chance(unpaid);
      t->Add();
      t->Set("身份证号", p.id);
      t->Set("姓名", p.name);
      t->Set("所属村", Unit(p.village));
      t->Set("年度", Str(y));
      t->Set("缴费状态", paid ? "已缴费" : "未缴费");
      if (paid) t->Set("缴费日期", Iso(RandomDate(r, D(y - 1, 9, 1), D(y, 2, 15))));
    }
  }
  return Emit(std::move(t));
}

// ---------------------------------------------------------------------------------------------
// 党的建设

Status Generator::PartyMembers() {
  Rng r = RngFor("party_member");
  auto t = Begin("party_member");
  if (!t) return Status::Ok();
  for (const Person& p : people_) {
    if (p.politics != "中共党员" && p.politics != "中共预备党员") continue;
    bool probation = p.politics == "中共预备党员";
    Date joined;
    if (probation) {
      joined = RandomDate(r, D(2022, 1, 1), D(2023, 5, 31));
    } else {
      int age = p.Age();
      int join_age = r.Int(20, std::max(21, std::min(age - 1, 48)));
      joined =
          RandomDate(r, D(p.birth.year() + join_age, 1, 1), D(p.birth.year() + join_age, 12, 31));
      if (joined > D(2021, 12, 31)) joined = RandomDate(r, D(2015, 1, 1), D(2021, 12, 31));
    }
    bool agency = p.village == 0 && r.Chance(150);
    t->Add();
    t->Set("身份证号", p.id);
    t->Set("姓名", p.name);
    t->Set("所属支部",
           agency ? r.Pick(other_branches_) : branch_of_village_[static_cast<size_t>(p.village)]);
    t->Set("所属村", agency ? "" : Unit(p.village));
    t->Set("入党日期", Iso(joined));
    t->Set("党员类型", probation ? "预备党员" : "正式党员");
    t->Set("党建云APP", r.Chance(p.Age() < 70 ? 930 : 600) ? "已下载" : "未下载");
  }
  return Emit(std::move(t));
}

Status Generator::Training() {
  Rng r = RngFor("training");
  auto t = Begin("training");
  if (!t) return Status::Ok();
  static const char* kLessons[] = {"学习贯彻习近平新时代中国特色社会主义思想",
                                   "党的十九届六中全会精神解读",
                                   "全面从严治党与基层干部廉洁自律",
                                   "巩固拓展脱贫攻坚成果同乡村振兴有效衔接",
                                   "党史学习教育专题党课",
                                   "基层治理能力现代化",
                                   "新时代农村工作方法",
                                   "学习贯彻党的二十大精神",
                                   "省第十五次党代会精神宣讲",
                                   "“三拼三促”抓落实专题讲座"};
  static const char* kBusiness[] = {"党建信息化平台操作培训", "低保业务培训",
                                    "防返贫监测业务培训",     "安全生产业务培训",
                                    "森林防火业务培训",       "医保征缴业务培训"};
  const std::array<std::string, 2> schools = {
      (plan_.city_name.empty() ? std::string("市") : plan_.city_name) + "委党校",
      (plan_.district_name.empty() ? std::string("区") : plan_.district_name) + "委党校"};
  for (auto [y, m] : DemoMonths()) {
    int lessons = (m == 1 || m == 2) ? 1 : r.Int(1, 2);
    for (int k = 0; k < lessons; ++k) {
      t->Add();
      t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
      t->Set("类型", "党校授课");
      t->Set("主题", r.Pick(kLessons));
      t->Set("授课人", r.Pick(schools) + CadreName(r));
      t->Set("参加人数", Str(r.Int(70, 130)));
    }
    if (m % 3 == 1) {
      t->Add();
      t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
      t->Set("类型", "网格员培训");
      t->Set("主题", "网格化管理与矛盾纠纷排查");
      t->Set("授课人", CadreName(r));
      t->Set("参加人数", Str(static_cast<int64_t>(grids_.size()) + r.Int(0, 10)));
    }
    if (m == 4 || m == 10) {
      t->Add();
      t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
      t->Set("类型", "治保主任培训");
      t->Set("主题", "平安建设与治安防范");
      t->Set("授课人", CadreName(r));
      t->Set("参加人数", Str(r.Int(12, 20)));
    }
    if (r.Chance(600)) {
      int v = r.Int(0, static_cast<int>(villages_.size()) - 1);
      t->Add();
      t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
      t->Set("类型", "业务培训");
      t->Set("主题", r.Pick(kBusiness));
      t->Set("授课人", CadreName(r));
      t->Set("参加人数", Str(r.Int(15, 40)));
      t->Set("所属村", Unit(v));
    }
  }
  return Emit(std::move(t));
}

Status Generator::CivilActivities() {
  Rng r = RngFor("civil_activity");
  auto t = Begin("civil_activity");
  if (!t) return Status::Ok();
  struct Activity {
    const char* name;
    const char* kind;
    int month;  // 0: any month
  };
  static const Activity kActivities[] = {
      {"“猜灯谜，贺新春”灯谜竞猜", "我们的节日", 2},
      {"“缅怀革命先烈，传承红色基因”清明祭英烈", "我们的节日", 4},
      {"“感恩母亲，尽孝扬善”母亲节活动", "我们的节日", 5},
      {"“庆六一、迎端午”民俗手工", "我们的节日", 6},
      {"“我为群众办实事”志愿服务", "志愿服务", 0},
      {"理论政策宣讲", "理论宣讲", 0},
      {"身边好人评选", "典型选树", 0},
      {"文明家庭评选", "典型选树", 0},
      {"传家风、立家训", "移风易俗", 0},
      {"移风易俗宣传", "移风易俗", 0},
      {"人居环境整治志愿服务", "志愿服务", 0},
      {"关爱留守儿童", "志愿服务", 0},
      {"重阳敬老", "我们的节日", 10},
      {"中秋慰问孤寡老人", "我们的节日", 9}};
  for (auto [y, m] : DemoMonths()) {
    for (const Activity& a : kActivities) {
      if (a.month != 0 && a.month != m) continue;
      int times = a.month != 0 ? r.Int(3, 6) : (r.Chance(450) ? 1 : 0);
      for (int k = 0; k < times; ++k) {
        t->Add();
        t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
        t->Set("站所名称", r.Pick(stations_));
        t->Set("活动名称", a.name);
        t->Set("活动类别", a.kind);
        t->Set("参与人数", Str(r.Int(20, 160)));
      }
    }
  }
  return Emit(std::move(t));
}

Status Generator::LettersVisits() {
  Rng r = RngFor("letters_visits");
  auto t = Begin("letters_visits");
  if (!t) return Status::Ok();
  static const char* kMatters[] = {
      "反映村干部优亲厚友问题", "反映低保评定不公",   "反映惠农资金发放问题", "反映土地流转款问题",
      "反映村级工程项目问题",   "反映村务公开不及时", "反映征地补偿问题",     "咨询政策"};
  for (auto [y, m] : DemoMonths()) {
    int n = r.Int(2, 5);
    for (int k = 0; k < n; ++k) {
      const char* how = r.Weighted({{"来访", 50}, {"来信", 15}, {"电话", 25}, {"网络", 10}});
      t->Add();
      t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
      t->Set("方式", how);
      t->Set("人次", Str(std::string(how) == "来访" ? r.Int(1, 4) : 1));
      t->Set("反映事项", r.Pick(kMatters));
      t->Set("所属村", Unit(r.Int(0, static_cast<int>(villages_.size()) - 1)));
    }
  }
  return Emit(std::move(t));
}

Status Generator::DisciplineCases() {
  Rng r = RngFor("discipline_case");
  auto t = Begin("discipline_case");
  if (!t) return Status::Ok();
  // Each half-year: the first cases are accepted early and concluded within the half (so every
  // half-year has punishments), later ones conclude in the next half.
  static const char* kKinds[] = {"党内警告", "留党察看一年", "党内警告", "党内严重警告",
                                 "无",       "撤销党内职务", "党内警告", "留党察看二年"};
  int serial[3] = {0, 0, 0};
  for (const Half& h : kHalves) {
    int cases = r.Int(5, 7);
    for (int c = 0; c < cases; ++c) {
      int y = h.start.year();
      std::string id =
          plan_.abbreviation + "纪案〔" + Str(y) + "〕" + Str(++serial[y - 2021]) + "号";
      Date accepted = c < 3 ? RandomDate(r, h.start, h.start.AddDays(55))
                            : RandomDate(r, h.start.AddDays(40), h.end.AddDays(-10));
      Date filed = accepted.AddDays(r.Int(7, 20));
      Date concluded = filed.AddDays(r.Int(35, 75));
      int people = r.Chance(200) ? 2 : 1;
      for (int k = 0; k < people; ++k) {
        t->Add();
        t->Set("案件编号", id);
        t->Set("被审查人", RandomName(r, r.Chance(850), r.Int(1960, 1990)));
        t->Set("受理日期", Iso(accepted));
        if (c == cases - 1 && r.Chance(500)) continue;  // 初核了结，未立案
        t->Set("立案日期", Iso(filed));
        if (concluded > kDataEnd) continue;
        t->Set("办结日期", Iso(concluded));
        const char* kind = kKinds[(c + k) % 8];
        t->Set("处分种类", kind);
        if (std::string(kind) != "无") t->Set("处分日期", Iso(concluded));
      }
    }
  }
  return Emit(std::move(t));
}

Status Generator::FirstForm() {
  Rng r = RngFor("first_form");
  auto t = Begin("first_form");
  if (!t) return Status::Ok();
  static const char* kReasons[] = {"工作作风不实",       "履职不到位",        "村务公开不及时",
                                   "低保评议程序不规范", "疫情防控值守脱岗",  "违规操办宴席苗头",
                                   "群众反映办事拖沓",   "项目资金管理不规范"};
  static const std::pair<const char*, std::pair<int, int>> kWays[] = {
      {"诫勉谈话", {3, 6}}, {"提醒谈话", {8, 15}}, {"批评教育", {4, 9}}, {"谈话函询", {1, 4}}};
  for (const Half& h : kHalves) {
    for (const auto& [way, range] : kWays) {
      int n = r.Int(range.first, range.second);
      for (int k = 0; k < n; ++k) {
        t->Add();
        t->Set("日期", Iso(RandomDate(r, h.start, h.end)));
        t->Set("对象姓名", RandomName(r, r.Chance(800), r.Int(1962, 1992)));
        t->Set("方式", way);
        t->Set("事由", r.Pick(kReasons));
      }
    }
  }
  return Emit(std::move(t));
}

Status Generator::Militia() {
  Rng r = RngFor("militia");
  auto t = Begin("militia");
  if (!t) return Status::Ok();
  auto add = [&](const Person& p, const std::string& unit, const char* kind, Date in, Date out) {
    t->Add();
    t->Set("身份证号", p.id);
    t->Set("姓名", p.name);
    t->Set("所属村", Unit(p.village));
    t->Set("所属组织", unit);
    t->Set("类别", kind);
    t->Set("政治面貌", p.politics);
    t->Set("编入日期", Iso(in));
    if (out != Date()) t->Set("退出日期", Iso(out));
  };
  // 基干民兵: men 18-35 (a few women), re-organised every March.
  std::vector<int> core = PeopleWhere(r, [](const Person& p) {
    return p.Age() >= 19 && p.Age() <= 33 && (p.male || p.College()) && p.labor;
  });
  size_t next = 0;
  std::vector<int> current;
  for (int y = 2021; y <= 2023; ++y) {
    const auto& teams = core_teams_[y - 2021];
    if (teams.empty()) continue;
    Date in = teams.front().second;
    Date out =
        y < 2023 && !core_teams_[y - 2020].empty() ? core_teams_[y - 2020].front().second : Date();
    std::vector<int> members;
    for (int p : current) {
      if (r.Chance(700)) members.push_back(p);
    }
    size_t want = teams.size() * 16 + static_cast<size_t>(r.Int(0, 6));
    while (members.size() < want && next < core.size()) members.push_back(core[next++]);
    for (size_t k = 0; k < members.size(); ++k) {
      add(P(members[k]), teams[k % teams.size()].first, "基干民兵", in, out);
    }
    current = members;
  }
  // 普通民兵: each village company, organised in March 2021; some leave, some join later.
  std::set<int> in_core(core.begin(), core.begin() + static_cast<std::ptrdiff_t>(next));
  for (size_t v = 0; v < villages_.size(); ++v) {
    std::vector<int> pool;
    for (int p : villages_[v].people) {
      const Person& q = P(p);
      if (q.Age() >= 18 && q.Age() <= 42 && q.male && !in_core.count(p)) pool.push_back(p);
    }
    r.Shuffle(pool);
    size_t n = std::min(pool.size(), static_cast<size_t>(villages_[v].population / 60));
    for (size_t k = 0; k < n; ++k) {
      Date in = company_date_[v];
      if (k >= n * 88 / 100) in = D(k % 2 ? 2022 : 2023, 3, r.Int(1, 25));
      Date out;
      if (r.Chance(80)) out = RandomDate(r, std::max(in.AddDays(200), D(2021, 10, 1)), kDataEnd);
      add(P(pool[k]), village_companies_[v], "普通民兵", in, out);
    }
  }
  return Emit(std::move(t));
}

Status Generator::Conscription() {
  Rng r = RngFor("conscription");
  auto t = Begin("conscription");
  if (!t) return Status::Ok();
  std::set<int> used;
  for (int y = 2021; y <= 2023; ++y) {
    std::vector<int> pool = PeopleWhere(r, [&](const Person& p) {
      int a = y - p.birth.year();
      return p.male && a >= 18 && a <= 22 && !p.education.empty() && p.education != "小学" &&
             p.education != "文盲";
    });
    size_t want = static_cast<size_t>(r.Int(120, 145));
    int examined = r.Int(24, 32);
    int enlisted_spring = 0;
    int enlisted_autumn = 0;
    int spring_quota = r.Int(5, 7);
    int autumn_quota = r.Int(2, 4);
    int taken = 0;
    std::vector<int> registered;
    for (size_t k = 0; k < pool.size() && registered.size() < want; ++k) {
      if (used.count(pool[k])) continue;
      registered.push_back(pool[k]);
    }
    // Examined: mostly college students and graduates (大学生征兵), a few others.
    for (int p : registered) {
      const Person& q = P(p);
      used.insert(p);
      bool exam = taken < examined && r.Chance(q.College() ? 600 : 60);
      if (exam) ++taken;
      Date reg =
          exam ? RandomDate(r, D(y, 1, 4), D(y, 2, 25)) : RandomDate(r, D(y, 1, 4), D(y, 6, 28));
      t->Add();
      t->Set("身份证号", q.id);
      t->Set("姓名", q.name);
      t->Set("所属村", Unit(q.village));
      t->Set("年度", Str(y));
      t->Set("兵役登记日期", Iso(reg));
      t->Set("文化程度", q.education);
      t->Set("是否上站体检", exam ? "是" : "否");
      if (!exam) continue;
      bool body = r.Chance(520);
      t->Set("体检结论", body ? "合格" : "不合格");
      if (!body) continue;
      bool political = r.Chance(930);
      t->Set("政考结论", political ? "合格" : "不合格");
      if (!political || !q.College()) continue;
      if (enlisted_spring < spring_quota) {
        ++enlisted_spring;
        t->Set("入伍日期", Iso(D(y, 3, r.Int(1, 8))));
      } else if (enlisted_autumn < autumn_quota && y < 2023) {
        ++enlisted_autumn;
        t->Set("入伍日期", Iso(D(y, 9, r.Int(10, 18))));
      }
    }
  }
  return Emit(std::move(t));
}

// ---------------------------------------------------------------------------------------------
// 平安稳定

Status Generator::Meetings() {
  Rng r = RngFor("meeting");
  auto t = Begin("meeting");
  if (!t) return Status::Ok();
  static const char* kSafetyTopics[] = {"研究部署安全生产大检查", "安全生产专项整治三年行动推进",
                                        "森林防火工作部署",       "防汛抗旱安全工作",
                                        "燃气安全专项整治",       "道路交通安全整治",
                                        "节前安全生产检查部署",   "烟花爆竹安全监管",
                                        "自建房安全专项整治"};
  auto add = [&](Date d, const char* type, const char* topic_kind, const std::string& topic,
                 int n) {
    t->Add();
    t->Set("日期", Iso(d));
    t->Set("会议类型", type);
    t->Set("议题类别", topic_kind);
    t->Set("主题", topic);
    t->Set("参会人数", Str(n));
  };
  for (auto [y, m] : DemoMonths()) {
    for (int k = r.Int(2, 3); k > 0; --k) {
      add(RandomDayOfMonth(r, y, m), "班子会议", "安全生产", r.Pick(kSafetyTopics), r.Int(11, 15));
    }
    for (int k = r.Int(2, 3); k > 0; --k) {
      add(RandomDayOfMonth(r, y, m), "全镇专项会议", "安全生产",
          std::string("全镇") + r.Pick(kSafetyTopics) + "会议", r.Int(45, 90));
    }
    add(RandomDayOfMonth(r, y, m), "班子会议", "乡村振兴", "巩固拓展脱贫攻坚成果工作调度",
        r.Int(11, 15));
    add(RandomDayOfMonth(r, y, m), "班子会议", "党建", "党建工作专题研究", r.Int(11, 15));
    add(RandomDayOfMonth(r, y, m), "全镇专项会议", "信访维稳", "信访维稳形势研判", r.Int(30, 60));
    if ((y == 2022 && (m == 3 || m == 4 || m == 11 || m == 12)) || (y == 2021 && m == 8)) {
      for (int k = r.Int(6, 12); k > 0; --k) {
        add(RandomDayOfMonth(r, y, m), "班子会议", "疫情防控", "疫情防控专题会议", r.Int(11, 15));
      }
    }
    for (int k = r.Int(2, 4); k > 0; --k) {
      int v = r.Int(0, static_cast<int>(villages_.size()) - 1);
      add(RandomDayOfMonth(r, y, m), "村级会议",
          r.Weighted({{"乡村振兴", 3}, {"党建", 2}, {"其他", 2}}), VillageName(v) + "村民代表大会",
          r.Int(25, 60));
    }
  }
  return Emit(std::move(t));
}

Status Generator::SafetyPledges() {
  Rng r = RngFor("safety_pledge");
  auto t = Begin("safety_pledge");
  if (!t) return Status::Ok();
  for (int y = 2021; y <= 2023; ++y) {
    Date day = D(y, 2, r.Int(20, 28));
    for (size_t v = 0; v < villages_.size(); ++v) {
      t->Add();
      t->Set("签订日期", Iso(day));
      t->Set("签订类型", "镇村");
      t->Set("签订单位", villages_[v].name + "委会");
      t->Set("所属村", Unit(static_cast<int>(v)));
    }
    for (const Enterprise& e : enterprises_) {
      if (e.industry == "农业" || e.individual) continue;
      t->Add();
      t->Set("签订日期", Iso(day.AddDays(r.Int(3, 20))));
      t->Set("签订类型", "镇企");
      t->Set("签订单位", e.name);
      t->Set("所属村", Unit(e.village));
    }
  }
  return Emit(std::move(t));
}

Status Generator::Hazards() {
  Rng r = RngFor("hazard");
  auto t = Begin("hazard");
  if (!t) return Status::Ok();
  struct Finding {
    const char* field;
    const char* text;
  };
  static const Finding kFindings[] = {{"工贸", "车间安全通道堆放杂物"},
                                      {"工贸", "设备传动部位未设防护罩"},
                                      {"工贸", "员工未佩戴劳动防护用品"},
                                      {"危险化学品", "危化品储存未分类存放"},
                                      {"危险化学品", "烟花爆竹仓库防雷设施未检测"},
                                      {"道路交通", "临水临崖路段缺少防护栏"},
                                      {"道路交通", "农村面包车超员隐患"},
                                      {"建筑施工", "脚手架未设置安全网"},
                                      {"建筑施工", "施工现场临时用电不规范"},
                                      {"消防", "灭火器过期未更换"},
                                      {"消防", "电动车室内充电"},
                                      {"消防", "疏散通道被占用"},
                                      {"其他", "液化气瓶未安装减压阀"},
                                      {"其他", "自建房墙体开裂"}};
  const std::string& school_town = plan_.anchor ? plan_.short_name : plan_.abbreviation;
  const std::array<std::string, 6> places = {
      plan_.short_name + "农贸市场", plan_.short_name + "加油站", school_town + "中学",
      plan_.name + "中心小学",       plan_.name + "敬老院",       plan_.name + "卫生院"};
  for (auto [y, m] : DemoMonths()) {
    int n = r.Int(19, 26);
    for (int k = 0; k < n; ++k) {
      const Finding& f = r.Pick(kFindings);
      std::string unit;
      int village;
      if (r.Chance(650)) {
        const Enterprise& e = r.Pick(enterprises_);
        unit = e.name;
        village = e.village;
      } else if (r.Chance(400)) {
        unit = r.Pick(places);
        village = 0;
      } else {
        village = r.Int(0, static_cast<int>(villages_.size()) - 1);
        int h = r.Pick(villages_[static_cast<size_t>(village)].households);
        unit = Head(h).name + "自建房";
      }
      Date found = RandomDayOfMonth(r, y, m);
      Date deadline = found.AddDays(r.Pick(std::array<int, 3>{7, 15, 30}));
      t->Add();
      t->Set("发现日期", Iso(found));
      t->Set("单位名称", unit);
      t->Set("所属村", Unit(village));
      t->Set("行业领域", f.field);
      t->Set("隐患描述", f.text);
      t->Set("整改期限", Iso(deadline));
      Date done = found.AddDays(r.Int(1, (deadline.days() - found.days()) + 3));
      if (done <= kDataEnd && r.Chance(970)) t->Set("整改完成日期", Iso(done));
      t->Set("责任人", RandomName(r, r.Chance(800), r.Int(1965, 1990)));
    }
  }
  return Emit(std::move(t));
}

Status Generator::Enforcement() {
  Rng r = RngFor("enforcement");
  auto t = Begin("enforcement");
  if (!t) return Status::Ok();
  auto add = [&](Date d, const char* type, const Enterprise& e, int docs, const std::string& note) {
    t->Add();
    t->Set("日期", Iso(d));
    t->Set("类型", type);
    t->Set("对象", e.name);
    t->Set("所属村", Unit(e.village));
    if (docs > 0) t->Set("文书份数", Str(docs));
    t->Set("说明", note);
  };
  for (auto [y, m] : DemoMonths()) {
    for (int k = r.Int(4, 6); k > 0; --k) {
      add(RandomDayOfMonth(r, y, m), "违规违章排查", r.Pick(enterprises_), 0,
          "违规违章作业行为排查");
    }
    for (int k = r.Int(1, 2); k > 0; --k) {
      add(RandomDayOfMonth(r, y, m), "非法生产排查", r.Pick(enterprises_), 0,
          "非法生产经营行为排查");
    }
    for (int k = r.Chance(700) ? r.Int(1, 2) : 0; k > 0; --k) {
      add(RandomDayOfMonth(r, y, m), "处罚", r.Pick(enterprises_), 0,
          r.Weighted({{"非法储存烟花爆竹", 2}, {"无证经营", 2}, {"违规动火作业", 1}}));
    }
    for (int k = r.Int(2, 3); k > 0; --k) {
      add(RandomDayOfMonth(r, y, m), "执法文书", r.Pick(enterprises_), r.Int(1, 4),
          "责令限期整改指令书");
    }
  }
  return Emit(std::move(t));
}

Status Generator::Disputes() {
  Rng r = RngFor("dispute");
  auto t = Begin("dispute");
  if (!t) return Status::Ok();
  int serial[3] = {0, 0, 0};
  for (auto [y, m] : DemoMonths()) {
    int n = r.Int(12, 18);
    for (int k = 0; k < n; ++k) {
      int h = r.Int(0, static_cast<int>(households_.size()) - 1);
      const Household& hh = H(h);
      Date found = RandomDayOfMonth(r, y, m);
      char number[32];
      std::snprintf(number, sizeof number, "〔%d〕%03d号", y, ++serial[y - 2021]);
      std::string id = plan_.abbreviation + "矛" + number;
      const char* kind = r.Weighted(
          {{"婚姻家庭", 22}, {"邻里纠纷", 35}, {"土地山林", 25}, {"劳资纠纷", 8}, {"其他", 10}});
      int other = r.Pick(villages_[static_cast<size_t>(hh.village)].households);
      Date settled = found.AddDays(r.Int(1, 18));
      const char* status = r.Weighted({{"调处成功", 940}, {"调处不成功", 20}, {"已移交", 40}});
      if (settled > kDataEnd) status = "调处中";
      t->Add();
      t->Set("编号", id);
      t->Set("摸排日期", Iso(found));
      t->Set("所属村", Unit(hh.village));
      t->Set("所属网格", grids_[static_cast<size_t>(hh.grid)].id);
      t->Set("纠纷类型", kind);
      t->Set("当事人", Head(h).name + "与" + Head(other).name);
      t->Set("调处状态", status);
      if (std::string(status) != "调处中") {
        t->Set("调处日期", Iso(settled));
        t->Set("调处人",
               r.Chance(500) ? P(grids_[static_cast<size_t>(hh.grid)].worker).name : CadreName(r));
      }
    }
  }
  return Emit(std::move(t));
}

Status Generator::Campaigns() {
  Rng r = RngFor("campaign");
  auto t = Begin("campaign");
  if (!t) return Status::Ok();
  static const char* kThemes[] = {"平安建设宣传",
                                  "防范电信网络诈骗宣传",
                                  "打击整治养老诈骗宣传",
                                  "禁毒宣传",
                                  "反邪教宣传",
                                  "扫黑除恶常态化宣传",
                                  "防范非法集资宣传",
                                  "安全生产月宣传",
                                  "森林防火宣传",
                                  "防溺水安全宣传",
                                  "民法典宣传"};
  for (auto [y, m] : DemoMonths()) {
    if (r.Chance(750) || m == 6) {
      t->Add();
      t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
      t->Set("地点", plan_.anchor ? std::string("辽市新集镇") : plan_.short_name + "集镇");
      t->Set("主题", r.Pick(kThemes));
      t->Set("规模", "大型");
      t->Set("发放资料份数", Str(r.Int(8, 20) * 100));
      t->Set("参与人数", Str(r.Int(300, 800)));
    }
    for (int k = r.Int(2, 4); k > 0; --k) {
      int v = r.Int(0, static_cast<int>(villages_.size()) - 1);
      t->Add();
      t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
      t->Set("地点", VillageName(v) + "村委会");
      t->Set("主题", r.Pick(kThemes));
      t->Set("规模", "一般");
      t->Set("发放资料份数", Str(r.Int(10, 40) * 10));
      t->Set("参与人数", Str(r.Int(30, 150)));
    }
  }
  return Emit(std::move(t));
}

Status Generator::Petitions() {
  Rng r = RngFor("petition");
  auto t = Begin("petition");
  if (!t) return Status::Ok();
  static const char* kMatters[] = {
      "土地承包纠纷", "宅基地纠纷",   "征地补偿款分配", "低保申请",     "拖欠农民工工资",
      "山林权属争议", "村道修建占地", "环境污染投诉",   "危房改造补助", "医保报销咨询"};
  int serial[3] = {0, 0, 0};
  for (auto [y, m] : DemoMonths()) {
    int n = r.Int(2, 4);
    for (int k = 0; k < n; ++k) {
      Date day = RandomDayOfMonth(r, y, m);
      int v = r.Int(0, static_cast<int>(villages_.size()) - 1);
      // 2021 had one visit to the province and a few to the city; 2022-2023 none beyond the city.
      const char* skip = "无";
      if (y == 2021 && m == 9 && k == 0)
        skip = "赴省";
      else if (r.Chance(y == 2021 ? 60 : 30))
        skip = "赴市";
      Date done = day.AddDays(r.Int(5, 55));
      t->Add();
      t->Set("编号", plan_.abbreviation + "信〔" + Str(y) + "〕" + Str(++serial[y - 2021]) + "号");
      t->Set("登记日期", Iso(day));
      t->Set("信访人", Head(r.Pick(villages_[static_cast<size_t>(v)].households)).name);
      t->Set("所属村", Unit(v));
      t->Set("信访方式", r.Weighted({{"来访", 45}, {"来信", 15}, {"网上", 25}, {"电话", 15}}));
      t->Set("越级类型", skip);
      t->Set("事项", r.Pick(kMatters));
      bool finished = done <= kDataEnd;
      t->Set("办理状态", finished ? "已办结" : "办理中");
      if (finished) t->Set("办结日期", Iso(done));
    }
  }
  return Emit(std::move(t));
}

Status Generator::KeyPersons() {
  Rng r = RngFor("key_person");
  auto t = Begin("key_person");
  if (!t) return Status::Ok();
  std::vector<int> pool =
      PeopleWhere(r, [](const Person& p) { return p.Age() >= 25 && p.Age() <= 75; });
  static const char* kKinds[] = {"信访重点人员", "社区矫正人员", "刑满释放人员", "严重精神障碍患者",
                                 "涉稳重点人员"};
  for (size_t k = 0; k < 28 && k < pool.size(); ++k) {
    const Person& p = P(pool[k]);
    std::string guards;
    std::set<std::string> seen;
    while (seen.size() < 5) {
      std::string n = seen.empty() ? P(grids_[static_cast<size_t>(H(p.household).grid)].worker).name
                                   : CadreName(r);
      if (seen.insert(n).second) guards += (guards.empty() ? "" : "、") + n;
    }
    t->Add();
    t->Set("身份证号", p.id);
    t->Set("姓名", p.name);
    t->Set("所属村", Unit(p.village));
    t->Set("类别", kKinds[k % 5]);
    t->Set("包保责任人", guards);
  }
  return Emit(std::move(t));
}

// ---------------------------------------------------------------------------------------------
// 经济与项目

Status Generator::Investment() {
  auto t = Begin("investment");
  if (!t) return Status::Ok();
  struct Row {
    const char* project;
    const char* company;
    const char* amount;
    const char* kind;
    const char* signed_on;
    const char* stage;
  };
  static const Row kRows[] = {
      {"年产30万立方米新型环保建材项目", "江西赣辉新型建材有限公司", "15000", "新型建材",
       "2021-04-16", "已投产"},
      {"竹木精深加工项目", "宜春市竹海木业有限公司", "4500", "竹木加工", "2021-06-08", "已开工"},
      {"辽市镇农产品冷链物流中心", "宜春市袁州区惠农冷链物流有限公司", "3200", "现代物流",
       "2021-09-22", "已投产"},
      {"高产油茶示范基地", "江西绿源油茶开发有限公司", "2600", "生态农业", "2021-11-05", "已开工"},
      {"中晶高科单晶硅材料生产基地项目", "宜春中晶高科股份有限公司", "25000", "新材料",
       "2022-03-16", "已开工"},
      {"晨蓝新型环保包装材料项目", "东莞晨蓝实业有限公司", "12000", "新材料", "2022-05-20",
       "已签约"},
      {"油茶精深加工项目", "江西辽市茶油有限公司", "2800", "农产品加工", "2022-04-12", "已签约"},
      {"生态鸡养殖基地", "宜春市袁州区丰林生态农业有限公司", "1200", "生态农业", "2022-06-08",
       "已开工"},
      {"锂电池配件生产项目", "宜春市锂源电子科技有限公司", "6500", "锂电新能源", "2022-10-18",
       "已签约"},
      {"智能装备制造项目", "江西恒拓智能装备有限公司", "11000", "装备制造", "2023-04-21", "已签约"},
      {"稻虾共养示范基地", "宜春市泽溪农业开发有限公司", "1500", "生态农业", "2023-03-09",
       "已开工"},
      {"光伏组件封装项目", "浙江晶耀新能源有限公司", "18000", "新能源", nullptr, "对接中"},
      {"预制菜加工项目", "广东味源食品有限公司", "5000", "食品加工", nullptr, "对接中"},
      {"文旅康养综合体项目", "江西山水文旅发展有限公司", "8000", "文化旅游", nullptr, "对接中"},
  };
  if (plan_.anchor) {
    for (const Row& row : kRows) {
      t->Add();
      t->Set("项目名称", row.project);
      t->Set("企业名称", row.company);
      t->Set("投资额", row.amount);
      t->Set("产业类别", row.kind);
      if (row.signed_on) t->Set("签约日期", row.signed_on);
      t->Set("阶段", row.stage);
    }
    return Emit(std::move(t));
  }
  // Other towns: projects of the same kinds, a third of them of 亿元 or more, the last few not
  // yet signed.
  Rng r = RngFor("investment");
  struct Kind {
    const char* project;
    const char* industry;
    const char* firm;
  };
  static const Kind kKinds[] = {{"新型环保建材项目", "新型建材", "新型建材有限公司"},
                                {"竹木精深加工项目", "竹木加工", "竹木制品有限公司"},
                                {"农产品冷链物流中心", "现代物流", "冷链物流有限公司"},
                                {"高产油茶示范基地", "生态农业", "油茶开发有限公司"},
                                {"单晶硅材料生产项目", "新材料", "新材料科技有限公司"},
                                {"锂电池配件生产项目", "锂电新能源", "电子科技有限公司"},
                                {"智能装备制造项目", "装备制造", "智能装备有限公司"},
                                {"光伏组件封装项目", "新能源", "新能源有限公司"},
                                {"预制菜加工项目", "食品加工", "食品有限公司"},
                                {"文旅康养综合体项目", "文化旅游", "文旅发展有限公司"},
                                {"稻虾共养示范基地", "生态农业", "农业开发有限公司"},
                                {"电子元器件生产项目", "电子信息", "电子有限公司"}};
  static const char* kFrom[] = {"江西", "宜春市", "浙江", "广东", "福建", "湖南", "上海", "深圳"};
  static const char* kWords[] = {"恒拓", "晶耀", "中科", "晨曦", "赣辉", "锂源",
                                 "味源", "绿源", "惠农", "山水", "鑫达", "瑞晟"};
  int n = r.Int(9, 15);
  for (int k = 0; k < n; ++k) {
    const Kind& kind = r.Pick(kKinds);
    bool big = r.Chance(330);
    int64_t amount = big ? r.Int(100, 300) * 100 : r.Int(8, 95) * 100;
    t->Add();
    t->Set("项目名称", kind.project);
    t->Set("企业名称", std::string(r.Pick(kFrom)) + r.Pick(kWords) + kind.firm);
    t->Set("投资额", Str(amount));
    t->Set("产业类别", kind.industry);
    if (k >= n - 3) {
      t->Set("阶段", "对接中");
      continue;
    }
    Date signed_on = RandomDate(r, D(2021, 2, 1), D(2023, 6, 20));
    t->Set("签约日期", Iso(signed_on));
    int days = kDataEnd.days() - signed_on.days();
    t->Set("阶段", days < 90    ? "已签约"
                   : days < 400 ? r.Weighted({{"已签约", 40}, {"已开工", 60}})
                                : r.Weighted({{"已开工", 50}, {"已投产", 50}}));
  }
  return Emit(std::move(t));
}

Status Generator::Enterprises() {
  Rng r = RngFor("enterprise");
  auto t = Begin("enterprise");
  if (!t) return Status::Ok();
  for (const Enterprise& e : enterprises_) {
    t->Add();
    t->Set("企业名称", e.name);
    t->Set("统一社会信用代码", CreditCode(r, e.individual));
    t->Set("行业", e.industry);
    t->Set("所属村", Unit(e.village));
    t->Set("是否规上", e.above_size ? "是" : "否");
    t->Set("入规培育类型", e.cultivation);
  }
  return Emit(std::move(t));
}

Status Generator::Fiscal() {
  Rng r = RngFor("fiscal");
  auto t = Begin("fiscal");
  if (!t) return Status::Ok();
  // 万元 per month; the first months of a year are slow (the seed: "仅完成全年任务的…%").
  static const int kSeason[] = {70, 60, 85, 90, 95, 105, 100, 100, 105, 110, 125, 155};
  for (auto [y, m] : DemoMonths()) {
    int base = static_cast<int>((y == 2021 ? 520 : y == 2022 ? 545 : 570) * EconomySize() / 100);
    char month[16];
    std::snprintf(month, sizeof month, "%04d-%02d", y, m);
    int64_t tax =
        static_cast<int64_t>(base) * kSeason[m - 1] * r.Int(90, 110);  // hundredths of 万元 ×100
    int64_t non_tax = static_cast<int64_t>(base / 9) * kSeason[m - 1] * r.Int(80, 120);
    t->Add();
    t->Set("月份", month);
    t->Set("收入类别", "税收收入");
    t->Set("金额", Cents(tax / 100));
    t->Add();
    t->Set("月份", month);
    t->Set("收入类别", "非税收入");
    t->Set("金额", Cents(non_tax / 100));
  }
  return Emit(std::move(t));
}

Status Generator::Targets() {
  auto t = Begin("target");
  if (!t) return Status::Ok();
  struct Row {
    const char* name;
    const char* unit;
    const char* value[3];  // 2021, 2022, 2023
    const char* growth[3];
  };
  static const Row kRows[] = {
      {"地区生产总值", "亿元", {"11.7", "12.5", "13.3"}, {"7", "6.5", "6"}},
      {"财政总收入", "亿元", {"0.78", "0.85", "0.9"}, {"8", "9", "6"}},
      {"一般公共预算收入", "万元", {"2480", "2650", "2800"}, {"6.5", "7", "5.5"}},
      {"规模以上工业增加值", "%", {nullptr, nullptr, nullptr}, {"8.5", "8", "7.5"}},
      {"固定资产投资", "%", {nullptr, nullptr, nullptr}, {"10", "9", "8"}},
      {"社会消费品零售总额", "亿元", {"2.9", "3.15", "3.4"}, {"10", "9", "8"}},
      {"农村居民人均可支配收入", "元", {"18300", "19850", "21300"}, {"9", "8.5", "7.5"}},
      {"引进企业", "个", {"4", "5", "5"}, {nullptr, nullptr, nullptr}},
      {"规上企业", "个", {"7", "8", "10"}, {nullptr, nullptr, nullptr}},
      {"亿元以上企业", "个", {"1", "2", "2"}, {nullptr, nullptr, nullptr}},
      {"生态农业", "个", {"2", "3", "3"}, {nullptr, nullptr, nullptr}},
  };
  // Other towns: 辽市镇's targets scaled to the size of their economy (the same factor scales their
  // fiscal revenue), incomes by a smaller factor, counts rounded.
  int64_t size = EconomySize();
  int64_t income = plan_.anchor ? 100 : RngFor("income").Range(85, 115);
  auto scaled = [&](const Row& row, const char* value) -> std::string {
    if (plan_.anchor) return value;
    std::string_view unit(row.unit);
    int64_t percent = unit == "元" ? income : size;
    // The value in hundredths (the table has at most two decimals).
    std::string_view v(value);
    size_t dot = v.find('.');
    int64_t whole = std::atoll(std::string(v.substr(0, dot)).c_str());
    int64_t frac = 0;
    if (dot != std::string_view::npos) {
      std::string f(v.substr(dot + 1));
      f.resize(2, '0');
      frac = std::atoll(f.c_str());
    }
    int64_t cents = (whole * 100 + frac) * percent / 100;
    if (unit == "个") return Str(std::max<int64_t>(1, (cents + 50) / 100));
    return Cents(cents);
  };
  for (int y = 2021; y <= 2023; ++y) {
    for (const Row& row : kRows) {
      t->Add();
      t->Set("年度", Str(y));
      t->Set("指标名称", row.name);
      if (row.value[y - 2021]) t->Set("目标值", scaled(row, row.value[y - 2021]));
      t->Set("单位", row.unit);
      if (row.growth[y - 2021]) t->Set("增长目标", row.growth[y - 2021]);
    }
  }
  return Emit(std::move(t));
}

Status Generator::Projects() {
  Rng r = RngFor("project");
  auto t = Begin("project");
  if (!t) return Status::Ok();
  // `village`: an index into villages_, or -1 for none.
  auto add = [&](const std::string& name, const char* kind, int village, const std::string& amount,
                 const char* stage, const char* start, const char* end) {
    t->Add();
    t->Set("项目名称", name);
    t->Set("类别", kind);
    t->Set("所属村", village >= 0 ? Unit(village) : "");
    t->Set("投资额", amount);
    t->Set("阶段", stage);
    if (start) t->Set("开工日期", start);
    if (end) t->Set("完工日期", end);
  };
  if (plan_.anchor) {
    // The seed's projects.
    int seat = VillageNamed("辽市村");
    add("辽市老集镇人行道改造工程", "基础设施", seat, "380", "招投标", nullptr, nullptr);
    add("泽溪桥改建工程", "基础设施", VillageNamed("泽溪村"), "260", "在建", "2022-04-18", nullptr);
    add("集镇垃圾分类及集中转运", "人居环境", seat, "56.8", "在建", "2022-02-21", nullptr);
    add("集镇小修小补", "人居环境", seat, "23.6", "完工", "2022-03-07", "2022-05-30");
    add("辽市镇敬老院屋顶、钢架棚改造提升项目", "民生保障", seat, "48", "完工", "2022-03-15",
        "2022-06-10");
    add("院前村破塘水库除险加固工程", "农业农村", VillageNamed("院前村"), "135", "完工",
        "2021-11-08", "2022-05-20");
    add("辽市中学、中心小学危旧房拆除", "民生保障", seat, "18.5", "完工", "2022-04-06",
        "2022-05-12");
    add("北社段十字路路灯安装工程", "基础设施", seat, "15", "规划", nullptr, nullptr);
    add("老街污水处理站", "人居环境", seat, "120", "设计", nullptr, nullptr);
  } else {
    // The same kinds of town project, named after this town (集镇垃圾分类及集中转运 and
    // 集镇小修小补 are every town's, so the district's and the city's figures sum them).
    Rng g = RngFor("town_projects");
    int n = static_cast<int>(villages_.size());
    int other = n > 1 ? g.Int(1, n - 1) : 0;
    std::string river = Place(other);  // 泽溪村 → 泽溪桥
    std::string bridge_start = Iso(RandomDate(g, D(2022, 3, 1), D(2022, 5, 31)));
    std::string garbage_start = Iso(RandomDate(g, D(2022, 1, 10), D(2022, 3, 31)));
    Date repair = RandomDate(g, D(2022, 2, 20), D(2022, 4, 10));
    std::string repair_start = Iso(repair);
    std::string repair_end = Iso(repair.AddDays(g.Int(40, 80)));
    Date home = RandomDate(g, D(2022, 2, 1), D(2022, 4, 15));
    std::string home_start = Iso(home);
    std::string home_end = Iso(home.AddDays(g.Int(50, 75)));
    add(plan_.short_name + "老集镇人行道改造工程", "基础设施", 0, Str(g.Int(20, 50) * 10),
        "招投标", nullptr, nullptr);
    add(river + "桥改建工程", "基础设施", other,
        Str(g.Int(15, 35) * 10), "在建", bridge_start.c_str(), nullptr);
    add("集镇垃圾分类及集中转运", "人居环境", 0, Cents(g.Int(300, 800) * 10), "在建",
        garbage_start.c_str(), nullptr);
    add("集镇小修小补", "人居环境", 0, Cents(g.Int(150, 350) * 10), "完工",
        repair_start.c_str(), repair_end.c_str());
    add(plan_.name + "敬老院改造提升项目", "民生保障", 0, Str(g.Int(30, 70)), "完工",
        home_start.c_str(), home_end.c_str());
    add(plan_.short_name + "集镇污水处理站", "人居环境", 0, Str(g.Int(8, 15) * 10), "设计",
        nullptr, nullptr);
  }
  // Village works.
  static const std::pair<const char*, const char*> kWorks[] = {{"村组道路硬化工程", "基础设施"},
                                                               {"高标准农田建设项目", "农业农村"},
                                                               {"农村户厕改造", "人居环境"},
                                                               {"村庄亮化工程", "基础设施"},
                                                               {"山塘清淤整治", "农业农村"}};
  for (size_t v = 0; v < villages_.size(); ++v) {
    for (int k = 0; k < 2; ++k) {
      const auto& w = r.Pick(kWorks);
      int year = 2021 + r.Int(0, 2);
      Date start = RandomDate(r, D(year, 2, 1), D(year, year == 2023 ? 4 : 10, 30));
      Date end = start.AddDays(r.Int(60, 200));
      bool done = end <= kDataEnd;
      std::string s = Iso(start);
      std::string e = Iso(end);
      add(villages_[v].name + w.first + (k ? "（二期）" : ""), w.second, static_cast<int>(v),
          Cents(r.Int(1500, 9800) * 10), done ? "完工" : "在建", s.c_str(),
          done ? e.c_str() : nullptr);
    }
  }
  return Emit(std::move(t));
}

Status Generator::Afforestation() {
  Rng r = RngFor("afforestation");
  auto t = Begin("afforestation");
  if (!t) return Status::Ok();
  static const char* kOthers[] = {"杉木", "马尾松", "枫香", "木荷", "湿地松"};
  for (int y = 2021; y <= 2023; ++y) {
    for (size_t v = 0; v < villages_.size(); ++v) {
      // Planting season: January to March, and December.
      for (int k = r.Int(1, 2); k > 0; --k) {
        t->Add();
        t->Set("日期", Iso(RandomDate(r, D(y, 1, 5), D(y, 3, 25))));
        t->Set("所属村", Unit(static_cast<int>(v)));
        t->Set("树种", "油茶");
        t->Set("面积", Cents(r.Int(300, 800) * 10));
      }
      if (r.Chance(500)) {
        t->Add();
        t->Set("日期", Iso(RandomDate(r, D(y, 2, 1), D(y, 3, 31))));
        t->Set("所属村", Unit(static_cast<int>(v)));
        t->Set("树种", r.Pick(kOthers));
        t->Set("面积", Cents(r.Int(100, 500) * 10));
      }
      if (y < 2023 && r.Chance(400)) {
        t->Add();
        t->Set("日期", Iso(RandomDate(r, D(y, 12, 1), D(y, 12, 28))));
        t->Set("所属村", Unit(static_cast<int>(v)));
        t->Set("树种", "油茶");
        t->Set("面积", Cents(r.Int(200, 500) * 10));
      }
    }
  }
  return Emit(std::move(t));
}

Status Generator::NewVillageSites() {
  Rng r = RngFor("new_village_site");
  auto t = Begin("new_village_site");
  if (!t) return Status::Ok();
  std::set<std::string> used;
  auto add = [&](int v, const std::string& group, int year, const char* status) {
    std::string name = villages_[static_cast<size_t>(v)].name + group;
    if (!used.insert(name).second) return;
    t->Add();
    t->Set("名称", name);
    t->Set("所属村", Unit(v));
    t->Set("年度", Str(year));
    t->Set("状态", status);
  };
  int n = static_cast<int>(villages_.size());
  for (int k = 0; k < 8; ++k) {
    int v = k % n;
    add(v, r.Pick(villages_[static_cast<size_t>(v)].groups), 2021, "已完工");
  }
  for (int k = 0; k < 7; ++k) {
    int v = (k * 3 + 1) % n;
    add(v, r.Pick(villages_[static_cast<size_t>(v)].groups), 2022, k < 5 ? "施工中" : "已完工");
  }
  // The seed's model sites for 2023: 寒岭新屋组、院前罗家组.
  for (int v = 0; v < n && plan_.anchor; ++v) {
    const Village& vil = villages_[static_cast<size_t>(v)];
    if (vil.name == "寒岭村") add(v, "新屋组", 2023, "规划");
    if (vil.name == "院前村") add(v, "罗家组", 2023, "规划");
  }
  add(4 % n, r.Pick(villages_[static_cast<size_t>(4 % n)].groups), 2023, "施工中");
  if (!plan_.anchor) {  // two model sites of its own
    for (int k = 0; k < 2; ++k) {
      int v = r.Int(0, n - 1);
      add(v, r.Pick(villages_[static_cast<size_t>(v)].groups), 2023, "规划");
    }
  }
  return Emit(std::move(t));
}

Status Generator::Fishponds() {
  Rng r = RngFor("fishpond");
  auto t = Begin("fishpond");
  if (!t) return Status::Ok();
  static const char* kKinds[] = {"四大家鱼", "草鱼", "鲢鳙鱼", "鲫鱼", "小龙虾", "黄鳝"};
  for (size_t v = 0; v < villages_.size(); ++v) {
    int n = villages_[v].population / 180;
    for (int k = 0; k < n; ++k) {
      int h = r.Pick(villages_[v].households);
      t->Add();
      t->Set("所属村", Unit(static_cast<int>(v)));
      t->Set("户主姓名", Head(h).name);
      t->Set("面积", Cents(r.Chance(450) ? r.Int(100, 600) * 10 : r.Int(20, 98) * 10));
      t->Set("养殖品种", r.Pick(kKinds));
    }
  }
  return Emit(std::move(t));
}

Status Generator::TownManagement() {
  Rng r = RngFor("townmgmt");
  auto t = Begin("townmgmt");
  if (!t) return Status::Ok();
  struct Kind {
    const char* name;
    int per_mille;  // chance of a row in a given week
    int lo, hi;
    const char* note;
  };
  static const Kind kKinds[] = {
      {"出店经营乱摆乱放", 1000, 4, 9, "集镇主街巡查"},
      {"农贸市场违规使用液化气瓶", 450, 1, 3, "农贸市场检查"},
      {"违规打伞", 500, 1, 5, "赶集日巡查"},
      {"违规广告牌", 450, 1, 4, "拆除违规广告牌"},
      {"车辆乱停乱放", 1000, 3, 7, "赶集日交通疏导"},
      {"不文明行为劝导", 1000, 5, 12, "文明劝导"},
      {"违规建设", 250, 1, 2, "制止违规建设"},
  };
  for (Date week = D(2021, 1, 4); week <= kDataEnd; week = week.AddDays(7)) {
    for (const Kind& k : kKinds) {
      if (!r.Chance(k.per_mille)) continue;
      t->Add();
      t->Set("日期", Iso(Min(week.AddDays(r.Int(0, 5)), kDataEnd)));
      t->Set("整治类别", k.name);
      t->Set("数量", Str(r.Int(k.lo, k.hi)));
      t->Set("说明", k.note);
    }
  }
  for (auto [y, m] : DemoMonths()) {
    t->Add();
    t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
    t->Set("整治类别", "创文宣传资料");
    t->Set("数量", Str(r.Int(30, 80) * 10));
    t->Set("说明", "发放创文宣传资料");
    if (m == 3 || m == 5 || m == 9) {
      t->Add();
      t->Set("日期", Iso(RandomDayOfMonth(r, y, m)));
      t->Set("整治类别", "临时停车位");
      t->Set("数量", Str(r.Int(10, 30)));
      t->Set("说明", "集镇新增临时停车位");
    }
  }
  return Emit(std::move(t));
}

// ---------------------------------------------------------------------------------------------
// 疫情防控: returnees at the 2021 Spring Festival, waves in 2021-08, 2022-03/04 and 2022-11/12.

Status Generator::EpidemicGroups() {
  auto t = Begin("epi_group");
  if (!t) return Status::Ok();
  struct Wave {
    const char* prefix;
    Date day;
    std::vector<const char*> leads;
  };
  const Wave kWaves[] = {
      {"2021年春节", D(2021, 1, 25), {"镇纪委", "卫健办"}},
      {"2021年8月", D(2021, 8, 4), {"镇纪委", "卫健办", "综治办"}},
      {"2022年3月", D(2022, 3, 21), {"镇纪委", "卫健办", "食安办", "综治办"}},
      {"2022年11月", D(2022, 11, 14), {"镇纪委", "卫健办"}},
  };
  for (const Wave& w : kWaves) {
    for (size_t k = 0; k < w.leads.size(); ++k) {
      t->Add();
      t->Set("组名",
             std::string(w.prefix) + "疫情防控第" + CnNum(static_cast<int>(k) + 1) + "督导组");
      t->Set("牵头单位", w.leads[k]);
      t->Set("成立日期", Iso(w.day));
    }
  }
  return Emit(std::move(t));
}

Status Generator::Checkpoints() {
  Rng r = RngFor("checkpoint");
  auto t = Begin("checkpoint");
  if (!t) return Status::Ok();
  struct Wave {
    Date set;
    Date removed;
    int villages;
  };
  // Spring Festival 2021: only the town's road checkpoints.
  const Wave kWaves[] = {{D(2021, 1, 26), D(2021, 2, 28), 0},
                         {D(2021, 8, 5), D(2021, 9, 10), 6},
                         {D(2022, 3, 22), D(2022, 4, 28), 10},
                         {D(2022, 11, 15), D(2022, 12, 10), 8}};
  for (const Wave& w : kWaves) {
    for (int k = 0; k < w.villages && k < static_cast<int>(villages_.size()); ++k) {
      t->Add();
      t->Set("关卡名称", VillageName(k) + "入口值守点");
      t->Set("所属村", Unit(k));
      t->Set("值守时长", r.Chance(700) ? "24" : "12");
      t->Set("设置日期", Iso(w.set.AddDays(r.Int(0, 2))));
      t->Set("撤除日期", Iso(w.removed));
    }
    const std::array<std::string, 3> town_points =
        plan_.anchor ? std::array<std::string, 3>{"宜慈公路辽市入口卡点", "三水线辽市卡点",
                                                  "辽市集镇卡点"}
                     : std::array<std::string, 3>{plan_.short_name + "东入口卡点",
                                                  plan_.short_name + "西入口卡点",
                                                  plan_.short_name + "集镇卡点"};
    for (const std::string& town_point : town_points) {
      t->Add();
      t->Set("关卡名称", town_point);
      t->Set("值守时长", "24");
      t->Set("设置日期", Iso(w.set));
      t->Set("撤除日期", Iso(w.removed));
    }
  }
  return Emit(std::move(t));
}

Status Generator::Isolation() {
  Rng r = RngFor("isolation");
  auto t = Begin("isolation");
  if (!t) return Status::Ok();
  struct Wave {
    Date from;
    Date to;
    int central;
    int home;
  };
  const Wave kWaves[] = {{D(2021, 1, 20), D(2021, 2, 25), 5, 48},
                         {D(2021, 8, 1), D(2021, 9, 5), 16, 85},
                         {D(2022, 3, 15), D(2022, 5, 20), 42, 265},
                         {D(2022, 10, 20), D(2022, 12, 15), 24, 160}};
  std::vector<int> pool = PeopleWhere(r, [](const Person& p) { return p.Age() >= 3; });
  size_t next = 0;
  for (const Wave& w : kWaves) {
    for (int k = 0; k < w.central + w.home && next < pool.size(); ++k) {
      const Person& p = P(pool[next++]);
      bool central = k < w.central;
      Date from = RandomDate(r, w.from, w.to);
      t->Add();
      t->Set("身份证号", p.id);
      t->Set("姓名", p.name);
      t->Set("所属村", Unit(p.village));
      t->Set("隔离方式", central ? "集中隔离" : "居家隔离");
      t->Set("开始日期", Iso(from));
      t->Set("结束日期", Iso(from.AddDays(central ? r.Int(7, 14) : 7)));
    }
  }
  return Emit(std::move(t));
}

// ---------------------------------------------------------------------------------------------

Result<DemoStats> Generator::Run() {
  if (plan_.villages.empty()) {
    return Status::FailedPrecondition(plan_.name + "没有村，无法生成演示数据",
                                      "demo: town " + plan_.code + " has no villages");
  }
  BuildPopulation();
  BuildEnterprises();
  ChooseWelfareHouseholds();
  // Registries first: the keys other ledgers refer to.
  Status (Generator::*const kSteps[])() = {
      &Generator::Grids,
      &Generator::Households,
      &Generator::People,
      &Generator::PartyBranches,
      &Generator::CivilStations,
      &Generator::MilitiaUnits,
      &Generator::Dibao,
      &Generator::Tekun,
      &Generator::Monitor,
      &Generator::GongyiJobs,
      &Generator::Labor,
      &Generator::Housing,
      &Generator::Yulu,
      &Generator::PvIncome,
      &Generator::IndustrySubsidy,
      &Generator::Supermarket,
      &Generator::MedicalInsurance,
      &Generator::PartyMembers,
      &Generator::Training,
      &Generator::CivilActivities,
      &Generator::LettersVisits,
      &Generator::DisciplineCases,
      &Generator::FirstForm,
      &Generator::Militia,
      &Generator::Conscription,
      &Generator::Meetings,
      &Generator::SafetyPledges,
      &Generator::Hazards,
      &Generator::Enforcement,
      &Generator::Disputes,
      &Generator::Campaigns,
      &Generator::Petitions,
      &Generator::KeyPersons,
      &Generator::Investment,
      &Generator::Enterprises,
      &Generator::Fiscal,
      &Generator::Targets,
      &Generator::Projects,
      &Generator::Afforestation,
      &Generator::NewVillageSites,
      &Generator::Fishponds,
      &Generator::TownManagement,
      &Generator::EpidemicGroups,
      &Generator::Checkpoints,
      &Generator::Isolation,
  };
  for (auto step : kSteps) TZ_RETURN_IF_ERROR((this->*step)());
  if (!errors_.empty()) {
    std::string msg;
    for (const std::string& e : errors_) msg += (msg.empty() ? "" : "；") + e;
    return Status::Internal("演示数据与台账包不符：" + msg, "demo: pack lacks ledgers");
  }
  stats_.residents = static_cast<int64_t>(people_.size());
  return stats_;
}

// "120,251"
std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Generates one town, then frees its generator.
Result<DemoTownStats> GenerateTown(store::Store& store, const pack::Catalog& catalog,
                                   const TownPlan& plan, SharedState& shared,
                                   const std::function<void(const std::string&)>* progress) {
  auto start = std::chrono::steady_clock::now();
  auto generator = std::make_unique<Generator>(store, catalog, plan, shared, progress);
  TZ_ASSIGN_OR_RETURN(DemoStats stats, generator->Run());
  generator.reset();
  DemoTownStats town;
  town.code = plan.code;
  town.name = plan.name;
  town.villages = static_cast<int>(plan.villages.size());
  town.residents = stats.residents;
  town.rows = stats.rows;
  town.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return town;
}

void Add(DemoStats& stats, DemoTownStats town) {
  stats.rows += town.rows;
  stats.residents += town.residents;
  stats.towns.push_back(std::move(town));
}

// A township pack's one town with every village of the tree.
TownPlan TownshipPlan(const pack::Catalog& catalog, uint64_t seed) {
  std::vector<const pack::OrgUnit*> villages;
  for (const pack::OrgUnit& v : catalog.org.villages) villages.push_back(&v);
  return PlanTown(catalog.org, catalog.org.town, std::move(villages), seed);
}

}  // namespace

Result<DemoStats> GenerateTownshipDemo(store::Store& store, const pack::Catalog& catalog,
                                       uint64_t seed,
                                       const std::function<void(const std::string&)>& progress) {
  if (catalog.org.MultiTown()) return GenerateDemo(store, catalog, seed, 1, progress);
  SharedState shared;
  TownPlan plan = TownshipPlan(catalog, seed);
  TZ_ASSIGN_OR_RETURN(DemoTownStats town, GenerateTown(store, catalog, plan, shared, &progress));
  DemoStats stats;
  stats.ledgers = static_cast<int>(catalog.ledgers.size());
  Add(stats, std::move(town));
  return stats;
}

Result<DemoStats> GenerateDemo(store::Store& store, const pack::Catalog& catalog, uint64_t seed,
                               int towns,
                               const std::function<void(const std::string&)>& progress) {
  const pack::OrgTree& org = catalog.org;
  // The towns to generate, in order: 辽市镇 first, then the tree's other towns with villages.
  std::vector<TownPlan> plans;
  if (!org.MultiTown()) {
    plans.push_back(TownshipPlan(catalog, seed));
  } else {
    const pack::OrgUnit* anchor = nullptr;
    for (const pack::OrgUnit& t : org.towns) {
      if (t.code == kDemoAnchorTown && !org.VillagesOf(t.code).empty()) anchor = &t;
    }
    if (anchor) plans.push_back(PlanTown(org, *anchor, org.VillagesOf(anchor->code), seed));
    for (const pack::OrgUnit& t : org.towns) {
      if (&t == anchor) continue;
      std::vector<const pack::OrgUnit*> villages = org.VillagesOf(t.code);
      if (!villages.empty()) plans.push_back(PlanTown(org, t, std::move(villages), seed));
    }
  }
  const int available = static_cast<int>(plans.size());
  if (towns < 1 || towns > available) {
    const std::string tree = org.MultiTown() ? org.town.name : org.town.name + "（乡镇台账包）";
    return Status::InvalidArgument(
        "--towns 应在 1 到 " + std::to_string(available) + " 之间：台账包的组织架构" + tree +
            "只有 " + std::to_string(available) + " 个有村的镇（街道），不能生成 " +
            std::to_string(towns) + " 个镇的演示数据",
        "demo: --towns " + std::to_string(towns) + " but the pack's org tree (" + org.town.code +
            ") has " + std::to_string(available) + " town(s) with villages");
  }
  plans.resize(static_cast<size_t>(towns));
  SharedState shared;
  DemoStats stats;
  stats.ledgers = static_cast<int>(catalog.ledgers.size());
  for (size_t i = 0; i < plans.size(); ++i) {
    const TownPlan& plan = plans[i];
    // The per-ledger lines only for one town: 200 towns would print 9,000 of them.
    const std::function<void(const std::string&)>* per_ledger = towns == 1 ? &progress : nullptr;
    TZ_ASSIGN_OR_RETURN(DemoTownStats town, GenerateTown(store, catalog, plan, shared, per_ledger));
    if (progress) {
      progress("生成 第 " + std::to_string(i + 1) + "/" + std::to_string(towns) + " 个镇 " +
               town.name + "：" + Thousands(town.rows) + " 行");
    }
    Add(stats, std::move(town));
  }
  return stats;
}

}  // namespace tz::demo
