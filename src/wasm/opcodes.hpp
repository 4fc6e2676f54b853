// Copyright Crush authors.
// The opcode enum and its tables, generated from opcodes.def.
// https://webassembly.github.io/spec/core/binary/instructions.html
#pragma once

#include <array>
#include <cstdint>
#include <optional>

namespace crush {

/// How an instruction's immediates are encoded; one class per shape (STYLE.md "Classify
/// instructions by their immediates once").
enum class ImmKind : uint8_t {
    none, block_type, label, br_table, func, call_indirect, ref_type, select_types, local, global,
    table, elem_table, elem, table_table, memarg, memory, data_memory, data, memory_memory,
    i32, i64, f32, f64,
};

/// Every Wasm 2.0 instruction (SIMD excluded), named by its mnemonic.
enum class Opcode : uint16_t {
#define CRUSH_OPCODE(prefix, code, name, text, imm, in1, in2, out) name,
#include "opcodes.def"
#undef CRUSH_OPCODE
};

inline constexpr uint16_t kOpcodeCount = 0
#define CRUSH_OPCODE(prefix, code, name, text, imm, in1, in2, out) +1
#include "opcodes.def"
#undef CRUSH_OPCODE
    ;

/// A fixed signature [in1 in2] -> [out] for instructions whose typing needs no context.
/// Type codes are ValType encodings; 0 means "none".
struct SimpleSig {
    bool simple = false;
    uint8_t in1 = 0, in2 = 0, out = 0;
};

/// The decode tables behind the lookups below, built at compile time in opcodes.cpp. They are
/// here so the lookups inline: the validator/compiler asks them once or twice per instruction.
struct OpcodeTables {
    std::array<int16_t, 256> single;           ///< opcode byte -> Opcode, -1 if none
    std::array<int16_t, 32> fc;                ///< 0xFC sub-opcode -> Opcode, -1 if none
    std::array<ImmKind, kOpcodeCount> imm;
    std::array<SimpleSig, kOpcodeCount> sig;
};
extern const OpcodeTables kOpcodeTables;

/// The instruction's text-format mnemonic, e.g. "i32.load8_s".
const char* opcode_name(Opcode op) noexcept;
/// The immediate class of an instruction.
inline ImmKind opcode_imm(Opcode op) noexcept { return kOpcodeTables.imm[static_cast<uint16_t>(op)]; }
/// Decode a single-byte opcode; nullopt for bytes that are no Wasm 2.0 instruction.
inline std::optional<Opcode> opcode_from_byte(uint8_t b) noexcept {
    const int16_t i = kOpcodeTables.single[b];
    if (i < 0) return std::nullopt;
    return static_cast<Opcode>(i);
}
/// Decode the sub-opcode after the 0xFC prefix.
inline std::optional<Opcode> opcode_from_fc(uint32_t sub) noexcept {
    if (sub >= kOpcodeTables.fc.size() || kOpcodeTables.fc[sub] < 0) return std::nullopt;
    return static_cast<Opcode>(kOpcodeTables.fc[sub]);
}
/// The fixed signature of `op`, or {simple = false} when its typing needs context.
inline SimpleSig opcode_sig(Opcode op) noexcept { return kOpcodeTables.sig[static_cast<uint16_t>(op)]; }

}  // namespace crush
