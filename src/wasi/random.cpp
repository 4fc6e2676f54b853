// Copyright Crush authors.
// wasi_snapshot_preview1: random_get. Needs the `random` permission. The bytes are written
// straight into guest memory in chunks: no host buffer is sized by the guest's length.
#include "wasi/wasi_impl.hpp"

#include <algorithm>

namespace crush::wasi::impl {

Errno random_get(Call& c, GuestPtr buf, uint32_t buf_len) {
    auto bytes = c.mem.bytes(buf, buf_len);
    if (!bytes) return Errno::fault;
    for (size_t done = 0; done < bytes->size();) {
        const size_t n = std::min<size_t>(kChunkBytes, bytes->size() - done);
        auto r = c.hal().random(std::as_writable_bytes(bytes->subspan(done, n)));
        if (!r) return r.error();
        done += n;
    }
    if (buf_len == 0) {
        // Still a permission question: a zero-length request must not bypass the gate.
        auto r = c.hal().random({});
        if (!r) return r.error();
    }
    return Errno::success;
}

}  // namespace crush::wasi::impl
