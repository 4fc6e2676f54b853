// Copyright Crush authors.
// GuestMemory: every guest pointer + length is checked against the memory size (no wrap-around),
// iovec lists are bounded, and a bad entry is detected before any buffer is handed out.
#include "wasi/guest_memory.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace crush::wasi {
namespace {

TEST(GuestMemory, BoundsAreCheckedWithoutWrapAround) {
    std::vector<uint8_t> bytes(1024);
    GuestMemory mem(bytes);
    EXPECT_TRUE(mem.bytes(GuestPtr{0}, 1024).has_value());
    EXPECT_TRUE(mem.bytes(GuestPtr{1024}, 0).has_value());  // empty range at the end is fine
    EXPECT_FALSE(mem.bytes(GuestPtr{1024}, 1).has_value());
    EXPECT_FALSE(mem.bytes(GuestPtr{1025}, 0).has_value());
    EXPECT_FALSE(mem.bytes(GuestPtr{1000}, 25).has_value());
    // 0xffffffff + 2 wraps to 1 in 32 bits: must still be out of bounds.
    EXPECT_FALSE(mem.bytes(GuestPtr{0xffffffffu}, 2).has_value());
    EXPECT_FALSE(mem.bytes(GuestPtr{16}, 0xfffffff8u).has_value());
}

TEST(GuestMemory, EmptyMemoryFaultsEverything) {
    GuestMemory mem;
    EXPECT_FALSE(mem.bytes(GuestPtr{0}, 1).has_value());
    EXPECT_EQ(mem.write<uint32_t>(GuestPtr{0}, 7), Errno::fault);
    EXPECT_FALSE(mem.read<uint64_t>(GuestPtr{0}).has_value());
}

TEST(GuestMemory, ReadWriteUnaligned) {
    std::vector<uint8_t> bytes(16);
    GuestMemory mem(bytes);
    EXPECT_EQ(mem.write<uint64_t>(GuestPtr{3}, 0x1122334455667788ull), Errno::success);
    EXPECT_EQ(*mem.read<uint64_t>(GuestPtr{3}), 0x1122334455667788ull);
    EXPECT_EQ(bytes[3], 0x88);  // little-endian, like Wasm
    EXPECT_EQ(mem.write<uint64_t>(GuestPtr{9}, 1), Errno::fault);
    EXPECT_EQ(bytes[9], 0x22);  // a faulting write changes nothing
}

TEST(GuestMemory, StringsMayHoldNul) {
    std::vector<uint8_t> bytes{'a', 0, 'b'};
    GuestMemory mem(bytes);
    auto s = mem.string(GuestPtr{0}, 3);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->size(), 3u);
    EXPECT_FALSE(mem.string(GuestPtr{1}, 3));
}

void put_iovec(std::vector<uint8_t>& bytes, uint32_t at, uint32_t buf, uint32_t len) {
    GuestMemory(bytes).write(GuestPtr{at}, Iovec{buf, len});
}

TEST(GuestMemory, IovecsResolveInOrder) {
    std::vector<uint8_t> bytes(256);
    put_iovec(bytes, 0, 100, 10);
    put_iovec(bytes, 8, 200, 56);
    GuestMemory mem(bytes);
    std::vector<std::pair<size_t, size_t>> seen;
    EXPECT_EQ(mem.iovecs(GuestPtr{0}, 2,
                         [&](std::span<uint8_t> b) { seen.emplace_back(b.data() - bytes.data(), b.size()); }),
              Errno::success);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0], (std::pair<size_t, size_t>{100, 10}));
    EXPECT_EQ(seen[1], (std::pair<size_t, size_t>{200, 56}));
}

TEST(GuestMemory, BadIovecFaultsBeforeAnyBufferIsUsed) {
    std::vector<uint8_t> bytes(256);
    put_iovec(bytes, 0, 100, 10);
    put_iovec(bytes, 8, 250, 7);  // one byte past the end
    GuestMemory mem(bytes);
    int calls = 0;
    EXPECT_EQ(mem.iovecs(GuestPtr{0}, 2, [&](std::span<uint8_t>) { ++calls; }), Errno::fault);
    EXPECT_EQ(calls, 0);
    // The array itself out of bounds.
    EXPECT_EQ(mem.iovecs(GuestPtr{252}, 1, [&](std::span<uint8_t>) { ++calls; }), Errno::fault);
    // A huge count whose byte size wraps 32 bits.
    EXPECT_EQ(mem.iovecs(GuestPtr{0}, 0x20000000u, [&](std::span<uint8_t>) { ++calls; }), Errno::inval);
    EXPECT_EQ(calls, 0);
}

TEST(GuestMemory, IovecCountIsBounded) {
    std::vector<uint8_t> bytes((kMaxIovecs + 1) * sizeof(Iovec));
    GuestMemory mem(bytes);
    size_t calls = 0;
    EXPECT_EQ(mem.iovecs(GuestPtr{0}, kMaxIovecs, [&](std::span<uint8_t>) { ++calls; }), Errno::success);
    EXPECT_EQ(calls, kMaxIovecs);
    EXPECT_EQ(mem.iovecs(GuestPtr{0}, kMaxIovecs + 1, [&](std::span<uint8_t>) { ++calls; }), Errno::inval);
    EXPECT_EQ(calls, kMaxIovecs);
}

}  // namespace
}  // namespace crush::wasi
