// Copyright Crush authors.
// WASI sockets: a net.listen:PORT grant preopens a listener; the capsule accepts, receives,
// sends and shuts down through sock_*; without the grant nothing is bound.
#include "runtime_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

namespace crush::testing {
namespace {

/// A port that was free a moment ago (bind to 0, read it, close).
uint16_t free_port() {
    int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

/// Connect to 127.0.0.1:port, retrying while the capsule starts (up to ~20 s).
int connect_retrying(uint16_t port) {
    for (int i = 0; i < 2000; ++i) {
        int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return s;
        ::close(s);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
}

TEST_F(RuntimeTest, AcceptRecvSendShutdownOnAPreopenedListener) {
    const uint16_t port = free_port();
    CapsuleOptions o = options("echo_server");
    o.permissions = {"io.print", "net.listen:" + std::to_string(port)};
    RunResult r;
    std::thread capsule([&] { r = run_capsule(o); });
    int s = connect_retrying(port);
    std::string reply;
    if (s >= 0) {
        const char msg[] = "hello capsule\n";
        (void)!::send(s, msg, sizeof msg - 1, MSG_NOSIGNAL);
        char buf[256];
        ssize_t n;
        while ((n = ::recv(s, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<size_t>(n));
        ::close(s);
    }
    capsule.join();
    ASSERT_GE(s, 0) << "could not connect; capsule said: " << r.out << r.diag << r.create_error.message;
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited) << r.report.trap.message;
    EXPECT_EQ(reply, "HELLO CAPSULE\n");
    EXPECT_EQ(r.line("listener"), "4");
    EXPECT_EQ(r.line("accept"), "ok");
    EXPECT_EQ(r.line("conn_handle_dynamic"), "yes");
    EXPECT_EQ(r.line("shutdown"), "ok");
    EXPECT_EQ(r.line("shutdown_listener_not_conn"), "ENOTSOCK");
}

TEST_F(RuntimeTest, NoListenerWithoutTheGrant) {
    CapsuleOptions o = options("echo_server");
    o.permissions = {"io.print"};
    RunResult r = run_capsule(o);
    EXPECT_EQ(r.report.exit_code, 1u);
    EXPECT_EQ(r.out, "no listener\n");
    // Asking for a port explicitly without net.listen is refused at creation, with the message.
    o.listen_ports = {free_port()};
    r = run_capsule(o);
    EXPECT_FALSE(r.created);
    EXPECT_NE(r.diag.find("net.listen"), std::string::npos) << r.diag;
}

}  // namespace
}  // namespace crush::testing
