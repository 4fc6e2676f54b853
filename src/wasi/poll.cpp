// Copyright Crush authors.
// wasi_snapshot_preview1: poll_oneoff (clock and fd subscriptions), sched_yield.
//
// Deliberate choices: a relative clock subscription (a sleep) needs no permission — it reads no
// time; an absolute one compares against the clock and needs `clock`. Subscriptions are bounded
// (kMaxSubscriptions) so the per-call host arrays are too. When fd subscriptions are ready, only
// they (and already-expired clocks) are reported; otherwise the earliest clock(s) fire.
#include "wasi/wasi_impl.hpp"

#include <algorithm>
#include <vector>

namespace crush::wasi::impl {

/// More subscriptions than this in one call is EINVAL (the Hal's poll bound).
inline constexpr uint32_t kMaxSubscriptions = static_cast<uint32_t>(kHalMaxPollFds);

Errno poll_oneoff(Call& c, GuestPtr in, GuestPtr out, uint32_t nsubscriptions, GuestPtr out_nevents) {
    if (nsubscriptions == 0 || nsubscriptions > kMaxSubscriptions) return Errno::inval;
    if (!c.mem.in_bounds(in, uint64_t{nsubscriptions} * sizeof(Subscription)) ||
        !c.mem.in_bounds(out, uint64_t{nsubscriptions} * sizeof(Event)) || !c.mem.in_bounds(out_nevents, 4))
        return Errno::fault;

    struct Clock {
        uint64_t userdata;
        uint64_t timeout;  // relative ns from now
        Errno error;
    };
    std::vector<Clock> clocks;
    std::vector<PollWait> waits;
    std::vector<uint64_t> wait_userdata;
    std::vector<Eventtype> wait_type;
    try {
        clocks.reserve(nsubscriptions);
        waits.reserve(nsubscriptions);
        wait_userdata.reserve(nsubscriptions);
        wait_type.reserve(nsubscriptions);
    } catch (...) {
        return Errno::nomem;
    }

    for (uint32_t i = 0; i < nsubscriptions; ++i) {
        Subscription s = *c.mem.read<Subscription>(offset(in, i * uint32_t{sizeof(Subscription)}));
        switch (static_cast<Eventtype>(s.tag)) {
            case Eventtype::clock: {
                Clock k{s.userdata, s.u.clock.timeout, Errno::success};
                if (s.u.clock.id > static_cast<uint32_t>(ClockId::thread_cputime)) {
                    k.error = Errno::inval;
                } else if (s.u.clock.flags & kSubclockflagsAbstime) {
                    auto now = c.hal().clock_time(static_cast<ClockId>(s.u.clock.id));
                    if (!now)
                        k.error = now.error();
                    else
                        k.timeout = s.u.clock.timeout > *now ? s.u.clock.timeout - *now : 0;
                }
                clocks.push_back(k);
                break;
            }
            case Eventtype::fd_read:
            case Eventtype::fd_write: {
                PollWait w;
                w.handle = to_handle(s.u.fd_readwrite.file_descriptor);
                w.write = static_cast<Eventtype>(s.tag) == Eventtype::fd_write;
                waits.push_back(w);
                wait_userdata.push_back(s.userdata);
                wait_type.push_back(static_cast<Eventtype>(s.tag));
                break;
            }
            default:
                return Errno::inval;
        }
    }

    // The earliest clock bounds the wait; a clock that is already in error fires at once.
    std::optional<uint64_t> timeout;
    for (const Clock& k : clocks) {
        uint64_t t = k.error == Errno::success ? k.timeout : 0;
        timeout = timeout ? std::min(*timeout, t) : t;
    }

    size_t fd_ready = 0;
    if (!waits.empty()) {
        auto r = c.hal().poll(waits, timeout);
        if (!r) return r.error();
        fd_ready = *r;
    } else if (timeout && *timeout > 0) {
        auto r = c.hal().sleep(*timeout);
        if (!r) return r.error();
    }

    uint32_t nevents = 0;
    auto emit = [&](const Event& ev) {
        (void)c.mem.write(offset(out, nevents * uint32_t{sizeof(Event)}), ev);
        ++nevents;
    };
    for (size_t i = 0; i < waits.size(); ++i) {
        if (!waits[i].ready) continue;
        Event ev{};
        ev.userdata = wait_userdata[i];
        ev.error = static_cast<uint16_t>(waits[i].error);
        ev.type = static_cast<uint8_t>(wait_type[i]);
        ev.fd_readwrite.nbytes = waits[i].nbytes;
        ev.fd_readwrite.flags = waits[i].hangup ? kEventrwflagsFdReadwriteHangup : 0;
        emit(ev);
    }
    for (const Clock& k : clocks) {
        const uint64_t t = k.error == Errno::success ? k.timeout : 0;
        // With fds ready only clocks that had already expired fire; otherwise the earliest did.
        const bool fired = fd_ready > 0 ? t == 0 : (timeout && t == *timeout);
        if (!fired) continue;
        Event ev{};
        ev.userdata = k.userdata;
        ev.error = static_cast<uint16_t>(k.error);
        ev.type = static_cast<uint8_t>(Eventtype::clock);
        emit(ev);
    }
    return c.mem.write<uint32_t>(out_nevents, nevents);
}

/// Other capsules run on their own threads; there is nothing to yield to inside one.
Errno sched_yield(Call&) {
    return Errno::success;
}

}  // namespace crush::wasi::impl
