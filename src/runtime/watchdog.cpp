// Copyright Crush authors.
#include "runtime/watchdog.hpp"

namespace crush {

Watchdog::Watchdog(std::chrono::milliseconds timeout, std::function<void()> on_deadline)
    : m_on_deadline(std::move(on_deadline)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    m_thread = std::thread([this, deadline] {
        std::unique_lock lock(m_mutex);
        if (m_cv.wait_until(lock, deadline, [this] { return m_stopped; })) return;
        m_fired = true;
        lock.unlock();
        m_on_deadline();
    });
}

Watchdog::~Watchdog() { stop(); }

bool Watchdog::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
    std::lock_guard lock(m_mutex);
    return m_fired;
}

}  // namespace crush
