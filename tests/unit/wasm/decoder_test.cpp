// Copyright Crush authors.
// The binary decoder: every section and encoding decoded, and every malformed rule reported
// with the spec suite's wording and kind. Each binary is written out byte by byte with a
// comment saying what the bytes are (cases mirror binary.wast, custom.wast, global.wast).
#include "wasm/decoder.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace crush {
namespace {

using Bytes = std::vector<uint8_t>;

/// "\0asm" + version 1.
Bytes header() { return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

/// A module: the header followed by raw bytes.
Bytes mod(std::initializer_list<uint8_t> rest) {
    Bytes b = header();
    b.insert(b.end(), rest.begin(), rest.end());
    return b;
}

/// A section: id, size (computed, LEB128), content.
Bytes sec(uint8_t id, std::initializer_list<uint8_t> content) {
    Bytes b{id};
    size_t n = content.size();
    do {
        uint8_t byte = n & 0x7f;
        n >>= 7;
        b.push_back(n ? static_cast<uint8_t>(byte | 0x80) : byte);
    } while (n);
    b.insert(b.end(), content.begin(), content.end());
    return b;
}

/// A module from whole sections.
Bytes mods(std::initializer_list<Bytes> sections) {
    Bytes b = header();
    for (const Bytes& s : sections) b.insert(b.end(), s.begin(), s.end());
    return b;
}

Result<Module> dec(const Bytes& b) { return decode(b); }

/// The error message of a decode that must fail as malformed.
std::string malformed_msg(const Bytes& b) {
    auto r = dec(b);
    if (r.ok()) return "<decoded>";
    if (r.error().kind != ErrorKind::malformed) return "<not malformed: " + r.error().message + ">";
    return r.error().message;
}

// --- header ----------------------------------------------------------------------------------

TEST(DecoderHeader, Empty) {
    EXPECT_EQ(malformed_msg({}), "unexpected end");
    EXPECT_EQ(malformed_msg({0x01}), "unexpected end");
    EXPECT_EQ(malformed_msg({0x00, 0x61, 0x73}), "unexpected end");  // "\0as"
}

TEST(DecoderHeader, Magic) {
    EXPECT_EQ(malformed_msg({0x61, 0x73, 0x6d, 0x00}), "magic header not detected");  // "asm\0"
    // "\0ASM" + version
    EXPECT_EQ(malformed_msg({0x00, 0x41, 0x53, 0x4d, 0x01, 0x00, 0x00, 0x00}), "magic header not detected");
    // UTF-8 BOM in front
    EXPECT_EQ(malformed_msg({0xef, 0xbb, 0xbf, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}),
              "magic header not detected");
}

TEST(DecoderHeader, Version) {
    EXPECT_EQ(malformed_msg({0x00, 0x61, 0x73, 0x6d}), "unexpected end");              // no version
    EXPECT_EQ(malformed_msg({0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00}), "unexpected end");
    EXPECT_EQ(malformed_msg({0x00, 0x61, 0x73, 0x6d, 0x00, 0x00, 0x00, 0x00}), "unknown binary version");
    EXPECT_EQ(malformed_msg({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x00, 0x00}), "unknown binary version");
    EXPECT_EQ(malformed_msg({0x00, 0x61, 0x73, 0x6d, 0x00, 0x00, 0x00, 0x01}), "unknown binary version");
    auto r = dec({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().offset, 4u);
}

TEST(DecoderHeader, EmptyModule) {
    auto r = dec(header());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->types.empty());
    EXPECT_EQ(r->bytes, header());
}

// --- section framing -------------------------------------------------------------------------

TEST(DecoderSections, MalformedSectionId) {
    EXPECT_EQ(malformed_msg(mod({0x0d, 0x01, 0x00})), "malformed section id");  // id 13
    EXPECT_EQ(malformed_msg(mod({0x7f, 0x01, 0x00})), "malformed section id");
    EXPECT_EQ(malformed_msg(mod({0x80, 0x01, 0x00, 0x01, 0x01, 0x00})), "malformed section id");
    auto r = dec(mod({0x0d, 0x01, 0x00}));
    EXPECT_EQ(r.error().offset, 8u);
}

TEST(DecoderSections, SectionSizeBeyondEnd) {
    // type section claims 7 bytes, only 4 follow: "2 type declared, 1 given"
    EXPECT_EQ(malformed_msg(mod({0x01, 0x07, 0x02, 0x60, 0x00, 0x00})), "length out of bounds");
    // Concatenated modules: the second header reads as custom section with size 0x61.
    EXPECT_EQ(malformed_msg(mod({0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00})), "length out of bounds");
    // Section size LEB cut off at the end of the file
    EXPECT_EQ(malformed_msg(mod({0x01})), "unexpected end");
    EXPECT_EQ(malformed_msg(mod({0x01, 0x80})), "unexpected end");
}

TEST(DecoderSections, SizeMismatch) {
    // type section of 7 bytes holding count 1 and two types (3 bytes each)
    EXPECT_EQ(malformed_msg(mod({0x01, 0x07, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00})), "section size mismatch");
    // global section: 1 declared, 2 given
    EXPECT_EQ(malformed_msg(mod({0x06, 0x0b, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x41, 0x00, 0x0b})),
              "section size mismatch");
    // data section: segment of 5 bytes declared, 6 given
    EXPECT_EQ(malformed_msg(mod({0x05, 0x03, 0x01, 0x00, 0x01,                      // memory 0
                                 0x0b, 0x0c, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x05,    // data: 5 bytes
                                 0x61, 0x62, 0x63, 0x64, 0x65, 0x66})),             // 6 given
              "section size mismatch");
}

TEST(DecoderSections, UnexpectedEndOfSection) {
    // table section: 1 declared, 0 given
    EXPECT_EQ(malformed_msg(mod({0x04, 0x01, 0x01})), "unexpected end of section or function");
    // memory section: 1 declared, 0 given
    EXPECT_EQ(malformed_msg(mod({0x05, 0x01, 0x01})), "unexpected end of section or function");
    // global section: 2 declared, 1 given
    EXPECT_EQ(malformed_msg(mod({0x06, 0x06, 0x02, 0x7f, 0x00, 0x41, 0x00, 0x0b})),
              "unexpected end of section or function");
    // data: segment of 7 bytes declared, 6 given
    EXPECT_EQ(malformed_msg(mod({0x05, 0x03, 0x01, 0x00, 0x01,                      // memory 0
                                 0x0b, 0x0c, 0x01, 0x00, 0x41, 0x03, 0x0b, 0x07,    // data: 7 bytes
                                 0x61, 0x62, 0x63, 0x64, 0x65, 0x66})),             // 6 given
              "unexpected end of section or function");
    // element section: 2 declared, 1 given (the suite says "unexpected end", a prefix)
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00,   // type () -> ()
                                 0x03, 0x02, 0x01, 0x00,               // function 0
                                 0x04, 0x04, 0x01, 0x70, 0x00, 0x01,   // table funcref 1
                                 0x09, 0x07, 0x02,                     // elem: 2 declared
                                 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00})),  // one segment
              "unexpected end of section or function");
}

TEST(DecoderSections, OrderAndDuplicates) {
    // Two start sections
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00,   // type
                                 0x03, 0x02, 0x01, 0x00,               // function
                                 0x08, 0x01, 0x00,                     // start 0
                                 0x08, 0x01, 0x00,                     // start 0 again
                                 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b})),  // code
              "unexpected content after last section");
    // Function section before type section
    EXPECT_EQ(malformed_msg(mod({0x03, 0x01, 0x00, 0x01, 0x01, 0x00})), "unexpected content after last section");
    // Data count (12) after code (10) is out of order; before it is fine.
    EXPECT_EQ(malformed_msg(mod({0x0a, 0x01, 0x00, 0x0c, 0x01, 0x00})), "unexpected content after last section");
    EXPECT_TRUE(dec(mod({0x0c, 0x01, 0x00, 0x0a, 0x01, 0x00})).ok());
    // Custom sections may appear anywhere, repeatedly.
    auto r = dec(mod({0x00, 0x02, 0x01, 'a',                       // custom "a"
                      0x01, 0x01, 0x00,                            // type (empty)
                      0x00, 0x03, 0x01, 'b', 0xff,                 // custom "b" with payload
                      0x03, 0x01, 0x00,                            // function (empty)
                      0x00, 0x02, 0x01, 'a'}));                    // custom "a" again
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->customs.size(), 3u);
    EXPECT_EQ(r->customs[1].name, "b");
    EXPECT_EQ(r->customs[1].data_size, 1u);
    EXPECT_EQ(r->bytes[r->customs[1].data_offset], 0xff);
}

// --- LEB128 in context (binary.wast) ----------------------------------------------------------

TEST(DecoderLeb, Limits) {
    // memory minimum 2 with non-minimal encodings is fine
    auto r = dec(mod({0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x00}));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->memories[0].limits.min, 2u);
    EXPECT_FALSE(r->memories[0].limits.max);
    // one byte too many
    EXPECT_EQ(malformed_msg(mod({0x05, 0x08, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00})),
              "integer representation too long");
    // unused bits set
    EXPECT_EQ(malformed_msg(mod({0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x70})), "integer too large");
    EXPECT_EQ(malformed_msg(mod({0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x40})), "integer too large");
}

TEST(DecoderLeb, LimitsFlag) {
    EXPECT_EQ(malformed_msg(mod({0x05, 0x02, 0x01, 0x02})), "integer too large");       // memory flag 2
    EXPECT_EQ(malformed_msg(mod({0x05, 0x03, 0x01, 0x02, 0x00})), "integer too large");
    EXPECT_EQ(malformed_msg(mod({0x05, 0x05, 0x01, 0x81, 0x00, 0x00, 0x00})), "integer representation too long");
    EXPECT_EQ(malformed_msg(mod({0x05, 0x05, 0x01, 0x81, 0x01, 0x00, 0x00})), "integer representation too long");
    EXPECT_EQ(malformed_msg(mod({0x04, 0x03, 0x01, 0x70, 0x02})), "integer too large");  // table flag 2
    EXPECT_EQ(malformed_msg(mod({0x04, 0x06, 0x01, 0x70, 0x81, 0x00, 0x00, 0x00})),
              "integer representation too long");
}

TEST(DecoderLeb, ConstExprIntegers) {
    // global i32 = i32.const 0 with one byte too many
    EXPECT_EQ(malformed_msg(mod({0x06, 0x0b, 0x01, 0x7f, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b})),
              "integer representation too long");
    // i32.const with unused bits set
    EXPECT_EQ(malformed_msg(mod({0x06, 0x0a, 0x01, 0x7f, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x0b})),
              "integer too large");
    // i64.const -1 with 10 bytes is fine
    auto r = dec(mod({0x06, 0x0f, 0x01, 0x7e, 0x00, 0x42, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                      0x7f, 0x0b}));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->globals[0].init.instrs[0].imm, ~0ull);
}

TEST(DecoderLeb, CutOffBySectionEnd) {
    // function section of 3 bytes whose type index runs on for 6 bytes into the next section:
    // reported as the overlong integer it is (binary-leb128.wast), not as a section end.
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
                                 0x03, 0x03, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
                                 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b})),
              "integer representation too long");
    // A well-formed integer cut off by the section end is an unexpected end.
    EXPECT_EQ(malformed_msg(mod({0x03, 0x02, 0x01, 0x80, 0x00})), "unexpected end of section or function");
    // export section: 2 declared, 1 given; the next byte (0x0a) read as a name length is out of
    // bounds of the binary (binary.wast)
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00,
                                 0x07, 0x06, 0x02, 0x02, 0x66, 0x31, 0x00, 0x00,
                                 0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b})),
              "length out of bounds");
}

TEST(DecoderLeb, SignedTypeForm) {
    // functype form written as a 2-byte signed LEB128 (-0x20)
    EXPECT_EQ(malformed_msg(mod({0x01, 0x05, 0x01, 0xe0, 0x7f, 0x00, 0x00})), "integer representation too long");
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x61, 0x00, 0x00})), "malformed function type");
}

// --- types, imports, exports ------------------------------------------------------------------

TEST(DecoderTypes, FunctionTypes) {
    auto r = dec(mod({0x01, 0x0d, 0x02,
                      0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7d,          // (i32 i64) -> f32
                      0x60, 0x00, 0x03, 0x7c, 0x70, 0x6f}));       // () -> (f64 funcref externref)
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->types.size(), 2u);
    EXPECT_EQ(r->types[0], (FuncType{{ValType::i32, ValType::i64}, {ValType::f32}}));
    EXPECT_EQ(r->types[1], (FuncType{{}, {ValType::f64, ValType::funcref, ValType::externref}}));
    // value type 0x40 is not a value type
    EXPECT_EQ(malformed_msg(mod({0x01, 0x05, 0x01, 0x60, 0x01, 0x40, 0x00})), "malformed value type");
}

TEST(DecoderTypes, HostileCountsDoNotAllocate) {
    // type section claiming 2^32-1 types, with 1 byte of content: fails at the section end
    EXPECT_EQ(malformed_msg(mod({0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f})),
              "unexpected end of section or function");
    // a function type claiming 2^32-1 params
    EXPECT_EQ(malformed_msg(mod({0x01, 0x07, 0x01, 0x60, 0xff, 0xff, 0xff, 0xff, 0x0f})),
              "unexpected end of section or function");
}

TEST(DecoderImports, AllKinds) {
    auto r = dec(mods({sec(1, {0x01, 0x60, 0x00, 0x00}),                    // type () -> ()
                       sec(2, {0x04,                                        // 4 imports
                               0x01, 'm', 0x01, 'f', 0x00, 0x00,            // func type 0
                               0x01, 'm', 0x01, 't', 0x01, 0x6f, 0x01, 0x01, 0x05,  // table externref 1..5
                               0x01, 'm', 0x01, 'y', 0x02, 0x00, 0x02,      // memory 2
                               0x01, 'm', 0x01, 'g', 0x03, 0x7e, 0x01})})); // global (mut i64)
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->imports.size(), 4u);
    EXPECT_EQ(r->imports[0].kind, ExternKind::func);
    EXPECT_EQ(r->imports[0].module, "m");
    EXPECT_EQ(r->imports[0].name, "f");
    EXPECT_EQ(r->imports[1].table, (TableType{ValType::externref, Limits{1, 5}}));
    EXPECT_EQ(r->imports[2].memory, (MemoryType{Limits{2, std::nullopt}}));
    EXPECT_EQ(r->imports[3].global, (GlobalType{ValType::i64, true}));
    EXPECT_EQ(r->imported_functions, 1u);
    EXPECT_EQ(r->imported_tables, 1u);
    EXPECT_EQ(r->imported_memories, 1u);
    EXPECT_EQ(r->imported_globals, 1u);
}

TEST(DecoderImports, MalformedKind) {
    EXPECT_EQ(malformed_msg(mod({0x02, 0x04, 0x01, 0x00, 0x00, 0x04})), "malformed import kind");
    EXPECT_EQ(malformed_msg(mod({0x02, 0x05, 0x01, 0x00, 0x00, 0x05, 0x00})), "malformed import kind");
    EXPECT_EQ(malformed_msg(mod({0x02, 0x04, 0x01, 0x00, 0x00, 0x80})), "malformed import kind");
}

TEST(DecoderImports, MalformedMutability) {
    // import "" "" (global i32) with mutability byte 2, then 0xff
    EXPECT_EQ(malformed_msg(mod({0x02, 0x06, 0x01, 0x00, 0x00, 0x03, 0x7f, 0x02})), "malformed mutability");
    EXPECT_EQ(malformed_msg(mod({0x02, 0x06, 0x01, 0x00, 0x00, 0x03, 0x7f, 0xff})), "malformed mutability");
    // global section, mutability 2
    EXPECT_EQ(malformed_msg(mod({0x06, 0x06, 0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b})), "malformed mutability");
}

TEST(DecoderImports, NamesMustBeUtf8) {
    // module name "\80" (lone continuation byte)
    EXPECT_EQ(malformed_msg(mod({0x02, 0x06, 0x01, 0x01, 0x80, 0x00, 0x00, 0x00})), "malformed UTF-8 encoding");
    // field name "\ed\a0\80" (surrogate)
    EXPECT_EQ(malformed_msg(mod({0x02, 0x08, 0x01, 0x00, 0x03, 0xed, 0xa0, 0x80, 0x00, 0x00})),
              "malformed UTF-8 encoding");
    // name length beyond the section
    EXPECT_EQ(malformed_msg(mod({0x02, 0x04, 0x01, 0x05, 'a', 'b'})), "length out of bounds");
}

TEST(DecoderExports, Exports) {
    auto r = dec(mods({sec(7, {0x02,
                               0x01, 'a', 0x00, 0x03,            // "a" func 3
                               0x01, 'b', 0x03, 0x81, 0x01})})); // "b" global 129
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->exports.size(), 2u);
    EXPECT_EQ(r->exports[0].name, "a");
    EXPECT_EQ(r->exports[0].index, 3u);
    EXPECT_EQ(r->exports[1].kind, ExternKind::global);
    EXPECT_EQ(r->exports[1].index, 129u);
    EXPECT_EQ(malformed_msg(mod({0x07, 0x05, 0x01, 0x01, 'a', 0x04, 0x00})), "malformed export kind");
}

// --- tables, memories, globals, start ---------------------------------------------------------

TEST(DecoderEntities, TablesMemoriesGlobalsStart) {
    auto r = dec(mods({sec(1, {0x01, 0x60, 0x00, 0x00}),                       // type
                       sec(3, {0x01, 0x00}),                                   // function
                       sec(4, {0x02, 0x70, 0x00, 0x0a, 0x6f, 0x01, 0x00, 0x01}),  // 2 tables
                       sec(5, {0x01, 0x01, 0x01, 0x02}),                       // memory 1..2
                       sec(6, {0x02,                                           // 2 globals
                               0x7d, 0x00, 0x43, 0x00, 0x00, 0x80, 0x3f, 0x0b, // f32 1.0
                               0x70, 0x01, 0xd2, 0x00, 0x0b}),                 // (mut funcref) ref.func 0
                       sec(8, {0x00}),                                         // start 0
                       sec(10, {0x01, 0x02, 0x00, 0x0b})}));                   // code
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->tables.size(), 2u);
    EXPECT_EQ(r->tables[0], (TableType{ValType::funcref, Limits{10, std::nullopt}}));
    EXPECT_EQ(r->tables[1], (TableType{ValType::externref, Limits{0, 1}}));
    EXPECT_EQ(r->memories[0].limits, (Limits{1, 2}));
    ASSERT_EQ(r->globals.size(), 2u);
    EXPECT_EQ(r->globals[0].type, (GlobalType{ValType::f32, false}));
    EXPECT_EQ(r->globals[0].init.instrs[0].opcode, 0x43);
    EXPECT_EQ(r->globals[0].init.instrs[0].imm, 0x3f800000u);
    EXPECT_EQ(r->globals[1].init.instrs[0].opcode, 0xd2);
    EXPECT_EQ(r->start, 0u);
    EXPECT_EQ(malformed_msg(mod({0x04, 0x04, 0x01, 0x7f, 0x00, 0x00})), "malformed reference type");
}

// --- constant expressions ----------------------------------------------------------------------

TEST(DecoderConstExpr, Constants) {
    auto r = dec(mods({sec(6, {0x04,
                               0x7e, 0x00, 0x42, 0x7f, 0x0b,                          // i64.const -1
                               0x7c, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x0b,  // f64.const 1.0
                               0x6f, 0x00, 0xd0, 0x6f, 0x0b,                          // ref.null extern
                               0x7f, 0x00, 0x23, 0x00, 0x0b})}));                     // global.get 0
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->globals[0].init.instrs[0].imm, ~0ull);
    EXPECT_EQ(r->globals[1].init.instrs[0].imm, 0x3ff0000000000000ull);
    EXPECT_EQ(r->globals[2].init.instrs[0].ref_type, ValType::externref);
    EXPECT_EQ(r->globals[3].init.instrs[0].opcode, 0x23);
    EXPECT_EQ(r->globals[0].init.offset, 13u);  // first instruction byte
}

TEST(DecoderConstExpr, SequencesAndEmptyAreLeftToValidation) {
    // (global i32 (i32.const 0) (i32.const 0)) and (global i32) with an empty expression decode
    auto r = dec(mod({0x06, 0x0b, 0x02, 0x7f, 0x00, 0x41, 0x00, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x0b}));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->globals[0].init.instrs.size(), 2u);
    EXPECT_TRUE(r->globals[1].init.instrs.empty());
}

TEST(DecoderConstExpr, NonConstantIsInvalid) {
    // (global i32 (i32.ctz (i32.const 0)))
    auto r = dec(mod({0x06, 0x07, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x68, 0x0b}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().message, "constant expression required");
    EXPECT_EQ(r.error().offset, 15u);
    // (global f32 (local.get 0)): immediates are skipped; (global i32 (nop))
    auto r2 = dec(mod({0x06, 0x0a, 0x02, 0x7d, 0x00, 0x20, 0x00, 0x0b, 0x7f, 0x00, 0x01, 0x0b}));
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().kind, ErrorKind::invalid);
    // A block inside: its own `end` does not end the expression.
    auto r3 = dec(mods({sec(6, {0x01, 0x7f, 0x00, 0x02, 0x40, 0x41, 0x00, 0x0b, 0x0b})}));
    ASSERT_FALSE(r3.ok());
    EXPECT_EQ(r3.error().kind, ErrorKind::invalid) << r3.error().message;
    // 0xFC-prefixed instruction (memory.fill 0)
    auto r4 = dec(mod({0x06, 0x07, 0x01, 0x7f, 0x00, 0xfc, 0x0b, 0x00, 0x0b}));
    ASSERT_FALSE(r4.ok());
    EXPECT_EQ(r4.error().kind, ErrorKind::invalid) << r4.error().message;
}

TEST(DecoderConstExpr, MalformedWinsOverInvalid) {
    // A non-constant global, then a malformed section id: the module is malformed.
    EXPECT_EQ(malformed_msg(mod({0x06, 0x05, 0x01, 0x7f, 0x00, 0x01, 0x0b, 0x0d, 0x00})), "malformed section id");
}

TEST(DecoderConstExpr, IllegalOpcode) {
    // passive element segment with expression "\f3\00\0b"
    EXPECT_EQ(malformed_msg(mod({0x09, 0x07, 0x01, 0x05, 0x70, 0x01, 0xf3, 0x00, 0x0b})), "illegal opcode");
    // 0xFC with an unknown sub-opcode
    EXPECT_EQ(malformed_msg(mod({0x06, 0x06, 0x01, 0x7f, 0x00, 0xfc, 0x7f, 0x0b})), "illegal opcode");
    // `else` outside an `if` ends the sequence where `end` is required
    EXPECT_EQ(malformed_msg(mod({0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x05})), "END opcode expected");
    // Missing end: the expression runs off the section
    EXPECT_EQ(malformed_msg(mod({0x06, 0x04, 0x01, 0x7f, 0x00, 0x41})), "unexpected end of section or function");
}

// --- element segments, all 8 encodings ----------------------------------------------------------

TEST(DecoderElements, AllEncodings) {
    auto r = dec(mods({sec(9, {0x08,
                               0x00, 0x41, 0x01, 0x0b, 0x02, 0x00, 0x01,        // 0: active t0, funcs 0 1
                               0x01, 0x00, 0x01, 0x02,                          // 1: passive, funcs 2
                               0x02, 0x01, 0x41, 0x02, 0x0b, 0x00, 0x01, 0x03,  // 2: active t1, funcs 3
                               0x03, 0x00, 0x00,                                // 3: declarative, none
                               0x04, 0x41, 0x03, 0x0b, 0x01, 0xd2, 0x04, 0x0b,  // 4: active t0, exprs
                               0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,              // 5: passive externref
                               0x06, 0x02, 0x41, 0x04, 0x0b, 0x70, 0x00,        // 6: active t2, 0 exprs
                               0x07, 0x70, 0x01, 0xd2, 0x05, 0x0b})}));         // 7: declarative, exprs
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->elements.size(), 8u);
    using Mode = ElementSegment::Mode;
    const auto& e = r->elements;
    EXPECT_EQ(e[0].mode, Mode::active);
    EXPECT_EQ(e[0].table, 0u);
    EXPECT_EQ(e[0].offset.instrs[0].imm, 1u);
    ASSERT_EQ(e[0].init.size(), 2u);
    EXPECT_EQ(e[0].init[1].instrs[0].opcode, 0xd2);  // function index stored as ref.func
    EXPECT_EQ(e[0].init[1].instrs[0].imm, 1u);
    EXPECT_EQ(e[1].mode, Mode::passive);
    EXPECT_EQ(e[1].init[0].instrs[0].imm, 2u);
    EXPECT_EQ(e[2].mode, Mode::active);
    EXPECT_EQ(e[2].table, 1u);
    EXPECT_EQ(e[3].mode, Mode::declarative);
    EXPECT_TRUE(e[3].init.empty());
    EXPECT_EQ(e[4].type, ValType::funcref);
    EXPECT_EQ(e[4].init[0].instrs[0].imm, 4u);
    EXPECT_EQ(e[5].mode, Mode::passive);
    EXPECT_EQ(e[5].type, ValType::externref);
    EXPECT_EQ(e[5].init[0].instrs[0].opcode, 0xd0);
    EXPECT_EQ(e[6].table, 2u);
    EXPECT_EQ(e[6].offset.instrs[0].imm, 4u);
    EXPECT_EQ(e[7].mode, Mode::declarative);
    EXPECT_EQ(e[7].init[0].instrs[0].imm, 5u);
}

TEST(DecoderElements, Malformed) {
    EXPECT_EQ(malformed_msg(mod({0x09, 0x03, 0x01, 0x08, 0x00})), "malformed elements segment kind");
    EXPECT_EQ(malformed_msg(mod({0x09, 0x04, 0x01, 0x01, 0x01, 0x00})), "malformed element kind");
    // passive segment with element type i32
    EXPECT_EQ(malformed_msg(mod({0x09, 0x07, 0x01, 0x05, 0x7f, 0x01, 0xd2, 0x00, 0x0b})),
              "malformed reference type");
    // flags with a non-minimal encoding: "\80\00" is flags 0
    auto r = dec(mod({0x09, 0x07, 0x01, 0x80, 0x00, 0x41, 0x00, 0x0b, 0x00}));
    ASSERT_TRUE(r.ok()) << r.error().message;
}

// --- code ----------------------------------------------------------------------------------------

TEST(DecoderCode, LocalsAndBodies) {
    auto r = dec(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00,   // type
                      0x03, 0x03, 0x02, 0x00, 0x00,         // 2 functions
                      0x0a, 0x0e, 0x02,                     // code
                      0x08, 0x03, 0x00, 0x7f, 0x02, 0x7e, 0x01, 0x6f, 0x0b,  // 0 i32, 2 i64, 1 externref
                      0x03, 0x00, 0x01, 0x0b}));                             // nop
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->codes.size(), 2u);
    EXPECT_EQ(r->codes[0].locals, (std::vector<ValType>{ValType::i64, ValType::i64, ValType::externref}));
    EXPECT_EQ(r->codes[0].body_size, 1u);
    EXPECT_EQ(r->bytes[r->codes[0].body_offset], 0x0b);
    EXPECT_EQ(r->codes[1].body_size, 2u);
    EXPECT_EQ(r->bytes[r->codes[1].body_offset], 0x01);
}

TEST(DecoderCode, TooManyLocals) {
    // 0xFFFFFFFF i32 + 2 i64
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                 0x0a, 0x0c, 0x01, 0x0a, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f,
                                 0x02, 0x7e, 0x0b})),
              "too many locals");
    // 4 x 0x40000000
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                 0x0a, 0x1c, 0x01, 0x1a, 0x04,
                                 0x80, 0x80, 0x80, 0x80, 0x04, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7e,
                                 0x80, 0x80, 0x80, 0x80, 0x04, 0x7d, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7c,
                                 0x0b})),
              "too many locals");
}

TEST(DecoderCode, BodySizeBeyondSection) {
    // body claims 5 bytes in a 3-byte code section
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                 0x0a, 0x03, 0x01, 0x05, 0x00})),
              "length out of bounds");
    // locals run past the body
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                 0x0a, 0x04, 0x01, 0x02, 0x01, 0x01})),
              "unexpected end of section or function");
}

TEST(DecoderCode, FunctionAndCodeCountsMustAgree) {
    // function section with 2 functions, no code section
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x00})),
              "function and code section have inconsistent lengths");
    // code section with 1 body, no function section
    EXPECT_EQ(malformed_msg(mod({0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b})),
              "function and code section have inconsistent lengths");
    // 1 function, 2 bodies
    EXPECT_EQ(malformed_msg(mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                                 0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b})),
              "function and code section have inconsistent lengths");
    // zero counts either way are fine
    EXPECT_TRUE(dec(mod({0x03, 0x01, 0x00})).ok());
    EXPECT_TRUE(dec(mod({0x0a, 0x01, 0x00})).ok());
}

// --- data ----------------------------------------------------------------------------------------

TEST(DecoderData, AllEncodings) {
    auto r = dec(mods({sec(5, {0x01, 0x00, 0x01}),                          // memory 0
                       sec(12, {0x03}),                                     // data count 3
                       sec(11, {0x03,
                                0x00, 0x41, 0x08, 0x0b, 0x02, 'h', 'i',     // active mem 0 @8 "hi"
                                0x01, 0x01, 'x',                            // passive "x"
                                0x02, 0x00, 0x41, 0x00, 0x0b, 0x00})}));    // active mem 0 @0 ""
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->datas.size(), 3u);
    EXPECT_EQ(r->data_count, 3u);
    const auto& d = r->datas;
    EXPECT_EQ(d[0].mode, DataSegment::Mode::active);
    EXPECT_EQ(d[0].offset.instrs[0].imm, 8u);
    EXPECT_EQ(d[0].data_size, 2u);
    EXPECT_EQ(r->bytes[d[0].data_offset], 'h');
    EXPECT_EQ(d[1].mode, DataSegment::Mode::passive);
    EXPECT_EQ(r->bytes[d[1].data_offset], 'x');
    EXPECT_EQ(d[2].memory, 0u);
    EXPECT_EQ(d[2].data_size, 0u);
}

TEST(DecoderData, MemoryIndexIsLeftToValidation) {
    // active segment for memory 1 (data.wast expects "unknown memory 1" from validation)
    auto r = dec(mod({0x0b, 0x07, 0x01, 0x02, 0x01, 0x41, 0x00, 0x0b, 0x00}));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->datas[0].memory, 1u);
}

TEST(DecoderData, Malformed) {
    EXPECT_EQ(malformed_msg(mod({0x0b, 0x03, 0x01, 0x03, 0x00})), "malformed data segment kind");
    // data count 3, two passive segments
    EXPECT_EQ(malformed_msg(mod({0x0c, 0x01, 0x03, 0x0b, 0x05, 0x02, 0x01, 0x00, 0x01, 0x00})),
              "data count and data section have inconsistent lengths");
    // data count 1, two segments
    EXPECT_EQ(malformed_msg(mod({0x0c, 0x01, 0x01, 0x0b, 0x05, 0x02, 0x01, 0x00, 0x01, 0x00})),
              "data count and data section have inconsistent lengths");
    // data count 2, no data section
    EXPECT_EQ(malformed_msg(mod({0x0c, 0x01, 0x02})), "data count and data section have inconsistent lengths");
}

// --- custom sections and the name section ---------------------------------------------------------

TEST(DecoderCustom, Malformed) {
    // custom.wast expects "unexpected end"; inside a section we say the longer form it prefixes.
    EXPECT_EQ(malformed_msg(mod({0x00})), "unexpected end");                 // no size
    EXPECT_EQ(malformed_msg(mod({0x00, 0x00})), "unexpected end of section or function");  // no name
    EXPECT_EQ(malformed_msg(mod({0x00, 0x00, 0x00, 0x05, 0x01, 0x00, 0x07, 0x00, 0x00})),
              "unexpected end of section or function");
    EXPECT_EQ(malformed_msg(mod({0x00, 0x03, 0x02, 0xc0, 0x80})), "malformed UTF-8 encoding");
    EXPECT_EQ(malformed_msg(mod({0x00, 0x02, 0x05, 'a'})), "length out of bounds");
}

/// A module with 2 functions and a name section built from `names`.
Bytes with_name_section(std::initializer_list<uint8_t> names) {
    Bytes b = mod({0x01, 0x04, 0x01, 0x60, 0x00, 0x00,           // type
                   0x03, 0x03, 0x02, 0x00, 0x00,                 // 2 functions
                   0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b});
    b.push_back(0x00);
    b.push_back(static_cast<uint8_t>(names.size() + 5));
    b.insert(b.end(), {0x04, 'n', 'a', 'm', 'e'});
    b.insert(b.end(), names.begin(), names.end());
    return b;
}

TEST(DecoderNames, ModuleAndFunctionNames) {
    auto r = dec(with_name_section({0x00, 0x04, 0x03, 'm', 'o', 'd',               // module "mod"
                                    0x01, 0x07, 0x02, 0x00, 0x01, 'f', 0x01, 0x01, 'g',  // 0 f, 1 g
                                    0x02, 0x01, 0x00}));                           // local names: skipped
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->module_name, "mod");
    ASSERT_EQ(r->function_names.size(), 2u);
    EXPECT_EQ(r->function_names.at(0), "f");
    EXPECT_EQ(r->function_names.at(1), "g");
    ASSERT_EQ(r->customs.size(), 1u);
    EXPECT_EQ(r->customs[0].name, "name");
}

TEST(DecoderNames, MalformedNameSectionIsIgnored) {
    // function names with a bad UTF-8 name: the module still decodes, without names
    auto r = dec(with_name_section({0x00, 0x02, 0x01, 'm', 0x01, 0x04, 0x01, 0x00, 0x01, 0xff}));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->module_name.empty());
    EXPECT_TRUE(r->function_names.empty());
    // subsection size beyond the section
    auto r2 = dec(with_name_section({0x01, 0x09, 0x01}));
    ASSERT_TRUE(r2.ok());
    EXPECT_TRUE(r2->function_names.empty());
    // subsections out of order
    auto r3 = dec(with_name_section({0x01, 0x04, 0x01, 0x00, 0x01, 'f', 0x00, 0x02, 0x01, 'm'}));
    ASSERT_TRUE(r3.ok());
    EXPECT_TRUE(r3->function_names.empty());
    // duplicate function index
    auto r4 = dec(with_name_section({0x01, 0x07, 0x02, 0x00, 0x01, 'f', 0x00, 0x01, 'g'}));
    ASSERT_TRUE(r4.ok());
    EXPECT_TRUE(r4->function_names.empty());
}

TEST(DecoderFuzzRegression, TruncationsNeverCrash) {
    // Every prefix of a rich module decodes or fails cleanly.
    Bytes full = with_name_section({0x00, 0x04, 0x03, 'm', 'o', 'd', 0x01, 0x04, 0x01, 0x00, 0x01, 'f'});
    for (size_t n = 0; n < full.size(); ++n) {
        Bytes prefix(full.begin(), full.begin() + static_cast<long>(n));
        auto r = dec(prefix);
        // Complete modules end after the header (8), the type section (14) or the code section (28).
        EXPECT_EQ(r.ok(), n == 8 || n == 14 || n == 28) << n;
    }
    EXPECT_TRUE(dec(full).ok());
}

}  // namespace
}  // namespace crush
