// Copyright Crush authors.
// The import -> permission table covers every host function exactly once (checked against the
// .def lists the WASI layer is generated from), and the inference rules behave.
#include "capsule/capability_map.hpp"
#include "check.hpp"
#include "help.hpp"
#include "inspect.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace crush {
namespace {

TEST(CapabilityMap, EveryWasiAndExoFunctionHasExactlyOneRow) {
    std::vector<std::pair<std::string, std::string>> declared;
#define CRUSH_WASI_FUNCTION(name, params, results) declared.emplace_back(std::string(kWasiModule), #name);
#include "wasi/wasi_functions.def"
#undef CRUSH_WASI_FUNCTION
#define CRUSH_EXO_FUNCTION(name, params, results) declared.emplace_back(std::string(kExoModule), #name);
#include "wasi/exo_functions.def"
#undef CRUSH_EXO_FUNCTION
    std::set<std::pair<std::string, std::string>> rows;
    for (const ImportCapabilities& r : import_capability_table())
        EXPECT_TRUE(rows.emplace(std::string(r.module), std::string(r.name)).second) << r.name << " twice";
    std::set<std::pair<std::string, std::string>> want(declared.begin(), declared.end());
    EXPECT_EQ(rows, want);
}

TEST(CapabilityMap, Lookups) {
    const ImportCapabilities* open = find_import_capabilities(kWasiModule, "path_open");
    ASSERT_NE(open, nullptr);
    EXPECT_EQ(describe_any_of(open->any_of), "fs.read or fs.write");
    EXPECT_EQ(find_import_capabilities(kWasiModule, "nope"), nullptr);
    EXPECT_EQ(find_import_capabilities("env", "path_open"), nullptr);
    EXPECT_TRUE(is_host_module("exo"));
    EXPECT_FALSE(is_host_module("env"));
    EXPECT_TRUE(find_import_capabilities(kWasiModule, "proc_exit")->any_of.empty());
}

using Imports = std::vector<std::pair<std::string_view, std::string_view>>;

TEST(CapabilityMap, WritingWithoutOpeningIsOnlyPrinting) {
    Imports hello{{kWasiModule, "fd_write"}, {kWasiModule, "proc_exit"}};
    EXPECT_EQ(capabilities_for_imports(hello), std::vector<Capability>{Capability::io_print});
    Imports files{{kWasiModule, "fd_write"}, {kWasiModule, "path_open"}};
    EXPECT_EQ(capabilities_for_imports(files),
              (std::vector<Capability>{Capability::io_print, Capability::fs_read, Capability::fs_write}));
    Imports client{{kWasiModule, "sock_send"}, {kExoModule, "sock_connect"}};
    EXPECT_EQ(capabilities_for_imports(client), std::vector<Capability>{Capability::net_connect});
    auto caps = capabilities_for_imports(hello);
    EXPECT_TRUE(effective_capabilities(*find_import_capabilities(kWasiModule, "sock_recv"), caps).empty());
}

TEST(CliHelp, RewritesHelpToTheFlag) {
    using V = std::vector<std::string>;
    EXPECT_EQ(cli::rewrite_help_args(V{"help"}), V{"--help"});
    EXPECT_EQ(cli::rewrite_help_args((V{"help", "vfs", "rm"})), (V{"vfs", "rm", "--help"}));
    EXPECT_EQ(cli::rewrite_help_args((V{"run", "x.wasm", "help"})), (V{"run", "x.wasm", "help"}));
}

TEST(CliHelp, UnknownCommandSuggestsTheNearest) {
    CLI::App app;
    app.add_subcommand("inspect");
    app.add_subcommand("check");
    auto m = cli::unknown_command_message(app, {"ispect"});
    ASSERT_TRUE(m);
    EXPECT_NE(m->find("did you mean 'inspect'?"), std::string::npos) << *m;
    EXPECT_FALSE(cli::unknown_command_message(app, {"check", "x"}));
    EXPECT_FALSE(cli::unknown_command_message(app, {"--version"}));
}

TEST(CliCheck, DiagnosticFormat) {
    cli::Diagnostic d{"Capsule.toml", 6, 1, cli::Diagnostic::Severity::error, "bad"};
    EXPECT_EQ(cli::format_diagnostic(d), "Capsule.toml:6:1: error: bad");
    d.line = 0;
    d.severity = cli::Diagnostic::Severity::warning;
    EXPECT_EQ(cli::format_diagnostic(d), "Capsule.toml: warning: bad");
}

/// A fake host: files from a map, directories from a set.
cli::CheckHost fake_host(std::map<std::string, std::string> files, std::set<std::string> dirs = {}) {
    cli::CheckHost h;
    h.read_file = [files](const std::filesystem::path& p) -> Result<std::string> {
        auto it = files.find(p.string());
        if (it == files.end()) return Error{ErrorKind::io, 0, "No such file or directory"};
        return it->second;
    };
    h.is_directory = [dirs](const std::filesystem::path& p) { return dirs.count(p.string()) > 0; };
    return h;
}

// (module (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32))))
const std::string kRandomModule = std::string(
    "\0asm\x01\0\0\0"
    "\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f"
    "\x02\x25\x01\x16wasi_snapshot_preview1\x0arandom_get\x00\x00"
    "\x00\x08\x04note\x01\x02\x03",
    8 + 9 + 39 + 10);

TEST(CliCheck, ImportWithoutPermissionIsAnErrorAtTheAllowLine) {
    auto host = fake_host({{"c/Capsule.toml", "[capsule]\nname = \"c\"\n\n[permissions]\nallow = []\n"},
                           {"c/c.wasm", kRandomModule}},
                          {"c"});
    auto diags = cli::check_capsule("c", host);
    ASSERT_EQ(diags.size(), 1u);
    EXPECT_EQ(diags[0].line, 5u);
    EXPECT_NE(diags[0].message.find("random_get"), std::string::npos);
    EXPECT_NE(diags[0].message.find("add \"random\""), std::string::npos);
    EXPECT_TRUE(cli::has_errors(diags));

    host = fake_host({{"c/Capsule.toml", "[capsule]\nname = \"c\"\n[permissions]\nallow = [\"random\"]\n"},
                      {"c/c.wasm", kRandomModule}},
                     {"c"});
    EXPECT_TRUE(cli::check_capsule("c", host).empty());
}

TEST(CliInspect, CustomSectionsAndPermissions) {
    std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(kRandomModule.data()), kRandomModule.size());
    auto r = cli::inspect_module(bytes, "m.wasm");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->custom_sections.size(), 1u);
    EXPECT_EQ(r->custom_sections[0].first, "note");
    EXPECT_EQ(r->custom_sections[0].second, 3u);
    EXPECT_EQ(r->permissions, std::vector<Capability>{Capability::random});
    auto j = cli::inspect_to_json(*r);
    EXPECT_EQ(j["permissions"][0], "random");
    EXPECT_EQ(j["custom_sections"][0]["size"], 3);
    auto bad = cli::inspect_module(bytes.subspan(0, 6), "m.wasm");
    ASSERT_FALSE(bad);
    EXPECT_NE(cli::describe_module_error(bad.error()).find("byte offset"), std::string::npos);
}

}  // namespace
}  // namespace crush
