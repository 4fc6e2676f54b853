// Copyright Crush authors.
// The runner in-process, on hand-made scripts whose mistakes wast2json would refuse to write
// (wrong result counts, unknown exports, argument mismatches), so they can only come from
// other JSON producers; and the import-matching rules.
#include "wast/linker.hpp"
#include "wast/runner.hpp"
#include "wast/script.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace crush::cli::wast {
namespace {

// (module (func (export "pair") (result i32 i32) (i32.const 1) (i32.const 2)))
const std::vector<uint8_t> kPairModule = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x06, 0x01, 0x60, 0x00, 0x02, 0x7f, 0x7f,              // type () -> (i32 i32)
    0x03, 0x02, 0x01, 0x00,                                      // one function
    0x07, 0x08, 0x01, 0x04, 'p', 'a', 'i', 'r', 0x00, 0x00,      // export "pair"
    0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x01, 0x41, 0x02, 0x0b,  // body
};

class WastRunner : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/crush-wast-runner-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
        std::ofstream(m_dir / "pair.wasm", std::ios::binary)
            .write(reinterpret_cast<const char*>(kPairModule.data()), static_cast<std::streamsize>(kPairModule.size()));
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    /// Run `commands` (a JSON array body) and return the tally; the report lands in m_output.
    Tally run(const std::string& commands, bool check_messages = true) {
        auto script = parse_script(R"({"source_filename": "hand.wast", "commands": [)" + commands + "]}", m_dir);
        EXPECT_TRUE(script.ok()) << (script.ok() ? "" : script.error().message);
        if (!script.ok())
            return {};
        std::FILE* out = std::tmpfile();
        RunnerOptions o;
        o.verbose = true;
        o.check_messages = check_messages;
        o.out = out;
        Tally t = run_script(*script, o);
        std::rewind(out);
        m_output.clear();
        char buf[4096];
        size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, out)) > 0)
            m_output.append(buf, n);
        std::fclose(out);
        return t;
    }

    std::filesystem::path m_dir;
    std::string m_output;
};

constexpr const char* kModule = R"({"type": "module", "line": 1, "filename": "pair.wasm"})";

TEST_F(WastRunner, PassingScript) {
    Tally t = run(std::string(kModule) + R"(,
        {"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "pair", "args": []},
         "expected": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]},
        {"type": "action", "line": 3, "action": {"type": "invoke", "field": "pair", "args": []}, "expected": []})");
    EXPECT_EQ(t.passed, 3u);
    EXPECT_EQ(t.failed, 0u);
    EXPECT_EQ(t.skipped, 0u);
    EXPECT_TRUE(m_output.ends_with("3 passed, 0 failed\n")) << m_output;
}

TEST_F(WastRunner, CountsEveryKindOfWrongExpectation) {
    Tally t = run(std::string(kModule) + R"(,
        {"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "pair", "args": []},
         "expected": [{"type": "i32", "value": "1"}]},
        {"type": "assert_return", "line": 3, "action": {"type": "invoke", "field": "pair", "args": []},
         "expected": [{"type": "i32", "value": "1"}, {"type": "i64", "value": "2"}]},
        {"type": "assert_return", "line": 4, "action": {"type": "invoke", "field": "nope", "args": []},
         "expected": []},
        {"type": "assert_return", "line": 5, "action": {"type": "invoke", "field": "pair",
         "args": [{"type": "i32", "value": "0"}]}, "expected": []},
        {"type": "assert_return", "line": 6, "action": {"type": "get", "field": "pair"}, "expected": []},
        {"type": "action", "line": 7, "action": {"type": "invoke", "module": "$Nope", "field": "pair", "args": []},
         "expected": []},
        {"type": "assert_trap", "line": 8, "action": {"type": "invoke", "field": "pair", "args": []},
         "text": "unreachable", "expected": []},
        {"type": "assert_return", "line": 9, "action": {"type": "invoke", "field": "pair",
         "args": [{"type": "v128", "lane_type": "i32", "value": ["0", "0", "0", "0"]}]}, "expected": []},
        {"type": "assert_invalid", "line": 10, "filename": "pair.wasm", "text": "type mismatch", "module_type": "binary"},
        {"type": "assert_malformed", "line": 11, "filename": "x.wat", "text": "unknown operator", "module_type": "text"},
        {"type": "module", "line": 12, "filename": "missing.wasm"},
        {"type": "assert_return", "line": 13, "action": {"type": "invoke", "field": "pair", "args": []},
         "expected": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]},
        {"type": "register", "line": 14, "as": "gone"})");
    EXPECT_EQ(t.passed, 1u) << m_output;
    EXPECT_EQ(t.failed, 12u) << m_output;
    EXPECT_EQ(t.skipped, 1u) << m_output;
    EXPECT_TRUE(m_output.ends_with("1 passed, 12 failed, 1 skipped\n")) << m_output;
    for (int line = 2; line <= 14; ++line) {
        if (line == 11)
            continue;
        EXPECT_NE(m_output.find("hand.wast:" + std::to_string(line) + ": "), std::string::npos)
            << "line " << line << " not reported:\n" << m_output;
    }
    EXPECT_NE(m_output.find("hand.wast:11: assert_malformed skipped"), std::string::npos) << m_output;
    // Line 13 must not silently test the earlier module after line 12 failed to load.
    EXPECT_NE(m_output.find("hand.wast:13: assert_return failed: no module loaded"), std::string::npos) << m_output;
}

TEST_F(WastRunner, NamedModulesAndRegister) {
    Tally t = run(R"(
        {"type": "module", "line": 1, "name": "$A", "filename": "pair.wasm"},
        {"type": "register", "line": 2, "name": "$A", "as": "a"},
        {"type": "module", "line": 3, "filename": "pair.wasm"},
        {"type": "assert_return", "line": 4, "action": {"type": "invoke", "module": "$A", "field": "pair", "args": []},
         "expected": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]})");
    EXPECT_EQ(t.passed, 3u) << m_output;
    EXPECT_EQ(t.failed, 0u) << m_output;
}

TEST(WastLinker, LimitsSubtyping) {
    EXPECT_TRUE(limits_match({1, std::nullopt}, {1, std::nullopt}));
    EXPECT_TRUE(limits_match({2, std::nullopt}, {1, std::nullopt}));
    EXPECT_FALSE(limits_match({0, std::nullopt}, {1, std::nullopt}));
    EXPECT_TRUE(limits_match({1, 2}, {1, std::nullopt}));
    EXPECT_TRUE(limits_match({1, 2}, {0, 3}));
    EXPECT_TRUE(limits_match({1, 2}, {1, 2}));
    EXPECT_FALSE(limits_match({1, 3}, {1, 2}));
    EXPECT_FALSE(limits_match({1, std::nullopt}, {1, 2}));
}

TEST(WastLinker, ResolvesByNameAndChecksTypes) {
    Store store;
    Linker linker;
    ExportMap m;
    m.emplace("g", Extern::global(store.create_global({ValType::i32, false}, Value::i32(1))));
    m.emplace("mem", Extern::memory(store.create_memory(MemoryType{{1, 2}})));
    linker.define("env", std::move(m));

    auto load = [](std::vector<uint8_t> import_section) {
        std::vector<uint8_t> bytes = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
        bytes.insert(bytes.end(), import_section.begin(), import_section.end());
        auto mod = load_module(bytes);
        EXPECT_TRUE(mod.ok()) << (mod.ok() ? "" : mod.error().message);
        return mod.ok() ? *mod : nullptr;
    };
    // (import "env" "g" (global i32))
    auto ok = load({0x02, 0x0a, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'g', 0x03, 0x7f, 0x00});
    ASSERT_TRUE(ok);
    auto r = linker.resolve(store, *ok);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->size(), 1u);
    // (import "env" "g" (global (mut i32)))
    auto mut = load({0x02, 0x0a, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'g', 0x03, 0x7f, 0x01});
    ASSERT_TRUE(mut);
    auto r2 = linker.resolve(store, *mut);
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().kind, ErrorKind::unlinkable);
    EXPECT_TRUE(r2.error().message.starts_with("incompatible import type")) << r2.error().message;
    // (import "env" "h" (global i32))
    auto unknown = load({0x02, 0x0a, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'h', 0x03, 0x7f, 0x00});
    ASSERT_TRUE(unknown);
    auto r3 = linker.resolve(store, *unknown);
    ASSERT_FALSE(r3.ok());
    EXPECT_TRUE(r3.error().message.starts_with("unknown import")) << r3.error().message;
    // (import "env" "mem" (memory 1 3)): max 2 <= 3 matches; (memory 1 1) does not.
    auto mem_ok = load({0x02, 0x0d, 0x01, 0x03, 'e', 'n', 'v', 0x03, 'm', 'e', 'm', 0x02, 0x01, 0x01, 0x03});
    ASSERT_TRUE(mem_ok);
    EXPECT_TRUE(linker.resolve(store, *mem_ok).ok());
    auto mem_bad = load({0x02, 0x0d, 0x01, 0x03, 'e', 'n', 'v', 0x03, 'm', 'e', 'm', 0x02, 0x01, 0x01, 0x01});
    ASSERT_TRUE(mem_bad);
    EXPECT_FALSE(linker.resolve(store, *mem_bad).ok());
}

}  // namespace
}  // namespace crush::cli::wast
