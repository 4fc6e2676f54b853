// Copyright Crush authors.
// Embedder host functions behind a permission (include/crush/host_function.hpp): granted, the
// import is linked and called; not granted, the module does not load (unlinkable) and the
// message names the import and the permission to add.
#include "runtime_fixture.hpp"

#include <crush/embed.hpp>

#include <gmock/gmock.h>

#include <cstring>

namespace crush::testing {
namespace {

std::filesystem::path embed_guest(const std::string& name) {
    return std::filesystem::path(CRUSH_TEST_DATA_DIR) / "embed" / (name + ".wasm");
}

const FuncType kLookupType{{ValType::i32}, {ValType::i32}};
const FuncType kGreetType{{ValType::i32, ValType::i32}, {ValType::i32}};

/// env_ext.lookup(k) = 6k, counting its calls.
HostFunctionSpec lookup_spec(int* calls = nullptr) {
    return {"env_ext", "lookup", kLookupType,
            [calls](HostCall&, std::span<const Value> args, std::span<Value> results) {
                if (calls) ++*calls;
                results[0] = Value::i32(args[0].as_i32() * 6);
                return HostOutcome::next();
            },
            "custom.lookup"};
}

/// env_ext.greet(ptr, capacity): writes a greeting into guest memory, bounds-checked.
HostFunctionSpec greet_spec() {
    return {"env_ext", "greet", kGreetType,
            [](HostCall& call, std::span<const Value> args, std::span<Value> results) {
                static constexpr std::string_view kText = "hello from the host\n";
                MemoryInst* memory = call.memory();
                if (!memory) return HostOutcome::trap("no memory");
                std::span<uint8_t> bytes = call.store.memory_data(memory);
                const uint64_t ptr = args[0].as_i32(), capacity = args[1].as_i32();
                const uint64_t n = std::min<uint64_t>(capacity, kText.size());
                if (ptr + n > bytes.size()) return HostOutcome::trap("greet: out of bounds");
                std::memcpy(bytes.data() + ptr, kText.data(), n);
                results[0] = Value::i32(static_cast<uint32_t>(n));
                return HostOutcome::next();
            },
            "custom.greet"};
}

class EmbedTest : public RuntimeTest {
protected:
    CapsuleOptions lookup_options(std::vector<std::string> permissions) {
        CapsuleOptions o = options("lookup");
        o.module_path = embed_guest("embed_lookup");
        o.permissions = std::move(permissions);
        o.host_functions.push_back(lookup_spec(&m_calls));
        return o;
    }
    int m_calls = 0;
};

TEST_F(EmbedTest, GrantedHostFunctionIsLinkedAndCalled) {
    RunResult r = run_capsule(lookup_options({"custom.lookup"}));
    ASSERT_TRUE(r.created) << r.create_error.message;
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited) << r.report.trap.message << r.report.error.message;
    EXPECT_EQ(r.report.exit_code, 42u);
    EXPECT_EQ(m_calls, 1);
}

TEST_F(EmbedTest, AllowAllGrantsHostFunctions) {
    CapsuleOptions o = lookup_options({});
    o.allow_all = true;
    RunResult r = run_capsule(std::move(o));
    ASSERT_TRUE(r.created) << r.create_error.message;
    EXPECT_EQ(r.report.exit_code, 42u);
}

TEST_F(EmbedTest, NotGrantedImportIsUnlinkableAndNamesThePermission) {
    RunResult r = run_capsule(lookup_options({"io.print"}));
    ASSERT_FALSE(r.created);
    EXPECT_EQ(r.create_error.kind, ErrorKind::unlinkable);
    EXPECT_EQ(r.create_error.message,
              "capsule 'lookup' imports env_ext.lookup, which needs permission 'custom.lookup'; "
              "add \"custom.lookup\" to [permissions] allow in Capsule.toml");
    EXPECT_EQ(m_calls, 0);
}

TEST_F(EmbedTest, NotGrantedWithoutManifestSaysGrant) {
    CapsuleOptions o = lookup_options({});
    o.has_manifest = false;
    RunResult r = run_capsule(std::move(o));
    ASSERT_FALSE(r.created);
    EXPECT_THAT(r.create_error.message, ::testing::EndsWith("; grant \"custom.lookup\" to the capsule"));
}

TEST_F(EmbedTest, GrantIsExactNotAPrefixOrCaseFold) {
    // Another registered permission that merely resembles it grants nothing.
    CapsuleOptions o = lookup_options({"custom.lookup2"});
    o.host_functions.push_back(lookup_spec());
    o.host_functions.back().name = "other";
    o.host_functions.back().permission = "custom.lookup2";
    RunResult r = run_capsule(std::move(o));
    ASSERT_FALSE(r.created);
    EXPECT_EQ(r.create_error.kind, ErrorKind::unlinkable);
    EXPECT_THAT(r.create_error.message, ::testing::HasSubstr("needs permission 'custom.lookup'"));
    // Nor does another spelling (embedder permissions are compared byte for byte).
    r = run_capsule(lookup_options({"CUSTOM.LOOKUP"}));
    ASSERT_FALSE(r.created);
    EXPECT_EQ(r.create_error.kind, ErrorKind::unlinkable);
    EXPECT_EQ(m_calls, 0);
}

TEST_F(EmbedTest, UnimportedHostFunctionNeedsNoGrant) {
    // The greet guest does not import lookup: registering it without the grant changes nothing.
    CapsuleOptions o = options("greet");
    o.module_path = embed_guest("embed_greet");
    o.permissions = {"io.print", "custom.greet"};
    o.host_functions = {lookup_spec(), greet_spec()};
    RunResult r = run_capsule(std::move(o));
    ASSERT_TRUE(r.created) << r.create_error.message;
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited) << r.report.trap.message;
    EXPECT_EQ(r.out, "hello from the host\n");
}

TEST_F(EmbedTest, TypeMismatchIsUnlinkable) {
    CapsuleOptions o = lookup_options({"custom.lookup"});
    o.host_functions[0].type = FuncType{{ValType::i64}, {ValType::i32}};
    RunResult r = run_capsule(std::move(o));
    ASSERT_FALSE(r.created);
    EXPECT_EQ(r.create_error.kind, ErrorKind::unlinkable);
    EXPECT_THAT(r.create_error.message, ::testing::HasSubstr("import env_ext.lookup: type mismatch"));
}

TEST_F(EmbedTest, HostFunctionTrapAndExitReachTheReport) {
    CapsuleOptions o = lookup_options({"custom.lookup"});
    o.host_functions[0].function = [](HostCall&, std::span<const Value>, std::span<Value>) {
        return HostOutcome::trap("lookup failed");
    };
    RunResult r = run_capsule(std::move(o));
    ASSERT_TRUE(r.created);
    EXPECT_EQ(r.report.outcome, CapsuleReport::Outcome::trapped);
    EXPECT_EQ(r.report.trap.message, "lookup failed");

    o = lookup_options({"custom.lookup"});
    o.host_functions[0].function = [](HostCall&, std::span<const Value>, std::span<Value>) { return HostOutcome::exit(3); };
    r = run_capsule(std::move(o));
    EXPECT_EQ(r.report.outcome, CapsuleReport::Outcome::exited);
    EXPECT_EQ(r.report.exit_code, 3u);
}

TEST_F(EmbedTest, BadSpecsAreInvalid) {
    auto expect_invalid = [&](auto mutate, std::string_view needle) {
        CapsuleOptions o = lookup_options({"custom.lookup"});
        mutate(o.host_functions[0], o);
        RunResult r = run_capsule(std::move(o));
        ASSERT_FALSE(r.created) << needle;
        EXPECT_EQ(r.create_error.kind, ErrorKind::invalid) << r.create_error.message;
        EXPECT_THAT(r.create_error.message, ::testing::HasSubstr(std::string(needle)));
    };
    expect_invalid([](HostFunctionSpec& s, CapsuleOptions&) { s.permission = "fs.read"; }, "is a built-in permission");
    expect_invalid([](HostFunctionSpec& s, CapsuleOptions&) { s.permission = "lookup"; }, "must look like 'namespace.action'");
    expect_invalid([](HostFunctionSpec& s, CapsuleOptions&) { s.permission = "custom.look up"; }, "namespace.action");
    expect_invalid([](HostFunctionSpec& s, CapsuleOptions&) { s.permission = ""; }, "namespace.action");
    expect_invalid([](HostFunctionSpec& s, CapsuleOptions&) { s.module = "wasi_snapshot_preview1"; }, "belongs to the runtime");
    expect_invalid([](HostFunctionSpec& s, CapsuleOptions&) { s.module = "exo"; }, "belongs to the runtime");
    expect_invalid([](HostFunctionSpec& s, CapsuleOptions&) { s.name = ""; }, "must be non-empty");
    expect_invalid([](HostFunctionSpec& s, CapsuleOptions&) { s.function = nullptr; }, "no function given");
    expect_invalid([](HostFunctionSpec& s, CapsuleOptions& o) { o.host_functions.push_back(s); }, "registered twice");
}

TEST_F(EmbedTest, UnregisteredCustomPermissionIsStillRejectedByTheGate) {
    CapsuleOptions o = lookup_options({"custom.lookup", "custom.other"});
    RunResult r = run_capsule(std::move(o));
    ASSERT_FALSE(r.created);
    EXPECT_THAT(r.create_error.message, ::testing::HasSubstr("custom.other"));
}

TEST_F(EmbedTest, LoadCapsuleOptionsAcceptsHostPermissionsInTheManifest) {
    write_file(dir() / "cap" / "Capsule.toml",
               "[capsule]\nname = \"looker\"\nentry = \"" + embed_guest("embed_lookup").string() +
                   "\"\n[permissions]\nallow = [\"io.print\", \"custom.lookup\"]\n[limits]\nfuel = 100000\n");
    // Without the host function, custom.lookup is an unknown permission, as in `exo run`.
    auto plain = load_capsule_options(dir() / "cap");
    ASSERT_FALSE(plain.ok());
    EXPECT_THAT(plain.error().message, ::testing::HasSubstr("Capsule.toml:5:"));

    auto loaded = load_capsule_options(dir() / "cap", std::vector<HostFunctionSpec>{lookup_spec(&m_calls)});
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->name, "looker");
    EXPECT_EQ(loaded->args, std::vector<std::string>{"looker"});
    EXPECT_EQ(loaded->limits.fuel, std::optional<uint64_t>(100000));
    ASSERT_EQ(loaded->host_functions.size(), 1u);
    EXPECT_TRUE(loaded->has_manifest);
    loaded->vfs_root = root();
    RunResult r = run_capsule(std::move(*loaded));
    ASSERT_TRUE(r.created) << r.create_error.message;
    EXPECT_EQ(r.report.exit_code, 42u);
    EXPECT_EQ(m_calls, 1);

    // The manifest file itself works too; a missing one is an io error naming the path.
    const std::string perm = "custom.lookup";
    EXPECT_TRUE(load_capsule_options(dir() / "cap" / "Capsule.toml", std::span<const std::string>(&perm, 1)).ok());
    auto missing = load_capsule_options(dir() / "nothing");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, ErrorKind::io);
    EXPECT_THAT(missing.error().message, ::testing::HasSubstr("nothing"));
}

}  // namespace
}  // namespace crush::testing
