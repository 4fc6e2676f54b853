// Copyright Crush authors.
// Every preview1 function, called through the same adapter the VM uses, with thousands of
// hostile argument sets (boundary and random pointers, lengths, counts, fds, flags): the host
// never crashes (run under ASan+UBSan), every result is a defined errno, and nothing escapes
// the capsule root. Deterministic: a fixed seed.
#include "wasi_fixture.hpp"

#include <cstring>
#include <random>

namespace crush::wasi::testing {
namespace {

/// Functions whose effect on the host is unbounded by design and tested elsewhere: fd_allocate
/// reserves real disk space for any length the guest names (the disk quota is the Meter's job);
/// fd_sync/fd_datasync are real disk flushes (slow, and they take no pointer).
bool skipped(std::string_view name) {
    return name == "fd_allocate" || name == "fd_sync" || name == "fd_datasync";
}

class Hostile {
public:
    explicit Hostile(uint32_t seed) : m_rng(seed) {}
    uint32_t i32() {
        switch (m_rng() % 8) {
            case 0:
                return 0;
            case 1:
                return 0xffffffffu;
            case 2:
                return 65536 - static_cast<uint32_t>(m_rng() % 64);  // the end of memory
            case 3:
                return static_cast<uint32_t>(m_rng() % 8);  // stdio, preopens, small flags
            case 4:
                return 100 + static_cast<uint32_t>(m_rng() % 8);  // live handles
            case 5:
                return static_cast<uint32_t>(m_rng() % 65536);  // anywhere in memory
            case 6:
                return 0x80000000u;
            default:
                return static_cast<uint32_t>(m_rng());
        }
    }
    uint64_t i64() {
        switch (m_rng() % 5) {
            case 0:
                return 0;
            case 1:
                return ~0ull;
            case 2:
                return 1ull << 63;
            case 3:
                return m_rng() % 4096;
            default:
                return (static_cast<uint64_t>(m_rng()) << 32) | m_rng();
        }
    }

private:
    std::mt19937 m_rng;
};

TEST_F(WasiFixture, HostileArgumentsNeverCrashTheHost) {
    write_file(dir() / "secret.txt", "SECRET");
    make({"io.print", "io.input", "fs.read", "fs.write", "env.get", "clock", "random"}, {}, {{"K", "v"}});
    // A few live handles to aim at.
    uint32_t fd = 0;
    ASSERT_EQ(open(3, "f.txt", oflags::creat, rights::fd_read | rights::fd_write | rights::fd_seek, fd),
              Errno::success);
    ASSERT_EQ(open(3, ".", oflags::directory, rights::fd_readdir, fd), Errno::success);
    Hostile h(20261128);
    size_t calls = 0;
    for (std::string_view name : function_names()) {
        if (skipped(name)) continue;
        const FuncType type = *function_type(name);
        for (int round = 0; round < 150; ++round) {
            // Zeroed memory: subscriptions read from it are immediate relative clocks, never a
            // guest-chosen sleep.
            std::memset(memory.data(), 0, memory.size());
            std::vector<Value> args;
            for (ValType t : type.params)
                args.push_back(t == ValType::i64 ? Value::i64(h.i64()) : Value::i32(h.i32()));
            std::vector<Value> results(type.results.size());
            HostOutcome o = invoke(*ctx, GuestMemory(memory), name, args, results);
            ++calls;
            if (name == "proc_exit") {
                EXPECT_EQ(o.kind, HostOutcome::Kind::exit);
                continue;
            }
            ASSERT_EQ(o.kind, HostOutcome::Kind::ok) << name;
            ASSERT_EQ(results.size(), 1u);
            EXPECT_LE(results[0].as_i32(), static_cast<uint32_t>(Errno::notcapable)) << name;
        }
    }
    EXPECT_GT(calls, 6000u);
    EXPECT_EQ(read_file(dir() / "secret.txt"), "SECRET");
    // Only the root (and the pipes) were touched: the temporary directory holds nothing new.
    std::set<std::string> top;
    for (const auto& e : std::filesystem::directory_iterator(dir())) top.insert(e.path().filename().string());
    EXPECT_EQ(top, (std::set<std::string>{"root", "secret.txt"}));
}

TEST_F(WasiFixture, InvokeRejectsUnknownNamesAndArity) {
    make({});
    std::vector<Value> results(1);
    EXPECT_EQ(invoke(*ctx, GuestMemory(memory), "fd_nope", {}, results).kind, HostOutcome::Kind::trap);
    EXPECT_EQ(invoke(*ctx, GuestMemory(memory), "fd_close", {}, results).kind, HostOutcome::Kind::trap);
}

}  // namespace
}  // namespace crush::wasi::testing
