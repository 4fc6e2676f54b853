// Copyright Crush authors.
#include "wast/spectest_host.hpp"

#include <fmt/format.h>

namespace crush::cli::wast {

namespace {

/// The reference interpreter's rendering of a printed value.
std::string print_form(const Value& v) {
    switch (v.type) {
    case ValType::i32:
        return fmt::format("{} : i32", static_cast<int32_t>(v.as_i32()));
    case ValType::i64:
        return fmt::format("{} : i64", static_cast<int64_t>(v.as_i64()));
    case ValType::f32:
        return fmt::format("{} : f32", v.as_f32());
    case ValType::f64:
        return fmt::format("{} : f64", v.as_f64());
    default:
        return fmt::format("? : {}", to_string(v.type));
    }
}

}  // namespace

ExportMap make_spectest_module(Store& store, std::FILE* out) {
    ExportMap m;
    auto print = [&store, out, &m](const char* name, std::vector<ValType> params) {
        HostFunction fn = [out](HostCall&, std::span<const Value> args, std::span<Value>) {
            for (const Value& v : args)
                fmt::print(out, "{}\n", print_form(v));
            std::fflush(out);
            return HostOutcome::next();
        };
        m.emplace(name, Extern::func(store.create_host_function(FuncType{std::move(params), {}}, std::move(fn),
                                                                std::string("spectest.") + name)));
    };
    print("print", {});
    print("print_i32", {ValType::i32});
    print("print_i64", {ValType::i64});
    print("print_f32", {ValType::f32});
    print("print_f64", {ValType::f64});
    print("print_i32_f32", {ValType::i32, ValType::f32});
    print("print_f64_f64", {ValType::f64, ValType::f64});

    m.emplace("global_i32", Extern::global(store.create_global({ValType::i32, false}, Value::i32(666))));
    m.emplace("global_i64", Extern::global(store.create_global({ValType::i64, false}, Value::i64(666))));
    m.emplace("global_f32", Extern::global(store.create_global({ValType::f32, false}, Value::f32(666.6f))));
    m.emplace("global_f64", Extern::global(store.create_global({ValType::f64, false}, Value::f64(666.6))));
    m.emplace("table", Extern::table(store.create_table(TableType{ValType::funcref, Limits{10, 20}})));
    m.emplace("memory", Extern::memory(store.create_memory(MemoryType{Limits{1, 2}})));
    return m;
}

}  // namespace crush::cli::wast
