// Copyright Crush authors.
// NativeHal TCP sockets and poll, over loopback (no external network).
#include "hal/native_hal.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace crush;

namespace {

std::span<const std::byte> bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

struct Pair {
    HostHandle listener, client, server;
};

Pair connect_pair(NativeHal& hal) {
    Pair p;
    auto l = hal.tcp_listen(SocketAddress::loopback_v4(0), 4);
    EXPECT_TRUE(l.ok()) << to_string(l.error());
    if (!l.ok())
        return p;
    p.listener = std::move(*l);
    auto addr = hal.local_address(p.listener.fd());
    EXPECT_TRUE(addr.ok());
    EXPECT_NE(addr->port, 0);
    EXPECT_EQ(addr->addr[0], 127);
    auto c = hal.tcp_connect(*addr);  // completes against the backlog before accept
    EXPECT_TRUE(c.ok()) << to_string(c.error());
    p.client = std::move(*c);
    auto a = hal.accept(p.listener.fd(), false);
    EXPECT_TRUE(a.ok());
    p.server = std::move(a->socket);
    EXPECT_EQ(a->peer, *hal.local_address(p.client.fd()));
    EXPECT_EQ(*hal.peer_address(p.client.fd()), *addr);
    return p;
}

}  // namespace

TEST(HalNet, ConnectAcceptSendRecvPeekShutdown) {
    NativeHal hal;
    Pair p = connect_pair(hal);
    ASSERT_TRUE(p.server.valid());

    ConstIoSlice out[] = {{bytes("ping").data(), 4}};
    ASSERT_EQ(*hal.send(p.client.fd(), out), 4u);
    char buf[8] = {};
    IoSlice in[] = {{reinterpret_cast<std::byte*>(buf), 4}};
    RecvFlags peek;
    peek.peek = true;
    peek.waitall = true;
    ASSERT_EQ(*hal.recv(p.server.fd(), in, peek), 4u);
    EXPECT_EQ(std::string(buf, 4), "ping");
    ASSERT_EQ(*hal.recv(p.server.fd(), in, RecvFlags{}), 4u);  // peeked data is still there
    EXPECT_EQ(std::string(buf, 4), "ping");
    EXPECT_EQ(hal.fstat(p.server.fd())->type, FileType::socket_stream);

    ASSERT_TRUE(hal.shutdown(p.client.fd(), ShutdownHow::write).ok());
    EXPECT_EQ(*hal.recv(p.server.fd(), in, RecvFlags{}), 0u);  // end of stream
}

TEST(HalNet, SendToClosedPeerIsAnErrnoNotSigpipe) {
    NativeHal hal;
    Pair p = connect_pair(hal);
    ASSERT_TRUE(p.server.valid());
    p.server.reset();
    ConstIoSlice out[] = {{bytes("x").data(), 1}};
    // The first send may succeed (the RST arrives after it); a later one must fail with pipe
    // or connreset — and the process must still be alive to check it.
    Errno last = Errno::success;
    for (int i = 0; i < 100 && last == Errno::success; ++i)
        last = hal.send(p.client.fd(), out).error();
    EXPECT_TRUE(last == Errno::pipe || last == Errno::connreset) << to_string(last);
}

TEST(HalNet, ConnectRefusedAndBadDescriptors) {
    NativeHal hal;
    // Find a free port by listening and closing.
    auto l = hal.tcp_listen(SocketAddress::loopback_v4(0), 1);
    ASSERT_TRUE(l.ok());
    auto addr = *hal.local_address(l->fd());
    l->reset();
    EXPECT_EQ(hal.tcp_connect(addr).error(), Errno::connrefused);
    EXPECT_EQ(hal.accept(HostFd{-1}, false).error(), Errno::badf);
}

TEST(HalPoll, ReadinessAndTimeout) {
    NativeHal hal;
    Pair p = connect_pair(hal);
    ASSERT_TRUE(p.server.valid());
    PollFd fds[2];
    fds[0].fd = p.server.fd();
    fds[0].read = true;
    fds[1].fd = p.client.fd();
    fds[1].write = true;
    auto n = hal.poll(fds, 0);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 1u);
    EXPECT_FALSE(fds[0].read_ready);
    EXPECT_TRUE(fds[1].write_ready);

    ConstIoSlice out[] = {{bytes("abc").data(), 3}};
    ASSERT_TRUE(hal.send(p.client.fd(), out).ok());
    n = hal.poll(std::span(fds, 1), std::nullopt);  // blocks until the data is there
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(fds[0].read_ready);
    EXPECT_EQ(*hal.bytes_readable(p.server.fd()), 3u);

    // No fds + a timeout = a sleep of at least that long.
    const uint64_t t0 = *hal.clock_time(ClockId::monotonic);
    EXPECT_EQ(*hal.poll({}, 2'000'000), 0u);
    EXPECT_GE(*hal.clock_time(ClockId::monotonic) - t0, 2'000'000u);

    PollFd bad;
    bad.fd = HostFd{999999};
    bad.read = true;
    EXPECT_EQ(*hal.poll(std::span(&bad, 1), 0), 1u);
    EXPECT_TRUE(bad.error);
    std::vector<PollFd> too_many(kHalMaxPollFds + 1);
    EXPECT_EQ(hal.poll(too_many, 0).error(), Errno::inval);
}
