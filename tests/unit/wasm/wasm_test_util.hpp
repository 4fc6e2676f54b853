// Copyright Crush authors.
// Helpers for the VM's unit tests: load a .wat fixture (compiled at build time into
// CRUSH_TEST_DATA_DIR/wat), instantiate it, call exports, and match outcomes like prose.
#pragma once

#include <crush/wasm.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace crush::test {

inline std::vector<uint8_t> read_fixture(const std::string& name) {
    std::ifstream in(std::string(CRUSH_TEST_DATA_DIR) + "/wat/" + name + ".wasm", std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::shared_ptr<const Module> load_fixture(const std::string& name) {
    auto bytes = read_fixture(name);
    EXPECT_FALSE(bytes.empty()) << "fixture " << name << " missing";
    auto m = load_module(bytes);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return m.ok() ? *m : nullptr;
}

/// A store with one instance of a fixture.
struct Fixture {
    std::unique_ptr<Store> store;
    Instance* inst = nullptr;

    explicit Fixture(const std::string& name, StoreConfig config = {}, std::vector<Extern> imports = {})
        : store(std::make_unique<Store>(config)) {
        auto m = load_fixture(name);
        if (!m) return;
        auto r = store->instantiate(m, imports);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        if (r.ok()) inst = *r;
    }
    FunctionInst* func(const std::string& name) const {
        auto e = store->get_export(inst, name);
        EXPECT_TRUE(e && e->kind == ExternKind::func) << name;
        return e ? e->as_func() : nullptr;
    }
    ExecResult call(const std::string& name, std::vector<Value> args = {}) const {
        FunctionInst* f = func(name);
        if (!f) return {};
        return store->call(f, args);
    }
};

inline Value I32(uint32_t v) { return Value::i32(v); }
inline Value I64(uint64_t v) { return Value::i64(v); }
inline Value F32(float v) { return Value::f32(v); }
inline Value F64(double v) { return Value::f64(v); }

MATCHER_P(Returns, expected, "returns " + ::testing::PrintToString(expected)) {
    if (arg.status != ExecResult::Status::ok) {
        *result_listener << "trapped: " << arg.trap.message;
        return false;
    }
    std::vector<Value> want = expected;
    if (arg.values.size() != want.size()) return false;
    for (size_t i = 0; i < want.size(); ++i) {
        if (!(arg.values[i] == want[i])) {
            *result_listener << "value " << i << " is " << to_string(arg.values[i]);
            return false;
        }
    }
    return true;
}

MATCHER_P(Traps, kind, std::string("traps with ") + trap_message(kind)) {
    if (arg.status != ExecResult::Status::trap) {
        *result_listener << "did not trap";
        return false;
    }
    *result_listener << "trap: " << arg.trap.message;
    return arg.trap.kind == kind;
}

inline std::vector<Value> vals(std::initializer_list<Value> v) { return v; }

}  // namespace crush::test

namespace crush {
inline void PrintTo(const Value& v, std::ostream* os) { *os << to_string(v); }
inline void PrintTo(const ExecResult& r, std::ostream* os) {
    if (r.status == ExecResult::Status::trap) *os << "trap: " << r.trap.message;
    else if (r.status == ExecResult::Status::exit) *os << "exit " << r.exit_code;
    else {
        *os << "ok:";
        for (const Value& v : r.values) *os << " " << to_string(v);
    }
}
}  // namespace crush
