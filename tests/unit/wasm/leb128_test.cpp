// Copyright Crush authors.
// The byte cursor: LEB128 limits exactly as the spec's binary-leb128.wast expects, raw floats,
// names (UTF-8), lengths, sub-cursors and absolute error offsets.
#include "wasm/leb128.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

namespace crush {
namespace {

struct Bytes {
    std::vector<uint8_t> v;
    Bytes(std::initializer_list<uint8_t> b) : v(b) {}
    Cursor cursor(size_t base = 0) const { return Cursor(v, base); }
};

template <class T>
std::string err(const Result<T>& r) {
    return r.ok() ? std::string("<ok>") : r.error().message;
}

TEST(Leb128, U32Valid) {
    EXPECT_EQ(*Bytes({0x00}).cursor().read_u32(), 0u);
    EXPECT_EQ(*Bytes({0x7f}).cursor().read_u32(), 127u);
    EXPECT_EQ(*Bytes({0x80, 0x01}).cursor().read_u32(), 128u);
    EXPECT_EQ(*Bytes({0xe5, 0x8e, 0x26}).cursor().read_u32(), 624485u);
    // Non-minimal but within 5 bytes is fine.
    EXPECT_EQ(*Bytes({0x82, 0x80, 0x80, 0x80, 0x00}).cursor().read_u32(), 2u);
    EXPECT_EQ(*Bytes({0xff, 0xff, 0xff, 0xff, 0x0f}).cursor().read_u32(), 0xffffffffu);
}

TEST(Leb128, U32Errors) {
    // A 6th byte announced by the 5th byte's continuation bit.
    EXPECT_EQ(err(Bytes({0x82, 0x80, 0x80, 0x80, 0x80, 0x00}).cursor().read_u32()), kIntegerTooLong);
    // Even when the data stops right there, the length rule is checked before reading.
    EXPECT_EQ(err(Bytes({0x80, 0x80, 0x80, 0x80, 0x80}).cursor().read_u32()), kIntegerTooLong);
    // Unused bits (4..6) of the 5th byte set.
    EXPECT_EQ(err(Bytes({0x82, 0x80, 0x80, 0x80, 0x70}).cursor().read_u32()), kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({0x82, 0x80, 0x80, 0x80, 0x10}).cursor().read_u32()), kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({0xff, 0xff, 0xff, 0xff, 0x1f}).cursor().read_u32()), kIntegerTooLarge);
    // Too large is checked on the 5th byte before its continuation bit.
    EXPECT_EQ(err(Bytes({0x80, 0x80, 0x80, 0x80, 0x90, 0x00}).cursor().read_u32()), kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({}).cursor().read_u32()), kUnexpectedEnd);
    EXPECT_EQ(err(Bytes({0x80, 0x80}).cursor().read_u32()), kUnexpectedEnd);
}

TEST(Leb128, S32) {
    EXPECT_EQ(*Bytes({0x7f}).cursor().read_s32(), -1);
    EXPECT_EQ(*Bytes({0x40}).cursor().read_s32(), -64);
    EXPECT_EQ(*Bytes({0x3f}).cursor().read_s32(), 63);
    EXPECT_EQ(*Bytes({0x80, 0x7f}).cursor().read_s32(), -128);
    EXPECT_EQ(*Bytes({0xff, 0xff, 0xff, 0xff, 0x7f}).cursor().read_s32(), -1);
    EXPECT_EQ(*Bytes({0x80, 0x80, 0x80, 0x80, 0x78}).cursor().read_s32(), INT32_MIN);
    EXPECT_EQ(*Bytes({0xff, 0xff, 0xff, 0xff, 0x07}).cursor().read_s32(), INT32_MAX);
    EXPECT_EQ(*Bytes({0x80, 0x80, 0x80, 0x80, 0x00}).cursor().read_s32(), 0);
    EXPECT_EQ(err(Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}).cursor().read_s32()), kIntegerTooLong);
    EXPECT_EQ(err(Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}).cursor().read_s32()), kIntegerTooLong);
    // Last byte's unused bits must equal the sign bit (bit 3).
    EXPECT_EQ(err(Bytes({0x80, 0x80, 0x80, 0x80, 0x70}).cursor().read_s32()), kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({0xff, 0xff, 0xff, 0xff, 0x0f}).cursor().read_s32()), kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({0x80, 0x80, 0x80, 0x80, 0x1f}).cursor().read_s32()), kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({0xff, 0xff, 0xff, 0xff, 0x4f}).cursor().read_s32()), kIntegerTooLarge);
}

TEST(Leb128, S33BlockTypes) {
    EXPECT_EQ(*Bytes({0x40}).cursor().read_s33(), -64);  // empty block type
    EXPECT_EQ(*Bytes({0x7f}).cursor().read_s33(), -1);   // i32
    EXPECT_EQ(*Bytes({0x05}).cursor().read_s33(), 5);    // type index
    EXPECT_EQ(*Bytes({0xff, 0xff, 0xff, 0xff, 0x0f}).cursor().read_s33(), 0xffffffffll);
    EXPECT_EQ(*Bytes({0x80, 0x80, 0x80, 0x80, 0x70}).cursor().read_s33(), -(1ll << 32));
    EXPECT_EQ(err(Bytes({0x80, 0x80, 0x80, 0x80, 0x10}).cursor().read_s33()), kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}).cursor().read_s33()), kIntegerTooLong);
}

TEST(Leb128, U64AndS64) {
    EXPECT_EQ(*Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}).cursor().read_u64(),
              UINT64_MAX);
    EXPECT_EQ(err(Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}).cursor().read_u64()),
              kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00})
                      .cursor()
                      .read_u64()),
              kIntegerTooLong);
    EXPECT_EQ(*Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}).cursor().read_s64(),
              INT64_MIN);
    EXPECT_EQ(*Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}).cursor().read_s64(),
              INT64_MAX);
    EXPECT_EQ(*Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}).cursor().read_s64(), -1);
    // binary-leb128.wast: i64.const with unused bits set in the 10th byte.
    EXPECT_EQ(err(Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x0e}).cursor().read_s64()),
              kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41}).cursor().read_s64()),
              kIntegerTooLarge);
    EXPECT_EQ(*Bytes({0xc0, 0xbb, 0x78}).cursor().read_s64(), -123456);
}

TEST(Leb128, U1LimitsFlag) {
    EXPECT_EQ(*Bytes({0x00}).cursor().read_u1(), 0u);
    EXPECT_EQ(*Bytes({0x01}).cursor().read_u1(), 1u);
    EXPECT_EQ(err(Bytes({0x02}).cursor().read_u1()), kIntegerTooLarge);
    EXPECT_EQ(err(Bytes({0x81, 0x00}).cursor().read_u1()), kIntegerTooLong);
    EXPECT_EQ(err(Bytes({0x80, 0x00}).cursor().read_u1()), kIntegerTooLong);
}

TEST(Leb128, ErrorOffsetsAreAbsolute) {
    Bytes b({0x01, 0x82, 0x80, 0x80, 0x80, 0x70});
    Cursor c = b.cursor(100);
    EXPECT_EQ(*c.read_u8(), 1u);
    EXPECT_EQ(c.offset(), 101u);
    auto r = c.read_u32();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::malformed);
    EXPECT_EQ(r.error().offset, 105u);  // the offending 5th byte
    Bytes too_long({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
    auto r2 = too_long.cursor(10).read_u32();
    EXPECT_EQ(r2.error().offset, 15u);  // where the 6th byte would start
}

TEST(Cursor, FloatBitsLittleEndian) {
    Bytes b({0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f, 0x01});
    Cursor c = b.cursor();
    EXPECT_EQ(*c.read_f32_bits(), 0x3f800000u);
    EXPECT_EQ(*c.read_f64_bits(), 0x3ff0000000000000ull);
    EXPECT_EQ(c.remaining(), 1u);
    auto bad = c.read_f32_bits();
    EXPECT_EQ(err(bad), kUnexpectedEnd);
    EXPECT_EQ(bad.error().offset, 13u);
}

TEST(Cursor, BytesSkipTake) {
    Bytes b({1, 2, 3, 4, 5});
    Cursor c = b.cursor(7);
    auto two = c.read_bytes(2);
    ASSERT_TRUE(two.ok());
    EXPECT_EQ((*two)[1], 2);
    ASSERT_TRUE(c.skip(1).ok());
    auto sub = c.take(2, kUnexpectedEndOfSection);
    ASSERT_TRUE(sub.ok());
    EXPECT_TRUE(c.at_end());
    EXPECT_EQ(sub->offset(), 10u);
    EXPECT_EQ(*sub->read_u8(), 4u);
    EXPECT_EQ(*sub->read_u8(), 5u);
    auto end = sub->read_u8();
    EXPECT_EQ(err(end), kUnexpectedEndOfSection);
    EXPECT_EQ(end.error().offset, 12u);
    EXPECT_EQ(err(c.take(1, kUnexpectedEnd)), kLengthOutOfBounds);
    EXPECT_EQ(err(c.read_bytes(1)), kUnexpectedEnd);
    EXPECT_FALSE(c.skip(1).ok());
    EXPECT_TRUE(c.peek_u8().error().message == kUnexpectedEnd);
}

TEST(Cursor, Length) {
    EXPECT_EQ(*Bytes({0x02, 0xaa, 0xbb}).cursor().read_length(), 2u);
    EXPECT_EQ(err(Bytes({0x03, 0xaa, 0xbb}).cursor().read_length()), kLengthOutOfBounds);
    // A hostile count is rejected without allocating anything.
    EXPECT_EQ(err(Bytes({0xff, 0xff, 0xff, 0xff, 0x0f}).cursor().read_length()), kLengthOutOfBounds);
}

TEST(Cursor, Names) {
    EXPECT_EQ(*Bytes({0x00}).cursor().read_name(), "");
    EXPECT_EQ(*Bytes({0x03, 'a', 'b', 'c'}).cursor().read_name(), "abc");
    EXPECT_EQ(*Bytes({0x02, 0xc3, 0xa9}).cursor().read_name(), "\xc3\xa9");  // é
    EXPECT_EQ(*Bytes({0x04, 0xf0, 0x9f, 0x98, 0x80}).cursor().read_name(), "\xf0\x9f\x98\x80");
    EXPECT_EQ(err(Bytes({0x04, 'a', 'b'}).cursor().read_name()), kLengthOutOfBounds);
    EXPECT_EQ(err(Bytes({0x01, 0x80}).cursor().read_name()), kMalformedUtf8);
    auto bad = Bytes({0x02, 0xc0, 0x80}).cursor(5).read_name();
    EXPECT_EQ(err(bad), kMalformedUtf8);
    EXPECT_EQ(bad.error().offset, 5u);
}

bool utf8(std::initializer_list<uint8_t> b) {
    std::vector<uint8_t> v(b);
    return is_valid_utf8(v);
}

TEST(Utf8, Valid) {
    EXPECT_TRUE(utf8({}));
    EXPECT_TRUE(utf8({0x00, 0x7f}));
    EXPECT_TRUE(utf8({0xc2, 0x80}));                // U+0080
    EXPECT_TRUE(utf8({0xdf, 0xbf}));                // U+07FF
    EXPECT_TRUE(utf8({0xe0, 0xa0, 0x80}));          // U+0800
    EXPECT_TRUE(utf8({0xed, 0x9f, 0xbf}));          // U+D7FF
    EXPECT_TRUE(utf8({0xee, 0x80, 0x80}));          // U+E000
    EXPECT_TRUE(utf8({0xef, 0xbf, 0xbf}));          // U+FFFF
    EXPECT_TRUE(utf8({0xf0, 0x90, 0x80, 0x80}));    // U+10000
    EXPECT_TRUE(utf8({0xf4, 0x8f, 0xbf, 0xbf}));    // U+10FFFF
}

TEST(Utf8, Invalid) {
    EXPECT_FALSE(utf8({0x80}));                     // stray continuation
    EXPECT_FALSE(utf8({0xbf}));
    EXPECT_FALSE(utf8({0xc0, 0x80}));               // overlong NUL
    EXPECT_FALSE(utf8({0xc1, 0xbf}));               // overlong
    EXPECT_FALSE(utf8({0xc2}));                     // truncated
    EXPECT_FALSE(utf8({0xc2, 0x00}));               // bad continuation
    EXPECT_FALSE(utf8({0xc2, 0xc0}));
    EXPECT_FALSE(utf8({0xe0, 0x9f, 0xbf}));         // overlong 3-byte
    EXPECT_FALSE(utf8({0xed, 0xa0, 0x80}));         // surrogate U+D800
    EXPECT_FALSE(utf8({0xed, 0xbf, 0xbf}));         // surrogate U+DFFF
    EXPECT_FALSE(utf8({0xe1, 0x80}));               // truncated
    EXPECT_FALSE(utf8({0xe1, 0x80, 0x7f}));
    EXPECT_FALSE(utf8({0xf0, 0x8f, 0xbf, 0xbf}));   // overlong 4-byte
    EXPECT_FALSE(utf8({0xf4, 0x90, 0x80, 0x80}));   // U+110000
    EXPECT_FALSE(utf8({0xf5, 0x80, 0x80, 0x80}));
    EXPECT_FALSE(utf8({0xf1, 0x80, 0x80}));         // truncated
    EXPECT_FALSE(utf8({0xf1, 0x80, 0x80, 0xc0}));
    EXPECT_FALSE(utf8({0xf8, 0x88, 0x80, 0x80, 0x80}));  // 5-byte form
    EXPECT_FALSE(utf8({0xfe}));
    EXPECT_FALSE(utf8({0xff}));
    EXPECT_FALSE(utf8({'a', 0xe1, 0x80}));          // truncated at the end
}

}  // namespace
}  // namespace crush
