// Copyright Crush authors.
// wasi_snapshot_preview1: sock_accept, sock_recv, sock_send, sock_shutdown. Preview1 has no
// connect or listen: a capsule accepts on listeners the runtime preopened for its net.listen
// permissions. Non-socket handles give ENOTSOCK; unknown ones EBADF.
#include "wasi/wasi_impl.hpp"

namespace crush::wasi::impl {

Errno sock_accept(Call& c, uint32_t fd, uint32_t flags, GuestPtr out_fd) {
    if (!c.mem.in_bounds(out_fd, 4)) return Errno::fault;
    // Only nonblock is meaningful for an accepted socket.
    if (flags & ~uint32_t{fdflags::nonblock}) return Errno::inval;
    FdFlags f;
    f.nonblock = flags & fdflags::nonblock;
    auto h = c.hal().accept(to_handle(fd), f);
    if (!h) return h.error();
    return c.mem.write<uint32_t>(out_fd, static_cast<uint32_t>(*h));
}

Errno sock_recv(Call& c, uint32_t fd, GuestPtr ri_data, uint32_t ri_data_len, uint32_t ri_flags,
                GuestPtr out_len, GuestPtr out_flags) {
    if (!c.mem.in_bounds(out_len, 4) || !c.mem.in_bounds(out_flags, 2)) return Errno::fault;
    if (ri_flags & ~uint32_t{riflags::recv_peek | riflags::recv_waitall}) return Errno::inval;
    Slices s;
    if (Errno e = read_iovecs(c.mem, ri_data, ri_data_len, s); e != Errno::success) return e;
    RecvFlags f;
    f.peek = ri_flags & riflags::recv_peek;
    f.waitall = ri_flags & riflags::recv_waitall;
    auto n = c.hal().recv(to_handle(fd), s.view(), f);
    if (!n) return n.error();
    (void)c.mem.write<uint16_t>(out_flags, 0);
    return c.mem.write<uint32_t>(out_len, static_cast<uint32_t>(*n));
}

Errno sock_send(Call& c, uint32_t fd, GuestPtr si_data, uint32_t si_data_len, uint32_t si_flags,
                GuestPtr out_len) {
    if (!c.mem.in_bounds(out_len, 4)) return Errno::fault;
    if (si_flags != 0) return Errno::inval;  // siflags has no defined bits
    ConstSlices s;
    if (Errno e = read_ciovecs(c.mem, si_data, si_data_len, s); e != Errno::success) return e;
    auto n = c.hal().send(to_handle(fd), s.view());
    if (!n) return n.error();
    return c.mem.write<uint32_t>(out_len, static_cast<uint32_t>(*n));
}

Errno sock_shutdown(Call& c, uint32_t fd, uint32_t how) {
    if (how == 0 || how > (sdflags::rd | sdflags::wr)) return Errno::inval;
    return c.hal().shutdown(to_handle(fd), static_cast<ShutdownHow>(how)).error();
}

}  // namespace crush::wasi::impl
