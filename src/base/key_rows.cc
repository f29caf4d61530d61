#include "base/key_rows.h"

#include <functional>

namespace tz {

size_t KeyRows::Find(std::string_view key, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.row == 0) return i;
    if (s.hash == hash && s.length == key.size() &&
        std::string_view(arena_).substr(s.offset, s.length) == key) {
      return i;
    }
  }
}

void KeyRows::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.row == 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].row != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::optional<int64_t> KeyRows::Insert(std::string_view key, int64_t row) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();  // at most half full: short probe runs
  const uint64_t hash = std::hash<std::string_view>{}(key);
  Slot& slot = slots_[Find(key, hash)];
  if (slot.row != 0) return slot.row;
  slot = {hash, arena_.size(), static_cast<uint32_t>(key.size()), row};
  arena_.append(key);
  ++size_;
  return std::nullopt;
}

bool KeyRows::Contains(std::string_view key) const {
  if (slots_.empty()) return false;
  return slots_[Find(key, std::hash<std::string_view>{}(key))].row != 0;
}

}  // namespace tz
