#include "io/docx_document.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "io/xml_stream.h"
#include "io/zip_archive.h"
#include "io/test_zip.h"
#include "io/zip_writer.h"

namespace tz::io {
namespace {

using testing::Entries;
using testing::Entry;
using testing::ReadZip;

// The parts of tests/fixtures/docx/word_template, in the order Word writes them into the zip.
const char* const kWordParts[] = {
    "[Content_Types].xml", "_rels/.rels",      "word/document.xml", "word/_rels/document.xml.rels",
    "word/header1.xml",    "word/footer1.xml", "word/styles.xml",   "word/settings.xml",
    "docProps/core.xml",   "docProps/app.xml",
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Entries WordTemplate() {
  Entries entries;
  for (const char* name : kWordParts) {
    entries.emplace_back(name, ReadFile(std::string("tests/fixtures/docx/word_template/") + name));
  }
  return entries;
}

// A minimal package around `document_xml`, for the cases the Word fixture does not show.
Entries Minimal(std::string document_xml) {
  return {{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", std::move(document_xml)}};
}

constexpr const char* kW =
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";

// With the namespaces of relationships and DrawingML too.
constexpr const char* kWR =
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><w:body>";

// A .rels part holding `relationships`.
std::string Rels(const std::string& relationships) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
         relationships + "</Relationships>";
}

std::string Relationship(const std::string& id, const std::string& type, const std::string& target,
                         bool external = true) {
  return "<Relationship Id=\"" + id +
         "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/" + type +
         "\" Target=\"" + target + "\"" + (external ? " TargetMode=\"External\"" : "") + "/>";
}


class IgnoreAll : public XmlHandler {
 public:
  void OnStart(XmlParser&, std::string_view, XmlAttrs) override { ++elements; }
  void OnEnd(XmlParser&, std::string_view) override {}
  int elements = 0;
};

class DocxDocumentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/docx_document_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const Entries& entries, const std::string& name = "in.docx") {
    std::string path = dir_ + "/" + name;
    testing::WriteZip(path, entries);
    return path;
  }
  std::unique_ptr<DocxDocument> OpenOk(const std::string& path) {
    auto doc = DocxDocument::Open(path);
    EXPECT_TRUE(doc.ok()) << doc.status().ToString();
    return doc.ok() ? std::move(doc).value() : nullptr;
  }
  std::unique_ptr<DocxDocument> OpenWordTemplate() { return OpenOk(Write(WordTemplate())); }
  // Saves, then reads the saved file back both ways.
  std::unique_ptr<DocxDocument> SaveAndReopen(const DocxDocument& doc, Entries* saved = nullptr) {
    std::string path = dir_ + "/out.docx";
    Status s = doc.Save(path);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (saved != nullptr) *saved = ReadZip(path);
    return OpenOk(path);
  }
  static std::vector<std::string> Texts(const DocxDocument& doc) {
    std::vector<std::string> texts;
    for (const DocxParagraph& p : doc.paragraphs()) texts.push_back(p.text);
    return texts;
  }
  static TextEdit Replace(const std::string& text, const std::string& what, std::string with) {
    size_t at = text.find(what);
    EXPECT_NE(at, std::string::npos) << what << " not in " << text;
    return TextEdit{at, what.size(), std::move(with)};
  }

  std::string dir_;
};

TEST_F(DocxDocumentTest, ReadsWordTemplateParagraphsWithPlaceholdersRejoined) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  std::vector<std::string> expected = {
      "一、巩固脱贫攻坚成果", "截至目前全镇现共有低保户{{dibao.households}}户{{dibao.persons}}人。",
      "{{#if dispute.rate > 90}}",
      "全镇矛盾纠纷调处率达到{{dispute.rate|percent_floor}}%，全部化解到位。",  // not 基本
                                                                                // (deleted)
      "{{/if}}", "指标", "数值", "脱贫户户数", "（户）", "{{monitor.poor_households}}",
      "附：见右框。",           // the text box is not part of it...
      "{{period.year}}年数据",  // ...but a paragraph of its own (mc:Choice)
      "{{period.year}}年数据",  // and again (mc:Fallback)
      "单位： 户",              // the tab contributes nothing
      "以上为上半年情况。", "二、下半年工作打算", "继续做好各项工作。", "{{unit.name}}人民政府",
      "第 1 页",  // the PAGE field's result, not its code
  };
  EXPECT_EQ(Texts(*doc), expected);
  std::vector<bool> removable;
  for (const DocxParagraph& p : doc->paragraphs()) removable.push_back(p.removable);
  // Not removable: cells' last paragraphs, the text box and its copies, the section break, the
  // header and footer (only paragraphs, and a field).
  EXPECT_EQ(removable,
            (std::vector<bool>{1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0}));
  EXPECT_EQ(doc->paragraphs()[16].part, "word/document.xml");
  EXPECT_EQ(doc->paragraphs()[17].part, "word/header1.xml");
  EXPECT_EQ(doc->paragraphs()[18].part, "word/footer1.xml");
}

TEST_F(DocxDocumentTest, ReplacingASplitPlaceholderKeepsTheFirstRunsFormatting) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  const std::string text = doc->paragraphs()[1].text;
  ASSERT_TRUE(doc->Edit(1, {Replace(text, "{{dibao.households}}", "1234")}).ok());
  EXPECT_EQ(doc->paragraphs()[1].text, "截至目前全镇现共有低保户1234户{{dibao.persons}}人。");

  Entries saved;
  auto again = SaveAndReopen(*doc, &saved);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->paragraphs()[1].text, "截至目前全镇现共有低保户1234户{{dibao.persons}}人。");
  std::string xml = Entry(saved, "word/document.xml");
  // The bold run that held "{{" holds the figure; the other runs stay, empty, with their rPr.
  EXPECT_NE(
      xml.find(
          "<w:r w:rsidR=\"0061C8F3\" w:rsidRPr=\"0061C8F3\"><w:rPr><w:b/><w:bCs/></w:rPr>"
          "<w:t>1234</w:t></w:r><w:proofErr w:type=\"spellStart\"/>"
          "<w:r w:rsidR=\"0061C8F3\"><w:rPr><w:lang w:eastAsia=\"zh-CN\"/></w:rPr><w:t></w:t>"),
      std::string::npos);
  EXPECT_NE(xml.find("<w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr><w:t></w:t>"),
            std::string::npos);
  EXPECT_EQ(xml.find("households}}"), xml.rfind("households}}"));  // only the table's is left
}

TEST_F(DocxDocumentTest, OnlyTheEditedTextChangesInTheEditedPart) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  ASSERT_TRUE(doc->Edit(0, {{0, 6, "（一）"}}).ok());  // "一、" is 6 bytes
  Entries saved;
  ASSERT_TRUE(SaveAndReopen(*doc, &saved));
  std::string expected = Entry(WordTemplate(), "word/document.xml");
  std::string before = "<w:t>一、巩固脱贫攻坚成果</w:t>";
  ASSERT_NE(expected.find(before), std::string::npos);
  expected.replace(expected.find(before), before.size(), "<w:t>（一）巩固脱贫攻坚成果</w:t>");
  EXPECT_EQ(Entry(saved, "word/document.xml"), expected);
}

TEST_F(DocxDocumentTest, SeveralEditsInOneParagraphAndRepeatedCalls) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  std::string text = doc->paragraphs()[1].text;
  ASSERT_TRUE(
      doc->Edit(1, {Replace(text, "{{dibao.households}}", "1,234"),
                    Replace(text, "{{dibao.persons}}", "2,345"), Replace(text, "人。", "人")})
          .ok());
  EXPECT_EQ(doc->paragraphs()[1].text, "截至目前全镇现共有低保户1,234户2,345人");
  // A second call sees the text the first one left; an insertion at the end goes to the last w:t.
  text = doc->paragraphs()[1].text;
  ASSERT_TRUE(doc->Edit(1, {{0, 0, "目前"}, {text.size(), 0, "。"}}).ok());
  auto again = SaveAndReopen(*doc);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->paragraphs()[1].text, "目前截至目前全镇现共有低保户1,234户2,345人。");
}

TEST_F(DocxDocumentTest, EditsInATableCellAHeaderAndATextBox) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  ASSERT_TRUE(doc->Edit(9, {{0, doc->paragraphs()[9].text.size(), "312"}}).ok());
  ASSERT_TRUE(doc->Edit(17, {Replace(doc->paragraphs()[17].text, "{{unit.name}}", "辽市镇")}).ok());
  ASSERT_TRUE(doc->Edit(11, {{0, 15, "2024"}}).ok());
  ASSERT_TRUE(doc->Edit(12, {{0, 15, "2024"}}).ok());
  Entries saved;
  auto again = SaveAndReopen(*doc, &saved);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->paragraphs()[9].text, "312");
  EXPECT_EQ(again->paragraphs()[11].text, "2024年数据");
  EXPECT_EQ(again->paragraphs()[12].text, "2024年数据");
  EXPECT_EQ(again->paragraphs()[17].text, "辽市镇人民政府");
  EXPECT_EQ(Entry(saved, "word/footer1.xml"), Entry(WordTemplate(), "word/footer1.xml"));
}

TEST_F(DocxDocumentTest, RemovesParagraphsButNotThoseWordNeeds) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->Remove(14).code(), StatusCode::kFailedPrecondition);  // holds the section break
  EXPECT_EQ(doc->Remove(9).code(), StatusCode::kFailedPrecondition);   // the only one of its cell
  EXPECT_EQ(doc->Remove(8).code(), StatusCode::kFailedPrecondition);   // the last one of its cell
  EXPECT_EQ(doc->Remove(10).code(), StatusCode::kFailedPrecondition);  // holds a text box
  EXPECT_EQ(doc->Remove(17).code(), StatusCode::kFailedPrecondition);  // the header's only one
  EXPECT_EQ(doc->Remove(99).code(), StatusCode::kInvalidArgument);
  Status refused = doc->Remove(14);
  EXPECT_NE(refused.message().find("不能删除"), std::string::npos) << refused.message();

  ASSERT_TRUE(doc->Edit(3, {{0, 6, "全乡"}}).ok());  // edited, then removed: the removal wins
  ASSERT_TRUE(doc->Remove(2).ok());
  ASSERT_TRUE(doc->Remove(3).ok());
  ASSERT_TRUE(doc->Remove(4).ok());
  ASSERT_TRUE(doc->Remove(7).ok());
  EXPECT_FALSE(doc->paragraphs()[2].removable);
  EXPECT_EQ(doc->paragraphs()[2].text, "");
  EXPECT_EQ(doc->Remove(2).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(doc->Edit(2, {{0, 0, "x"}}).code(), StatusCode::kFailedPrecondition);

  Entries saved;
  auto again = SaveAndReopen(*doc, &saved);
  ASSERT_TRUE(again);
  std::vector<std::string> texts = Texts(*again);
  ASSERT_EQ(texts.size(), 15u);
  EXPECT_EQ(texts[1], "截至目前全镇现共有低保户{{dibao.households}}户{{dibao.persons}}人。");
  EXPECT_EQ(texts[2], "指标");
  EXPECT_EQ(texts[4], "（户）");  // the cell keeps its last paragraph
  std::string xml = Entry(saved, "word/document.xml");
  EXPECT_EQ(xml.find("{{#if"), std::string::npos);
  EXPECT_EQ(xml.find("调处率"), std::string::npos);
  EXPECT_EQ(xml.find("全乡"), std::string::npos);
}

TEST_F(DocxDocumentTest, TheLastParagraphsOfTheBodyCannotAllGo) {
  std::string path =
      Write(Minimal(std::string(kW) + "<w:p><w:r><w:t>a</w:t></w:r></w:p><w:p/><w:sectPr/>"
                                      "</w:body></w:document>"));
  auto doc = OpenOk(path);
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->paragraphs().size(), 2u);
  EXPECT_TRUE(doc->paragraphs()[1].removable);
  ASSERT_TRUE(doc->Remove(1).ok());  // <w:p/>, an empty element, goes too
  EXPECT_FALSE(doc->paragraphs()[0].removable);
  auto again = SaveAndReopen(*doc);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->paragraphs().size(), 1u);
}

TEST_F(DocxDocumentTest, LeadingAndTrailingSpacesArePreserved) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  ASSERT_TRUE(doc->Edit(15, {{0, 6, "  二、"}, {doc->paragraphs()[15].text.size(), 0, " "}}).ok());
  // The first w:t already says preserve: no second attribute.
  ASSERT_TRUE(doc->Edit(13, {{0, 0, " "}}).ok());
  Entries saved;
  auto again = SaveAndReopen(*doc, &saved);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->paragraphs()[15].text, "  二、下半年工作打算 ");
  EXPECT_EQ(again->paragraphs()[13].text, " 单位： 户");
  std::string xml = Entry(saved, "word/document.xml");
  EXPECT_NE(xml.find("<w:t xml:space=\"preserve\">  二、下半年工作打算 </w:t>"), std::string::npos);
  EXPECT_NE(xml.find("<w:t xml:space=\"preserve\"> 单位： </w:t>"), std::string::npos);
}

TEST_F(DocxDocumentTest, MarkupCharactersAreEscapedAndReadBackEqual) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  std::string nasty = "a & b < c > d \"e\" 'f' </w:t> &amp;";
  ASSERT_TRUE(doc->Edit(16, {{0, doc->paragraphs()[16].text.size(), nasty + "\x01\xFF"}}).ok());
  EXPECT_EQ(doc->paragraphs()[16].text, nasty);  // what XML cannot hold is dropped
  Entries saved;
  auto again = SaveAndReopen(*doc, &saved);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->paragraphs()[16].text, nasty);
  EXPECT_NE(Entry(saved, "word/document.xml").find("a &amp; b &lt; c &gt; d"), std::string::npos);
}

TEST_F(DocxDocumentTest, UntouchedPartsAreCopiedByteForByteInTheSameOrder) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  ASSERT_TRUE(doc->Edit(9, {{0, 2, ""}}).ok());
  Entries saved;
  ASSERT_TRUE(SaveAndReopen(*doc, &saved));
  Entries original = WordTemplate();
  ASSERT_EQ(saved.size(), original.size());
  for (size_t i = 0; i < saved.size(); ++i) {
    EXPECT_EQ(saved[i].first, original[i].first);
    if (saved[i].first != "word/document.xml") {
      EXPECT_EQ(saved[i].second, original[i].second) << saved[i].first;
    }
  }
}

TEST_F(DocxDocumentTest, TheSavedDocumentIsWellFormed) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  for (size_t i = 0; i < doc->paragraphs().size(); ++i) {
    ASSERT_TRUE(doc->Edit(i, {{0, doc->paragraphs()[i].text.size(), " <&> "}}).ok()) << i;
  }
  ASSERT_TRUE(doc->Remove(0).ok());
  Entries saved;
  ASSERT_TRUE(SaveAndReopen(*doc, &saved));
  for (const char* part : {"word/document.xml", "word/header1.xml", "word/footer1.xml"}) {
    IgnoreAll handler;
    auto parser = MakeExpatParser(part, &handler);
    std::string xml = Entry(saved, part);
    Status s = parser->Feed(xml);
    if (s.ok()) s = parser->Finish();
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_GT(handler.elements, 10);
  }
}

TEST_F(DocxDocumentTest, EmptyTextElementsAndAByteOrderMark) {
  // <w:t/> has no content to splice into: it is rewritten whole. The mark shifts every offset.
  std::string xml = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + std::string(kW) +
                    "<w:p><w:r><w:t/></w:r></w:p><w:p><w:r><w:t>x</w:t></w:r></w:p>"
                    "<w:p><w:r><w:t xml:space='default'>z</w:t></w:r></w:p></w:body></w:document>";
  auto doc = OpenOk(Write(Minimal(xml)));
  ASSERT_TRUE(doc);
  ASSERT_EQ(Texts(*doc), (std::vector<std::string>{"", "x", "z"}));
  ASSERT_TRUE(doc->Edit(0, {{0, 0, " 新 "}}).ok());
  ASSERT_TRUE(doc->Edit(1, {{0, 1, "y"}}).ok());
  ASSERT_TRUE(doc->Edit(2, {{0, 0, " "}}).ok());
  Entries saved;
  auto again = SaveAndReopen(*doc, &saved);
  ASSERT_TRUE(again);
  EXPECT_EQ(Texts(*again), (std::vector<std::string>{" 新 ", "y", " z"}));
  std::string saved_xml = Entry(saved, "word/document.xml");
  EXPECT_EQ(saved_xml.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(saved_xml.find("<w:t xml:space=\"preserve\"> 新 </w:t>"), std::string::npos);
  EXPECT_NE(saved_xml.find("<w:t xml:space='preserve'> z</w:t>"), std::string::npos);
}

TEST_F(DocxDocumentTest, BadEditsAreRefusedAndChangeNothing) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  const std::string text = doc->paragraphs()[0].text;
  EXPECT_EQ(doc->Edit(0, {{3, 3, "a"}, {0, 3, "b"}}).code(),
            StatusCode::kInvalidArgument);  // unsorted
  EXPECT_EQ(doc->Edit(0, {{0, 6, "a"}, {3, 3, "b"}}).code(),
            StatusCode::kInvalidArgument);  // overlap
  EXPECT_EQ(doc->Edit(0, {{1, 0, "a"}}).code(),
            StatusCode::kInvalidArgument);  // inside a character
  EXPECT_EQ(doc->Edit(0, {{0, text.size() + 1, ""}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(doc->Edit(99, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(doc->paragraphs()[0].text, text);

  auto empty = OpenOk(Write(Minimal(std::string(kW) + "<w:p/></w:body></w:document>"), "e.docx"));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->Edit(0, {{0, 0, ""}}).ok());
  EXPECT_EQ(empty->Edit(0, {{0, 0, "x"}}).code(), StatusCode::kInvalidArgument);
}

// After any sequence of removals, `removable` is what the rule gives: not removed, and at least
// two paragraphs left in the container, and not the last one of a cell.
TEST_F(DocxDocumentTest, RemovableFollowsTheRuleAfterEveryRemoval) {
  std::string xml = kW;
  auto para = [](int i) { return "<w:p><w:r><w:t>" + std::to_string(i) + "</w:t></w:r></w:p>"; };
  for (int i = 0; i < 4; ++i) xml += para(i);  // body: 0-3 and 9-10
  xml += "<w:tbl><w:tr><w:tc>";
  for (int i = 4; i < 8; ++i) xml += para(i);  // a cell: 4-7
  xml += "</w:tc><w:tc>" + para(8) + "</w:tc></w:tr></w:tbl>" + para(9) + para(10) +
         "</w:body></w:document>";
  auto doc = OpenOk(Write(Minimal(xml)));
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->paragraphs().size(), 11u);
  const std::vector<int> container = {0, 0, 0, 0, 1, 1, 1, 1, 2, 0, 0};
  const std::vector<bool> last_of_cell = {0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0};
  std::vector<bool> removed(11);
  auto check = [&](const std::string& when) {
    for (size_t i = 0; i < 11; ++i) {
      int live = 0;
      for (size_t j = 0; j < 11; ++j) live += container[j] == container[i] && !removed[j];
      bool expected = !removed[i] && live > 1 && !last_of_cell[i];
      EXPECT_EQ(doc->paragraphs()[i].removable, expected) << i << " " << when;
    }
  };
  check("at first");
  // The body's middle paragraph is the one left; the cell keeps its last.
  for (size_t i : {10, 0, 3, 9, 4, 1, 6, 5}) {
    ASSERT_TRUE(doc->Remove(i).ok()) << i;
    removed[i] = true;
    check("after removing " + std::to_string(i));
  }
  for (size_t i : {2, 7, 8}) EXPECT_FALSE(doc->Remove(i).ok()) << i;
  auto again = SaveAndReopen(*doc);
  ASSERT_TRUE(again);
  EXPECT_EQ(Texts(*again), (std::vector<std::string>{"2", "7", "8"}));
}

// Removing most paragraphs of a large body one by one, and many edits in one paragraph of many
// runs, stay linear: both used to walk everything once per call (minutes for this document).
TEST_F(DocxDocumentTest, ManyRemovalsAndManyEditsInOneParagraphAreCheap) {
  constexpr size_t kParagraphs = 100'000, kPlaceholders = 20'000;
  std::string xml = kW;
  // Paragraph 0: each placeholder split over two runs, as Word leaves them.
  xml += "<w:p>";
  for (size_t k = 0; k < kPlaceholders; ++k) {
    xml += "<w:r><w:t>x{{v</w:t></w:r><w:r><w:t>}}</w:t></w:r>";
  }
  xml += "</w:p>";
  for (size_t i = 1; i < kParagraphs; ++i) {
    xml += "<w:p><w:r><w:t>p" + std::to_string(i) + "</w:t></w:r></w:p>";
  }
  xml += "<w:sectPr/></w:body></w:document>";
  auto doc = OpenOk(Write(Minimal(xml)));
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->paragraphs().size(), kParagraphs);

  size_t removed = 0;
  for (size_t i = 1; i < kParagraphs && removed < 99'000; ++i) {
    if (i % 100 == 0) continue;  // every hundredth stays
    ASSERT_TRUE(doc->Remove(i).ok()) << i;
    ++removed;
  }
  ASSERT_EQ(removed, 99'000u);
  size_t live = 0;
  for (size_t i = 0; i < kParagraphs; ++i) {
    const DocxParagraph& p = doc->paragraphs()[i];
    bool kept = i % 100 == 0;
    live += kept;
    EXPECT_EQ(p.removable, kept) << i;
    EXPECT_EQ(p.text.empty(), !kept) << i;
  }
  EXPECT_EQ(live, kParagraphs - 99'000);

  std::vector<TextEdit> edits;
  std::string expected;
  for (size_t k = 0; k < kPlaceholders; ++k) {
    edits.push_back({k * 6 + 1, 5, std::to_string(k)});  // "{{v}}" after each "x"
    expected += "x" + std::to_string(k);
  }
  ASSERT_TRUE(doc->Edit(0, edits).ok());
  EXPECT_EQ(doc->paragraphs()[0].text, expected);

  auto again = SaveAndReopen(*doc);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->paragraphs().size(), live);
  EXPECT_EQ(again->paragraphs()[0].text, expected);
  EXPECT_EQ(again->paragraphs()[1].text, "p100");
  EXPECT_EQ(again->paragraphs()[live - 1].text, "p99900");
}

// Each element that can hold paragraphs costs bookkeeping, even an empty one: a million empty
// cells (a few MB zipped) used to take half a gigabyte.
TEST_F(DocxDocumentTest, TooManyEmptyCellsAreRefused) {
  std::string xml = std::string(kW) + "<w:tbl><w:tr>";
  uint32_t noise = 12345;  // keeps the part from compressing past the zip ratio limit
  for (size_t i = 0; i <= 1'000'000; ++i) {
    if (i % 16 != 0) {
      xml += "<w:tc/>";
      continue;
    }
    noise = noise * 1103515245 + 12345;
    char cell[32];
    snprintf(cell, sizeof cell, "<w:tc x=\"%04x\"/>", noise >> 16);
    xml += cell;
  }
  xml += "</w:tr></w:tbl><w:p/></w:body></w:document>";
  auto doc = DocxDocument::Open(Write(Minimal(xml)));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument) << doc.status().ToString();
  EXPECT_NE(doc.status().message().find("文档内容过多"), std::string::npos)
      << doc.status().message();
}

TEST_F(DocxDocumentTest, DeepNestingIsRefused) {
  std::string xml = kW;
  for (int i = 0; i < 2'000; ++i) xml += "<w:sdt><w:sdtContent>";
  auto doc = DocxDocument::Open(Write(Minimal(xml)));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument) << doc.status().ToString();
  EXPECT_NE(doc.status().message().find("嵌套超过 1000 层"), std::string::npos)
      << doc.status().message();
}

TEST_F(DocxDocumentTest, TheWordTemplateRefersToNothingOutside) {
  auto doc = OpenWordTemplate();
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), std::nullopt);
}

// LibreOffice fetched the picture of <a:blip r:link> while converting to PDF.
TEST_F(DocxDocumentTest, ALinkedPictureIsAnExternalReference) {
  Entries entries = Minimal(std::string(kWR) +
                            "<w:p><w:r><w:drawing><a:blip r:link=\"rIdImg\"/></w:drawing></w:r>"
                            "</w:p></w:body></w:document>");
  entries.emplace_back("word/_rels/document.xml.rels",
                       Rels(Relationship("rIdImg", "image", "http://127.0.0.1:18777/x.png")));
  auto doc = OpenOk(Write(entries));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), "链接的外部图片 http://127.0.0.1:18777/x.png");

  // The same picture inside the package is no reference at all.
  entries.back().second = Rels(Relationship("rIdImg", "image", "media/image1.png", false));
  entries.emplace_back("word/media/image1.png", "\x89PNG");
  doc = OpenOk(Write(entries, "inside.docx"));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), std::nullopt);
}

// What is embedded is opened by a converter and read by nothing here: a document inside the
// document (altChunk, an embedded .docx or OLE object) may link outside on its own.
TEST_F(DocxDocumentTest, EmbeddedDocumentsAndObjectsAreReported) {
  Entries entries = Minimal(std::string(kWR) +
                            "<w:altChunk r:id=\"rIdChunk\"/></w:body></w:document>");
  entries.emplace_back("word/_rels/document.xml.rels",
                       Rels(Relationship("rIdChunk", "aFChunk", "afchunk.docx", false)));
  entries.emplace_back("word/afchunk.docx", std::string("PK\x03\x04inner", 9));
  auto doc = OpenOk(Write(entries));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), "嵌入的文档或对象 afchunk.docx");

  // An OLE object by its relationship.
  entries.back() = {"word/embeddings/oleObject1.bin", "\xD0\xCF\x11\xE0rest"};
  entries[entries.size() - 2].second =
      Rels(Relationship("rIdOle", "oleObject", "embeddings/oleObject1.bin", false));
  doc = OpenOk(Write(entries, "ole.docx"));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), "嵌入的文档或对象 embeddings/oleObject1.bin");

  // A zip or old Office file anywhere in the package, whatever leads to it.
  entries[entries.size() - 2].second = Rels("");
  entries.back() = {"word/media/image9.png", std::string("PK\x03\x04zip", 7)};
  doc = OpenOk(Write(entries, "zip-part.docx"));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), "嵌入的文件 word/media/image9.png");
}

TEST_F(DocxDocumentTest, OtherExternalRelationshipsAreReportedWhereverTheyAre) {
  Entries entries = WordTemplate();
  entries.emplace_back(
      "word/_rels/settings.xml.rels",
      Rels("<Relationship Id=\"rId1\" TargetMode=\" external \" Type=\"http://schemas."
           "openxmlformats.org/officeDocument/2006/relationships/attachedTemplate\" "
           "Target=\"file:///\\\\server\\share\\normal.dotm\"/>"));
  auto doc = OpenOk(Write(entries));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), "附加的外部模板 file:///\\\\server\\share\\normal.dotm");

  // A long target is cut, control and bidirectional-override characters blanked.
  std::string target = "http://a.example/\xE2\x80\xAE" + std::string(300, 'x');
  entries.back().second = Rels(Relationship("rId1", "oleObject", target + "&#10;"));
  doc = OpenOk(Write(entries, "long.docx"));
  ASSERT_TRUE(doc);
  std::string shown = doc->ExternalReference().value_or("");
  EXPECT_TRUE(shown.starts_with("链接的外部对象 http://a.example/ xxx")) << shown;
  EXPECT_LE(shown.size(), 130u) << shown;
  EXPECT_TRUE(shown.ends_with("x…")) << shown;
}

// A hyperlink stays a link in the PDF, nothing is fetched, unless something else uses it:
// LibreOffice looks a relationship up by its id whatever its type.
TEST_F(DocxDocumentTest, HyperlinksAreFineOnlyWhenUsedAsHyperlinks) {
  std::string link = Relationship("rIdLink", "hyperlink", "http://127.0.0.1:18777/x.png");
  Entries entries =
      Minimal(std::string(kWR) +
              "<w:p><w:hyperlink r:id=\"rIdLink\"><w:r><w:t>见网站</w:t></w:r></w:hyperlink></w:p>"
              "</w:body></w:document>");
  entries.emplace_back("word/_rels/document.xml.rels", Rels(link));
  auto doc = OpenOk(Write(entries));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), std::nullopt);

  entries[1].second = std::string(kWR) +
                      "<w:p><w:r><w:drawing><a:blip r:link=\"rIdLink\"/></w:drawing></w:r></w:p>"
                      "</w:body></w:document>";
  doc = OpenOk(Write(entries, "misused.docx"));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), "当作图片或对象使用的外部链接 http://127.0.0.1:18777/x.png");

  // In a part whose paragraphs are not listed (comments), read only for that.
  std::string comments =
      "<w:comments xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<w:comment w:id=\"0\"><w:p><w:hyperlink r:id=\"rIdLink\"/></w:p></w:comment></w:comments>";
  entries = Minimal(std::string(kW) + "<w:p/></w:body></w:document>");
  entries.emplace_back("word/comments.xml", comments);
  entries.emplace_back("word/_rels/comments.xml.rels", Rels(link));
  doc = OpenOk(Write(entries, "comments.docx"));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), std::nullopt);
  entries[2].second = ReplaceAll(comments, "<w:hyperlink r:id", "<v:imagedata o:relid");
  entries[2].second = ReplaceAll(entries[2].second, "xmlns:r=",
                                 "xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
                                 "xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:r=");
  doc = OpenOk(Write(entries, "comments2.docx"));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(), "当作图片或对象使用的外部链接 http://127.0.0.1:18777/x.png");
  entries[2].second = comments.substr(0, comments.size() / 2);  // unreadable: cannot vouch
  doc = OpenOk(Write(entries, "comments3.docx"));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ExternalReference(),
            "无法确认用途的外部链接 http://127.0.0.1:18777/x.png（word/comments.xml）");
}

TEST_F(DocxDocumentTest, FieldsThatIncludeAFileAreExternalReferences) {
  int n = 0;
  auto external = [&](const std::string& body) {
    auto doc = OpenOk(Write(Minimal(std::string(kW) + body + "</w:body></w:document>"),
                            "f" + std::to_string(++n) + ".docx"));
    return doc ? doc->ExternalReference() : std::optional<std::string>("<not opened>");
  };
  auto fld_char = [](const std::string& type) {
    return "<w:r><w:fldChar w:fldCharType=\"" + type + "\"/></w:r>";
  };
  auto instr = [](const std::string& code) {
    return "<w:r><w:instrText xml:space=\"preserve\">" + code + "</w:instrText></w:r>";
  };
  // A paragraph holding a field with these code runs.
  auto field = [&](const std::vector<std::string>& codes) {
    std::string xml = "<w:p>" + fld_char("begin");
    for (const std::string& code : codes) xml += instr(code);
    return xml + fld_char("separate") + "<w:r><w:t>图</w:t></w:r>" + fld_char("end") + "</w:p>";
  };
  EXPECT_EQ(
      external(field({" INCLUDEPICTURE \"http://127.0.0.1:18777/x.png\" \\* MERGEFORMATINET "})),
      "插入外部文件的域 INCLUDEPICTURE \"http://127.0.0.1:18777/x.png\" \\* MERGEFORMATINET");
  EXPECT_EQ(external(field({"  includePicture \"http://h/x.png\""})),
            "插入外部文件的域 includePicture \"http://h/x.png\"");
  // Word splits codes over runs too; the name is read across them.
  EXPECT_EQ(external(field({" INCLUDE", "PICTURE \"http://h/x", ".png\" "})),
            "插入外部文件的域 INCLUDEPICTURE \"http://h/x.png\"");
  EXPECT_TRUE(external(field({" LINK Excel.Sheet.12 \"C:\\\\a.xlsx\" \"\" \\a "}))
                  .value_or("")
                  .starts_with("插入外部文件的域 LINK Excel.Sheet.12"));
  // Nested in another field's code, and after a field's separate.
  EXPECT_EQ(external("<w:p>" + fld_char("begin") + instr(" IF 1 = 1 ") + fld_char("begin") +
                     instr("DDEAUTO c:\\\\x.exe") + fld_char("end") + fld_char("separate") +
                     fld_char("end") + "</w:p>"),
            "插入外部文件的域 DDEAUTO c:\\\\x.exe");
  EXPECT_EQ(external("<w:p>" + fld_char("begin") + instr(" PAGE ") + fld_char("separate") +
                     instr("INCLUDETEXT x.docx") + fld_char("end") + "</w:p>"),
            "插入外部文件的域 INCLUDETEXT x.docx");
  EXPECT_EQ(external("<w:p><w:fldSimple w:instr=\" INCLUDETEXT &quot;d:\\\\a.docx&quot; \">"
                     "<w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"),
            "插入外部文件的域 INCLUDETEXT \"d:\\\\a.docx\"");
  EXPECT_EQ(external("<w:p><w:r><w:instrText>IMPORT x.wmf</w:instrText></w:r></w:p>"),
            "插入外部文件的域 IMPORT x.wmf");  // a code outside any field

  // Fields that fetch nothing.
  EXPECT_EQ(external(field({" PAGE ", "\\* MERGEFORMAT "})), std::nullopt);
  EXPECT_EQ(external(field({" HYPERLINK \"http://h/\" \\o \"", "LINK to it\""})), std::nullopt);
  EXPECT_EQ(external(field({" INCLUDEPICTURES "})), std::nullopt);
  EXPECT_EQ(external("<w:p><w:fldSimple w:instr=\"PAGE\"/></w:p>"), std::nullopt);
  // Field results and ordinary text are not codes.
  EXPECT_EQ(external("<w:p><w:r><w:t>INCLUDEPICTURE \"http://h/x.png\"</w:t></w:r></w:p>"),
            std::nullopt);
}

// A hostile or wrong file gets a Chinese message, never a crash.
TEST_F(DocxDocumentTest, HostileInputsAreRefusedWithAChineseMessage) {
  auto expect_refused = [&](const std::string& path, const std::string& words) {
    auto doc = DocxDocument::Open(path);
    ASSERT_FALSE(doc.ok()) << path;
    EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument) << doc.status().ToString();
    EXPECT_NE(doc.status().message().find(words), std::string::npos) << doc.status().message();
  };
  std::ofstream(dir_ + "/random.docx") << "\x13\x37 这不是压缩包 random bytes";
  expect_refused(dir_ + "/random.docx", "不是有效的 Word 文档");
  std::ofstream(dir_ + "/old.doc", std::ios::binary)
      << std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) << std::string(600, '\0');
  expect_refused(dir_ + "/old.doc", "另存为 .docx");
  expect_refused(Write({{"[Content_Types].xml", "<Types/>"}}, "nodoc.docx"), "word/document.xml");
  expect_refused(Write(Minimal("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                               "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;\">]>" +
                               std::string(kW) +
                               "<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>"
                               "</w:body></w:document>"),
                       "bomb.docx"),
                 "DTD");
  expect_refused(Write(Minimal(std::string(kW) + "<w:p><w:r><w:t>x</w:r></w:p>"), "bad.docx"),
                 "XML 格式错误");
  expect_refused(Write(Minimal(std::string(kW) + "<w:p><w:r><w:t>x<w:b/></w:t></w:r></w:p>"
                                                 "</w:body></w:document>"),
                       "inner.docx"),
                 "结构异常");

  Entries bad_rels = WordTemplate();
  bad_rels[3].second.resize(bad_rels[3].second.size() - 10);  // word/_rels/document.xml.rels
  expect_refused(Write(bad_rels, "badrels.docx"), "document.xml.rels 第 2 行 XML 格式错误");

  std::string whole = ReadFile(Write(WordTemplate(), "whole.docx"));
  std::ofstream(dir_ + "/truncated.docx", std::ios::binary) << whole.substr(0, whole.size() / 2);
  expect_refused(dir_ + "/truncated.docx", "损坏");

  auto missing = DocxDocument::Open(dir_ + "/no-such.docx");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tz::io
