// Keys seen once each, with the row where each was first seen: duplicate detection for imports of
// up to a million rows. A flat open-addressing table over one arena of key bytes, because a
// million small strings in a std::unordered_map cost a node allocation and a cache miss apiece —
// a tenth of a whole import.
#ifndef TAIZHANG_BASE_KEY_ROWS_H_
#define TAIZHANG_BASE_KEY_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tz {

class KeyRows {
 public:
  // Records `key` at `row` (row > 0). When the key was recorded before, keeps the first row and
  // returns it.
  std::optional<int64_t> Insert(std::string_view key, int64_t row);
  bool Contains(std::string_view key) const;
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint64_t offset = 0;  // into arena_
    uint32_t length = 0;
    int64_t row = 0;  // 0: empty slot
  };
  // The slot holding `key`, or the empty slot where it would go.
  size_t Find(std::string_view key, uint64_t hash) const;
  void Grow();

  std::vector<Slot> slots_;
  std::string arena_;
  size_t size_ = 0;
};

}  // namespace tz

#endif  // TAIZHANG_BASE_KEY_ROWS_H_
