// Copyright Crush authors.
// Parsing wast2json output into commands, and rejecting broken scripts with a clear message.
#include "wast/script.hpp"

#include <gtest/gtest.h>

namespace crush::cli::wast {
namespace {

TEST(WastScript, ParsesEveryCommandKind) {
    auto s = parse_script(R"({"source_filename": "t.wast", "commands": [
      {"type": "module", "line": 1, "name": "$M", "filename": "t.0.wasm"},
      {"type": "register", "line": 2, "name": "$M", "as": "m"},
      {"type": "action", "line": 3, "action": {"type": "invoke", "field": "f", "args": []}, "expected": []},
      {"type": "assert_return", "line": 4, "action": {"type": "get", "module": "$M", "field": "g"},
       "expected": [{"type": "i32", "value": "42"}]},
      {"type": "assert_trap", "line": 5, "action": {"type": "invoke", "field": "f",
       "args": [{"type": "i64", "value": "1"}]}, "text": "unreachable", "expected": [{"type": "i32"}]},
      {"type": "assert_exhaustion", "line": 6, "action": {"type": "invoke", "field": "r", "args": []},
       "text": "call stack exhausted", "expected": []},
      {"type": "assert_invalid", "line": 7, "filename": "t.1.wasm", "text": "type mismatch", "module_type": "binary"},
      {"type": "assert_malformed", "line": 8, "filename": "t.2.wat", "text": "unknown operator", "module_type": "text"},
      {"type": "assert_unlinkable", "line": 9, "filename": "t.3.wasm", "text": "unknown import", "module_type": "binary"},
      {"type": "assert_uninstantiable", "line": 10, "filename": "t.4.wasm", "text": "unreachable", "module_type": "binary"}
    ]})", "/dir");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->source_filename, "t.wast");
    EXPECT_EQ(s->directory, "/dir");
    ASSERT_EQ(s->commands.size(), 10u);
    const auto& c = s->commands;
    EXPECT_EQ(c[0].kind, CommandKind::module);
    EXPECT_EQ(c[0].name.value_or(""), "$M");
    EXPECT_EQ(c[0].filename, "t.0.wasm");
    EXPECT_EQ(c[1].kind, CommandKind::register_);
    EXPECT_EQ(c[1].as, "m");
    EXPECT_EQ(c[2].kind, CommandKind::action);
    EXPECT_EQ(c[3].kind, CommandKind::assert_return);
    EXPECT_EQ(c[3].action.kind, Action::Kind::get);
    EXPECT_EQ(c[3].action.module.value_or(""), "$M");
    ASSERT_EQ(c[3].expected.size(), 1u);
    EXPECT_EQ(c[3].expected[0].bits, 42u);
    EXPECT_EQ(c[4].kind, CommandKind::assert_trap);
    EXPECT_EQ(c[4].text, "unreachable");
    ASSERT_EQ(c[4].action.args.size(), 1u);
    EXPECT_EQ(c[4].action.args[0].value, Value::i64(1));
    EXPECT_EQ(c[5].kind, CommandKind::assert_exhaustion);
    EXPECT_EQ(c[6].kind, CommandKind::assert_invalid);
    EXPECT_FALSE(c[6].text_module);
    EXPECT_EQ(c[7].kind, CommandKind::assert_malformed);
    EXPECT_TRUE(c[7].text_module);
    EXPECT_EQ(c[8].kind, CommandKind::assert_unlinkable);
    EXPECT_EQ(c[9].kind, CommandKind::assert_uninstantiable);
    EXPECT_EQ(c[9].line, 10u);
}

TEST(WastScript, RejectsBrokenScripts) {
    EXPECT_FALSE(parse_script("not json", {}).ok());
    EXPECT_FALSE(parse_script("[]", {}).ok());
    EXPECT_FALSE(parse_script(R"({"commands": 3})", {}).ok());
    EXPECT_FALSE(parse_script(R"({"commands": [{"type": "frobnicate", "line": 1}]})", {}).ok());
    EXPECT_FALSE(parse_script(R"({"commands": [{"type": "module", "line": 1}]})", {}).ok());
    EXPECT_FALSE(parse_script(R"({"commands": [{"type": "register", "line": 1}]})", {}).ok());
    EXPECT_FALSE(parse_script(R"({"commands": [{"type": "assert_trap", "line": 1,
        "action": {"type": "invoke", "field": "f", "args": []}}]})", {}).ok());  // no text
    EXPECT_FALSE(parse_script(R"({"commands": [{"type": "assert_return", "line": 1,
        "action": {"type": "call", "field": "f"}, "expected": []}]})", {}).ok());
}

TEST(WastScript, ErrorsNameTheLine) {
    auto s = parse_script(R"({"commands": [{"type": "assert_return", "line": 17,
        "action": {"type": "invoke", "field": "f", "args": [{"type": "i32", "value": "x"}]},
        "expected": []}]})", {});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message.find("line 17"), std::string::npos) << s.error().message;
}

TEST(WastScript, MissingFileIsAnIoError) {
    auto s = load_script("/nonexistent/dir/x.json");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().kind, ErrorKind::io);
}

}  // namespace
}  // namespace crush::cli::wast
