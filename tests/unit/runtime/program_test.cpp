// Copyright Crush authors.
// A real C program (stdio, dirent, stat, time, rand) compiled with the stock wasi-libc runs
// unchanged; virtual paths map into the capsule root; exits, traps and load errors are reported.
#include "runtime_fixture.hpp"

namespace crush::testing {
namespace {

TEST_F(RuntimeTest, ARealCProgramRunsUnchanged) {
    CapsuleOptions o = options("stdlib_program", {"x", "y z"});
    o.permissions = {"io.print", "io.input", "fs.read", "fs.write", "clock", "random"};
    RunResult r = run_capsule(o, "line one\nline two\n");
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited)
        << r.report.trap.message << r.report.error.message;
    EXPECT_EQ(r.report.exit_code, 0u) << r.err;
    EXPECT_EQ(r.out,
              "cwd: /work\n"
              "file0.txt 17 file\nfile1.txt 34 file\nfile2.txt 51 file\n"
              "read: line 0 of file 2\nread: line 1 of file 2\nread: line 2 of file 2\n"
              "time_sane: yes\nmonotonic: yes\nyear_sane: yes\nrand_in_range: yes\nunlinked: yes\n"
              "stdin: line one\nstdin: line two\narg: x\narg: y z\n");
    EXPECT_EQ(r.err, "to stderr\n");
    // Virtual /work is <root>/work on the host.
    EXPECT_EQ(read_file(root() / "work" / "file1.txt"), "line 0 of file 1\nline 1 of file 1\n");
    EXPECT_FALSE(std::filesystem::exists(root() / "work" / "file0.txt"));
}

TEST_F(RuntimeTest, TheRootDefaultsToExoHomeVfsName) {
    CapsuleOptions o = options("stdlib_program");
    o.vfs_root.reset();
    o.exo_home = dir() / "exo-home";
    o.allow_all = true;
    RunResult r = run_capsule(o);
    ASSERT_EQ(r.report.exit_code, 0u) << r.err << r.create_error.message;
    EXPECT_TRUE(
        std::filesystem::exists(dir() / "exo-home" / "vfs" / "stdlib_program" / "work" / "file2.txt"));
    auto perms = std::filesystem::status(dir() / "exo-home" / "vfs" / "stdlib_program").permissions();
    EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none)
        << "the root is private";
}

TEST_F(RuntimeTest, ExitCodesPassThrough) {
    CapsuleOptions o = options("exit_trap", {"exit", "3"});
    RunResult r = run_capsule(o);
    EXPECT_EQ(r.report.outcome, CapsuleReport::Outcome::exited);
    EXPECT_EQ(r.report.exit_code, 3u);
    o.args = {"exit_trap", "proc_exit", "42"};
    r = run_capsule(o);
    EXPECT_EQ(r.report.outcome, CapsuleReport::Outcome::exited);
    EXPECT_EQ(r.report.exit_code, 42u);
}

TEST_F(RuntimeTest, ATrapIsReportedWithABacktrace) {
    RunResult r = run_capsule(options("exit_trap", {"trap"}));
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::trapped);
    EXPECT_EQ(r.report.trap.kind, TrapKind::unreachable);
    ASSERT_FALSE(r.report.trap.backtrace.empty());
    bool named = false;
    for (const Frame& f : r.report.trap.backtrace) named |= f.func_name == "crush_guest_fails_here";
    EXPECT_TRUE(named) << r.report.trap.backtrace.front().func_name;
}

TEST_F(RuntimeTest, LoadErrorsAreValuesBeforeAnythingIsCreated) {
    CapsuleOptions o = options("missing-module");
    RunResult r = run_capsule(o);
    EXPECT_FALSE(r.created);
    EXPECT_EQ(r.create_error.kind, ErrorKind::io);
    write_file(dir() / "garbage.wasm", "this is not wasm");
    o.module_path = dir() / "garbage.wasm";
    r = run_capsule(o);
    EXPECT_FALSE(r.created);
    EXPECT_EQ(r.create_error.kind, ErrorKind::malformed);
    EXPECT_FALSE(std::filesystem::exists(root())) << "nothing is created for a bad module";
    o = options("env");
    o.name = "../escape";
    r = run_capsule(o);
    EXPECT_FALSE(r.created) << "capsule names are validated";
    o = options("env");
    o.permissions = {"fs.wrte"};
    r = run_capsule(o);
    EXPECT_FALSE(r.created);
    EXPECT_NE(r.create_error.message.find("fs.write"), std::string::npos) << r.create_error.message;
}

TEST_F(RuntimeTest, UnknownImportsAreUnlinkable) {
    // (module (import "wasi_snapshot_preview1" "fd_nonsense" (func)) (func (export "_start")))
    const unsigned char wasm[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x26,
        0x01, 0x16, 'w',  'a',  's',  'i',  '_',  's',  'n',  'a',  'p',  's',  'h',  'o',  't',  '_',
        'p',  'r',  'e',  'v',  'i',  'e',  'w',  '1',  0x0b, 'f',  'd',  '_',  'n',  'o',  'n',  's',
        'e',  'n',  's',  'e',  0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x0a, 0x01, 0x06, '_',  's',
        't',  'a',  'r',  't',  0x00, 0x01, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
    std::filesystem::create_directories(dir());
    std::ofstream(dir() / "bad-import.wasm", std::ios::binary)
        .write(reinterpret_cast<const char*>(wasm), sizeof wasm);
    CapsuleOptions o = options("env");
    o.module_path = dir() / "bad-import.wasm";
    RunResult r = run_capsule(o);
    ASSERT_TRUE(r.created) << r.create_error.message;
    EXPECT_EQ(r.report.outcome, CapsuleReport::Outcome::load_error);
    EXPECT_EQ(r.report.error.kind, ErrorKind::unlinkable);
    EXPECT_NE(r.report.error.message.find("fd_nonsense"), std::string::npos) << r.report.error.message;
}

}  // namespace
}  // namespace crush::testing
