// Copyright Crush authors.
// Resource limits (issue 4) through the embedding API: each hostile capsule (tests/capsules/
// limit_*.c) is stopped or refused by its limit, the report names it, and a healthy capsule
// running at the same time on another thread completes normally. Time bounds are generous
// (seconds for a 200 ms limit): they catch "never stops", not latency.
#include "runtime_fixture.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace crush::testing {
namespace {

/// What limit_loop's `count N` prints: the same hash computed here.
std::string expected_sum(uint32_t n) {
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; ++i) h = (h ^ i) * 16777619u;
    return std::to_string(h);
}

bool hit(const CapsuleReport& r, const std::string& limit) {
    return std::find(r.limits_hit.begin(), r.limits_hit.end(), limit) != r.limits_hit.end();
}

uint64_t stored_bytes_on_host(const std::filesystem::path& dir) {
    uint64_t total = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file() && !e.is_symlink()) total += e.file_size();
    return total;
}

class LimitsTest : public RuntimeTest {
protected:
    static constexpr uint32_t kNeighbourSteps = 3'000'000;

    /// Run `hostile` while a healthy neighbour capsule runs on a second thread; checks the
    /// neighbour completed normally with the right output, and returns the hostile run.
    RunResult run_beside_neighbour(CapsuleOptions hostile, const std::string& input = "") {
        CapsuleOptions healthy = options("limit_loop", {"count", std::to_string(kNeighbourSteps)});
        healthy.name = "neighbour";
        healthy.vfs_root = dir() / "neighbour-root";
        healthy.permissions = {"io.print"};
        RunResult h, n;
        std::thread neighbour([&] { n = run_capsule(healthy); });
        h = run_capsule(std::move(hostile), input);
        neighbour.join();
        EXPECT_EQ(n.report.outcome, CapsuleReport::Outcome::exited) << n.report.trap.message;
        EXPECT_EQ(n.report.exit_code, 0u);
        EXPECT_EQ(n.out, "sum: " + expected_sum(kNeighbourSteps) + "\n");
        EXPECT_TRUE(n.report.limits_hit.empty());
        return h;
    }
};

TEST_F(LimitsTest, SameCapsuleSameInputSameFuel) {
    auto once = [&] {
        CapsuleOptions o = options("limit_loop", {"count", "100000"});
        o.permissions = {"io.print"};
        o.limits.fuel = uint64_t{1} << 40;
        return run_capsule(o);
    };
    RunResult a = once();
    RunResult b = once();
    ASSERT_EQ(a.report.outcome, CapsuleReport::Outcome::exited) << a.report.trap.message;
    ASSERT_EQ(b.report.outcome, CapsuleReport::Outcome::exited) << b.report.trap.message;
    EXPECT_GT(a.report.usage.fuel, 100000u);
    EXPECT_EQ(a.report.usage.fuel, b.report.usage.fuel);
    EXPECT_EQ(a.out, b.out);
}

TEST_F(LimitsTest, FuelStopsAnInfiniteLoop) {
    CapsuleOptions o = options("limit_loop", {"spin"});
    o.limits.fuel = 5'000'000;
    RunResult r = run_beside_neighbour(o);
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::limit) << r.report.trap.message;
    EXPECT_EQ(r.report.limit, "fuel");
    EXPECT_TRUE(hit(r.report, "fuel"));
    EXPECT_EQ(r.report.limits.fuel, 5'000'000u);
    EXPECT_GE(r.report.usage.fuel, 5'000'000u - 1000);  // all of it (minus a last block's charge)
}

TEST_F(LimitsTest, TimeStopsAnInfiniteLoopWithoutFuel) {
    CapsuleOptions o = options("limit_loop", {"spin"});
    o.limits.time_ms = 200;
    const auto start = std::chrono::steady_clock::now();
    RunResult r = run_beside_neighbour(o);
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::limit) << r.report.trap.message;
    EXPECT_EQ(r.report.limit, "time");
    EXPECT_EQ(r.report.trap.kind, TrapKind::interrupted);
    EXPECT_GE(r.report.usage.wall_us, 190'000u);
    EXPECT_LT(took, std::chrono::seconds(20));  // "it stops", not a latency measurement
}

TEST_F(LimitsTest, TimeEndsACapsuleSleepingInTheHost) {
    CapsuleOptions o = options("limit_loop", {"sleep"});
    o.limits.time_ms = 200;
    const auto start = std::chrono::steady_clock::now();
    RunResult r = run_capsule(o);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));  // not one hour
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::limit) << r.report.trap.message;
    EXPECT_EQ(r.report.limit, "time");
}

TEST_F(LimitsTest, TimeEndsACapsuleBlockedReadingAPipe) {
    int p[2];
    ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);  // the write end stays open: the read would block forever
    CapsuleOptions o = options("limit_loop", {"read"});
    o.limits.time_ms = 200;
    MemFile out, err, diag;
    o.stdin_fd = p[0];
    o.stdout_fd = out.fd();
    o.stderr_fd = err.fd();
    o.diagnostics_fd = diag.fd();
    auto capsule = Capsule::create(std::move(o));
    ASSERT_TRUE(capsule.ok()) << capsule.error().message;
    const auto start = std::chrono::steady_clock::now();
    CapsuleReport r = (*capsule)->run();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    ::close(p[0]);
    ::close(p[1]);
    ASSERT_EQ(r.outcome, CapsuleReport::Outcome::limit) << r.trap.message;
    EXPECT_EQ(r.limit, "time");
}

TEST_F(LimitsTest, MemoryBombGetsMinusOneAndCanStillPrint) {
    CapsuleOptions o = options("limit_memory", {"grow"});
    o.permissions = {"io.print"};
    o.limits.memory_bytes = 16u << 20;
    RunResult r = run_beside_neighbour(o);
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited) << r.report.trap.message << r.report.error.message;
    EXPECT_EQ(r.line("refused"), "-1");
    EXPECT_FALSE(r.line("grew").empty());
    EXPECT_TRUE(hit(r.report, "memory"));
    EXPECT_LE(r.report.usage.memory_peak, 16u << 20);
    EXPECT_GT(r.report.usage.memory_peak, 14u << 20);  // it did get close to the limit
}

TEST_F(LimitsTest, InstantiationNeedingMoreMemoryFailsClearly) {
    CapsuleOptions o = options("limit_memory", {"grow"});
    o.limits.memory_bytes = 64u << 10;
    RunResult r = run_capsule(o);
    ASSERT_TRUE(r.created);
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::load_error);
    EXPECT_NE(r.report.error.message.find("capsule 'limit_memory' needs "), std::string::npos) << r.report.error.message;
    EXPECT_NE(r.report.error.message.find("of linear memory at start; the limit is 64 KiB"), std::string::npos)
        << r.report.error.message;
}

TEST_F(LimitsTest, HandleLeakGetsEmfile) {
    CapsuleOptions o = options("limit_handles");
    o.permissions = {"io.print", "fs.read", "fs.write"};
    o.limits.handles = 20;
    RunResult r = run_beside_neighbour(o);
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited) << r.report.trap.message;
    EXPECT_EQ(r.line("opened"), "20");
    EXPECT_EQ(r.line("error"), "EMFILE");
    EXPECT_EQ(r.line("reopen"), "ok");
    EXPECT_TRUE(hit(r.report, "handles"));
    EXPECT_EQ(r.report.usage.handles_peak, 20u);
}

TEST_F(LimitsTest, DiskFillerStopsAtTheQuotaAndEarlierFilesStayIntact) {
    const std::string old(100 * 1024, 'o');  // stored before the run: counted at start
    write_file(root() / "sub" / "old.txt", old);
    CapsuleOptions o = options("limit_disk");
    o.permissions = {"io.print", "fs.read", "fs.write"};
    constexpr uint64_t kQuota = 1u << 20;
    o.limits.disk_bytes = kQuota;
    RunResult r = run_beside_neighbour(o);
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited) << r.report.trap.message;
    EXPECT_EQ(r.line("keep_write"), "ok");
    EXPECT_EQ(r.line("error"), "ENOSPC");
    EXPECT_EQ(r.line("keep"), "precious");
    EXPECT_TRUE(hit(r.report, "disk"));
    // The host sees nothing beyond the quota, and whole 64 KiB chunks only (nothing partial).
    EXPECT_LE(stored_bytes_on_host(root()), kQuota);
    const uint64_t fill = std::filesystem::file_size(root() / "fill.bin");
    EXPECT_EQ(fill % (64 * 1024), 0u);
    EXPECT_EQ(std::to_string(fill), r.line("written"));
    EXPECT_GT(fill + 64 * 1024 + old.size() + 9, kQuota);  // it filled up to the last chunk
    EXPECT_EQ(read_file(root() / "sub" / "old.txt"), old);
    EXPECT_EQ(read_file(root() / "keep.txt"), "precious\n");
    EXPECT_EQ(r.report.usage.disk_bytes, stored_bytes_on_host(root()));
}

TEST_F(LimitsTest, DiskQuotaCountsWhatUnlinkAndTruncateFree) {
    // Two runs of the filler under the same root: the second truncates fill.bin at open, so it
    // must get the same room again (the counter follows the truncation).
    CapsuleOptions o = options("limit_disk");
    o.permissions = {"io.print", "fs.read", "fs.write"};
    o.limits.disk_bytes = 512u << 10;
    RunResult first = run_capsule(o);
    RunResult second = run_capsule(o);
    EXPECT_EQ(first.line("error"), "ENOSPC");
    EXPECT_EQ(second.line("error"), "ENOSPC");
    EXPECT_EQ(first.line("written"), second.line("written"));
    EXPECT_LE(stored_bytes_on_host(root()), 512u << 10);
}

TEST_F(LimitsTest, IoFloodEndsTheRun) {
    CapsuleOptions o = options("limit_flood");
    o.permissions = {"io.print"};
    o.limits.io_bytes = 1u << 20;
    RunResult r = run_beside_neighbour(o);
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::limit) << r.report.trap.message;
    EXPECT_EQ(r.report.limit, "io");
    EXPECT_LE(r.out.size(), 1u << 20);
    EXPECT_GT(r.out.size(), (1u << 20) - 8192);
    EXPECT_EQ(r.err.find("flood: stopped"), std::string::npos);
    EXPECT_EQ(r.report.usage.bytes_written, r.out.size());
}

TEST_F(LimitsTest, DefaultsApplyWhenNothingIsSet) {
    CapsuleOptions o = options("limit_loop", {"count", "10"});
    o.permissions = {"io.print"};
    RunResult r = run_capsule(o);
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited);
    EXPECT_EQ(r.report.limits.memory_bytes, uint64_t{1} << 30);
    EXPECT_EQ(r.report.limits.handles, 1024u);
    EXPECT_EQ(r.report.limits.disk_bytes, uint64_t{1} << 30);
    EXPECT_EQ(r.report.limits.fuel, UINT64_MAX);
    EXPECT_EQ(r.report.limits.time_ms, UINT64_MAX);
    EXPECT_EQ(r.report.limits.io_bytes, UINT64_MAX);
    EXPECT_GT(r.report.usage.memory_peak, 0u);
    EXPECT_GT(r.report.usage.bytes_written, 0u);
}

}  // namespace
}  // namespace crush::testing
