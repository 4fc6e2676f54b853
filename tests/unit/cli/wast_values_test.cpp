// Copyright Crush authors.
// Script values: parsing wast2json's number strings and the spec's result-matching rules.
#include "wast/values.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crush::cli::wast {
namespace {

using nlohmann::json;

Expectation expect(const char* text) {
    auto e = parse_expectation(json::parse(text));
    EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message);
    return e.ok() ? *e : Expectation{};
}

Value arg(const char* text) {
    auto a = parse_argument(json::parse(text));
    EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().message);
    return a.ok() ? a->value : Value{};
}

TEST(WastValues, ParsesUnsignedDecimalBits) {
    EXPECT_EQ(arg(R"({"type": "i32", "value": "4294967295"})"), Value::i32(0xffffffffu));
    EXPECT_EQ(arg(R"({"type": "i64", "value": "18446744073709551615"})"), Value::i64(~0ull));
    EXPECT_EQ(arg(R"({"type": "f32", "value": "2143289344"})"), Value::f32_bits(0x7fc00000u));
    EXPECT_EQ(arg(R"({"type": "f64", "value": "9221120237041090560"})"), Value::f64_bits(0x7ff8000000000000ull));
    EXPECT_EQ(arg(R"({"type": "i32", "value": "-1"})"), Value::i32(0xffffffffu));
}

TEST(WastValues, RejectsBadNumbers) {
    EXPECT_FALSE(parse_argument(json::parse(R"({"type": "i32", "value": "4294967296"})")).ok());
    EXPECT_FALSE(parse_argument(json::parse(R"({"type": "i32", "value": "12x"})")).ok());
    EXPECT_FALSE(parse_argument(json::parse(R"({"type": "i32", "value": ""})")).ok());
    EXPECT_FALSE(parse_argument(json::parse(R"({"type": "i32"})")).ok());
    EXPECT_FALSE(parse_argument(json::parse(R"({"type": "i33", "value": "1"})")).ok());
    EXPECT_FALSE(parse_argument(json::parse(R"({"type": "i32", "value": 1})")).ok());
    EXPECT_FALSE(parse_argument(json::parse(R"("i32")")).ok());
    EXPECT_FALSE(parse_expectation(json::parse(R"({"type": "i64", "value": "nan:canonical"})")).ok());
}

TEST(WastValues, ExactMatchComparesBits) {
    EXPECT_TRUE(matches(expect(R"({"type": "f32", "value": "2147483648"})"), Value::f32(-0.0f)));
    EXPECT_FALSE(matches(expect(R"({"type": "f32", "value": "0"})"), Value::f32(-0.0f)));
    EXPECT_FALSE(matches(expect(R"({"type": "f64", "value": "0"})"), Value::f32(0.0f)));  // wrong type
    EXPECT_TRUE(matches(expect(R"({"type": "i32", "value": "7"})"), Value::i32(7)));
    EXPECT_FALSE(matches(expect(R"({"type": "i32", "value": "7"})"), Value::i64(7)));
    // A NaN with a payload matches only itself.
    EXPECT_TRUE(matches(expect(R"({"type": "f32", "value": "2139095041"})"), Value::f32_bits(0x7f800001u)));
    EXPECT_FALSE(matches(expect(R"({"type": "f32", "value": "2139095041"})"), Value::f32_bits(0x7fc00000u)));
}

TEST(WastValues, CanonicalNan) {
    Expectation f32 = expect(R"({"type": "f32", "value": "nan:canonical"})");
    EXPECT_TRUE(matches(f32, Value::f32_bits(0x7fc00000u)));
    EXPECT_TRUE(matches(f32, Value::f32_bits(0xffc00000u)));  // either sign
    EXPECT_FALSE(matches(f32, Value::f32_bits(0x7fc00001u)));
    EXPECT_FALSE(matches(f32, Value::f32_bits(0x7f800001u)));
    EXPECT_FALSE(matches(f32, Value::f32(1.0f)));
    EXPECT_FALSE(matches(f32, Value::f64_bits(0x7ff8000000000000ull)));
    Expectation f64 = expect(R"({"type": "f64", "value": "nan:canonical"})");
    EXPECT_TRUE(matches(f64, Value::f64_bits(0xfff8000000000000ull)));
    EXPECT_FALSE(matches(f64, Value::f64_bits(0x7ff8000000000001ull)));
    EXPECT_FALSE(matches(f64, Value::f64_bits(0x7ff0000000000000ull)));  // infinity
}

TEST(WastValues, ArithmeticNan) {
    Expectation f32 = expect(R"({"type": "f32", "value": "nan:arithmetic"})");
    EXPECT_TRUE(matches(f32, Value::f32_bits(0x7fc00000u)));
    EXPECT_TRUE(matches(f32, Value::f32_bits(0xffc12345u)));
    EXPECT_FALSE(matches(f32, Value::f32_bits(0x7fa00000u)));  // signalling
    EXPECT_FALSE(matches(f32, Value::f32_bits(0x7f800000u)));  // infinity
    Expectation f64 = expect(R"({"type": "f64", "value": "nan:arithmetic"})");
    EXPECT_TRUE(matches(f64, Value::f64_bits(0x7ffc000000000001ull)));
    EXPECT_FALSE(matches(f64, Value::f64_bits(0x7ff4000000000000ull)));
}

TEST(WastValues, References) {
    Value e5 = arg(R"({"type": "externref", "value": "5"})");
    EXPECT_EQ(e5.type, ValType::externref);
    EXPECT_FALSE(e5.as_ref().is_null());
    EXPECT_EQ(extern_number(e5.as_ref()), 5u);
    Value e0 = arg(R"({"type": "externref", "value": "0"})");
    EXPECT_FALSE(e0.as_ref().is_null());  // ref.extern 0 is not null
    EXPECT_TRUE(arg(R"({"type": "funcref", "value": "null"})").as_ref().is_null());

    EXPECT_TRUE(matches(expect(R"({"type": "externref", "value": "5"})"), e5));
    EXPECT_FALSE(matches(expect(R"({"type": "externref", "value": "4"})"), e5));
    EXPECT_FALSE(matches(expect(R"({"type": "externref", "value": "null"})"), e5));
    EXPECT_TRUE(matches(expect(R"({"type": "externref", "value": "null"})"),
                        Value::ref(ValType::externref, Ref{})));
    EXPECT_FALSE(matches(expect(R"({"type": "funcref", "value": "null"})"),
                         Value::ref(ValType::externref, Ref{})));
    int dummy = 0;
    Value some_func = Value::ref(ValType::funcref, Ref{&dummy});
    EXPECT_TRUE(matches(expect(R"({"type": "funcref"})"), some_func));
    EXPECT_FALSE(matches(expect(R"({"type": "funcref"})"), Value::ref(ValType::funcref, Ref{})));
}

TEST(WastValues, Either) {
    Expectation e = expect(R"({"type": "either", "values": [
        {"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]})");
    EXPECT_TRUE(matches(e, Value::i32(1)));
    EXPECT_TRUE(matches(e, Value::i32(2)));
    EXPECT_FALSE(matches(e, Value::i32(3)));
    EXPECT_FALSE(parse_expectation(json::parse(R"({"type": "either", "values": []})")).ok());
}

TEST(WastValues, V128IsUnsupportedNotAScriptError) {
    auto a = parse_argument(json::parse(R"({"type": "v128", "lane_type": "i32", "value": ["0", "0", "0", "0"]})"));
    ASSERT_TRUE(a.ok());
    EXPECT_FALSE(a->unsupported_reason.empty());
    auto e = parse_expectation(json::parse(R"({"type": "v128", "lane_type": "i32", "value": ["0", "0", "0", "0"]})"));
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->kind, Expectation::Kind::unsupported);
    EXPECT_FALSE(matches(*e, Value{ValType::v128, 0}));
}

}  // namespace
}  // namespace crush::cli::wast
