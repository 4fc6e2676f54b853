// Copyright Crush authors.
// The C API (include/crush/crush.h): options -> capsule -> report round trips, host functions
// with C callbacks behind a permission, guest memory access, errors as status + message, and
// user-data finalizers. Only crush.h is used here, as a C program would.
#include <crush/crush.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

std::string guest(const std::string& name) {
    return (std::filesystem::path(CRUSH_TEST_DATA_DIR) / "embed" / (name + ".wasm")).string();
}

struct Counter {
    int calls = 0;
    int finalized = 0;
};

crush_host_action_t lookup(void* user_data, crush_call_t*, const crush_value_t* args, size_t nargs,
                           crush_value_t* results, size_t nresults) {
    auto* counter = static_cast<Counter*>(user_data);
    ++counter->calls;
    if (nargs != 1 || nresults != 1 || args[0].type != CRUSH_I32 || results[0].type != CRUSH_I32) std::abort();
    results[0].of.i32 = args[0].of.i32 * 6;
    return CRUSH_HOST_CONTINUE;
}

crush_host_action_t trapping(void*, crush_call_t* call, const crush_value_t*, size_t, crush_value_t*, size_t) {
    return crush_call_trap(call, "lookup refused");
}

crush_host_action_t exiting(void*, crush_call_t* call, const crush_value_t*, size_t, crush_value_t*, size_t) {
    return crush_call_exit(call, 9);
}

crush_host_action_t greet(void*, crush_call_t* call, const crush_value_t* args, size_t, crush_value_t* results,
                          size_t) {
    static const char kText[] = "hi from C\n";
    size_t size = 0;
    if (!crush_call_memory(call, &size) || size != 65536) return crush_call_trap(call, "memory");
    char probe;
    if (crush_call_read(call, size, &probe, 1) != -1) return crush_call_trap(call, "read past the end");
    if (crush_call_write(call, size - 1, kText, 2) != -1) return crush_call_trap(call, "write past the end");
    if (crush_call_write(call, static_cast<uint32_t>(args[0].of.i32), kText, sizeof kText - 1) != 0)
        return crush_call_trap(call, "write");
    results[0].of.i32 = sizeof kText - 1;
    return CRUSH_HOST_CONTINUE;
}

void finalize(void* user_data) { ++static_cast<Counter*>(user_data)->finalized; }

const crush_valtype_t kI32[] = {CRUSH_I32, CRUSH_I32};

class CApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/crush-capi-test-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }

    /// Options for the lookup guest with env_ext.lookup offered behind custom.lookup.
    crush_options_t* lookup_options(crush_host_callback_t callback = lookup) {
        crush_options_t* o = crush_options_new("lookup", guest("embed_lookup").c_str());
        EXPECT_NE(o, nullptr);
        EXPECT_EQ(crush_options_set_vfs_root(o, (m_dir / "root").c_str()), CRUSH_OK);
        EXPECT_EQ(crush_options_add_host_function(o, "env_ext", "lookup", kI32, 1, kI32, 1, callback, &m_counter,
                                                  finalize, "custom.lookup"),
                  CRUSH_OK);
        return o;
    }

    std::filesystem::path m_dir;
    Counter m_counter;
};

TEST_F(CApiTest, GrantedHostFunctionRoundTrip) {
    crush_options_t* o = lookup_options();
    ASSERT_EQ(crush_options_allow(o, "custom.lookup"), CRUSH_OK);
    crush_capsule_t* c = nullptr;
    ASSERT_EQ(crush_capsule_create(o, &c), CRUSH_OK) << crush_last_error();
    crush_options_delete(o);  // the capsule keeps its own copy (and the user data alive)
    EXPECT_EQ(m_counter.finalized, 0);

    crush_report_t* r = crush_capsule_run(c);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(crush_report_outcome(r), CRUSH_OUTCOME_EXITED) << crush_report_error_message(r);
    EXPECT_EQ(crush_report_exit_code(r), 42u);
    EXPECT_STREQ(crush_report_trap_message(r), "");
    EXPECT_STREQ(crush_report_error_message(r), "");
    EXPECT_EQ(m_counter.calls, 1);
    crush_report_delete(r);

    // A capsule runs once.
    r = crush_capsule_run(c);
    EXPECT_EQ(crush_report_outcome(r), CRUSH_OUTCOME_LOAD_ERROR);
    EXPECT_THAT(crush_report_error_message(r), ::testing::HasSubstr("runs once"));
    crush_report_delete(r);

    crush_capsule_delete(c);
    EXPECT_EQ(m_counter.finalized, 1);
}

TEST_F(CApiTest, NotGrantedIsUnlinkable) {
    crush_options_t* o = lookup_options();
    crush_capsule_t* c = reinterpret_cast<crush_capsule_t*>(&m_counter);  // must be reset to NULL
    EXPECT_EQ(crush_capsule_create(o, &c), CRUSH_ERROR_UNLINKABLE);
    EXPECT_EQ(c, nullptr);
    EXPECT_THAT(crush_last_error(), ::testing::HasSubstr("needs permission 'custom.lookup'"));
    EXPECT_EQ(m_counter.calls, 0);
    crush_options_delete(o);
    EXPECT_EQ(m_counter.finalized, 1);
}

TEST_F(CApiTest, TrapAndExitFromACallback) {
    for (auto [callback, outcome] : {std::pair{&trapping, CRUSH_OUTCOME_TRAPPED}, std::pair{&exiting, CRUSH_OUTCOME_EXITED}}) {
        crush_options_t* o = lookup_options(callback);
        ASSERT_EQ(crush_options_allow(o, "custom.lookup"), CRUSH_OK);
        crush_capsule_t* c = nullptr;
        ASSERT_EQ(crush_capsule_create(o, &c), CRUSH_OK) << crush_last_error();
        crush_report_t* r = crush_capsule_run(c);
        EXPECT_EQ(crush_report_outcome(r), outcome);
        if (outcome == CRUSH_OUTCOME_TRAPPED) {
            EXPECT_STREQ(crush_report_trap_message(r), "lookup refused");
            EXPECT_GE(crush_report_backtrace_size(r), 1u);
        } else {
            EXPECT_EQ(crush_report_exit_code(r), 9u);
        }
        crush_report_delete(r);
        crush_capsule_delete(c);
        crush_options_delete(o);
    }
    EXPECT_EQ(m_counter.finalized, 2);
}

TEST_F(CApiTest, CallbackWritesGuestMemoryAndStdioIsRedirected) {
    int out = ::memfd_create("capi-out", MFD_CLOEXEC);
    ASSERT_GE(out, 0);
    crush_options_t* o = crush_options_new("greet", guest("embed_greet").c_str());
    ASSERT_EQ(crush_options_set_vfs_root(o, (m_dir / "root").c_str()), CRUSH_OK);
    ASSERT_EQ(crush_options_set_stdio(o, 0, out, 2), CRUSH_OK);
    ASSERT_EQ(crush_options_allow(o, "io.print"), CRUSH_OK);
    ASSERT_EQ(crush_options_allow(o, "custom.greet"), CRUSH_OK);
    ASSERT_EQ(crush_options_add_host_function(o, "env_ext", "greet", kI32, 2, kI32, 1, greet, nullptr, nullptr,
                                              "custom.greet"),
              CRUSH_OK);
    crush_capsule_t* c = nullptr;
    ASSERT_EQ(crush_capsule_create(o, &c), CRUSH_OK) << crush_last_error();
    crush_report_t* r = crush_capsule_run(c);
    EXPECT_EQ(crush_report_outcome(r), CRUSH_OUTCOME_EXITED) << crush_report_trap_message(r);
    char buf[64] = {};
    EXPECT_EQ(::pread(out, buf, sizeof buf - 1, 0), 10);
    EXPECT_STREQ(buf, "hi from C\n");
    crush_report_delete(r);
    crush_capsule_delete(c);
    crush_options_delete(o);
    ::close(out);
}

TEST_F(CApiTest, FuelLimitEndsTheRun) {
    crush_options_t* o = lookup_options();
    ASSERT_EQ(crush_options_allow(o, "custom.lookup"), CRUSH_OK);
    ASSERT_EQ(crush_options_set_limit(o, CRUSH_LIMIT_FUEL, 1), CRUSH_OK);
    crush_capsule_t* c = nullptr;
    ASSERT_EQ(crush_capsule_create(o, &c), CRUSH_OK) << crush_last_error();
    crush_report_t* r = crush_capsule_run(c);
    EXPECT_EQ(crush_report_outcome(r), CRUSH_OUTCOME_LIMIT);
    EXPECT_STREQ(crush_report_limit(r), "fuel");
    crush_usage_t usage{};
    ASSERT_EQ(crush_report_usage(r, &usage), CRUSH_OK);
    ASSERT_GE(crush_report_limits_hit_size(r), 1u);
    EXPECT_STREQ(crush_report_limits_hit(r, 0), "fuel");
    EXPECT_STREQ(crush_report_limits_hit(r, 99), "");
    EXPECT_EQ(crush_report_usage(r, nullptr), CRUSH_ERROR_ARGUMENT);
    crush_report_delete(r);
    crush_capsule_delete(c);
    crush_options_delete(o);
}

TEST_F(CApiTest, ErrorsAreStatusesWithMessages) {
    crush_capsule_t* c = nullptr;
    EXPECT_EQ(crush_capsule_create(nullptr, &c), CRUSH_ERROR_ARGUMENT);
    EXPECT_STREQ(crush_last_error(), "options is NULL");
    EXPECT_EQ(crush_options_allow(nullptr, "io.print"), CRUSH_ERROR_ARGUMENT);
    EXPECT_EQ(crush_capsule_run(nullptr), nullptr);

    crush_options_t* o = crush_options_new("missing", (m_dir / "nope.wasm").c_str());
    ASSERT_EQ(crush_options_set_vfs_root(o, (m_dir / "root").c_str()), CRUSH_OK);
    EXPECT_EQ(crush_capsule_create(o, &c), CRUSH_ERROR_IO);
    EXPECT_THAT(crush_last_error(), ::testing::HasSubstr("nope.wasm"));

    ASSERT_EQ(crush_options_set_module(o, guest("embed_lookup").c_str()), CRUSH_OK);
    ASSERT_EQ(crush_options_allow(o, "fs.wrte"), CRUSH_OK);  // checked at create
    EXPECT_EQ(crush_capsule_create(o, &c), CRUSH_ERROR_INVALID);
    EXPECT_THAT(crush_last_error(), ::testing::HasSubstr("did you mean 'fs.write'"));

    ASSERT_EQ(crush_options_set_name(o, "../escape"), CRUSH_OK);
    EXPECT_EQ(crush_capsule_create(o, &c), CRUSH_ERROR_INVALID);
    EXPECT_EQ(c, nullptr);

    // A bad host function spec: finalizer runs even though nothing was added.
    const crush_valtype_t bad[] = {static_cast<crush_valtype_t>(0x40)};
    EXPECT_EQ(crush_options_add_host_function(o, "env_ext", "f", bad, 1, nullptr, 0, lookup, &m_counter, finalize,
                                              "custom.f"),
              CRUSH_ERROR_ARGUMENT);
    EXPECT_EQ(m_counter.finalized, 1);
    EXPECT_EQ(crush_options_add_host_function(nullptr, "env_ext", "f", nullptr, 0, nullptr, 0, lookup, &m_counter,
                                              finalize, "custom.f"),
              CRUSH_ERROR_ARGUMENT);
    EXPECT_EQ(m_counter.finalized, 2);
    EXPECT_EQ(crush_options_set_limit(o, static_cast<crush_limit_t>(99), 1), CRUSH_ERROR_ARGUMENT);
    crush_options_delete(o);
    crush_options_delete(nullptr);
    crush_capsule_delete(nullptr);
    crush_report_delete(nullptr);

    EXPECT_STREQ(crush_status_name(CRUSH_ERROR_UNLINKABLE), "unlinkable");
    EXPECT_STREQ(crush_status_name(static_cast<crush_status_t>(77)), "unknown");
    EXPECT_STRNE(crush_version(), "");
}

TEST_F(CApiTest, LoadFromManifestWithHostPermission) {
    std::filesystem::create_directories(m_dir / "cap");
    std::ofstream(m_dir / "cap" / "Capsule.toml")
        << "[capsule]\nname = \"looker\"\nentry = \"" << guest("embed_lookup")
        << "\"\n[permissions]\nallow = [\"custom.lookup\"]\n[env]\nA = \"1\"\n";
    crush_options_t* o = reinterpret_cast<crush_options_t*>(&m_counter);
    EXPECT_EQ(crush_options_load((m_dir / "cap").c_str(), nullptr, 0, &o), CRUSH_ERROR_INVALID);
    EXPECT_EQ(o, nullptr);
    EXPECT_THAT(crush_last_error(), ::testing::HasSubstr("Capsule.toml:5:"));

    const char* perms[] = {"custom.lookup"};
    ASSERT_EQ(crush_options_load((m_dir / "cap").c_str(), perms, 1, &o), CRUSH_OK) << crush_last_error();
    ASSERT_EQ(crush_options_add_host_function(o, "env_ext", "lookup", kI32, 1, kI32, 1, lookup, &m_counter, nullptr,
                                              "custom.lookup"),
              CRUSH_OK);
    ASSERT_EQ(crush_options_set_exo_home(o, (m_dir / "exo").c_str()), CRUSH_OK);
    const char* argv[] = {"looker", "x"};
    ASSERT_EQ(crush_options_set_args(o, argv, 2), CRUSH_OK);
    ASSERT_EQ(crush_options_set_env(o, "A", "2"), CRUSH_OK);
    crush_capsule_t* c = nullptr;
    ASSERT_EQ(crush_capsule_create(o, &c), CRUSH_OK) << crush_last_error();
    crush_report_t* r = crush_capsule_run(c);
    EXPECT_EQ(crush_report_exit_code(r), 42u);
    EXPECT_TRUE(std::filesystem::is_directory(m_dir / "exo" / "vfs" / "looker"));
    crush_report_delete(r);
    crush_capsule_delete(c);
    crush_options_delete(o);
}

}  // namespace
