// Issue 6's "Done means": every .docx taizhang writes is opened by LibreOffice (headless), turned
// into a PDF, and the PDF's text (pdftotext) must hold every paragraph, heading and filled figure
// of the report; page 1 is rendered (pdftoppm) and kept as a CI artifact. The reports come from
// the command line on the demo database: the pack's seed template for the town (with the 数据来源
// appendix) and for a village, a Word-made template with placeholders split across runs, and
// `--format pdf` itself.
//
// Needs libreoffice-writer-nogui, fonts-noto-cjk and poppler-utils (scripts/deps.sh installs
// them); without them the tests fail and say so. Artifacts go to $TZ_ARTIFACT_DIR, else
// out/ci-artifacts/.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/test_shell.h"
#include "io/test_zip.h"

#ifndef TZ_BINARY
#error "TZ_BINARY must name the taizhang binary"
#endif

namespace {

namespace fs = std::filesystem;
using tz::cli::testing::CmdResult;
using tz::cli::testing::RunShell;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool Has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Text as compared: no whitespace (pdftotext breaks lines and puts spaces between Chinese and
// digits), no ideographic spaces, and no page numbers "— 12 —" (a paragraph may run across a page).
std::string Squeeze(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') continue;
    if (s.compare(i, 3, "\xE3\x80\x80") == 0) {
      i += 2;
      continue;
    }
    out += c;
  }
  static const std::regex kPageNumber("—[0-9]+—");
  return std::regex_replace(out, kPageNumber, "");
}

// The paragraphs of a Markdown report (title and headings without their marks), up to its notes;
// and the notes.
struct MarkdownReport {
  std::vector<std::string> paragraphs;
  std::vector<std::string> notes;
};
MarkdownReport ParseMarkdown(const std::string& md) {
  MarkdownReport r;
  std::stringstream ss(md);
  std::string line;
  bool in_notes = false;
  while (std::getline(ss, line)) {
    if (line.empty()) continue;
    if (line == "---") {
      in_notes = true;
      continue;
    }
    if (in_notes) {
      if (line.rfind("- ", 0) == 0) r.notes.push_back(line.substr(2));
      continue;
    }
    for (const char* mark : {"### ", "## ", "# "}) {
      if (line.rfind(mark, 0) == 0) {
        line = line.substr(std::string(mark).size());
        break;
      }
    }
    r.paragraphs.push_back(line);
  }
  return r;
}

// One entry of a zip (a docx part).
std::string ZipEntry(const std::string& path, const std::string& name) {
  return tz::io::testing::Entry(tz::io::testing::ReadZip(path), name);
}

// The fraction of dark pixels of a PGM (P5) image: page 1 is not blank.
double DarkFraction(const std::string& pgm) {
  std::istringstream in(pgm);
  std::string magic;
  int w = 0, h = 0, max = 0;
  in >> magic >> w >> h >> max;
  in.get();
  if (magic != "P5" || w <= 0 || h <= 0 || max <= 0 || max > 255) return 0;
  std::string pixels((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (pixels.size() < static_cast<size_t>(w) * h) return 0;
  size_t dark = 0;
  for (size_t i = 0; i < static_cast<size_t>(w) * h; ++i) {
    if (static_cast<unsigned char>(pixels[i]) < 128) ++dark;
  }
  return static_cast<double>(dark) / (static_cast<double>(w) * h);
}

class OfficeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (const char* tool : {"soffice", "pdftotext", "pdftoppm", "pdfinfo", "pdffonts"}) {
      if (RunShell(std::string("command -v ") + tool + " >/dev/null").code != 0) {
        missing_ += std::string(missing_.empty() ? "" : ", ") + tool;
      }
    }
    if (!missing_.empty()) return;
    char dir[] = "/tmp/tz_office_testXXXXXX";
    if (!mkdtemp(dir)) return;
    dir_ = dir;
    const char* artifacts = std::getenv("TZ_ARTIFACT_DIR");
    artifacts_ = artifacts && *artifacts ? artifacts : "out/ci-artifacts";
    fs::create_directories(artifacts_);

    db_ = " --db " + Quote(dir_ + "/t.db") + " --local-admin";
    setup_log_ += Run("demo --seed 2022");
    // The figures and the Markdown rendering the documents are compared with.
    figures_ = nlohmann::json::parse(Taizhang("figures --period 2022H1 --json").out,
                                     nullptr, false);
    town_md_ = Taizhang("report --period 2022H1").out;
    village_md_ = Taizhang("report --period 2022H1 --unit 院前村").out;

    // The Word-made template, zipped from its parts ([Content_Types].xml first, as Word does).
    word_template_ = dir_ + "/上半年报告模板.docx";
    ZipFixture("tests/fixtures/docx/word_template", word_template_);

    setup_log_ += Run("report --period 2022H1 --format docx --appendix -o " + Quote(Docx("town")));
    setup_log_ +=
        Run("report --period 2022H1 --unit 院前村 --format docx -o " + Quote(Docx("village")));
    setup_log_ += Run("report --period 2022H1 --template " + Quote(word_template_) + " -o " +
                      Quote(Docx("word")));
    // --format pdf goes through taizhang's own conversion.
    setup_log_ += Run("report --period 2022H1 --format pdf -o " + Quote(dir_ + "/direct.pdf"));

    // Every docx opened by LibreOffice at once (one start-up), into pdf/.
    std::string cmd = "cd " + Quote(dir_) + " && timeout 600 soffice -env:UserInstallation=file://" +
                      dir_ + "/profile --headless --norestore --convert-to pdf --outdir pdf";
    for (const char* name : kDocs) cmd += " " + std::string(name) + ".docx";
    CmdResult converted = RunShell(cmd + " 2>&1");
    setup_log_ += "soffice: " + converted.out;
    for (const char* name : kDocs) {
      const std::string pdf = Pdf(name);
      text_[name] = RunShell("pdftotext -enc UTF-8 " + Quote(pdf) + " - 2>/dev/null").out;
      // Page 1 as the CI artifact, and small and grey for the blank-page check.
      RunShell("pdftoppm -png -r 72 -f 1 -l 1 -singlefile " + Quote(pdf) + " " +
               Quote(artifacts_ + "/report-" + name + "-page1"));
      const std::string grey = dir_ + "/" + name + "-grey";
      RunShell("pdftoppm -gray -r 30 -f 1 -l 1 -singlefile " + Quote(pdf) + " " + Quote(grey));
      page1_[name] = ReadAll(grey + ".pgm");
    }
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void SetUp() override {
    ASSERT_TRUE(missing_.empty()) << "not installed: " << missing_
                                  << " (scripts/deps.sh installs libreoffice-writer-nogui, "
                                     "fonts-noto-cjk and poppler-utils)";
    ASSERT_FALSE(dir_.empty());
    ASSERT_FALSE(figures_.is_discarded()) << setup_log_;
  }

  static CmdResult Taizhang(const std::string& args) {
    return RunShell(std::string(TZ_BINARY) + db_ + " " + args + " 2>/dev/null");
  }
  // Runs a command, returning a line for the log when it fails.
  static std::string Run(const std::string& args) {
    CmdResult r = RunShell(std::string(TZ_BINARY) + db_ + " " + args + " 2>&1");
    return r.code == 0 ? "" : "`" + args + "` exited " + std::to_string(r.code) + ": " + r.out + "\n";
  }
  static std::string Docx(const std::string& name) { return dir_ + "/" + name + ".docx"; }
  static std::string Pdf(const std::string& name) { return dir_ + "/pdf/" + name + ".pdf"; }

  static void ZipFixture(const std::string& from, const std::string& to) {
    tz::io::testing::WriteZip(to, tz::io::testing::ReadDirectory(from));
  }


  // A figure as the report writes it.
  static std::string Display(const std::string& id) {
    return figures_["figures"].contains(id) ? figures_["figures"][id]["display"].get<std::string>()
                                            : "<no figure " + id + ">";
  }

  // Every paragraph and note of `md` is in the PDF's text.
  void ExpectAllOf(const std::string& md, const std::string& doc) {
    ASSERT_FALSE(text_[doc].empty()) << "no PDF text for " << doc << ".docx\n" << setup_log_;
    const std::string pdf = Squeeze(text_[doc]);
    MarkdownReport report = ParseMarkdown(md);
    ASSERT_GT(report.paragraphs.size(), 5u) << md;
    for (const std::string& p : report.paragraphs) {
      EXPECT_TRUE(Has(pdf, Squeeze(p))) << doc << ": paragraph missing from the PDF: " << p;
    }
    for (const std::string& n : report.notes) {
      EXPECT_TRUE(Has(pdf, Squeeze(n))) << doc << ": note missing from the PDF: " << n;
    }
  }

  // pdfinfo's page size and count.
  static void ExpectA4(const std::string& pdf, int min_pages) {
    std::string info = RunShell("pdfinfo " + Quote(pdf) + " 2>&1").out;
    EXPECT_TRUE(Has(info, "(A4)")) << info;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info, m, std::regex("Pages:\\s+([0-9]+)"))) << info;
    EXPECT_GE(std::stoi(m[1]), min_pages) << info;
  }

  static constexpr const char* kDocs[] = {"town", "village", "word"};
  static inline std::string missing_, dir_, artifacts_, db_, setup_log_;
  static inline nlohmann::json figures_;
  static inline std::string town_md_, village_md_, word_template_;
  static inline std::map<std::string, std::string> text_, page1_;
};

TEST_F(OfficeTest, TownReportDocxHasEveryParagraphFigureAndHeadingInLibreOffice) {
  ExpectAllOf(town_md_, "town");
  const std::string pdf = Squeeze(text_["town"]);
  // The title and the three first-level headings of the seed, and figures of each part.
  for (const char* heading : {"辽市镇2022年上半年工作总结", "一、2022年上半年工作总结",
                              "二、当前面临的主要困难、问题及原因", "三、2022年下半年工作打算"}) {
    EXPECT_TRUE(Has(pdf, heading)) << heading;
  }
  EXPECT_TRUE(Has(pdf, "低保户" + Display("dibao.households") + "户" + Display("dibao.persons") +
                           "人"))
      << pdf.substr(0, 2000);
  EXPECT_TRUE(Has(pdf, "调处率" + Display("dispute.rate") + "%") ||
              Has(pdf, Display("dispute.rate") + "%的调处率"))
      << Display("dispute.rate");
  ExpectA4(Pdf("town"), 10);
}

TEST_F(OfficeTest, TownReportAppendixListsEveryFigureWithItsRecordCount) {
  const std::string pdf = Squeeze(text_["town"]);
  ASSERT_TRUE(Has(pdf, "附件数据来源")) << pdf.substr(pdf.size() > 3000 ? pdf.size() - 3000 : 0);
  const std::string appendix = pdf.substr(pdf.find("附件数据来源"));
  for (const char* heading : {"序号", "指标", "数值", "来源台账", "记录数", "口径"}) {
    EXPECT_TRUE(Has(appendix, heading)) << heading;
  }
  // Every figure the seed template places has its row: its label and, for those counting one
  // ledger, that ledger's title and the records `explain` counts for it.
  const std::string seed = ReadAll("packs/township/templates/seed.md");
  std::set<std::string> ids;
  const std::regex placeholder("\\{\\{\\s*([a-z_][a-z0-9_.]*)");
  for (auto it = std::sregex_iterator(seed.begin(), seed.end(), placeholder);
       it != std::sregex_iterator(); ++it) {
    ids.insert((*it)[1]);
  }
  ASSERT_GT(ids.size(), 50u);
  int checked = 0;
  for (const std::string& id : ids) {
    const std::string out = Taizhang("explain " + id + " --period 2022H1").out;
    std::smatch label, count, ledger;
    ASSERT_TRUE(std::regex_search(out, label, std::regex("指标：\\S+ +(\\S+)"))) << id << out;
    EXPECT_TRUE(Has(appendix, Squeeze(label[1]))) << id << " " << label[1];
    size_t ledgers = 0;
    for (size_t at = out.find("\n== "); at != std::string::npos; at = out.find("\n== ", at + 1)) {
      ++ledgers;
    }
    if (ledgers != 1) continue;
    ASSERT_TRUE(std::regex_search(out, ledger, std::regex("\n== (\\S+)（"))) << out;
    EXPECT_TRUE(Has(appendix, Squeeze(ledger[1]))) << id;
    ASSERT_TRUE(std::regex_search(out, count, std::regex("符合条件的记录 ([0-9]+) 条"))) << out;
    EXPECT_TRUE(Has(appendix, std::string(count[1]) + "条")) << id << ": " << count[1];
    ++checked;
  }
  EXPECT_GT(checked, 30) << "figures of one ledger checked in the appendix";
  EXPECT_TRUE(Has(appendix, "count(dibao")) << "the definitions are listed";
}

TEST_F(OfficeTest, VillageReportDocxHasEveryParagraphAndItsNotes) {
  MarkdownReport md = ParseMarkdown(village_md_);
  EXPECT_FALSE(md.notes.empty()) << "a village report notes the town-only figures";
  ExpectAllOf(village_md_, "village");
  EXPECT_TRUE(Has(Squeeze(text_["village"]), "说明"));
  ExpectA4(Pdf("village"), 5);
}

TEST_F(OfficeTest, WordTemplateWithSplitPlaceholdersIsFilledInLibreOffice) {
  const std::string pdf = Squeeze(text_["word"]);
  ASSERT_FALSE(pdf.empty()) << setup_log_;
  EXPECT_FALSE(Has(pdf, "{{")) << pdf;
  EXPECT_FALSE(Has(pdf, "}}")) << pdf;
  EXPECT_TRUE(Has(pdf, "截至目前全镇现共有低保户" + Display("dibao.households") + "户" +
                           Display("dibao.persons") + "人。"))
      << pdf;
  EXPECT_TRUE(Has(pdf, "辽市镇人民政府")) << "the header's placeholder: " << pdf;
  EXPECT_TRUE(Has(pdf, Display("monitor.poor_households"))) << "the table cell: " << pdf;
  EXPECT_TRUE(Has(pdf, Display("period.year") + "年数据")) << "the text box: " << pdf;
  EXPECT_TRUE(Has(pdf, "二、下半年工作打算")) << pdf;
  // dispute.rate is below 90 in the demo town: the {{#if}} paragraphs are gone.
  ASSERT_LT(figures_["figures"]["dispute.rate"]["value"].get<double>(), 90);
  EXPECT_FALSE(Has(pdf, "调处率达到")) << pdf;

  // The document's own formatting is kept: the bold run that began the split placeholder now
  // holds the value, the page setup is the template's, the {{#if}} paragraphs are removed.
  const std::string doc = ZipEntry(Docx("word"), "word/document.xml");
  ASSERT_FALSE(doc.empty());
  EXPECT_TRUE(Has(doc, "<w:rPr><w:b/><w:bCs/></w:rPr><w:t>" + Display("dibao.households") +
                           "</w:t>"))
      << doc.substr(0, 3000);
  EXPECT_TRUE(Has(doc, "<w:pgMar w:top=\"1440\" w:right=\"1800\"")) << "the template's margins";
  // The table cell's placeholder, split over a plain and a bold run, holds the value in the plain
  // run where its "{{" stood.
  const size_t cell = doc.find("w14:paraId=\"A6B7C8D9\"");
  ASSERT_NE(cell, std::string::npos);
  const std::string cell_xml = doc.substr(cell, doc.find("</w:p>", cell) - cell);
  EXPECT_TRUE(Has(cell_xml, "<w:r><w:t>" + Display("monitor.poor_households") + "</w:t></w:r>"))
      << cell_xml;
  EXPECT_FALSE(Has(doc, "w14:paraId=\"2E3F4051\"")) << "the {{#if}} marker paragraph";
  EXPECT_FALSE(Has(doc, "w14:paraId=\"3F405162\"")) << "the dropped paragraph";
  EXPECT_FALSE(Has(doc, "w14:paraId=\"40516273\"")) << "the {{/if}} marker paragraph";
  EXPECT_EQ(ZipEntry(Docx("word"), "word/styles.xml"),
            ReadAll("tests/fixtures/docx/word_template/word/styles.xml"))
      << "styles untouched";
}

TEST_F(OfficeTest, FormatPdfIsA4WithChineseFontsEmbedded) {
  const std::string pdf = dir_ + "/direct.pdf";
  ASSERT_TRUE(fs::exists(pdf)) << setup_log_;
  ExpectA4(pdf, 10);
  std::string fonts = RunShell("pdffonts " + Quote(pdf) + " 2>&1").out;
  // 仿宋 stands in as a serif CJK face, 黑体 as a sans one (report::DocxFontStandIns).
  EXPECT_TRUE(Has(fonts, "NotoSerifCJK")) << fonts;
  EXPECT_TRUE(Has(fonts, "NotoSansCJK")) << fonts;
  const std::string raw = RunShell("pdftotext -enc UTF-8 " + Quote(pdf) + " -").out;
  EXPECT_TRUE(Has(Squeeze(raw), "辽市镇2022年上半年工作总结"));
  // Page numbers "— 1 —", "— 2 —", … at the foot of the pages.
  EXPECT_TRUE(std::regex_search(raw, std::regex("—\\s*1\\s*—"))) << raw.substr(0, 3000);
  EXPECT_TRUE(std::regex_search(raw, std::regex("—\\s*2\\s*—"))) << raw.substr(0, 3000);
}

TEST_F(OfficeTest, PageOneOfEveryDocumentIsRenderedAndKept) {
  for (const char* name : kDocs) {
    const fs::path png = artifacts_ + "/report-" + std::string(name) + "-page1.png";
    ASSERT_TRUE(fs::exists(png)) << png;
    EXPECT_GT(fs::file_size(png), 5000u) << png;
    const double dark = DarkFraction(page1_[name]);
    EXPECT_GT(dark, 0.01) << name << ": page 1 looks blank";
    EXPECT_LT(dark, 0.5) << name << ": page 1 looks black";
  }
}

TEST_F(OfficeTest, DocxDeclaresTheOfficialPageAndFonts) {
  const std::string doc = ZipEntry(Docx("town"), "word/document.xml");
  EXPECT_TRUE(Has(doc, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
  EXPECT_TRUE(Has(doc, "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\""));
  const std::string styles = ZipEntry(Docx("town"), "word/styles.xml");
  for (const char* font : {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"}) {
    EXPECT_TRUE(Has(styles, std::string("w:eastAsia=\"") + font + "\"")) << font;
  }
  EXPECT_TRUE(Has(styles, "<w:spacing w:line=\"579\" w:lineRule=\"exact\"/>"));
}

}  // namespace
