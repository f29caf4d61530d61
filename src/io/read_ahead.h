// Reading a sheet on a second thread while the caller works on the rows already read. An import
// spends its time in three parts of similar size: inflating and parsing XML, checking cells, and
// writing to the database; a township PC has at least two cores, so the first two run on a
// background thread and the last on the caller's.
#ifndef TAIZHANG_IO_READ_AHEAD_H_
#define TAIZHANG_IO_READ_AHEAD_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "io/sheet.h"

namespace tz::io {

namespace internal {

// The hand-over between the reading thread and the caller: at most `max_batches` batches wait.
template <typename Item>
class BatchQueue {
 public:
  explicit BatchQueue(size_t max_batches) : max_batches_(max_batches) {}

  // Producer: blocks while the queue is full. False when the consumer has stopped.
  bool Push(std::vector<Item>&& batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return batches_.size() < max_batches_ || stopped_; });
    if (stopped_) return false;
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
    return true;
  }
  void Finish(Status status) {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
    status_ = std::move(status);
    not_empty_.notify_one();
  }
  // Consumer: blocks until a batch or the end; false at the end (see status()).
  bool Pop(std::vector<Item>* batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !batches_.empty() || finished_; });
    if (batches_.empty()) return false;
    *batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return true;
  }
  // Consumer: no more items are wanted.
  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    batches_.clear();
    not_full_.notify_one();
  }
  Status status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

 private:
  const size_t max_batches_;
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::vector<Item>> batches_;
  bool finished_ = false, stopped_ = false;
  Status status_;
};

}  // namespace internal

struct ReadAheadOptions {
  size_t batch_rows = 256;
  size_t max_batches = 8;  // memory bound: batch_rows * max_batches rows in flight
};

// Like reader.ForEachRow(sheet, …) in two stages: `prepare(row, &item)` runs on a background
// thread right after the row is read (it must only read shared state) and keeps in `item` what
// the caller needs of the row (rows are not copied across: a row's cells are the bulk of the
// reading's memory traffic); `consume(item)` runs on the calling thread, in row order. An error or
// an early stop (consume returning false) on either side stops the other soon; rows read before an
// error are consumed before the error is returned. The reader is used only by the background thread
// for the duration of the call.
template <typename Item>
Status ForEachRowPipelined(SheetReader& reader, size_t sheet,
                           const std::function<Status(const SheetRow&, Item*)>& prepare,
                           const std::function<Result<bool>(Item&)>& consume,
                           ReadAheadOptions options = {}) {
  using Entry = Item;
  internal::BatchQueue<Entry> queue(options.max_batches);
  std::thread producer([&] {
    std::vector<Entry> batch;
    batch.reserve(options.batch_rows);
    bool consumer_stopped = false;
    Status st = reader.ForEachRow(sheet, [&](const SheetRow& row) -> Result<bool> {
      batch.emplace_back();
      if (Status st = prepare(row, &batch.back()); !st.ok()) {
        batch.pop_back();  // not delivered: the error stands for it
        return st;
      }
      if (batch.size() < options.batch_rows) return true;
      if (!queue.Push(std::move(batch))) {
        consumer_stopped = true;
        return false;
      }
      batch = {};
      batch.reserve(options.batch_rows);
      return true;
    });
    // The rows read before an error are delivered before the error is.
    if (!consumer_stopped && !batch.empty()) queue.Push(std::move(batch));
    queue.Finish(std::move(st));
  });

  Status result;
  std::vector<Entry> batch;
  bool going = true;
  while (going && queue.Pop(&batch)) {
    for (Entry& e : batch) {
      Result<bool> more = consume(e);
      if (!more.ok()) result = more.status();
      if (!more.ok() || !*more) {
        going = false;
        break;
      }
    }
  }
  if (!going) queue.Stop();
  producer.join();
  if (!result.ok()) return result;
  return going ? queue.status() : Status::Ok();
}

// The one-stage form: reading ahead, nothing prepared.
Status ForEachRowReadAhead(SheetReader& reader, size_t sheet, const SheetRowFn& on_row,
                           ReadAheadOptions options = {});

}  // namespace tz::io

#endif  // TAIZHANG_IO_READ_AHEAD_H_
