// ConvertToPdf against the installed LibreOffice (scripts/deps.sh installs it; without it these
// tests fail and say so): a PDF comes out whole or not at all, an absent LibreOffice is a clear
// FailedPrecondition, and a document's linked picture is not fetched from the network.
#include "io/office_convert.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "io/zip_writer.h"

namespace tz::io {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWordNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
    "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

// A one-paragraph document; with `picture_url`, a picture linked (not embedded) from there.
std::string WriteDocx(const std::string& path, const std::string& picture_url = "") {
  std::string body = "<w:p><w:r><w:t>台账报告</w:t></w:r></w:p>";
  std::string rels =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  if (!picture_url.empty()) {
    body +=
        "<w:p><w:r><w:drawing><wp:inline><wp:extent cx=\"914400\" cy=\"914400\"/><wp:docPr "
        "id=\"1\" name=\"P\"/><a:graphic><a:graphicData "
        "uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr>"
        "<pic:cNvPr id=\"1\" name=\"p\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip "
        "r:link=\"rIdImg\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm>"
        "<a:off x=\"0\" y=\"0\"/><a:ext cx=\"914400\" cy=\"914400\"/></a:xfrm><a:prstGeom "
        "prst=\"rect\"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"
        "</w:r></w:p>";
    rels +=
        "<Relationship Id=\"rIdImg\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" "
        "Target=\"" +
        picture_url + "\" TargetMode=\"External\"/>";
  }
  rels += "</Relationships>";
  auto zip = ZipWriter::Create(path);
  EXPECT_TRUE(zip.ok());
  if (!zip.ok()) return path;
  EXPECT_TRUE((*zip)
                  ->Add("[Content_Types].xml",
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
                        "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                        "<Default Extension=\"rels\" "
                        "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                        "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Override "
                        "PartName=\"/word/document.xml\" "
                        "ContentType=\"application/"
                        "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
                        "</Types>")
                  .ok());
  EXPECT_TRUE((*zip)
                  ->Add("_rels/.rels",
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
                        "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                        "<Relationship Id=\"rId1\" "
                        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                        "relationships/officeDocument\" Target=\"word/document.xml\"/>"
                        "</Relationships>")
                  .ok());
  EXPECT_TRUE((*zip)
                  ->Add("word/document.xml", std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                                                         "<w:document ") +
                                                 kWordNs + "><w:body>" + body +
                                                 "<w:sectPr/></w:body></w:document>")
                  .ok());
  EXPECT_TRUE((*zip)->Add("word/_rels/document.xml.rels", rels).ok());
  EXPECT_TRUE((*zip)->Close().ok());
  return path;
}

std::string Head(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

class OfficeConvertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(FindSoffice().has_value())
        << "LibreOffice is not installed (scripts/deps.sh installs libreoffice-writer-nogui)";
    char tmpl[] = "/tmp/office_convert_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(OfficeConvertTest, WritesAPdfOrLeavesTheTargetAlone) {
  const std::string pdf = dir_ + "/报告 1.pdf";  // a space and Chinese in the target's name
  ASSERT_TRUE(ConvertToPdf(WriteDocx(dir_ + "/in.docx"), pdf).ok());
  EXPECT_EQ(Head(pdf, 5), "%PDF-");

  // A conversion that overruns its time is killed with everything it started: an error, the
  // earlier PDF untouched, no part file left.
  const std::string before = Head(pdf, 1 << 20);
  Status s = ConvertToPdf(dir_ + "/in.docx", pdf, {}, std::chrono::seconds(0));
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  EXPECT_NE(s.message().find("超时"), std::string::npos) << s.message();
  EXPECT_EQ(Head(pdf, 1 << 20), before);
  EXPECT_FALSE(fs::exists(pdf + ".part"));
}

TEST_F(OfficeConvertTest, WithoutLibreOfficeSaysWhatToInstall) {
  setenv("TZ_SOFFICE", "none", 1);
  Status s = ConvertToPdf(WriteDocx(dir_ + "/in.docx"), dir_ + "/out.pdf");
  unsetenv("TZ_SOFFICE");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("libreoffice-writer-nogui"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir_ + "/out.pdf"));
}

// The checks of a Word template refuse linked pictures before a conversion; the conversion's own
// profile is the second line: nothing is fetched even when a link gets through.
TEST_F(OfficeConvertTest, ALinkedPictureIsNotFetched) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(listener, 8), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/probe.png";

  const std::string pdf = dir_ + "/linked.pdf";
  Status s = ConvertToPdf(WriteDocx(dir_ + "/linked.docx", url), pdf);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Head(pdf, 5), "%PDF-");

  fcntl(listener, F_SETFL, O_NONBLOCK);
  int conn = accept(listener, nullptr, nullptr);
  EXPECT_LT(conn, 0) << "LibreOffice connected to " << url;
  if (conn >= 0) close(conn);
  close(listener);
}

}  // namespace
}  // namespace tz::io
