// Copyright Crush authors.
// args/environ layout, random_get (bounded chunks, gated), clocks (gated), poll_oneoff.
#include "wasi_fixture.hpp"

namespace crush::wasi::testing {
namespace {

using namespace crush::wasi::impl;

TEST_F(WasiFixture, ArgsAreLaidOutForLibc) {
    make({}, {}, {}, {"prog", "a b", ""});
    Call c = call();
    ASSERT_EQ(args_sizes_get(c, GuestPtr{0}, GuestPtr{4}), Errno::success);
    EXPECT_EQ(get<uint32_t>(0), 3u);
    EXPECT_EQ(get<uint32_t>(4), 5u + 4u + 1u);
    ASSERT_EQ(args_get(c, GuestPtr{100}, GuestPtr{200}), Errno::success);
    EXPECT_EQ(get<uint32_t>(100), 200u);
    EXPECT_EQ(get<uint32_t>(104), 205u);
    EXPECT_EQ(get<uint32_t>(108), 209u);
    EXPECT_STREQ(reinterpret_cast<char*>(memory.data() + 205), "a b");
    EXPECT_EQ(args_get(c, GuestPtr{100}, GuestPtr{65530}), Errno::fault);
    EXPECT_EQ(args_get(c, GuestPtr{65530}, GuestPtr{200}), Errno::fault);
}

TEST_F(WasiFixture, EnvironIsTheCapsulesOnlyAndGated) {
    make({"env.get:A*"}, {}, {{"A1", "x"}, {"B", "hidden"}, {"A2", "y=z"}});
    Call c = call();
    ASSERT_EQ(environ_sizes_get(c, GuestPtr{0}, GuestPtr{4}), Errno::success);
    EXPECT_EQ(get<uint32_t>(0), 2u);
    ASSERT_EQ(environ_get(c, GuestPtr{100}, GuestPtr{200}), Errno::success);
    EXPECT_STREQ(reinterpret_cast<char*>(memory.data() + get<uint32_t>(100)), "A1=x");
    EXPECT_STREQ(reinterpret_cast<char*>(memory.data() + get<uint32_t>(104)), "A2=y=z");
    EXPECT_NE(diagnostics().find("env.get"), std::string::npos);
}

TEST_F(WasiFixture, RandomGetIsBoundedAndGated) {
    make({"random"});
    Call c = call();
    EXPECT_EQ(random_get(c, GuestPtr{0}, 65536), Errno::success);  // all of memory, in chunks
    EXPECT_EQ(random_get(c, GuestPtr{1}, 65536), Errno::fault);
    EXPECT_EQ(random_get(c, GuestPtr{0}, 0xffffffffu), Errno::fault);  // never allocates 4 GiB
    int nonzero = 0;
    for (uint8_t b : memory) nonzero += b != 0;
    EXPECT_GT(nonzero, 60000);

    make({});
    Call d = call();
    EXPECT_EQ(random_get(d, GuestPtr{0}, 16), Errno::acces);
    EXPECT_EQ(random_get(d, GuestPtr{0}, 0), Errno::acces);
}

TEST_F(WasiFixture, ClocksNeedTheClockPermission) {
    make({});
    Call c = call();
    EXPECT_EQ(clock_time_get(c, 0, 1, GuestPtr{0}), Errno::acces);
    EXPECT_EQ(clock_res_get(c, 1, GuestPtr{0}), Errno::acces);
    make({"clock"});
    Call d = call();
    EXPECT_EQ(clock_time_get(d, 0, 1, GuestPtr{0}), Errno::success);
    EXPECT_GT(get<uint64_t>(0), 1'600'000'000'000'000'000ull);
    EXPECT_EQ(clock_time_get(d, 4, 1, GuestPtr{0}), Errno::inval);
    EXPECT_EQ(clock_time_get(d, 0, 1, GuestPtr{65532}), Errno::fault);
    EXPECT_EQ(clock_res_get(d, 2, GuestPtr{8}), Errno::success);
}

Subscription clock_sub(uint64_t userdata, uint64_t timeout_ns, bool abstime) {
    Subscription s{};
    s.userdata = userdata;
    s.tag = static_cast<uint8_t>(Eventtype::clock);
    s.u.clock.id = 1;
    s.u.clock.timeout = timeout_ns;
    s.u.clock.flags = abstime ? kSubclockflagsAbstime : 0;
    return s;
}

TEST_F(WasiFixture, PollOneoffSleepsOnARelativeClockWithoutPermission) {
    make({});
    Call c = call();
    put_value(0, clock_sub(42, 1'000'000, false));
    ASSERT_EQ(poll_oneoff(c, GuestPtr{0}, GuestPtr{1000}, 1, GuestPtr{2000}), Errno::success);
    ASSERT_EQ(get<uint32_t>(2000), 1u);
    Event ev = get<Event>(1000);
    EXPECT_EQ(ev.userdata, 42u);
    EXPECT_EQ(ev.error, 0);
    EXPECT_EQ(ev.type, static_cast<uint8_t>(Eventtype::clock));
}

TEST_F(WasiFixture, PollOneoffAbsoluteClockIsGated) {
    make({});
    Call c = call();
    put_value(0, clock_sub(7, 5, true));
    ASSERT_EQ(poll_oneoff(c, GuestPtr{0}, GuestPtr{1000}, 1, GuestPtr{2000}), Errno::success);
    ASSERT_EQ(get<uint32_t>(2000), 1u);
    EXPECT_EQ(get<Event>(1000).error, static_cast<uint16_t>(Errno::acces));
}

TEST_F(WasiFixture, PollOneoffReportsFdEventsAndBadFds) {
    make({"io.print"});
    Call c = call();
    Subscription w{};
    w.userdata = 1;
    w.tag = static_cast<uint8_t>(Eventtype::fd_write);
    w.u.fd_readwrite.file_descriptor = 1;
    Subscription bad = w;
    bad.userdata = 2;
    bad.u.fd_readwrite.file_descriptor = 777;
    put_value(0, w);
    put_value(48, bad);
    put_value(96, clock_sub(3, 10'000'000'000ull, false));
    ASSERT_EQ(poll_oneoff(c, GuestPtr{0}, GuestPtr{1000}, 3, GuestPtr{2000}), Errno::success);
    ASSERT_EQ(get<uint32_t>(2000), 2u);
    Event e0 = get<Event>(1000), e1 = get<Event>(1032);
    EXPECT_EQ(e0.userdata, 1u);
    EXPECT_EQ(e0.error, 0);
    EXPECT_EQ(e1.userdata, 2u);
    EXPECT_EQ(e1.error, static_cast<uint16_t>(Errno::badf));
}

TEST_F(WasiFixture, PollOneoffBoundsItsInput) {
    make({});
    Call c = call();
    EXPECT_EQ(poll_oneoff(c, GuestPtr{0}, GuestPtr{1000}, 0, GuestPtr{2000}), Errno::inval);
    EXPECT_EQ(poll_oneoff(c, GuestPtr{0}, GuestPtr{1000}, 0x7fffffffu, GuestPtr{2000}), Errno::inval);
    EXPECT_EQ(poll_oneoff(c, GuestPtr{65000}, GuestPtr{1000}, 100, GuestPtr{2000}), Errno::fault);
    Subscription s{};
    s.tag = 9;
    put_value(0, s);
    EXPECT_EQ(poll_oneoff(c, GuestPtr{0}, GuestPtr{1000}, 1, GuestPtr{2000}), Errno::inval);
}

TEST_F(WasiFixture, ProcExitUsesTheOutcomeChannel) {
    make({});
    Call c = call();
    HostOutcome o = proc_exit(c, 17);
    EXPECT_EQ(o.kind, HostOutcome::Kind::exit);
    EXPECT_EQ(o.exit_code, 17u);
}

}  // namespace
}  // namespace crush::wasi::testing
