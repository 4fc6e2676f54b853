// Copyright Crush authors.
// Linear memory: bounds checks, offsets, growth with max and the ResourceLimiter, host view.
// WAT: tests/unit/wasm/wat/memory.wat
#include "wasm_test_util.hpp"

#include <cstring>

namespace crush::test {
namespace {

TEST(Memory, DataSegmentAndLoads) {
    Fixture f("memory");
    EXPECT_THAT(f.call("load8", {I32(16)}), Returns(vals({I32('h')})));
    EXPECT_THAT(f.call("load8", {I32(65535)}), Returns(vals({I32(0)})));
    EXPECT_THAT(f.call("load8", {I32(65536)}), Traps(TrapKind::memory_out_of_bounds));
    EXPECT_THAT(f.call("load8", {I32(0xffffffff)}), Traps(TrapKind::memory_out_of_bounds));
    // offset=4 is added without 32-bit wrap-around.
    EXPECT_THAT(f.call("load_off", {I32(0xfffffffc)}), Traps(TrapKind::memory_out_of_bounds));
    EXPECT_THAT(f.call("load_off", {I32(65528)}), Returns(vals({I32(0)})));
    EXPECT_THAT(f.call("load_off", {I32(65529)}), Traps(TrapKind::memory_out_of_bounds));
}

TEST(Memory, StoreLoadAndSignExtension) {
    Fixture f("memory");
    EXPECT_TRUE(f.call("store64", {I32(100), I64(0x8899aabbccddeeffull)}).ok());
    EXPECT_THAT(f.call("load64", {I32(100)}), Returns(vals({I64(0x8899aabbccddeeffull)})));
    EXPECT_THAT(f.call("load16_s", {I32(100)}), Returns(vals({I32(0xffffeeff)})));
    EXPECT_THAT(f.call("store64", {I32(65529), I64(1)}), Traps(TrapKind::memory_out_of_bounds));
}

TEST(Memory, GrowRespectsMaximum) {
    Fixture f("memory");
    EXPECT_THAT(f.call("size"), Returns(vals({I32(1)})));
    EXPECT_THAT(f.call("grow", {I32(1)}), Returns(vals({I32(1)})));
    EXPECT_THAT(f.call("load8", {I32(2 * 65536 - 1)}), Returns(vals({I32(0)})));
    EXPECT_THAT(f.call("grow", {I32(2)}), Returns(vals({I32(0xffffffff)})));
    EXPECT_THAT(f.call("grow", {I32(1)}), Returns(vals({I32(2)})));
    EXPECT_THAT(f.call("size"), Returns(vals({I32(3)})));
}

class DenyingLimiter : public ResourceLimiter {
public:
    uint64_t max_bytes = 0;
    bool memory_growing(uint64_t, uint64_t desired) override { return desired <= max_bytes; }
    bool table_growing(uint64_t, uint64_t) override { return true; }
};

TEST(Memory, LimiterVetoesGrowth) {
    DenyingLimiter limiter;
    limiter.max_bytes = 2 * kPageSize;
    StoreConfig c;
    c.limiter = &limiter;
    Fixture f("memory", c);
    EXPECT_THAT(f.call("grow", {I32(1)}), Returns(vals({I32(1)})));
    EXPECT_THAT(f.call("grow", {I32(1)}), Returns(vals({I32(0xffffffff)})));
}

TEST(Memory, HostSeesAndWritesMemory) {
    Fixture f("memory");
    auto mem = f.store->get_export(f.inst, "memory")->as_memory();
    ASSERT_NE(mem, nullptr);
    std::span<uint8_t> bytes = f.store->memory_data(mem);
    ASSERT_EQ(bytes.size(), kPageSize);
    EXPECT_EQ(std::memcmp(bytes.data() + 16, "hello", 5), 0);
    bytes[200] = 0x5a;
    EXPECT_THAT(f.call("load8", {I32(200)}), Returns(vals({I32(0x5a)})));
    EXPECT_EQ(f.store->memory_grow(mem, 1), 1);
    EXPECT_EQ(f.store->memory_type(mem).limits.min, 2u);
    EXPECT_THAT(f.call("load8", {I32(200)}), Returns(vals({I32(0x5a)})));
}

TEST(Memory, FillAndCopyBounds) {
    Fixture f("memory");
    EXPECT_TRUE(f.call("fill", {I32(300), I32(7), I32(4)}).ok());
    EXPECT_THAT(f.call("load8", {I32(303)}), Returns(vals({I32(7)})));
    EXPECT_TRUE(f.call("copy", {I32(301), I32(300), I32(4)}).ok());  // overlapping
    EXPECT_THAT(f.call("load8", {I32(304)}), Returns(vals({I32(7)})));
    EXPECT_THAT(f.call("fill", {I32(65535), I32(1), I32(2)}), Traps(TrapKind::memory_out_of_bounds));
    EXPECT_THAT(f.call("copy", {I32(0), I32(65535), I32(2)}), Traps(TrapKind::memory_out_of_bounds));
    EXPECT_TRUE(f.call("fill", {I32(65536), I32(1), I32(0)}).ok());  // n = 0 at the end is fine
}

}  // namespace
}  // namespace crush::test
