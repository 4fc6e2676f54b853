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

constexpr OpcodeTables build_tables() {
    OpcodeTables t{};
    for (auto& s : t.single) s = -1;
    for (auto& s : t.fc) s = -1;
    for (uint16_t i = 0; i < kOpcodeCount; ++i) {
        const Info& in = kInfo[i];
        if (in.prefix == 0) t.single[in.code] = static_cast<int16_t>(i);
        else t.fc[in.code] = static_cast<int16_t>(i);
        t.imm[i] = in.imm;
        t.sig[i] = in.in1 == kTok_X ? SimpleSig{} : SimpleSig{true, in.in1, in.in2, in.out};
    }
    return t;
}

}  // namespace

constinit const OpcodeTables kOpcodeTables = build_tables();

const char* opcode_name(Opcode op) noexcept { return kInfo[static_cast<uint16_t>(op)].text; }

}  // namespace crush
