// Copyright Crush authors.
// Text for the VM's enums and values (spec test suite wording for traps).
#include <crush/result.hpp>
#include <crush/wasm.hpp>

#include <cinttypes>
#include <cstdio>

namespace crush {

const char* to_string(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::malformed: return "malformed";
    case ErrorKind::invalid: return "invalid";
    case ErrorKind::unlinkable: return "unlinkable";
    case ErrorKind::uninstantiable: return "uninstantiable";
    case ErrorKind::io: return "io";
    }
    return "?";
}

const char* to_string(ValType t) noexcept {
    switch (t) {
    case ValType::i32: return "i32";
    case ValType::i64: return "i64";
    case ValType::f32: return "f32";
    case ValType::f64: return "f64";
    case ValType::v128: return "v128";
    case ValType::funcref: return "funcref";
    case ValType::externref: return "externref";
    }
    return "?";
}

std::string to_string(const FuncType& t) {
    std::string s = "[";
    for (size_t i = 0; i < t.params.size(); ++i) {
        if (i) s += ' ';
        s += to_string(t.params[i]);
    }
    s += "] -> [";
    for (size_t i = 0; i < t.results.size(); ++i) {
        if (i) s += ' ';
        s += to_string(t.results[i]);
    }
    return s + "]";
}

const char* to_string(ExternKind k) noexcept {
    switch (k) {
    case ExternKind::func: return "func";
    case ExternKind::table: return "table";
    case ExternKind::memory: return "memory";
    case ExternKind::global: return "global";
    }
    return "?";
}

std::string to_string(const Value& v) {
    char buf[64];
    switch (v.type) {
    case ValType::i32: std::snprintf(buf, sizeof buf, "i32:%" PRIu32, v.as_i32()); break;
    case ValType::i64: std::snprintf(buf, sizeof buf, "i64:%" PRIu64, v.as_i64()); break;
    case ValType::f32: std::snprintf(buf, sizeof buf, "f32:%g (0x%08" PRIx32 ")", static_cast<double>(v.as_f32()), v.as_i32()); break;
    case ValType::f64: std::snprintf(buf, sizeof buf, "f64:%g (0x%016" PRIx64 ")", v.as_f64(), v.as_i64()); break;
    case ValType::v128: std::snprintf(buf, sizeof buf, "v128"); break;
    case ValType::funcref:
    case ValType::externref:
        if (v.bits == 0) std::snprintf(buf, sizeof buf, "%s:null", to_string(v.type));
        else std::snprintf(buf, sizeof buf, "%s:0x%" PRIx64, to_string(v.type), v.bits);
        break;
    }
    return buf;
}

const char* trap_message(TrapKind k) noexcept {
    switch (k) {
    case TrapKind::unreachable: return "unreachable";
    case TrapKind::memory_out_of_bounds: return "out of bounds memory access";
    case TrapKind::table_out_of_bounds: return "out of bounds table access";
    case TrapKind::undefined_element: return "undefined element";
    case TrapKind::uninitialized_element: return "uninitialized element";
    case TrapKind::indirect_call_type_mismatch: return "indirect call type mismatch";
    case TrapKind::integer_divide_by_zero: return "integer divide by zero";
    case TrapKind::integer_overflow: return "integer overflow";
    case TrapKind::invalid_conversion: return "invalid conversion to integer";
    case TrapKind::call_stack_exhausted: return "call stack exhausted";
    case TrapKind::null_reference: return "null reference";
    case TrapKind::out_of_fuel: return "out of fuel";
    case TrapKind::interrupted: return "interrupted";
    case TrapKind::host: return "host trap";
    }
    return "?";
}

}  // namespace crush
