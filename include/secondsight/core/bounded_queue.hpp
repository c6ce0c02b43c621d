// A queue of a few items between one producing thread and one consuming thread: the producer
// works ahead while the consumer takes the previous item, and memory stays bounded.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace secondsight {

template <class T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : m_capacity(capacity) {}

  // Waits for room. False when the consumer has stopped: the producer ends.
  bool push(T item) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_items.size() < m_capacity || m_stopped; });
    if (m_stopped) return false;
    m_items.push_back(std::move(item));
    m_changed.notify_all();
    return true;
  }
  // Waits for an item; nullopt once the producer has closed the queue and it is empty.
  std::optional<T> pop() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_items.empty() || m_closed; });
    if (m_items.empty()) return std::nullopt;
    T item = std::move(m_items.front());
    m_items.pop_front();
    m_changed.notify_all();
    return item;
  }
  // The producer is done: pop drains what is left, then ends.
  void close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
  }
  // The consumer is done: a waiting or later push fails.
  void stop() {
    std::lock_guard lock(m_mutex);
    m_stopped = true;
    m_changed.notify_all();
  }

 private:
  std::size_t m_capacity;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<T> m_items;
  bool m_closed = false;
  bool m_stopped = false;
};

}  // namespace secondsight
