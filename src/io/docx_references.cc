// The scan for references to things outside the package (DocxDocument::ExternalReference): the
// relationships of the .rels parts, and how the other parts use external hyperlinks. The field
// codes are read by DocxDocument::Parser in docx_document.cc.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.h"
#include "io/docx_xml.h"

namespace tz::io::docx_internal {

namespace {

constexpr std::string_view kRel =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr std::string_view kRelStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships";
constexpr std::string_view kOffice = "urn:schemas-microsoft-com:office:office";  // VML o:relid

// The last segment of a relationship type, lower case: "image" for
// "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image".
std::string RelKind(std::string_view type) {
  size_t slash = type.rfind('/');
  return AsciiLower(TrimSpace(slash == npos ? type : type.substr(slash + 1)));
}

// The Relationship elements of a .rels part: the first external one that is not a hyperlink goes
// to `external`, external hyperlinks to `links` (whether they are used as such is known only once
// the part they belong to is read). Attributes are matched by local name, in any namespace: a
// namespaced TargetMode that no program reads at most reports a link too many.
class RelsParser : public ExpatRun {
 public:
  RelsParser(const std::string& part_name, size_t& records, std::optional<std::string>& external,
             Links& links)
      : ExpatRun(part_name, records), external_(external), links_(links) {}

 private:
  void OnStart(const char* raw, const char** atts) override {
    if (SplitName(raw).second != "Relationship" || !Count1()) return;
    bool external = false, hyperlink = false;
    std::optional<std::string_view> other;  // a type that is not a hyperlink's
    std::string_view target;
    std::vector<std::string_view> ids;
    for (; atts[0] != nullptr; atts += 2) {
      std::string_view name = SplitName(atts[0]).second, value = atts[1];
      if (name == "TargetMode") {
        external = external || AsciiLower(TrimSpace(value)) == "external";
      } else if (name == "Type") {
        if (RelKind(value) == "hyperlink") {
          hyperlink = true;
        } else if (!other) {
          other = value;
        }
      } else if (name == "Target") {
        if (target.empty()) target = value;
      } else if (name == "Id") {
        ids.push_back(value);
      }
    }
    // A document or object embedded in the package (altChunk, an embedded .docx or .xlsx, an OLE
    // object): LibreOffice opens it while converting, and it may link outside in ways this scan
    // does not read — old binary Office formats included.
    const std::string kind = RelKind(other.value_or(""));
    if (!external && (kind == "afchunk" || kind == "package" || kind == "oleobject" ||
                      kind == "subdocument")) {
      if (!external_) external_ = "嵌入的文档或对象 " + Clip(target);
      return;
    }
    if (!external) return;
    if (hyperlink && !other) {
      for (std::string_view id : ids) links_.emplace(id, target);
    } else if (!external_) {
      external_ = DescribeRel(other.value_or(""), target);
    }
  }
  void OnEnd(const char*) override {}

  std::optional<std::string>& external_;
  Links& links_;
};

// Reads a part that is not one of the paragraphs' (comments, a chart…) only to see how it uses
// its external hyperlinks.
class LinkScan : public ExpatRun {
 public:
  LinkScan(const std::string& part_name, size_t& records, const Links& links)
      : ExpatRun(part_name, records), links_(links) {}
  const std::string* misused = nullptr;

 private:
  void OnStart(const char* raw, const char** atts) override {
    if (misused == nullptr) misused = MisusedLink(SplitName(raw).second, atts, links_);
  }
  void OnEnd(const char*) override {}

  const Links& links_;
};

}  // namespace

// `s` fit to show a cadre in one line: valid UTF-8, control and bidirectional-override characters
// (which could make a link read as something else) as spaces, trimmed, at most kMaxShown bytes
// with "…" after a cut.
std::string Clip(std::string_view s) {
  std::string out;
  for (size_t i = 0, start = 0; i < s.size(); start = i) {
    uint32_t cp = 0;
    if (!DecodeUtf8(s, &i, &cp)) {
      ++i;
      continue;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    if (out.size() + (i - start) > kMaxShown) {
      out = std::string(TrimSpace(out));
      return out + "…";
    }
    out.append(s.substr(start, i - start));
  }
  return std::string(TrimSpace(out));
}

std::string DescribeRel(std::string_view type, std::string_view target) {
  std::string kind = RelKind(type);
  std::string_view what = kind == "image"              ? "链接的外部图片"
                          : kind == "oleobject"        ? "链接的外部对象"
                          : kind == "attachedtemplate" ? "附加的外部模板"
                          : kind == "subdocument"      ? "链接的外部子文档"
                          : kind == "frame"            ? "链接的外部网页框架"
                          : kind == "hyperlink" ? "当作图片或对象使用的外部链接"
                          : OneOf(kind, {"audio", "video", "media"}) ? "链接的外部音视频"
                                                                     : "外部链接";
  return std::string(what) + " " + Clip(target);
}

// The part whose relationships a .rels part holds, lower case: "word/document.xml" for
// "word/_rels/document.xml.rels", "" for the package's own "_rels/.rels"; nullopt for a name of
// another form (no program looks at it).
std::optional<std::string> RelsSource(const std::string& name) {
  std::string lower = AsciiLower(name);
  if (!EndsWith(lower, ".rels")) return std::nullopt;
  size_t slash = lower.rfind('/');
  if (slash == npos) return std::nullopt;
  std::string dir = lower.substr(0, slash + 1);  // "word/_rels/"
  if (!EndsWith(dir, "_rels/") || (dir.size() > 6 && dir[dir.size() - 7] != '/')) {
    return std::nullopt;
  }
  return dir.substr(0, dir.size() - 6) + lower.substr(slash + 1, lower.size() - slash - 6);
}

// The target of an external hyperlink in `links` that the element `local` refers to other than as
// a hyperlink. LibreOffice looks a relationship up by its id whatever its type, so a picture
// (<a:blip r:link>, <v:imagedata o:relid>) pointing at a "hyperlink" would load it.
const std::string* MisusedLink(std::string_view local, const char** atts, const Links& links) {
  for (; atts[0] != nullptr; atts += 2) {
    auto [uri, name] = SplitName(atts[0]);
    if (uri != kRel && uri != kRelStrict && !(uri == kOffice && name == "relid")) continue;
    auto it = links.find(atts[1]);
    if (it == links.end()) continue;
    if (name == "id" && OneOf(local, {"hyperlink", "hlinkClick", "hlinkHover", "hlinkMouseOver"})) {
      continue;
    }
    return &it->second;
  }
  return nullptr;
}

Status ScanRels(const std::string& name, const std::string& bytes, size_t& records,
                std::optional<std::string>& external, Links& links) {
  return RelsParser(name, records, external, links).Parse(bytes);
}

Result<const std::string*> ScanLinks(const std::string& name, const std::string& bytes,
                                     size_t& records, const Links& links) {
  LinkScan scan(name, records, links);
  TZ_RETURN_IF_ERROR(scan.Parse(bytes));
  return scan.misused;
}

}  // namespace tz::io::docx_internal
