// Converting a document to PDF with LibreOffice, run headless as a child process. taizhang writes
// DOCX itself; PDF needs a layout engine, and LibreOffice (libreoffice-writer-nogui on Debian) is
// the one a town office PC can install. It is optional: without it, asking for a PDF is refused
// with a message that says what to install.
//
// Each conversion runs in a fresh temporary LibreOffice profile, so conversions may run at the
// same time (two processes sharing a profile block each other) and nothing is left in $HOME; the
// profile sends every network request to a proxy that does not exist, so a document's links are
// not fetched from the server's network. The
// program is started with an argument vector (no shell) and killed, with everything it started,
// when it overruns its time.
#ifndef TAIZHANG_IO_OFFICE_CONVERT_H_
#define TAIZHANG_IO_OFFICE_CONVERT_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace tz::io {

// The LibreOffice program: $TZ_SOFFICE when set (a path; empty or "none" means "not installed"),
// else the first of soffice, libreoffice found on $PATH. nullopt when there is none.
std::optional<std::string> FindSoffice();

// OK when FindSoffice finds LibreOffice; else the FailedPrecondition ConvertToPdf would return,
// so a caller can refuse before doing any work.
Status PdfConversionAvailable();

// A font the document names and faces to use when it is not installed, in order of preference:
// a 公文 names 仿宋_GB2312, which a Linux machine rarely has, and fontconfig would otherwise fall
// back to a sans-serif face. An installed font of the named family always wins.
struct FontFallback {
  std::string family;
  std::vector<std::string> faces;
};

// Converts `input` (a .docx) to a PDF at `output`, replacing `output` only once it is complete.
// `fonts` go into a fontconfig file of the conversion's own (FONTCONFIG_FILE, which includes the
// system's configuration first).
// At most one conversion runs at a time in a process. Errors: FailedPrecondition when LibreOffice
// is not installed (the message names the package) or another conversion is running;
// Internal when LibreOffice fails, writes no PDF or runs longer than `timeout` (then it is killed);
// IoError when `output` cannot be written.
Status ConvertToPdf(const std::string& input, const std::string& output,
                    const std::vector<FontFallback>& fonts = {},
                    std::chrono::seconds timeout = std::chrono::seconds(180));

}  // namespace tz::io

#endif  // TAIZHANG_IO_OFFICE_CONVERT_H_
