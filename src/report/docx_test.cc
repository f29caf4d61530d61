#include "report/docx.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "base/period.h"
#include "io/xml_stream.h"

namespace tz::report {
namespace {

constexpr const char* kParts[] = {
    "[Content_Types].xml", "_rels/.rels",       "word/document.xml",
    "word/styles.xml",     "word/settings.xml", "word/fontTable.xml",
    "word/_rels/document.xml.rels",
    "word/footer1.xml",    "word/footer2.xml",  "docProps/core.xml",
    "docProps/app.xml",
};

ReportPiece Text(std::string text) { return ReportPiece{false, std::move(text), nullptr, true}; }
ReportPiece Figure(std::string text, bool has_value = true) {
  return ReportPiece{true, std::move(text), nullptr, has_value};
}
ReportBlock Block(int heading, std::vector<ReportPiece> pieces) {
  return ReportBlock{heading, std::move(pieces)};
}

// The text of every element, concatenated, once the XML is parsed: what a reader sees after
// the escaping is undone.
class TextCollector : public io::XmlHandler {
 public:
  void OnStart(io::XmlParser& parser, std::string_view, io::XmlAttrs) override {
    parser.WantText(true);
  }
  void OnEnd(io::XmlParser&, std::string_view) override {}
  void OnText(io::XmlParser&, std::string_view text) override { text_.append(text); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

class DocxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto period = ParsePeriod("2022H1");
    ASSERT_TRUE(period.ok());
    report_.title = "辽市镇2022年上半年工作总结";
    report_.period = *period;
    report_.scope.name = "辽市镇";
    report_.blocks = {
        Block(2, {Text("一、2022年上半年工作总结")}),
        Block(3, {Text("（一）民生保障")}),
        Block(0, {Text("全镇低保对象"), Figure("128"), Text("户，覆盖率"), Figure("97.56%"),
                  Text("。")}),
    };
  }

  void Write(const std::vector<SourceRow>* sources = nullptr) {
    parts_ = DocxParts(report_, sources);
  }

  // The part `name` of the document, or nullopt when it is missing.
  std::optional<std::string> Part(const std::string& name) const {
    for (const DocxPart& p : parts_) {
      if (p.name == name) return p.xml;
    }
    return std::nullopt;
  }
  std::string MustPart(const std::string& name) const { return Part(name).value_or("<missing>"); }

  // The <w:style> element of styles.xml with id `id`.
  std::string Style(const std::string& id) const {
    std::string styles = MustPart("word/styles.xml");
    size_t start = styles.find("w:styleId=\"" + id + "\"");
    if (start == std::string::npos) return "<no style " + id + ">";
    return styles.substr(start, styles.find("</w:style>", start) - start);
  }

  // The paragraph of document.xml holding `text`.
  std::string ParagraphWith(const std::string& text) const {
    std::string doc = MustPart("word/document.xml");
    size_t at = doc.find(text);
    if (at == std::string::npos) return "<no paragraph with " + text + ">";
    size_t start = doc.rfind("<w:p>", at);
    return doc.substr(start, doc.find("</w:p>", at) - start);
  }

  ReportBlocks report_;
  std::vector<DocxPart> parts_;
};

bool Has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(DocxTest, WritesEveryPartAsWellFormedXml) {
  Write();
  for (const char* name : kParts) {
    std::optional<std::string> xml = Part(name);
    ASSERT_TRUE(xml.has_value()) << name;
    TextCollector collector;
    auto parser = io::MakeExpatParser(name, &collector);
    Status s = parser->Feed(*xml);
    if (s.ok()) s = parser->Finish();
    EXPECT_TRUE(s.ok()) << name << ": " << s.ToString();
  }
  std::string types = MustPart("[Content_Types].xml");
  EXPECT_TRUE(Has(types,
                  "/word/document.xml\" ContentType=\"application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\""));
  EXPECT_TRUE(Has(MustPart("_rels/.rels"), "Target=\"word/document.xml\""));
}

TEST_F(DocxTest, PageIsA4WithOfficialMargins) {
  Write();
  std::string doc = MustPart("word/document.xml");
  EXPECT_TRUE(Has(doc, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>")) << doc;
  EXPECT_TRUE(Has(doc,
                  "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" "
                  "w:left=\"1588\""))
      << doc;
}

TEST_F(DocxTest, TitleIsXiaoBiaoSongSize2Centred) {
  Write();
  std::string title = Style("Title");
  EXPECT_TRUE(Has(title, "w:eastAsia=\"方正小标宋简体\"")) << title;
  EXPECT_TRUE(Has(title, "w:ascii=\"方正小标宋简体\"")) << title;
  EXPECT_TRUE(Has(title, "<w:sz w:val=\"44\"/>")) << title;
  EXPECT_TRUE(Has(title, "<w:jc w:val=\"center\"/>")) << title;
  std::string p = ParagraphWith("辽市镇2022年上半年工作总结");
  EXPECT_TRUE(Has(p, "<w:pStyle w:val=\"Title\"/>")) << p;
}

TEST_F(DocxTest, HeadingsAreHeiTiAndKaiTi) {
  Write();
  EXPECT_TRUE(Has(Style("Heading1"), "w:eastAsia=\"黑体\"")) << Style("Heading1");
  EXPECT_TRUE(Has(Style("Heading2"), "w:eastAsia=\"楷体_GB2312\"")) << Style("Heading2");
  EXPECT_TRUE(Has(ParagraphWith("一、2022年上半年工作总结"), "<w:pStyle w:val=\"Heading1\"/>"));
  EXPECT_TRUE(Has(ParagraphWith("（一）民生保障"), "<w:pStyle w:val=\"Heading2\"/>"));
}

TEST_F(DocxTest, BodyIsFangSongSize3WithExactSpacingAndIndent) {
  Write();
  std::string normal = Style("Normal");
  EXPECT_TRUE(Has(normal, "w:eastAsia=\"仿宋_GB2312\"")) << normal;
  EXPECT_TRUE(Has(normal, "<w:sz w:val=\"32\"/>")) << normal;
  EXPECT_TRUE(Has(normal, "<w:spacing w:line=\"579\" w:lineRule=\"exact\"/>")) << normal;
  EXPECT_TRUE(Has(normal, "w:firstLineChars=\"200\"")) << normal;
  // Headings inherit the size and spacing: they set only their face.
  EXPECT_TRUE(Has(Style("Heading1"), "<w:basedOn w:val=\"Normal\"/>"));
  EXPECT_TRUE(Has(Style("Heading1"), "<w:sz w:val=\"32\"/>"));
}

TEST_F(DocxTest, FooterHasPageFieldBetweenDashes) {
  Write();
  std::string odd = MustPart("word/footer1.xml");
  EXPECT_TRUE(Has(odd, "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>")) << odd;
  EXPECT_TRUE(Has(odd, "<w:fldChar w:fldCharType=\"begin\"/>")) << odd;
  EXPECT_TRUE(Has(odd, ">— </w:t>")) << odd;
  EXPECT_TRUE(Has(odd, "> —</w:t>")) << odd;
  EXPECT_TRUE(Has(odd, "<w:jc w:val=\"right\"/>")) << odd;
  std::string even = MustPart("word/footer2.xml");
  EXPECT_TRUE(Has(even, " PAGE ")) << even;
  EXPECT_TRUE(Has(even, "<w:jc w:val=\"left\"/>")) << even;
  EXPECT_TRUE(Has(MustPart("word/settings.xml"), "<w:evenAndOddHeaders/>"));
  std::string footer_style = Style("Footer");
  EXPECT_TRUE(Has(footer_style, "w:eastAsia=\"宋体\"")) << footer_style;
  EXPECT_TRUE(Has(footer_style, "<w:sz w:val=\"28\"/>")) << footer_style;
  std::string doc = MustPart("word/document.xml");
  EXPECT_TRUE(Has(doc, "<w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>"));
  std::string rels = MustPart("word/_rels/document.xml.rels");
  EXPECT_TRUE(Has(rels, "Id=\"rIdFooterOdd\"")) << rels;
  EXPECT_TRUE(Has(rels, "Target=\"footer1.xml\"")) << rels;
}

TEST_F(DocxTest, FiguresAreTextInTheirParagraph) {
  Write();
  std::string p = ParagraphWith("全镇低保对象");
  EXPECT_TRUE(Has(p, ">128</w:t>")) << p;
  EXPECT_TRUE(Has(p, ">97.56%</w:t>")) << p;
  EXPECT_TRUE(Has(p, "<w:pStyle w:val=\"Normal\"/>")) << p;
}

TEST_F(DocxTest, EscapesXmlSpecialCharactersAndDropsControls) {
  report_.title = "\"标题\" & 'x'";
  report_.blocks.push_back(Block(0, {Text("A&B<C>"), Figure("x\x01y\x7fz"), Text("bad\xff")}));
  Write();
  std::string doc = MustPart("word/document.xml");
  EXPECT_TRUE(Has(doc, "A&amp;B&lt;C&gt;")) << doc;
  EXPECT_FALSE(Has(doc, "A&B")) << doc;
  EXPECT_TRUE(Has(doc, "&quot;标题&quot; &amp; &apos;x&apos;")) << doc;
  EXPECT_TRUE(Has(doc, ">xy\x7fz</w:t>")) << doc;  // DEL is allowed in XML 1.0
  EXPECT_TRUE(Has(doc, ">bad</w:t>")) << doc;
  TextCollector collector;
  auto parser = io::MakeExpatParser("word/document.xml", &collector);
  ASSERT_TRUE(parser->Feed(doc).ok());
  ASSERT_TRUE(parser->Finish().ok());
  EXPECT_TRUE(Has(collector.text(), "A&B<C>")) << collector.text();
  EXPECT_TRUE(Has(MustPart("docProps/core.xml"), "<dc:title>&quot;标题&quot;"));
}

TEST_F(DocxTest, NotesBecomeAFinalSection) {
  Write();
  EXPECT_FALSE(Has(MustPart("word/document.xml"), "NoteHeading"));

  report_.blocks.push_back(Block(0, {Text("信访"), Figure("—", false), Text("件。")}));
  report_.notes = {"信访件数（petition.count）：本期无信访台账数据"};
  Write();
  std::string doc = MustPart("word/document.xml");
  std::string heading = ParagraphWith(">说明<");
  EXPECT_TRUE(Has(heading, "<w:pStyle w:val=\"NoteHeading\"/>")) << doc;
  EXPECT_TRUE(Has(ParagraphWith("本期无信访台账数据"), "<w:pStyle w:val=\"Note\"/>")) << doc;
  // After the body: the notes come last.
  EXPECT_GT(doc.find(">说明<"), doc.find("件。"));
  EXPECT_TRUE(Has(ParagraphWith("信访"), ">—</w:t>"));
}

TEST_F(DocxTest, ContentTypesComeFirstAndEveryPartOnce) {
  Write();
  ASSERT_FALSE(parts_.empty());
  EXPECT_EQ(parts_[0].name, "[Content_Types].xml");
  std::vector<std::string> names;
  for (const DocxPart& p : parts_) names.push_back(p.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end());
  EXPECT_EQ(parts_.size(), std::size(kParts));
}

TEST_F(DocxTest, RunInSecondLevelHeadingIsKaiTi) {
  report_.blocks.push_back(Block(0, {Text("（十二）突出“核心引领”，党建加强。一是延伸组织"),
                                     Figure("8"), Text("次。")}));
  report_.blocks.push_back(Block(0, {Text("（一）没有句号的段落")}));
  report_.blocks.push_back(Block(0, {Text("(一)半角括号。不算")}));
  Write();
  EXPECT_TRUE(Has(Style("Heading2Char"), "w:eastAsia=\"楷体_GB2312\"")) << Style("Heading2Char");
  std::string p = ParagraphWith("党建加强");
  EXPECT_TRUE(Has(p, "<w:rStyle w:val=\"Heading2Char\"/></w:rPr><w:t xml:space=\"preserve\">"
                     "（十二）突出“核心引领”，党建加强。</w:t>"))
      << p;
  EXPECT_TRUE(Has(p, "<w:r><w:t xml:space=\"preserve\">一是延伸组织</w:t></w:r>")) << p;
  EXPECT_TRUE(Has(p, ">8</w:t>")) << p;
  EXPECT_FALSE(Has(ParagraphWith("没有句号的段落"), "Heading2Char"));
  EXPECT_FALSE(Has(ParagraphWith("半角括号"), "Heading2Char"));
}

TEST_F(DocxTest, FontsAreDeclaredAsChineseFacesAndTextAsChinese) {
  Write();
  std::string fonts = MustPart("word/fontTable.xml");
  for (const char* face : {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"}) {
    std::string decl = "<w:font w:name=\"" + std::string(face) + "\"><w:charset w:val=\"86\"/>";
    EXPECT_TRUE(Has(fonts, decl)) << face << ": " << fonts;
  }
  EXPECT_TRUE(Has(MustPart("word/_rels/document.xml.rels"), "Target=\"fontTable.xml\""));
  std::string styles = MustPart("word/styles.xml");
  EXPECT_TRUE(Has(styles, "<w:lang w:val=\"zh-CN\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>"))
      << styles;
  // Every face the document names has stand-ins for a conversion without it.
  for (const FontStandIn& f : DocxFontStandIns()) {
    EXPECT_TRUE(Has(fonts, "w:name=\"" + f.family + "\"")) << f.family;
    EXPECT_FALSE(f.faces.empty()) << f.family;
  }
}

TEST_F(DocxTest, NoAppendixUnlessAsked) {
  Write();
  EXPECT_FALSE(Has(MustPart("word/document.xml"), "数据来源"));
  EXPECT_FALSE(Has(MustPart("word/document.xml"), "<w:tbl>"));
}

TEST_F(DocxTest, SourcesAppendixIsATableOnANewPage) {
  pack::FigureDef households{"relief.households", "低保户数", "", "count(relief | 状态 = '在册')"};
  pack::FigureDef rate{"relief.rate", "低保覆盖率", "", "100 * relief.households /\n  relief.pop"};
  pack::FigureDef pop{"relief.pop", "户籍人口", "", "sum(household.人口)"};
  std::vector<SourceRow> rows(3);
  rows[0].def = &households;
  rows[0].value = "128";
  rows[0].ledgers = {{"低保户台账", 128}, {"特困户台账", -1}};
  rows[0].definition = households.expr;
  rows[1].def = &rate;
  rows[1].value = "—";
  rows[1].note = "户籍人口为 0";
  rows[1].computed_from = {"低保户数", "户籍人口"};
  rows[1].definition = "100 * relief.households / relief.pop";
  rows[2].def = &pop;
  rows[2].value = "0";
  rows[2].ledgers = {{"农户台账", 0}};
  rows[2].definition = pop.expr;
  rows[2].dependency = true;
  Write(&rows);
  std::string doc = MustPart("word/document.xml");

  // After the body, "附件" opens a new page, then the title, the unit and period, the table.
  const size_t label = doc.find(">附件<");
  ASSERT_NE(label, std::string::npos) << doc;
  EXPECT_GT(label, doc.find("全镇低保对象"));
  EXPECT_TRUE(Has(ParagraphWith(">附件<"), "<w:pStyle w:val=\"AttachmentLabel\"/>"));
  EXPECT_TRUE(Has(Style("AttachmentLabel"), "<w:pageBreakBefore/>"));
  EXPECT_TRUE(Has(ParagraphWith(">数据来源<"), "<w:pStyle w:val=\"Title\"/>"));
  EXPECT_TRUE(Has(doc, "单位：辽市镇　期间：2022-01-01 至 2022-06-30")) << doc;
  EXPECT_LT(doc.find("<w:tbl>"), doc.find("<w:sectPr>"));

  // Header row repeated on each page; the grid fills the text width (156 mm = 8844 twips).
  EXPECT_TRUE(Has(doc, "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")) << doc;
  for (const char* h : {">序号<", ">指标<", ">数值<", ">来源台账<", ">记录数<", ">口径<"}) {
    EXPECT_TRUE(Has(doc, h)) << h;
  }
  int width = 0;
  for (size_t at = doc.find("<w:gridCol w:w=\""); at != std::string::npos;
       at = doc.find("<w:gridCol w:w=\"", at + 1)) {
    width += std::stoi(doc.substr(at + 16));
  }
  EXPECT_EQ(width, 8844);

  // One row per figure: the value, each ledger with its count, the definition.
  auto row = [&](const std::string& label) {
    size_t at = doc.find(">" + label + "<");
    if (at == std::string::npos) return std::string("<no row " + label + ">");
    size_t start = doc.rfind("<w:tr>", at);
    return doc.substr(start, doc.find("</w:tr>", at) - start);
  };
  std::string r0 = row("低保户数");
  EXPECT_TRUE(Has(r0, ">1<")) << r0;
  EXPECT_TRUE(Has(r0, ">128<")) << r0;
  EXPECT_TRUE(Has(r0, ">低保户台账<")) << r0;
  EXPECT_TRUE(Has(r0, ">128 条<")) << r0;
  EXPECT_TRUE(Has(r0, ">特困户台账<")) << r0;
  EXPECT_TRUE(Has(r0, ">不适用<")) << r0;
  EXPECT_TRUE(Has(r0, "count(relief | 状态 = &apos;在册&apos;)")) << r0;
  std::string r1 = row("低保覆盖率");
  EXPECT_TRUE(Has(r1, ">由低保户数、户籍人口计算<")) << r1;
  EXPECT_TRUE(Has(r1, ">无值：户籍人口为 0<")) << r1;
  EXPECT_TRUE(Has(r1, ">—<")) << r1;
  // Dependencies follow a group row.
  EXPECT_LT(doc.find("以下为上述指标计算所用的其他指标"), doc.find(">户籍人口<"));
  EXPECT_GT(doc.find("以下为上述指标计算所用的其他指标"), doc.find(">低保覆盖率<"));
  EXPECT_TRUE(Has(row("户籍人口"), ">0 条<"));

  TextCollector collector;
  auto parser = io::MakeExpatParser("word/document.xml", &collector);
  ASSERT_TRUE(parser->Feed(doc).ok());
  ASSERT_TRUE(parser->Finish().ok());
}

TEST(XmlEscapeTest, EscapesAndStrips) {
  EXPECT_EQ(XmlEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
  EXPECT_EQ(XmlEscape("台\x01账\t\n"), "台账\t\n");
  EXPECT_EQ(XmlEscape("\xef\xbf\xbe"
                      "ok"),
            "ok");                       // U+FFFE
  EXPECT_EQ(XmlEscape("\xe5\x8f"), "");  // a cut-off character
}

}  // namespace
}  // namespace tz::report
