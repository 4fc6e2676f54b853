// Copyright Crush authors.
// wasi_snapshot_preview1: proc_exit, proc_raise.
#include "wasi/wasi_impl.hpp"

namespace crush::wasi::impl {

/// Ends the run through the outcome channel: the runtime reports exit_code; no errno.
HostOutcome proc_exit(Call&, uint32_t code) {
    return HostOutcome::exit(code);
}

/// Signals are not part of a capsule's world (wasi-libc's raise() maps to this).
Errno proc_raise(Call&, uint32_t) {
    return Errno::nosys;
}

}  // namespace crush::wasi::impl
