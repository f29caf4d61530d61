#include "io/read_ahead.h"

namespace tz::io {

Status ForEachRowReadAhead(SheetReader& reader, size_t sheet, const SheetRowFn& on_row,
                           ReadAheadOptions options) {
  return ForEachRowPipelined<SheetRow>(
      reader, sheet,
      [](const SheetRow& row, SheetRow* copy) {
        *copy = row;
        return Status::Ok();
      },
      [&](SheetRow& row) { return on_row(row); }, options);
}

}  // namespace tz::io
