#include "service/header_match.h"

#include <algorithm>

#include "base/strings.h"

namespace tz::service {
namespace {

bool StripSuffix(std::string* s, std::string_view suffix) {
  if (!EndsWith(*s, suffix)) return false;
  s->resize(s->size() - suffix.size());
  return true;
}

bool StripPrefix(std::string* s, std::string_view prefix) {
  if (!StartsWith(*s, prefix)) return false;
  s->erase(0, prefix.size());
  return true;
}

std::string CellLabel(const io::SheetRow& row, size_t col) {
  if (col >= row.cells.size() || row.cells[col].kind != io::CellKind::kText) return {};
  return NormalizeLabel(row.cells[col].text);
}

// Labels of one candidate header, one per sheet column: from a single row, or from two rows where
// the lower row names the column under a merged group cell and a vertically merged cell names it
// in the upper row only.
std::vector<std::string> CandidateLabels(const pack::Ledger& ledger, const io::SheetRow& top,
                                         const io::SheetRow* below) {
  size_t width = top.cells.size();
  if (below) width = std::max(width, below->cells.size());
  std::vector<std::string> labels(width);
  for (size_t c = 0; c < width; ++c) {
    std::string a = CellLabel(top, c);
    if (!below) {
      labels[c] = std::move(a);
      continue;
    }
    std::string b = CellLabel(*below, c);
    if (!b.empty() && ledger.ColumnIndex(b) >= 0) {
      labels[c] = std::move(b);
    } else if (!a.empty() && ledger.ColumnIndex(a) >= 0) {
      labels[c] = std::move(a);
    } else if (!a.empty() && !b.empty() && ledger.ColumnIndex(a + b) >= 0) {
      labels[c] = a + b;  // 户主 over 姓名 → 户主姓名
    } else {
      labels[c] = b.empty() ? std::move(a) : std::move(b);
    }
  }
  return labels;
}

HeaderMatch Evaluate(const pack::Ledger& ledger, const std::vector<std::string>& labels) {
  HeaderMatch m;
  m.source_of.assign(ledger.columns.size(), -1);
  m.width = static_cast<int>(labels.size());
  for (size_t c = 0; c < labels.size(); ++c) {
    if (labels[c].empty()) continue;
    int col = ledger.ColumnIndex(labels[c]);
    if (col < 0) {
      m.unknown.emplace_back(static_cast<int>(c), labels[c]);
    } else if (m.source_of[static_cast<size_t>(col)] >= 0) {
      m.duplicates.emplace_back(static_cast<int>(c), labels[c]);
    } else {
      m.source_of[static_cast<size_t>(col)] = static_cast<int>(c);
      ++m.matched;
    }
  }
  return m;
}

}  // namespace

bool HeaderMatch::Plausible(const pack::Ledger& ledger) const {
  int required = 0, found = 0;
  for (size_t c = 0; c < ledger.columns.size(); ++c) {
    if (!ledger.columns[c].required) continue;
    ++required;
    found += source_of.size() > c && source_of[c] >= 0;
  }
  return matched > 0 && found * 2 >= required;
}

std::string NormalizeLabel(std::string_view cell) {
  std::string out;
  out.reserve(cell.size());
  for (size_t i = 0; i < cell.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(cell[i]);
    if (c <= ' ' || c == 0x7f) continue;
    if (cell.substr(i, 3) == "\xE3\x80\x80") {  // U+3000 ideographic space
      i += 2;
      continue;
    }
    out += cell[i];
  }
  bool changed = true;
  while (changed) {
    changed = StripSuffix(&out, "*") || StripSuffix(&out, "＊") || StripPrefix(&out, "*") ||
              StripPrefix(&out, "＊") || StripSuffix(&out, "（必填）") ||
              StripSuffix(&out, "(必填)");
  }
  return out;
}

HeaderMatch FindHeader(const pack::Ledger& ledger, const std::vector<io::SheetRow>& rows) {
  HeaderMatch best;
  best.source_of.assign(ledger.columns.size(), -1);
  std::vector<HeaderMatch> single;
  single.reserve(rows.size());
  for (const io::SheetRow& row : rows) {
    single.push_back(Evaluate(ledger, CandidateLabels(ledger, row, nullptr)));
    single.back().first_row = single.back().last_row = row.number;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (single[i].matched > best.matched) best = single[i];
    // A pair of rows is a two-row header only when it names more columns than either row alone;
    // otherwise it is a header and a data row, or a title and a header.
    if (i + 1 >= rows.size() || rows[i + 1].number != rows[i].number + 1) continue;
    HeaderMatch pair = Evaluate(ledger, CandidateLabels(ledger, rows[i], &rows[i + 1]));
    if (pair.matched > std::max(single[i].matched, single[i + 1].matched) &&
        pair.matched > best.matched) {
      pair.first_row = rows[i].number;
      pair.last_row = rows[i + 1].number;
      best = std::move(pair);
    }
  }
  return best;
}

}  // namespace tz::service
