// Copyright Crush authors.
// Tables and references: size/grow/get/set/fill, ref.func, ref.is_null, externref, typed select.
// WAT: tests/unit/wasm/wat/tables.wat
#include "wasm_test_util.hpp"

namespace crush::test {
namespace {

TEST(Tables, SizeGrowAndMaximum) {
    Fixture f("tables");
    EXPECT_THAT(f.call("size"), Returns(vals({I32(2)})));
    EXPECT_THAT(f.call("grow", {I32(3)}), Returns(vals({I32(2)})));
    EXPECT_THAT(f.call("size"), Returns(vals({I32(5)})));
    EXPECT_THAT(f.call("call", {I32(4)}), Returns(vals({I32(11)})));
    EXPECT_THAT(f.call("grow", {I32(6)}), Returns(vals({I32(0xffffffff)})));
    EXPECT_THAT(f.call("grow", {I32(5)}), Returns(vals({I32(5)})));
}

TEST(Tables, GetSetFillAndNull) {
    Fixture f("tables");
    EXPECT_THAT(f.call("is_null", {I32(1)}), Returns(vals({I32(1)})));
    EXPECT_THAT(f.call("is_null", {I32(2)}), Traps(TrapKind::table_out_of_bounds));
    EXPECT_TRUE(f.call("set_k", {I32(1)}).ok());
    EXPECT_THAT(f.call("is_null", {I32(1)}), Returns(vals({I32(0)})));
    EXPECT_THAT(f.call("set_k", {I32(2)}), Traps(TrapKind::table_out_of_bounds));
    EXPECT_THAT(f.call("fill", {I32(1), I32(2)}), Traps(TrapKind::table_out_of_bounds));
    EXPECT_TRUE(f.call("fill", {I32(2), I32(0)}).ok());
}

TEST(Tables, ExternrefRoundTripsThroughTables) {
    Fixture f("tables");
    int token = 0;
    Value ext = Value::ref(ValType::externref, Ref{&token});
    EXPECT_TRUE(f.call("put_ext", {I32(1), ext}).ok());
    EXPECT_THAT(f.call("get_ext", {I32(1)}), Returns(vals({ext})));
    EXPECT_THAT(f.call("get_ext", {I32(0)}), Returns(vals({Value::ref(ValType::externref, Ref{})})));
    Value null = Value::ref(ValType::externref, Ref{});
    EXPECT_THAT(f.call("typed_select", {ext, null, I32(1)}), Returns(vals({ext})));
    EXPECT_THAT(f.call("typed_select", {ext, null, I32(0)}), Returns(vals({null})));
}

TEST(Tables, HostAccessors) {
    Fixture f("tables");
    TableInst* t = f.store->get_export(f.inst, "funcs")->as_table();
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(f.store->table_type(t).limits.min, 2u);
    FunctionInst* k = f.func("k");
    EXPECT_EQ(f.store->table_get(t, 0)->ptr, static_cast<void*>(k));
    EXPECT_FALSE(f.store->table_get(t, 2).has_value());
    EXPECT_TRUE(f.store->table_set(t, 1, Ref{k}));
    EXPECT_THAT(f.call("call", {I32(1)}), Returns(vals({I32(11)})));
    EXPECT_EQ(f.store->table_grow(t, 1, Ref{}), 2);
    EXPECT_EQ(f.store->table_grow(t, 100, Ref{}), -1);
}

}  // namespace
}  // namespace crush::test
