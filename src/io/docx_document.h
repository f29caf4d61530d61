// A .docx seen as paragraphs of plain text that can be edited in place. A cadre writes a report
// template in Word or WPS; Word splits what was typed as one word over several runs (<w:r>) with
// their own formatting, revision ids, spell-check marks and bookmarks in between. The report layer
// needs the text whole, and its edits must land back in those runs without disturbing anything
// else. So each XML part is kept as its original bytes, every <w:t> is located by byte offsets
// while parsing, and an edit splices only the bytes of the <w:t> elements it changes: styles,
// rsids, drawings and every part that is not edited come out byte for byte as they went in.
//
// Knows nothing of figures or placeholders: a generic docx text editor. expat and libzip stay in
// the .cc files.
//
// What counts as text: only the contents of w:t, in document order — w:t inside inserted
// revisions (w:ins) and field results included; w:delText (deleted revisions), w:instrText (field
// codes), math (m:t) excluded. w:tab, w:br, w:cr and w:sym contribute nothing, so "a<tab/>b" reads
// "ab". A paragraph nested in another one (a text box anchored in a run) is a paragraph of its own,
// listed after the one holding it; Word writes each text box twice (mc:Choice as DrawingML,
// mc:Fallback as VML), and both copies are listed, so an edit meant for the box is made in both.
#ifndef TAIZHANG_IO_DOCX_DOCUMENT_H_
#define TAIZHANG_IO_DOCX_DOCUMENT_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace tz::io {

struct DocxParagraph {
  std::string part;  // "word/document.xml", "word/header1.xml", …
  std::string text;  // its w:t contents in order, UTF-8, references decoded; Edit updates it
  // False when it holds a w:sectPr, a drawing, picture, object, field, note or comment reference,
  // a text box or half of a bookmark, when it is the last paragraph of a table cell (Word wants
  // one there), or the only one left in the body, a text box, header, footer or note; and once
  // removed.
  bool removable = false;
};

// Replace `length` bytes of DocxParagraph::text at `offset` with `text`.
struct TextEdit {
  size_t offset = 0;
  size_t length = 0;
  std::string text;
};

class DocxDocument {
 public:
  // Reads the whole package (at most 64 MB on disk, 64 MB per part and 256 MB in all once
  // inflated), and parses the parts listed under paragraphs() and every *.rels part. Errors:
  // NotFound for a missing file; InvalidArgument with a Chinese message for a file that is not a
  // docx (an old .doc, another file renamed), a damaged or truncated zip, no word/document.xml, a
  // parsed part that is not well-formed XML (or, for those listed under paragraphs(), not UTF-8),
  // a DOCTYPE or entity declaration, elements nested more than 1,000 deep, or more than 1,000,000
  // paragraphs, text pieces, elements that can hold paragraphs (table cells, content controls…,
  // empty ones included), bookmarks, fields and relationships together: more than any real
  // document has, and what would cost a hostile file gigabytes of bookkeeping.
  static Result<std::unique_ptr<DocxDocument>> Open(const std::string& path);
  ~DocxDocument();
  DocxDocument(const DocxDocument&) = delete;
  DocxDocument& operator=(const DocxDocument&) = delete;

  // Paragraphs in order: word/document.xml (body, tables, text boxes), then word/header*.xml,
  // word/footer*.xml (each by number), word/footnotes.xml and word/endnotes.xml. Indices stay
  // valid after Edit and Remove.
  const std::vector<DocxParagraph>& paragraphs() const { return paragraphs_; }

  // Applies `edits` (sorted, not overlapping, offsets into the paragraph's current text, on UTF-8
  // character boundaries) to the paragraph's text. Each replacement goes into the w:t holding the
  // first byte of its range and keeps that run's formatting; the text of later w:t the range
  // covers is removed (their runs stay, empty). An insertion at the end of the text goes into the
  // last w:t. Characters XML 1.0 cannot hold are dropped from the replacements. Calls can be
  // repeated: each sees the text the previous one left. Errors: InvalidArgument for a bad index or
  // bad ranges, or inserting into a paragraph without any w:t; FailedPrecondition once removed.
  // Nothing is changed on error.
  Status Edit(size_t paragraph, const std::vector<TextEdit>& edits);

  // Removes the paragraph, element and all, and updates `removable` (the last one left in its
  // container stops being removable). Errors: InvalidArgument for a bad index;
  // FailedPrecondition when it is not removable (blank it with Edit instead).
  Status Remove(size_t paragraph);

  // The first reference to something outside the package that a program opening the document
  // might load — a relationship with TargetMode="External" other than a hyperlink (linked
  // pictures, linked OLE objects, attached templates, frames, subdocuments), or a field that
  // includes another file (INCLUDEPICTURE, INCLUDETEXT, INCLUDE, LINK, DDE, DDEAUTO, IMPORT) —
  // described for a cadre ("链接的外部图片 http://…"); nullopt when there is none. LibreOffice
  // fetches such things while converting to PDF: a server must not let it.
  //
  // Every relationship of every *.rels part is looked at (TargetMode compared ignoring case). An
  // external hyperlink is fine (a PDF keeps it as a link) only where it is used as one: LibreOffice
  // looks relationships up by id whatever their type, so one referred to by anything but the r:id
  // of w:hyperlink or a:hlinkClick/Hover (a picture's r:link or r:embed, VML's o:relid…) is
  // reported, as is one belonging to a part that does not parse. Field codes are read only in the
  // parts listed under paragraphs(), not in comments or the glossary: w:fldSimple/@w:instr, and
  // the w:instrText (and w:delInstrText) runs of a field joined from fldChar begin to separate, so
  // a name split over runs ("INCLUDE" "PICTURE") is found. The name is the ASCII letters after
  // leading spaces, any case (INCLUDE is Word's old name of INCLUDETEXT). A code run outside a
  // field, or after its separate, is read as a field of its own. "First": relationship parts in
  // zip order, then the paragraphs' parts in order. The description holds at most ~100 bytes of
  // target or code, with control and bidirectional-override characters blanked. Also reported:
  // anything embedded that a converter would open and this scan does not read — an altChunk,
  // package, OLE object or subdocument relationship, or any part that is itself a zip or an old
  // Office (OLE2) file.
  std::optional<std::string> ExternalReference() const;

  // Writes the package to `path` through ZipWriter (the file is replaced only once complete):
  // entries in the original order, each part without edits byte for byte as read. Errors: those of
  // ZipWriter (IoError when the directory is missing or not writable).
  Status Save(const std::string& path) const;

 private:
  struct Part;
  struct Piece;
  struct Para;
  struct Container;
  class Parser;

  DocxDocument();
  std::string Rewrite(size_t part) const;
  // Sets `removable` for the container's paragraphs, at Open (Remove updates it in place).
  void Recount(size_t container);

  std::vector<Part> parts_;  // every zip entry, in order
  std::vector<Para> paras_;  // parallel to paragraphs_
  std::vector<Container> containers_;
  std::vector<DocxParagraph> paragraphs_;
  std::optional<std::string> external_;
};

}  // namespace tz::io

#endif  // TAIZHANG_IO_DOCX_DOCUMENT_H_
