// Copyright Crush authors.
#include "module_gen.hpp"

#include <string>

namespace crush::bench {

namespace {

void uleb(std::vector<uint8_t>& out, uint64_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        if (v) byte |= 0x80;
        out.push_back(byte);
    } while (v);
}

void sleb(std::vector<uint8_t>& out, int64_t v) {
    for (;;) {
        uint8_t byte = v & 0x7f;
        v >>= 7;  // arithmetic shift
        const bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        if (!done) byte |= 0x80;
        out.push_back(byte);
        if (done) return;
    }
}

void section(std::vector<uint8_t>& module, uint8_t id, const std::vector<uint8_t>& payload) {
    module.push_back(id);
    uleb(module, payload.size());
    module.insert(module.end(), payload.begin(), payload.end());
}

// Opcodes used (names from the spec).
enum : uint8_t {
    block = 0x02, loop = 0x03, end = 0x0b, br_if = 0x0d, call = 0x10,
    local_get = 0x20, local_set = 0x21, local_tee = 0x22,
    i32_load = 0x28, i32_store = 0x36, i32_const = 0x41,
    i32_and = 0x71, i32_xor = 0x73, i32_shr_u = 0x76, i32_add = 0x6a, i32_sub = 0x6b, i32_mul = 0x6c,
    i64_extend_i32_u = 0xad, i64_mul = 0x7e, i32_wrap_i64 = 0xa7,
};
constexpr uint8_t kVoid = 0x40, kI32 = 0x7f, kI64 = 0x7e;

// One function body: (param i32 i32) (result i32) (local i32 x4) (local i64 x2).
// Locals: 0,1 params; 2..5 i32; 6,7 i64.
std::vector<uint8_t> body(uint32_t index) {
    std::vector<uint8_t> b;
    b.push_back(2);  // local entries
    uleb(b, 4); b.push_back(kI32);
    uleb(b, 2); b.push_back(kI64);
    auto get = [&](uint32_t l) { b.push_back(local_get); uleb(b, l); };
    auto set = [&](uint32_t l) { b.push_back(local_set); uleb(b, l); };
    auto cst = [&](int32_t v) { b.push_back(i32_const); sleb(b, v); };
    get(0); get(1); b.push_back(i32_add); set(2);
    for (uint32_t k = 0; k < 6; ++k) {
        b.push_back(block); b.push_back(kVoid);
        b.push_back(loop); b.push_back(kVoid);
        get(2); cst(static_cast<int32_t>(index * 7 + k)); b.push_back(i32_mul); get(3); b.push_back(i32_xor); set(3);
        get(3); cst(0xfffc); b.push_back(i32_and);
        b.push_back(i32_load); uleb(b, 2); uleb(b, k * 4);  // align 4, offset
        get(2); b.push_back(i32_add); set(4);
        get(4); cst(16); b.push_back(i32_shr_u); get(4); b.push_back(i32_store); uleb(b, 2); uleb(b, 0);
        get(4); b.push_back(i64_extend_i32_u); get(6); b.push_back(i64_mul); b.push_back(local_set); uleb(b, 7);
        get(2); cst(1); b.push_back(i32_sub); b.push_back(local_tee); uleb(b, 2);
        b.push_back(br_if); uleb(b, 0);
        b.push_back(end);
        b.push_back(end);
    }
    if (index > 0) {
        get(3); get(4); b.push_back(call); uleb(b, index - 1); set(5);
    }
    get(3); get(7); b.push_back(i32_wrap_i64); b.push_back(i32_add); get(5); b.push_back(i32_xor);
    b.push_back(end);
    return b;
}

}  // namespace

std::vector<uint8_t> generate_module(size_t target_bytes) {
    const uint32_t per_function = static_cast<uint32_t>(body(1).size()) + 2;
    const uint32_t count = static_cast<uint32_t>(target_bytes / per_function) + 1;

    std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    section(m, 1, {0x01, 0x60, 0x02, kI32, kI32, 0x01, kI32});  // type: (i32 i32) -> i32
    std::vector<uint8_t> funcs;
    uleb(funcs, count);
    for (uint32_t i = 0; i < count; ++i) funcs.push_back(0);
    section(m, 3, funcs);
    section(m, 5, {0x01, 0x00, 0x01});  // memory: min 1 page
    section(m, 7, {0x01, 0x02, 'f', '0', 0x00, 0x00});  // export "f0" = func 0
    std::vector<uint8_t> code;
    uleb(code, count);
    for (uint32_t i = 0; i < count; ++i) {
        std::vector<uint8_t> b = body(i);
        uleb(code, b.size());
        code.insert(code.end(), b.begin(), b.end());
    }
    section(m, 10, code);
    return m;
}

}  // namespace crush::bench
