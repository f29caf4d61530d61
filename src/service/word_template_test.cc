#include "service/word_template.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/period.h"
#include "io/docx_document.h"
#include "io/xml_stream.h"
#include "io/zip_archive.h"
#include "io/test_zip.h"
#include "io/zip_writer.h"
#include "report/test_pack.h"

namespace tz::service {
namespace {

using figures::FigureValue;
using io::testing::Entries;
using io::testing::Entry;
using io::testing::ReadZip;

// The smallest package Word opens: content types, the package relationships, the body and
// (when given) a header referenced from the body's relationships.
constexpr char kContentTypes[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "</Types>";
constexpr char kRels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"word/document.xml\"/></Relationships>";
constexpr char kDocumentRels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId7\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" "
    "Target=\"header1.xml\"/></Relationships>";

constexpr char kNs[] =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
const std::string kHead = std::string(
                              "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                              "<w:document ") +
                          kNs + "><w:body>";
// The body's own section properties, as Word ends every body.
constexpr char kSect[] =
    "<w:sectPr w:rsidR=\"00A1B2C3\"><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
    "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" "
    "w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>";
const std::string kTail = std::string(kSect) + "</w:body></w:document>";

// A body of the given paragraphs (XML), ended by the section properties.
std::string Body(const std::vector<std::string>& paragraphs) {
  std::string xml = kHead;
  for (const std::string& p : paragraphs) xml += p;
  return xml + kTail;
}

// A paragraph of one plain run.
std::string P(const std::string& text) {
  return "<w:p w:rsidR=\"00D4E5F6\"><w:r><w:t>" + text + "</w:t></w:r></w:p>";
}

Entries Package(const std::string& document_xml,
                std::optional<std::string> header_xml = std::nullopt) {
  Entries e = {{"[Content_Types].xml", kContentTypes}, {"_rels/.rels", kRels}};
  e.emplace_back("word/document.xml", document_xml);
  if (header_xml) {
    e.emplace_back("word/_rels/document.xml.rels", kDocumentRels);
    e.emplace_back("word/header1.xml", *header_xml);
  }
  return e;
}


// Whether `xml` is well-formed, by the parser the rest of the io layer uses.
class CountElements : public io::XmlHandler {
 public:
  void OnStart(io::XmlParser&, std::string_view, io::XmlAttrs) override { ++elements; }
  void OnEnd(io::XmlParser&, std::string_view) override {}
  int elements = 0;
};
Status WellFormed(const std::string& part, const std::string& xml) {
  CountElements handler;
  std::unique_ptr<io::XmlParser> parser = io::MakeExpatParser(part, &handler);
  TZ_RETURN_IF_ERROR(parser->Feed(xml));
  return parser->Finish();
}

constexpr char kName[] = "报告.docx";

class WordTemplateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/word_template_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto c = pack::LoadPack(report::testing::SmallPack());
    ASSERT_TRUE(c.ok()) << c.status().message();
    catalog_ = std::move(c).value();
    auto e = figures::Engine::Create(*catalog_);
    ASSERT_TRUE(e.ok()) << e.status().message();
    engine_ = std::move(e).value();
    Set("name", FigureValue::Text("辽市镇"));
    Set("a.count", FigureValue::Int(10));
    Set("a.rate", FigureValue::Num(Number::FromRatio(9756, 100)));  // percent: 97.6
    Set("a.flag", FigureValue::Bool(true));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Set(const std::string& id, FigureValue v) { values_[id] = std::move(v); }
  void Drop(const std::string& id) { values_.erase(id); }

  figures::ComputeResult Computed() const {
    return report::testing::ComputedFrom(*catalog_, values_);
  }

  std::string Write(const Entries& entries, const std::string& file = "in.docx") {
    std::string path = dir_ + "/" + file;
    io::testing::WriteZip(path, entries);
    return path;
  }

  Result<std::unique_ptr<WordTemplate>> Open(const Entries& entries) {
    return WordTemplate::Open(*catalog_, Write(entries), kName);
  }

  // Opens and fills `entries`; the filled package's entries, and the notes in `notes`.
  Entries Fill(const Entries& entries, std::vector<std::string>* notes = nullptr) {
    auto t = Open(entries);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    if (!t.ok()) return {};
    auto filled = (*t)->Fill(*engine_, Computed(), out());
    EXPECT_TRUE(filled.ok()) << filled.status().ToString();
    if (!filled.ok()) return {};
    if (notes != nullptr) *notes = *filled;
    return ReadZip(out());
  }
  // The filled body of `paragraphs`.
  std::string FillBody(const std::vector<std::string>& paragraphs,
                       std::vector<std::string>* notes = nullptr) {
    return Entry(Fill(Package(Body(paragraphs)), notes), "word/document.xml");
  }

  // The paragraphs' text of the written document, read back.
  std::vector<std::string> OutTexts() {
    std::vector<std::string> texts;
    auto doc = io::DocxDocument::Open(out());
    EXPECT_TRUE(doc.ok()) << doc.status().ToString();
    if (!doc.ok()) return texts;
    for (const io::DocxParagraph& p : (*doc)->paragraphs()) texts.push_back(p.text);
    return texts;
  }

  std::string out() const { return dir_ + "/out.docx"; }

  std::string dir_;
  std::optional<pack::Catalog> catalog_;
  std::unique_ptr<figures::Engine> engine_;
  std::map<std::string, FigureValue> values_;
};

// ---- Placeholders ----

TEST_F(WordTemplateTest, PlaceholderSplitOverThreeRunsLandsInTheFirstRun) {
  // As Word saves "全镇共{{a.count}}人。" typed with the first characters bold and a spelling
  // mark around the figure id: three runs, proofErr elements between them.
  const std::string before =
      "<w:p w:rsidR=\"00B1C2D3\" w:rsidRDefault=\"00B1C2D3\"><w:pPr><w:jc w:val=\"both\"/></w:pPr>"
      "<w:r><w:rPr><w:b/><w:rFonts w:hint=\"eastAsia\"/></w:rPr><w:t>全镇共{{</w:t></w:r>"
      "<w:proofErr w:type=\"spellStart\"/>"
      "<w:r w:rsidR=\"00E4F5A6\"><w:t>a.cou</w:t></w:r>"
      "<w:proofErr w:type=\"spellEnd\"/>"
      "<w:r><w:rPr><w:i/></w:rPr><w:t>nt}}人。</w:t></w:r></w:p>";
  const std::string after =
      "<w:p w:rsidR=\"00B1C2D3\" w:rsidRDefault=\"00B1C2D3\"><w:pPr><w:jc w:val=\"both\"/></w:pPr>"
      "<w:r><w:rPr><w:b/><w:rFonts w:hint=\"eastAsia\"/></w:rPr><w:t>全镇共10</w:t></w:r>"
      "<w:proofErr w:type=\"spellStart\"/>"
      "<w:r w:rsidR=\"00E4F5A6\"><w:t></w:t></w:r>"
      "<w:proofErr w:type=\"spellEnd\"/>"
      "<w:r><w:rPr><w:i/></w:rPr><w:t>人。</w:t></w:r></w:p>";
  const std::string header = "<w:hdr " + std::string(kNs) + ">" + P("页眉") + "</w:hdr>";
  const Entries in = Package(Body({P("一、基本情况"), before}), header);
  std::vector<std::string> notes;
  const Entries filled = Fill(in, &notes);
  EXPECT_TRUE(notes.empty());
  const std::string doc = Entry(filled, "word/document.xml");
  EXPECT_EQ(doc, Body({P("一、基本情况"), after}));
  EXPECT_EQ(doc.find("{{"), std::string::npos);
  EXPECT_EQ(doc.find("}}"), std::string::npos);
  Status s = WellFormed("word/document.xml", doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  // Every other part byte for byte, in the same order.
  ASSERT_EQ(filled.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(filled[i].first, in[i].first);
    if (in[i].first != "word/document.xml") {
      EXPECT_EQ(filled[i].second, in[i].second) << in[i].first;
    }
  }
  EXPECT_EQ(OutTexts(), (std::vector<std::string>{"一、基本情况", "全镇共10人。", "页眉"}));
}

TEST_F(WordTemplateTest, ValueIsEscapedAndSpacesPreserved) {
  Set("name", FigureValue::Text("A&B<镇> "));
  const std::string doc = FillBody({P("单位：{{name}}")});
  EXPECT_EQ(doc, Body({"<w:p w:rsidR=\"00D4E5F6\"><w:r><w:t xml:space=\"preserve\">"
                       "单位：A&amp;B&lt;镇&gt; </w:t></w:r></w:p>"}));
  Status s = WellFormed("word/document.xml", doc);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(OutTexts(), (std::vector<std::string>{"单位：A&B<镇> "}));
}

TEST_F(WordTemplateTest, DisplayRuleOverride) {
  // a.rate = 97.56 with display percent: 97.6; percent_floor / floor: 97; decimal: 97.56.
  const std::string doc = FillBody({
      P("比率{{a.rate}}%，取整{{a.rate|percent_floor}}%。"),
      "<w:p><w:r><w:t>{{a.rate|</w:t></w:r><w:r><w:t>floor}}</w:t></w:r>"
      "<w:r><w:t>%；{{ a.rate | decimal }}</w:t></w:r></w:p>",
  });
  EXPECT_EQ(doc, Body({
                     P("比率97.6%，取整97%。"),
                     "<w:p><w:r><w:t>97</w:t></w:r><w:r><w:t></w:t></w:r>"
                     "<w:r><w:t>%；97.56</w:t></w:r></w:p>",
                 }));
}

TEST_F(WordTemplateTest, FigureAndDroppedSpanInOneParagraph) {
  // "{{" split between its two braces; a false inline condition after the figure, its text
  // spread over two runs.
  Set("a.flag", FigureValue::Bool(false));
  EXPECT_EQ(FillBody({"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>共{</w:t></w:r>"
                      "<w:r><w:t>{a.count}}人{{#if a.flag}}，其</w:t></w:r>"
                      "<w:r><w:t>中有标志{{/if}}。</w:t></w:r></w:p>"}),
            Body({"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>共10</w:t></w:r>"
                  "<w:r><w:t>人</w:t></w:r>"
                  "<w:r><w:t>。</w:t></w:r></w:p>"}));
  EXPECT_EQ(OutTexts(), (std::vector<std::string>{"共10人。"}));
}

TEST_F(WordTemplateTest, PlaceholderInHeaderIsFilled) {
  const std::string header =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr " + std::string(kNs) +
      "><w:p><w:pPr><w:pStyle w:val=\"a3\"/></w:pPr>"
      "<w:r><w:rPr><w:b/></w:rPr><w:t>{{na</w:t></w:r>"
      "<w:r><w:t>me}}2022年上半年工作总结</w:t></w:r></w:p></w:hdr>";
  const Entries in = Package(Body({P("共{{a.count}}人。")}), header);
  const Entries filled = Fill(in);
  EXPECT_EQ(Entry(filled, "word/header1.xml"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr " +
                std::string(kNs) +
                "><w:p><w:pPr><w:pStyle w:val=\"a3\"/></w:pPr>"
                "<w:r><w:rPr><w:b/></w:rPr><w:t>辽市镇</w:t></w:r>"
                "<w:r><w:t>2022年上半年工作总结</w:t></w:r></w:p></w:hdr>");
  EXPECT_EQ(Entry(filled, "word/document.xml"), Body({P("共10人。")}));
  EXPECT_EQ(Entry(filled, "word/_rels/document.xml.rels"), kDocumentRels);
}

// ---- {{#if}} ----

// Markers alone in their paragraphs around two content paragraphs, one of them empty; empty
// paragraphs just outside the region on both sides.
const std::string kIntro = P("前言。");
const std::string kEmptyBefore = "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr></w:p>";
const std::string kIf =
    "<w:p w:rsidR=\"00C1\"><w:r><w:t xml:space=\"preserve\">{{#if </w:t></w:r>"
    "<w:r><w:rPr><w:b/></w:rPr><w:t>a.flag}}</w:t></w:r></w:p>";
const std::string kFirst = P("第一段。");
const std::string kEmptyInside = "<w:p w:rsidR=\"00C2\" w:rsidRDefault=\"00C2\"/>";
const std::string kSecond = P("第二段{{a.count}}人。");
const std::string kEndIf = "<w:p><w:r><w:t>{{/</w:t></w:r><w:r><w:t>if}}</w:t></w:r></w:p>";
const std::string kEmptyAfter = "<w:p><w:pPr><w:ind w:firstLine=\"640\"/></w:pPr></w:p>";
const std::string kOutro = P("结尾。");
const std::vector<std::string> kRegion = {kIntro,  kEmptyBefore, kIf,         kFirst, kEmptyInside,
                                          kSecond, kEndIf,       kEmptyAfter, kOutro};

TEST_F(WordTemplateTest, TrueConditionRemovesOnlyTheMarkerParagraphs) {
  std::vector<std::string> notes;
  EXPECT_EQ(FillBody(kRegion, &notes), Body({kIntro, kEmptyBefore, kFirst, kEmptyInside,
                                             P("第二段10人。"), kEmptyAfter, kOutro}));
  EXPECT_TRUE(notes.empty());
  EXPECT_EQ(OutTexts(),
            (std::vector<std::string>{"前言。", "", "第一段。", "", "第二段10人。", "", "结尾。"}));
}

TEST_F(WordTemplateTest, FalseConditionRemovesTheRegionWithItsEmptyParagraphs) {
  Set("a.flag", FigureValue::Bool(false));
  std::vector<std::string> notes;
  EXPECT_EQ(FillBody(kRegion, &notes), Body({kIntro, kEmptyBefore, kEmptyAfter, kOutro}));
  EXPECT_TRUE(notes.empty());
  EXPECT_EQ(OutTexts(), (std::vector<std::string>{"前言。", "", "", "结尾。"}));
}

TEST_F(WordTemplateTest, InlineConditionDropsOnlyItsSpan) {
  // The condition is written with entities, as Word stores ">" typed in the text.
  const std::string para =
      "<w:p><w:r><w:t>甲，{{#if a.count &gt;= 11}}乙</w:t></w:r>"
      "<w:r><w:rPr><w:b/></w:rPr><w:t>{{/if}}</w:t></w:r><w:r><w:t>丙。</w:t></w:r></w:p>";
  EXPECT_EQ(FillBody({P("前文。"), para, P("后文。")}),
            Body({P("前文。"),
                  // "甲，" keeps its run; the markers and "乙" are gone, their runs stay empty.
                  "<w:p><w:r><w:t>甲，</w:t></w:r>"
                  "<w:r><w:rPr><w:b/></w:rPr><w:t></w:t></w:r><w:r><w:t>丙。</w:t></w:r></w:p>",
                  P("后文。")}));
  EXPECT_EQ(OutTexts(), (std::vector<std::string>{"前文。", "甲，丙。", "后文。"}));
}

TEST_F(WordTemplateTest, InlineConditionTrueKeepsItsText) {
  const std::string para =
      "<w:p><w:r><w:t xml:space=\"preserve\">甲 {{#if a.flag}}乙{{/if}}</w:t></w:r>"
      "<w:r><w:t>丙。</w:t></w:r></w:p>";
  EXPECT_EQ(FillBody({para}), Body({"<w:p><w:r><w:t xml:space=\"preserve\">甲 乙</w:t></w:r>"
                                    "<w:r><w:t>丙。</w:t></w:r></w:p>"}));
}

TEST_F(WordTemplateTest, InlineConditionFalseLeavingATrailingSpacePreservesIt) {
  Set("a.flag", FigureValue::Bool(false));
  // Without xml:space="preserve" the space left at the end would be lost.
  EXPECT_EQ(
      FillBody({P("甲 {{#if a.flag}}乙{{/if}}"), P("丙")}),
      Body({"<w:p w:rsidR=\"00D4E5F6\"><w:r><w:t xml:space=\"preserve\">甲 </w:t></w:r></w:p>",
            P("丙")}));
}

TEST_F(WordTemplateTest, ConditionWithoutValueDropsTextWithNotes) {
  Drop("a.flag");
  std::vector<std::string> notes;
  EXPECT_EQ(FillBody({P("前言。"), P("开头{{#if a.flag}}有标志{{/if}}。")}, &notes),
            Body({P("前言。"), P("开头。")}));
  EXPECT_EQ(notes, (std::vector<std::string>{
                       "标志（a.flag）：未计算（生成报告前没有计算此指标）",
                       "条件“a.flag”（报告.docx:2）无值，相应文字未写入：指标 a.flag 未计算",
                   }));
}

TEST_F(WordTemplateTest, ConditionWithoutValueDropsParagraphs) {
  Set("a.flag", FigureValue::None("分母为0"));
  std::vector<std::string> notes;
  EXPECT_EQ(FillBody(kRegion, &notes), Body({kIntro, kEmptyBefore, kEmptyAfter, kOutro}));
  EXPECT_EQ(notes, (std::vector<std::string>{
                       "标志（a.flag）：分母为0",
                       "条件“a.flag”（报告.docx:3）无值，相应文字未写入：分母为0",
                   }));
}

TEST_F(WordTemplateTest, FigureWithoutValueIsWrittenDashWithNote) {
  Drop("a.count");
  Set("a.rate", FigureValue::None("分母为0"));
  std::vector<std::string> notes;
  EXPECT_EQ(FillBody({P("共{{a.count}}人，比率{{a.rate}}%，又{{a.count}}人。")}, &notes),
            Body({P("共—人，比率—%，又—人。")}));
  // Once per figure, in order of first use.
  EXPECT_EQ(notes, (std::vector<std::string>{
                       "人数（a.count）：未计算（生成报告前没有计算此指标）",
                       "比率（a.rate）：分母为0",
                   }));
}

TEST_F(WordTemplateTest, MarkerParagraphHoldingSectionPropertiesIsLeftEmpty) {
  // The last paragraph of a section carries the section's w:sectPr in its pPr: it cannot go.
  const std::string sect =
      "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:cols w:space=\"425\"/></w:sectPr>";
  const std::string end_if = "<w:p><w:pPr>" + sect + "</w:pPr><w:r><w:t>{{/if}}</w:t></w:r></w:p>";
  const std::string emptied = "<w:p><w:pPr>" + sect + "</w:pPr><w:r><w:t></w:t></w:r></w:p>";
  const std::vector<std::string> body = {P("前言。"), P("{{#if a.flag}}"), P("内容。"), end_if,
                                         P("第二节。")};
  EXPECT_EQ(FillBody(body), Body({P("前言。"), P("内容。"), emptied, P("第二节。")}));

  Set("a.flag", FigureValue::Bool(false));
  std::filesystem::remove(out());
  EXPECT_EQ(FillBody(body), Body({P("前言。"), emptied, P("第二节。")}));
  EXPECT_EQ(OutTexts(), (std::vector<std::string>{"前言。", "", "第二节。"}));
}

TEST_F(WordTemplateTest, FalseConditionInTableCellKeepsTheCellsLastParagraph) {
  const std::string cell_in = "<w:tbl><w:tr><w:tc><w:tcPr><w:tcW w:w=\"2000\"/></w:tcPr>" +
                              P("{{#if a.flag}}") + P("格内。") + P("{{/if}}") +
                              "</w:tc></w:tr></w:tbl>";
  const std::string cell_out =
      "<w:tbl><w:tr><w:tc><w:tcPr><w:tcW w:w=\"2000\"/></w:tcPr>"
      "<w:p w:rsidR=\"00D4E5F6\"><w:r><w:t></w:t></w:r></w:p>"
      "</w:tc></w:tr></w:tbl>";
  Set("a.flag", FigureValue::Bool(false));
  EXPECT_EQ(FillBody({P("表前。"), cell_in, P("表后。")}),
            Body({P("表前。"), cell_out, P("表后。")}));
}

// ---- Errors ----

TEST_F(WordTemplateTest, UnknownFigureNamesFileAndParagraph) {
  auto t = Open(Package(Body({P("前言。"), "<w:p/>",
                              "<w:p><w:r><w:t>共{{a.</w:t></w:r>"
                              "<w:r><w:t>nope}}人。</w:t></w:r></w:p>"})));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message(), "模板 报告.docx:3：未知的指标“a.nope”");
}

TEST_F(WordTemplateTest, UnknownFigureInHeaderCountsOnAfterTheBody) {
  const std::string header =
      "<w:hdr " + std::string(kNs) + ">" + P("页眉") + P("{{no.such}}") + "</w:hdr>";
  auto t = Open(Package(Body({P("一"), P("二")}), header));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message(), "模板 报告.docx:4：未知的指标“no.such”");
}

TEST_F(WordTemplateTest, UnknownDisplayRule) {
  auto t = Open(Package(Body({P("{{a.count|nope}}")})));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message(), "模板 报告.docx:1：未知的显示规则“nope”（指标 a.count）");
}

TEST_F(WordTemplateTest, PlaceholderDoesNotSpanParagraphs) {
  auto t = Open(Package(Body({P("前言。"), P("共{{a.count"), P("}}人。")})));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message(), "模板 报告.docx:2：“{{”缺少对应的“}}”");
}

TEST_F(WordTemplateTest, IfWithoutEndIf) {
  auto t = Open(Package(Body({P("前言。"), P("{{#if a.flag}}"), P("内容。")})));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message(), "模板 报告.docx:2：“{{#if}}”缺少对应的“{{/if}}”");
}

TEST_F(WordTemplateTest, EndIfWithoutIf) {
  auto t = Open(Package(Body({P("前言。"), P("{{/if}}")})));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t.status().message(), "模板 报告.docx:2：“{{/if}}”前面没有对应的“{{#if …}}”");
}

// The paragraphs of every part are parsed as one text (body, then headers, footers and notes): an
// {{#if}} left open in the body must not be closed by an {{/if}} in the header, or a false
// condition would silently delete the rest of the body. A region stays within its part.
TEST_F(WordTemplateTest, IfInBodyIsNotClosedByEndIfInHeader) {
  const std::string header = "<w:hdr " + std::string(kNs) + ">" + P("{{/if}}页眉") + "</w:hdr>";
  const Entries in = Package(Body({P("前言。"), P("{{#if a.flag}}"), P("正文。")}), header);
  auto t = Open(in);
  if (t.ok()) {
    Set("a.flag", FigureValue::Bool(false));
    auto filled = (*t)->Fill(*engine_, Computed(), out());
    std::string texts;
    if (filled.ok()) {
      for (const std::string& s : OutTexts()) texts += "[" + s + "]";
    }
    ADD_FAILURE() << "Open accepted an {{#if}} in the body closed in the header; filled with "
                     "a.flag false the paragraphs read "
                  << texts;
    return;
  }
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("报告.docx:2"), std::string::npos) << t.status().message();
}

TEST_F(WordTemplateTest, NotADocx) {
  const std::string text = dir_ + "/notes.docx";
  std::ofstream(text) << "这不是 Word 文档\n";
  auto t = WordTemplate::Open(*catalog_, text, "notes.docx");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << t.status().ToString();

  // A zip without word/document.xml (an xlsx renamed).
  auto no_body = WordTemplate::Open(
      *catalog_,
      Write({{"[Content_Types].xml", kContentTypes}, {"xl/workbook.xml", "<workbook/>"}},
            "book.docx"),
      "book.docx");
  ASSERT_FALSE(no_body.ok());
  EXPECT_EQ(no_body.status().code(), StatusCode::kInvalidArgument) << no_body.status().ToString();

  // An old .doc: an OLE compound file.
  const std::string doc = dir_ + "/old.docx";
  std::ofstream(doc, std::ios::binary)
      << std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) << std::string(504, '\0');
  auto old = WordTemplate::Open(*catalog_, doc, "old.docx");
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), StatusCode::kInvalidArgument) << old.status().ToString();
  EXPECT_NE(old.status().message().find(".doc"), std::string::npos) << old.status().message();
}

TEST_F(WordTemplateTest, MissingFileIsNotFound) {
  auto t = WordTemplate::Open(*catalog_, dir_ + "/missing.docx", "missing.docx");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound) << t.status().ToString();
}

TEST_F(WordTemplateTest, FillTwiceIsFailedPrecondition) {
  auto t = Open(Package(Body({P("共{{a.count}}人。")})));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto first = (*t)->Fill(*engine_, Computed(), out());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::string second_path = dir_ + "/again.docx";
  auto second = (*t)->Fill(*engine_, Computed(), second_path);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(second_path));
}

TEST_F(WordTemplateTest, ConditionThatIsNotBooleanFailsFill) {
  auto t = Open(Package(Body({P("前言。"), P("{{#if a.count}}有人{{/if}}")})));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto filled = (*t)->Fill(*engine_, Computed(), out());
  ASSERT_FALSE(filled.ok());
  EXPECT_EQ(filled.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(filled.status().message(), "模板 报告.docx:2：条件“a.count”的结果不是真假值");
  EXPECT_FALSE(std::filesystem::exists(out()));  // nothing written
}

TEST_F(WordTemplateTest, WritingIntoAMissingDirectoryIsIoError) {
  auto t = Open(Package(Body({P("共{{a.count}}人。")})));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto filled = (*t)->Fill(*engine_, Computed(), dir_ + "/no/such/dir/out.docx");
  ASSERT_FALSE(filled.ok());
  EXPECT_EQ(filled.status().code(), StatusCode::kIoError) << filled.status().ToString();
}

}  // namespace
}  // namespace tz::service
