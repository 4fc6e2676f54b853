// Copyright Crush authors.
// WASI sockets: a net.listen:PORT grant preopens a listener; the capsule accepts, receives,
// sends and shuts down through sock_*; without the grant nothing is bound.
#include "runtime_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
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

/// A one-connection server on 127.0.0.1 answering "pong\n" to whatever it reads.
class PongServer {
public:
    PongServer() {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(m_fd, 4);
        socklen_t len = sizeof a;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~PongServer() {
        if (m_thread.joinable()) {
            ::shutdown(m_fd, SHUT_RDWR);
            m_thread.join();
        }
        ::close(m_fd);
    }
    void serve_one() {
        m_thread = std::thread([this] {
            int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) return;
            char buf[64];
            if (::recv(c, buf, sizeof buf, 0) > 0) {
                accepted = true;
                (void)!::send(c, "pong\n", 5, MSG_NOSIGNAL);
            }
            ::close(c);
        });
    }
    uint16_t port = 0;
    std::atomic<bool> accepted{false};

private:
    int m_fd = -1;
    std::thread m_thread;
};

TEST_F(RuntimeTest, ExoConnectReachesAGrantedAddress) {
    PongServer server;
    server.serve_one();
    CapsuleOptions o = options("connect", {"127.0.0.1", std::to_string(server.port)});
    o.permissions = {"io.print", "net.connect:127.0.0.1:" + std::to_string(server.port)};
    RunResult r = run_capsule(o);
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited)
        << r.report.trap.message << r.report.error.message;
    EXPECT_EQ(r.line("connect"), "ok") << r.diag;
    EXPECT_EQ(r.line("handle_dynamic"), "yes");
    EXPECT_EQ(r.line("reply"), "pong");
}

TEST_F(RuntimeTest, ExoConnectIsGatedOnTheNumericAddressConnected) {
    PongServer server;  // listening, never accepting: nothing may reach it
    const std::string port = std::to_string(server.port);
    CapsuleOptions o = options("connect", {"127.0.0.1", port});
    o.permissions = {"io.print"};
    RunResult r = run_capsule(o);
    EXPECT_EQ(r.report.exit_code, 2u);
    EXPECT_NE(r.diag.find("denied net.connect to 127.0.0.1:" + port), std::string::npos) << r.diag;
    // Another port on the same host is not granted.
    o.permissions = {"io.print", "net.connect:127.0.0.1:1"};
    EXPECT_EQ(run_capsule(o).report.exit_code, 2u);
    // Other spellings of 127.0.0.1 are not addresses here: EINVAL, never a match.
    o.permissions = {"io.print", "net.connect:127.0.0.1:" + port};
    for (const char* spelling :
         {"2130706433", "0x7f.0.0.1", "127.1", "0177.0.0.1", "localhost", " 127.0.0.1"}) {
        o.args = {"connect", spelling, port};
        EXPECT_EQ(run_capsule(o).report.exit_code, 28u) << spelling;
    }
    // IPv4-mapped IPv6 is folded to IPv4 and checked as that address (here: not granted).
    o.args = {"connect", "::ffff:127.0.0.2", port};
    RunResult mapped = run_capsule(o);
    EXPECT_EQ(mapped.report.exit_code, 2u);
    EXPECT_NE(mapped.diag.find("127.0.0.2"), std::string::npos) << mapped.diag;
}

}  // namespace
}  // namespace crush::testing
