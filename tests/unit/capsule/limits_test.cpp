// Copyright Crush authors.
#include "capsule/limits.hpp"

#include <gtest/gtest.h>

namespace crush {
namespace {

uint64_t size_of(std::string_view text) {
    auto r = parse_size(text);
    EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : 0;
}

std::string size_error(std::string_view text) {
    auto r = parse_size(text);
    EXPECT_FALSE(r.ok()) << text << " parsed as " << (r.ok() ? *r : 0);
    return r.ok() ? "" : r.error().message;
}

TEST(ParseSize, PlainBytes) {
    EXPECT_EQ(size_of("0"), 0u);
    EXPECT_EQ(size_of("4096"), 4096u);
    EXPECT_EQ(size_of("4096B"), 4096u);
    EXPECT_EQ(size_of("18446744073709551615"), UINT64_MAX);
}

TEST(ParseSize, BinaryUnitsWithAndWithoutIb) {
    EXPECT_EQ(size_of("512K"), 512u * 1024);
    EXPECT_EQ(size_of("512k"), 512u * 1024);
    EXPECT_EQ(size_of("512KiB"), 512u * 1024);
    EXPECT_EQ(size_of("10M"), 10u << 20);
    EXPECT_EQ(size_of("64MiB"), 64u << 20);
    EXPECT_EQ(size_of("64 MiB"), 64u << 20);
    EXPECT_EQ(size_of("1G"), 1u << 30);
    EXPECT_EQ(size_of("1GiB"), 1u << 30);
    EXPECT_EQ(size_of("2T"), uint64_t{2} << 40);
    EXPECT_EQ(size_of("unlimited"), kUnlimited);
    EXPECT_EQ(size_of("none"), kUnlimited);
}

TEST(ParseSize, JunkIsAnErrorNamingTheText) {
    EXPECT_NE(size_error("").find("bad size ''"), std::string::npos);
    EXPECT_NE(size_error("lots").find("bad size 'lots'"), std::string::npos);
    size_error("-1");
    size_error("+1");
    size_error("1.5G");
    size_error("10 M B");
    size_error("10X");
    size_error("10Mi");
    size_error("10MiBs");
    size_error(" 10");
    size_error("10  M");
    size_error("0x10");
}

TEST(ParseSize, DecimalByteUnitsAreAmbiguousAndRefused) {
    EXPECT_EQ(size_error("64MB"), "ambiguous size '64MB': write 64M or 64MiB (powers of 1024)");
    size_error("1kb");
}

TEST(ParseSize, OverflowIsAnError) {
    EXPECT_NE(size_error("18446744073709551616").find("too large"), std::string::npos);
    EXPECT_NE(size_error("99999999999999999999999").find("too large"), std::string::npos);
    EXPECT_NE(size_error("16777216T").find("too large"), std::string::npos);  // 2^24 * 2^40 = 2^64
    EXPECT_EQ(size_of("16777215T"), uint64_t{16777215} << 40);
}

TEST(ParseCount, DigitsUnderscoresAndUnlimited) {
    EXPECT_EQ(*parse_count("0"), 0u);
    EXPECT_EQ(*parse_count("1000000"), 1000000u);
    EXPECT_EQ(*parse_count("1_000_000"), 1000000u);
    EXPECT_EQ(*parse_count("unlimited"), kUnlimited);
    EXPECT_FALSE(parse_count("_1").ok());
    EXPECT_FALSE(parse_count("1_").ok());
    EXPECT_FALSE(parse_count("1__0").ok());
    EXPECT_FALSE(parse_count("10K").ok());
    EXPECT_FALSE(parse_count("-5").ok());
    EXPECT_FALSE(parse_count("").ok());
    auto big = parse_count("184467440737095516160");
    ASSERT_FALSE(big.ok());
    EXPECT_NE(big.error().message.find("too large"), std::string::npos);
}

TEST(ParseDuration, Units) {
    EXPECT_EQ(*parse_duration_ms("500ms"), 500u);
    EXPECT_EQ(*parse_duration_ms("2s"), 2000u);
    EXPECT_EQ(*parse_duration_ms("0s"), 0u);
    EXPECT_EQ(*parse_duration_ms("1m"), 60000u);
    EXPECT_EQ(*parse_duration_ms("1min"), 60000u);
    EXPECT_EQ(*parse_duration_ms("2h"), 7200000u);
    EXPECT_EQ(*parse_duration_ms("unlimited"), kUnlimited);
}

TEST(ParseDuration, BareNumberNeedsAUnit) {
    auto r = parse_duration_ms("2");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "duration '2' needs a unit: ms, s, m or h (e.g. \"2s\")");
}

TEST(ParseDuration, JunkAndOverflow) {
    EXPECT_FALSE(parse_duration_ms("2 seconds").ok());
    EXPECT_FALSE(parse_duration_ms("1.5s").ok());
    EXPECT_FALSE(parse_duration_ms("s").ok());
    EXPECT_FALSE(parse_duration_ms("-1s").ok());
    EXPECT_FALSE(parse_duration_ms("2S").ok());
    EXPECT_FALSE(parse_duration_ms("99999999999999999h").ok());
    EXPECT_FALSE(parse_duration_ms("18446744073709551615ms").ok());  // would equal kUnlimited
}

TEST(Limits, DefaultsBoundTheHost) {
    ResolvedLimits r = resolve_limits(CapsuleLimits{});
    EXPECT_EQ(r.memory_bytes, uint64_t{1} << 30);
    EXPECT_EQ(r.handles, 1024u);
    EXPECT_EQ(r.disk_bytes, uint64_t{1} << 30);
    EXPECT_EQ(r.fuel, kUnlimited);
    EXPECT_EQ(r.time_ms, kUnlimited);
    EXPECT_EQ(r.io_bytes, kUnlimited);
}

TEST(Limits, ResolveKeepsSetValuesAndMergeOverrides) {
    CapsuleLimits manifest;
    manifest.memory_bytes = 64u << 20;
    manifest.fuel = 1000;
    CapsuleLimits flags;
    flags.fuel = 5;
    flags.time_ms = 2000;
    CapsuleLimits merged = merge_limits(manifest, flags);
    EXPECT_EQ(merged.fuel, 5u);
    EXPECT_EQ(merged.time_ms, 2000u);
    EXPECT_EQ(merged.memory_bytes, 64u << 20);
    EXPECT_FALSE(merged.disk_bytes.has_value());
    ResolvedLimits r = resolve_limits(merged);
    EXPECT_EQ(r.memory_bytes, 64u << 20);
    EXPECT_EQ(r.disk_bytes, kDefaultDiskBytes);
}

TEST(Limits, Formatting) {
    EXPECT_EQ(format_size(0), "0 B");
    EXPECT_EQ(format_size(1023), "1023 B");
    EXPECT_EQ(format_size(64u << 20), "64 MiB");
    EXPECT_EQ(format_size(3u << 29), "1.5 GiB");
    EXPECT_EQ(format_size(kUnlimited), "unlimited");
    EXPECT_EQ(format_duration_ms(500), "500ms");
    EXPECT_EQ(format_duration_ms(2000), "2s");
    EXPECT_EQ(format_duration_ms(0), "0s");
    EXPECT_EQ(format_duration_ms(60000), "1m");
    EXPECT_EQ(format_duration_ms(kUnlimited), "unlimited");
}

}  // namespace
}  // namespace crush
