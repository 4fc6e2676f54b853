// Copyright Crush authors.
// The `exo` host module (exo_functions.def): scoped network connect, which WASI preview1 has no
// call for. Built, like WASI, only on the ScopedHal.
#include "wasi/wasi_impl.hpp"

namespace crush::wasi::impl::exo {

Errno sock_connect(Call& c, GuestPtr addr, uint32_t addr_len, uint32_t port, GuestPtr out_fd) {
    auto text = c.mem.string(addr, addr_len);
    if (!text || !c.mem.in_bounds(out_fd, 4)) return Errno::fault;
    if (port == 0 || port > 65535) return Errno::inval;
    // Strict numeric parsing: the address checked is the address connected, byte for byte.
    auto ip = IpAddress::parse(*text);
    if (!ip) return Errno::inval;
    auto h = c.hal().connect(NetAddress{*ip, static_cast<uint16_t>(port)});
    if (!h) return h.error();
    return c.mem.write<uint32_t>(out_fd, static_cast<uint32_t>(*h));
}

}  // namespace crush::wasi::impl::exo
