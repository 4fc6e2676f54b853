// Copyright Crush authors.
// Validation rules, one test each, on small hand-assembled binaries (wat2wasm refuses invalid
// modules). The WAT each binary encodes is written above it.
#include "wasm_test_util.hpp"

namespace crush::test {
namespace {

using Bytes = std::vector<uint8_t>;

void leb(Bytes& b, uint32_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        b.push_back(byte | (v ? 0x80 : 0));
    } while (v);
}

/// A module assembled section by section.
struct Asm {
    Bytes b{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00};
    Asm& section(uint8_t id, const Bytes& payload) {
        b.push_back(id);
        leb(b, static_cast<uint32_t>(payload.size()));
        b.insert(b.end(), payload.begin(), payload.end());
        return *this;
    }
    /// One type [params] -> [results] and one function of that type with `body` (no final end).
    Asm& func(Bytes params, Bytes results, Bytes body, Bytes locals = {0x00}) {
        Bytes t{0x01, 0x60};
        leb(t, static_cast<uint32_t>(params.size()));
        t.insert(t.end(), params.begin(), params.end());
        leb(t, static_cast<uint32_t>(results.size()));
        t.insert(t.end(), results.begin(), results.end());
        section(1, t);
        section(3, {0x01, 0x00});
        m_body = locals;
        m_body.insert(m_body.end(), body.begin(), body.end());
        m_body.push_back(0x0b);
        return *this;
    }
    Asm& code() {
        Bytes c{0x01};
        leb(c, static_cast<uint32_t>(m_body.size()));
        c.insert(c.end(), m_body.begin(), m_body.end());
        return section(10, c);
    }
    Bytes m_body;
};

constexpr uint8_t i32 = 0x7f, i64 = 0x7e;
const Bytes kMemory1{0x01, 0x00, 0x01};  // memory section payload: (memory 1)

Error load_error(const Bytes& bytes) {
    auto r = load_module(bytes);
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
}

MATCHER_P2(IsError, kind, message, "") {
    *result_listener << to_string(arg.kind) << " \"" << arg.message << "\" at " << arg.offset;
    return arg.kind == kind && arg.message.rfind(message, 0) == 0;
}

TEST(Validation, ValidModuleLoads) {
    // (func (result i32) (i32.add (i32.const 1) (i32.const 2)))
    auto r = load_module(Asm().func({}, {i32}, {0x41, 0x01, 0x41, 0x02, 0x6a}).code().b);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
}

TEST(Validation, TypeMismatchNamesTheInstruction) {
    // (func (result i32) (i32.add (i32.const 0) (i64.const 0)))
    Error e = load_error(Asm().func({}, {i32}, {0x41, 0x00, 0x42, 0x00, 0x6a}).code().b);
    EXPECT_THAT(e, IsError(ErrorKind::invalid, "type mismatch"));
    EXPECT_GT(e.offset, 8u);
}

TEST(Validation, MissingResultIsTypeMismatch) {
    // (func (result i32))
    EXPECT_THAT(load_error(Asm().func({}, {i32}, {}).code().b), IsError(ErrorKind::invalid, "type mismatch"));
}

TEST(Validation, UnreachableMakesTheStackPolymorphic) {
    // (func (result i32) unreachable i32.add)  -- valid
    EXPECT_TRUE(load_module(Asm().func({}, {i32}, {0x00, 0x6a}).code().b).ok());
    // (func (result i32) unreachable (i64.const 0) i32.add)  -- the known i64 still mismatches
    EXPECT_THAT(load_error(Asm().func({}, {i32}, {0x00, 0x42, 0x00, 0x6a}).code().b),
                IsError(ErrorKind::invalid, "type mismatch"));
    // (func br 0 (i64.const 0) drop ... ) nested block after br is still typed
    EXPECT_TRUE(load_module(Asm().func({}, {}, {0x0c, 0x00, 0x02, 0x40, 0x0b}).code().b).ok());
}

TEST(Validation, UnknownLocal) {
    // (func (local.get 5) drop)
    EXPECT_THAT(load_error(Asm().func({}, {}, {0x20, 0x05, 0x1a}).code().b),
                IsError(ErrorKind::invalid, "unknown local"));
}

TEST(Validation, UnknownLabel) {
    // (func br 1)
    EXPECT_THAT(load_error(Asm().func({}, {}, {0x0c, 0x01}).code().b), IsError(ErrorKind::invalid, "unknown label"));
}

TEST(Validation, UnknownFunction) {
    // (func call 3)
    EXPECT_THAT(load_error(Asm().func({}, {}, {0x10, 0x03}).code().b),
                IsError(ErrorKind::invalid, "unknown function"));
}

TEST(Validation, AlignmentMustNotExceedNatural) {
    // (memory 1) (func (drop (i32.load align=8 (i32.const 0))))
    Asm a;
    a.func({}, {}, {0x41, 0x00, 0x28, 0x03, 0x00, 0x1a}).section(5, kMemory1).code();
    EXPECT_THAT(load_error(a.b), IsError(ErrorKind::invalid, "alignment must not be larger than natural"));
}

TEST(Validation, MemoryInstructionsNeedAMemory) {
    // (func (drop (i32.load (i32.const 0))))  -- no memory
    EXPECT_THAT(load_error(Asm().func({}, {}, {0x41, 0x00, 0x28, 0x02, 0x00, 0x1a}).code().b),
                IsError(ErrorKind::invalid, "unknown memory"));
}

TEST(Validation, DuplicateExportName) {
    // (func (export "a")) (export "a" (func 0))
    Asm a;
    a.func({}, {}, {}).section(7, {0x02, 0x01, 'a', 0x00, 0x00, 0x01, 'a', 0x00, 0x00}).code();
    EXPECT_THAT(load_error(a.b), IsError(ErrorKind::invalid, "duplicate export name"));
}

TEST(Validation, ConstantExpressionGlobalGetNeedsImmutableImport) {
    // (import "m" "g" (global (mut i32))) (global i32 (global.get 0))
    Asm a;
    a.section(2, {0x01, 0x01, 'm', 0x01, 'g', 0x03, i32, 0x01});
    a.section(6, {0x01, i32, 0x00, 0x23, 0x00, 0x0b});
    EXPECT_THAT(load_error(a.b), IsError(ErrorKind::invalid, "constant expression required"));
    // (global i32 (i32.const 0)) (global i32 (global.get 0))  -- not an import
    Asm b;
    b.section(6, {0x02, i32, 0x00, 0x41, 0x00, 0x0b, i32, 0x00, 0x23, 0x00, 0x0b});
    EXPECT_THAT(load_error(b.b), IsError(ErrorKind::invalid, "unknown global"));
    // (global i32 (i64.const 0))
    Asm c;
    c.section(6, {0x01, i32, 0x00, 0x42, 0x00, 0x0b});
    EXPECT_THAT(load_error(c.b), IsError(ErrorKind::invalid, "type mismatch"));
}

TEST(Validation, RefFuncMustBeDeclared) {
    // (func (drop (ref.func 0)))  -- function 0 is in no segment, export or global
    EXPECT_THAT(load_error(Asm().func({}, {}, {0xd2, 0x00, 0x1a}).code().b),
                IsError(ErrorKind::invalid, "undeclared function reference"));
    // Exporting it declares it.
    Asm a;
    a.func({}, {}, {0xd2, 0x00, 0x1a}).section(7, {0x01, 0x01, 'f', 0x00, 0x00}).code();
    EXPECT_TRUE(load_module(a.b).ok());
}

TEST(Validation, DataSegmentIndexesAndDataCount) {
    // (memory 1) (datacount 0) (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0)))
    const Bytes body{0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00};
    Asm a;
    a.func({}, {}, body).section(5, kMemory1).section(12, {0x00}).code();
    EXPECT_THAT(load_error(a.b), IsError(ErrorKind::invalid, "unknown data segment"));
    // With a passive segment but no data count section: malformed.
    Asm b;
    b.func({}, {}, body).section(5, kMemory1).code().section(11, {0x01, 0x01, 0x01, 'x'});
    EXPECT_THAT(load_error(b.b), IsError(ErrorKind::malformed, "data count section required"));
}

TEST(Validation, IllegalOpcodeIsMalformed) {
    EXPECT_THAT(load_error(Asm().func({}, {}, {0xff}).code().b), IsError(ErrorKind::malformed, "illegal opcode"));
}

TEST(Validation, TruncatedBodyIsMalformed) {
    // Body bytes end without the function's `end`: (block ... no end. The module ends there
    // too, so the wording is the spec interpreter's "unexpected end of section or function".
    Asm a;
    a.func({}, {}, {0x02, 0x40});  // the helper adds one end: closes the block only
    EXPECT_THAT(load_error(a.code().b), IsError(ErrorKind::malformed, "unexpected end"));
    // A malformed body wins over an invalid one before it (the spec decodes everything first).
    Asm b;
    b.section(1, {0x01, 0x60, 0x00, 0x00}).section(3, {0x02, 0x00, 0x00});
    // body 0: (local.get 9) -- invalid; body 1: 0xff -- malformed
    b.section(10, {0x02, 0x04, 0x00, 0x20, 0x09, 0x0b, 0x03, 0x00, 0xff, 0x0b});
    EXPECT_THAT(load_error(b.b), IsError(ErrorKind::malformed, "illegal opcode"));
}

TEST(Validation, MemoryLimits) {
    // (memory 2 1)
    EXPECT_THAT(load_error(Asm().section(5, {0x01, 0x01, 0x02, 0x01}).b),
                IsError(ErrorKind::invalid, "size minimum must not be greater than maximum"));
    // (memory 65537)
    EXPECT_THAT(load_error(Asm().section(5, {0x01, 0x00, 0x81, 0x80, 0x04}).b),
                IsError(ErrorKind::invalid, "memory size must be at most 65536 pages"));
}

TEST(Validation, StartFunctionMustBeNullary) {
    // (func (param i32)) (start 0)
    Asm a;
    a.func({i32}, {}, {}).section(8, {0x00}).code();
    EXPECT_THAT(load_error(a.b), IsError(ErrorKind::invalid, "start function"));
}

TEST(Validation, BrTableArityMustAgree) {
    // (func (result i32) (block (result i64) ... (br_table 0 1 (i32.const 0) (i32.const 0))))
    // labels: 0 = block [i64], 1 = function [i32]
    Asm a;
    a.func({}, {i32}, {0x02, i64, 0x41, 0x00, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b, 0x1a, 0x41, 0x00});
    EXPECT_THAT(load_error(a.code().b), IsError(ErrorKind::invalid, "type mismatch"));
}

TEST(Validation, UntypedSelectRejectsReferences) {
    // (func (drop (select (ref.null func) (ref.null func) (i32.const 1))))
    Asm a;
    a.func({}, {}, {0xd0, 0x70, 0xd0, 0x70, 0x41, 0x01, 0x1b, 0x1a});
    EXPECT_THAT(load_error(a.code().b), IsError(ErrorKind::invalid, "type mismatch"));
}

TEST(Validation, GlobalSetOfImmutable) {
    // (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1)))
    Asm a;
    a.func({}, {}, {0x41, 0x01, 0x24, 0x00}).section(6, {0x01, i32, 0x00, 0x41, 0x00, 0x0b}).code();
    EXPECT_THAT(load_error(a.b), IsError(ErrorKind::invalid, "global is immutable"));
}

}  // namespace
}  // namespace crush::test
