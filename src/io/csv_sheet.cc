// A CSV file seen as a one-sheet workbook of text cells, so that CSV and Excel files share one
// import path (header search, validation, error workbook).
#include <filesystem>

#include "base/strings.h"
#include "io/csv_reader.h"
#include "io/sheet.h"

namespace tz::io {
namespace {

class CsvSheetReader final : public SheetReader {
 public:
  CsvSheetReader(std::string path, const SheetLimits& limits)
      : path_(std::move(path)), limits_(limits) {
    names_.push_back(std::filesystem::path(path_).stem().string());
  }

  WorkbookFormat format() const override { return WorkbookFormat::kCsv; }
  const std::vector<std::string>& sheet_names() const override { return names_; }
  bool date1904() const override { return false; }
  std::string text_encoding() const override { return encoding_; }

  Status ForEachRow(size_t index, const SheetRowFn& on_row) override {
    if (index != 0) return Status::InvalidArgument("CSV 文件只有一个工作表", "csv sheet index");
    CsvLimits csv;
    csv.max_bytes = limits_.max_file_bytes;
    csv.max_fields = limits_.max_columns;
    csv.max_field_bytes = limits_.max_cell_bytes;
    // An early stop unwinds the CSV reader with a status that `stopped` marks as not an error.
    bool stopped = false;
    SheetRow row;
    int64_t rows = 0;
    CsvInfo info;
    Status st = ForEachCsvRecordInFile(
        path_, csv,
        [&](CsvRecord&& rec) -> Status {
          if (++rows > limits_.max_rows) {
            return Status::InvalidArgument(
                "文件超过 " + std::to_string(limits_.max_rows) + " 行，请分成几个文件导入",
                "more than " + std::to_string(limits_.max_rows) + " rows");
          }
          row.number = rec.row;
          row.cells.resize(rec.fields.size());
          bool any = false;
          for (size_t i = 0; i < rec.fields.size(); ++i) {
            Cell& c = row.cells[i];
            c.text = std::move(rec.fields[i]);
            c.kind = TrimSpace(c.text).empty() ? CellKind::kEmpty : CellKind::kText;
            any = any || c.kind != CellKind::kEmpty;
          }
          if (!any) return Status::Ok();
          TZ_ASSIGN_OR_RETURN(bool more, on_row(row));
          if (more) return Status::Ok();
          stopped = true;
          return Status::Internal("stopped", "csv early stop");
        },
        &info);
    encoding_ = TextEncodingName(info.encoding);
    return stopped ? Status::Ok() : st;
  }

 private:
  std::string path_;
  SheetLimits limits_;
  std::vector<std::string> names_;
  std::string encoding_;
};

}  // namespace

Result<std::unique_ptr<SheetReader>> OpenCsvSheet(const std::string& path,
                                                  const SheetLimits& limits) {
  return std::unique_ptr<SheetReader>(new CsvSheetReader(path, limits));
}

}  // namespace tz::io
