// Copyright Crush authors.
#include "opcodes.hpp"

#include <array>

namespace crush {
namespace {

// Signature tokens of opcodes.def: `_` none, `X` typed by hand, else a value type code.
constexpr uint8_t kTok__ = 0;
constexpr uint8_t kTok_X = 0xff;
constexpr uint8_t kTok_i32 = 0x7f;
constexpr uint8_t kTok_i64 = 0x7e;
constexpr uint8_t kTok_f32 = 0x7d;
constexpr uint8_t kTok_f64 = 0x7c;

struct Info {
    uint8_t prefix;
    uint32_t code;
    const char* text;
    ImmKind imm;
    uint8_t in1, in2, out;
};

constexpr Info kInfo[] = {
#define CRUSH_OPCODE(prefix, code, name, text, imm, in1, in2, out) \
    {prefix, code, text, ImmKind::imm, kTok_##in1, kTok_##in2, kTok_##out},
#include "opcodes.def"
#undef CRUSH_OPCODE
};

struct Tables {
    std::array<int16_t, 256> single{};
    std::array<int16_t, 32> fc{};
    constexpr Tables() {
        for (auto& s : single) s = -1;
        for (auto& s : fc) s = -1;
        for (uint16_t i = 0; i < kOpcodeCount; ++i) {
            if (kInfo[i].prefix == 0) single[kInfo[i].code] = static_cast<int16_t>(i);
            else fc[kInfo[i].code] = static_cast<int16_t>(i);
        }
    }
};
constexpr Tables kTables;

}  // namespace

const char* opcode_name(Opcode op) noexcept { return kInfo[static_cast<uint16_t>(op)].text; }
ImmKind opcode_imm(Opcode op) noexcept { return kInfo[static_cast<uint16_t>(op)].imm; }

std::optional<Opcode> opcode_from_byte(uint8_t b) noexcept {
    int16_t i = kTables.single[b];
    if (i < 0) return std::nullopt;
    return static_cast<Opcode>(i);
}

std::optional<Opcode> opcode_from_fc(uint32_t sub) noexcept {
    if (sub >= kTables.fc.size() || kTables.fc[sub] < 0) return std::nullopt;
    return static_cast<Opcode>(kTables.fc[sub]);
}

SimpleSig opcode_sig(Opcode op) noexcept {
    const Info& in = kInfo[static_cast<uint16_t>(op)];
    if (in.in1 == kTok_X) return {};
    return {true, in.in1, in.in2, in.out};
}

}  // namespace crush
