// Copyright Crush authors.
// The time limit's enforcer: one thread per running capsule that ends the run at its deadline.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace crush {

/// Calls `on_deadline` once when `timeout` passes, unless stopped (or destroyed) first.
/// Why a thread per capsule: it sleeps on a condition variable (no CPU while waiting), needs no
/// shared registry between capsules, and stopping it is a notify + join. The callback runs on
/// the watchdog thread: it must only do thread-safe things (raise the Store's interrupt flag).
class Watchdog {
public:
    /// Starts the thread. `timeout` is measured on the steady clock from now.
    Watchdog(std::chrono::milliseconds timeout, std::function<void()> on_deadline);
    /// Stops and joins (the callback is not called if the deadline has not passed yet).
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    /// Stop waiting; idempotent. Returns whether the deadline fired before the stop.
    bool stop();

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stopped = false;
    bool m_fired = false;
    std::function<void()> m_on_deadline;
    std::thread m_thread;  // last: started after everything it reads
};

}  // namespace crush
