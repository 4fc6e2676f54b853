// Copyright Crush authors.
// Linking and instantiation: import kinds and types, limits subtyping, segment traps that keep
// earlier effects, the start function. WAT: wat/linking.wat, wat/start.wat, wat/start_trap.wat
#include "wasm_test_util.hpp"

namespace crush::test {
namespace {

struct Env {
    Store store;
    TableInst* table = store.create_table({ValType::funcref, {2, std::nullopt}});
    MemoryInst* memory = store.create_memory({{1, 2}});
    GlobalInst* g = store.create_global({ValType::i32, false}, Value::i32(10));
    std::vector<Extern> imports() { return {Extern::table(table), Extern::memory(memory), Extern::global(g)}; }
};

TEST(Linking, WrongKindOrCountIsUnlinkable) {
    Env env;
    auto m = load_fixture("linking");
    std::vector<Extern> wrong{Extern::memory(env.memory), Extern::memory(env.memory), Extern::global(env.g)};
    auto r = env.store.instantiate(m, wrong);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
    EXPECT_EQ(r.error().message, "incompatible import type");
    auto r2 = env.store.instantiate(m, {});
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().kind, ErrorKind::unlinkable);
}

TEST(Linking, LimitsAndGlobalTypesMustMatch) {
    Env env;
    auto m = load_fixture("linking");
    // Memory without a maximum does not satisfy an import with max 2.
    MemoryInst* unbounded = env.store.create_memory({{1, std::nullopt}});
    std::vector<Extern> imports{Extern::table(env.table), Extern::memory(unbounded), Extern::global(env.g)};
    auto r = env.store.instantiate(m, imports);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
    // A mutable global does not satisfy an immutable import.
    GlobalInst* mut = env.store.create_global({ValType::i32, true}, Value::i32(0));
    imports = {Extern::table(env.table), Extern::memory(env.memory), Extern::global(mut)};
    r = env.store.instantiate(m, imports);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::unlinkable);
    // Too small a table.
    TableInst* small = env.store.create_table({ValType::funcref, {1, std::nullopt}});
    imports = {Extern::table(small), Extern::memory(env.memory), Extern::global(env.g)};
    EXPECT_FALSE(env.store.instantiate(m, imports).ok());
}

TEST(Linking, SegmentTrapIsUninstantiableAndKeepsEarlierEffects) {
    Env env;
    auto m = load_fixture("linking");
    auto r = env.store.instantiate(m, env.imports());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::uninstantiable);
    EXPECT_EQ(r.error().message, "out of bounds memory access");
    // The element segment and the first data segment were applied before the trap.
    EXPECT_NE(env.store.table_get(env.table, 0)->ptr, nullptr);
    EXPECT_EQ(env.store.memory_data(env.memory)[10], 'x');
    // With a bigger memory the module instantiates.
    MemoryInst* two = env.store.create_memory({{2, 2}});
    std::vector<Extern> imports{Extern::table(env.table), Extern::memory(two), Extern::global(env.g)};
    auto ok = env.store.instantiate(m, imports);
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(env.store.memory_data(two)[65536], 'y');
    // The function placed in the imported table is callable from the host.
    auto* f = static_cast<FunctionInst*>(env.store.table_get(env.table, 0)->ptr);
    EXPECT_THAT(env.store.call(f, {}), Returns(vals({I32(5)})));
}

TEST(Linking, StartFunctionRuns) {
    Fixture f("start");
    GlobalInst* g = f.store->get_export(f.inst, "g")->as_global();
    EXPECT_EQ(f.store->global_get(g).as_i32(), 42u);
    EXPECT_EQ(f.store->global_type(g).mut, true);
    f.store->global_set(g, Value::i32(7));
    EXPECT_EQ(f.store->global_get(g).as_i32(), 7u);
}

TEST(Linking, StartFunctionTrapIsUninstantiable) {
    Store store;
    auto r = store.instantiate(load_fixture("start_trap"), {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::uninstantiable);
    EXPECT_EQ(r.error().message, "unreachable");
}

TEST(Linking, ModuleIntrospection) {
    auto m = load_fixture("linking");
    auto imports = module_imports(*m);
    ASSERT_EQ(imports.size(), 3u);
    EXPECT_EQ(imports[1].kind, ExternKind::memory);
    EXPECT_EQ(imports[1].memory.limits.max, std::optional<uint32_t>(2));
    EXPECT_EQ(imports[2].name, "g");
    auto exports = module_exports(*load_fixture("start"));
    ASSERT_EQ(exports.size(), 1u);
    EXPECT_EQ(exports[0].kind, ExternKind::global);
}

TEST(Linking, DecodeOnlyModuleCannotBeInstantiated) {
    auto m = decode_module(read_fixture("start"));
    ASSERT_TRUE(m.ok());
    Store store;
    EXPECT_FALSE(store.instantiate(*m, {}).ok());
}

}  // namespace
}  // namespace crush::test
