// Copyright Crush authors.
// Isolation, end to end through the embedding API: escape attempts through WASI fail without
// reading, creating or changing anything outside the root; racing symlink swaps never leak; handles
// start at 100 and forged or stale ones are EBADF; no host fd survives a capsule; the host
// environment is invisible.
#include "runtime_fixture.hpp"

#include <atomic>
#include <thread>

namespace crush::testing {
namespace {

class Isolation : public RuntimeTest {
protected:
    /// The escape playground: dir()/secret.txt and dir()/outside/ next to the root, symlinks
    /// inside the root pointing out in every way, and a read-only mount.
    void plant() {
        namespace fs = std::filesystem;
        const fs::path d = dir();
        write_file(d / "secret.txt", "SECRET\n");
        fs::create_directories(d / "outside");
        write_file(root() / "inside.txt", "inside\n");
        fs::create_directories(root() / "sub");
        write_file(d / "romount" / "ro.txt", "readonly\n");
        fs::create_symlink(d / "secret.txt", root() / "link_abs");
        fs::create_symlink("../secret.txt", root() / "link_rel");
        fs::create_symlink("../../secret.txt", root() / "sub" / "link_up");
        fs::create_symlink(d, root() / "link_dir_abs");
        fs::create_symlink("loop_b", root() / "loop_a");
        fs::create_symlink("loop_a", root() / "loop_b");
        fs::create_symlink("../outside", root() / "link_outdir");
        fs::create_symlink(d / "created.txt", root() / "dangling_abs");
    }
};

TEST_F(Isolation, EscapeAttemptsThroughWasiFail) {
    plant();
    // Everything outside the root, before.
    const auto outside_before = snapshot(dir(), "root");

    CapsuleOptions o = options("escape", {dir().string()});
    o.allow_all = true;
    o.mounts.push_back(MountSpec{dir() / "romount", "/ro", true});
    RunResult r = run_capsule(o);
    ASSERT_TRUE(r.created) << r.create_error.message;
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited)
        << r.report.trap.message << r.report.error.message;
    EXPECT_EQ(r.report.exit_code, 0u);
    EXPECT_EQ(r.out.find("SECRET"), std::string::npos) << r.out;

    // Lexical escapes are refused outright.
    for (const char* k :
         {"dotdot", "dotdot_chain", "dotdot_inner", "absolute", "absolute_host", "libc_root_dotdot",
          "hardlink_out", "rename_out", "rename_in", "mkdir_out", "unlink_out", "open_parent_of_root",
          "ro_dotdot", "libc_ro_dotdot", "symlink_create_abs"})
        EXPECT_EQ(r.line(k), "ENOTCAPABLE") << k;
    // Symlinks are interpreted inside the root: they lead nowhere, or loop.
    for (const char* k :
         {"symlink_abs", "symlink_rel", "symlink_nested", "symlink_dir_abs", "libc_symlink_rel",
          "symlink_made_rel", "libc_host_path", "hardlink_via_symlink", "create_through_dir_symlink"})
        EXPECT_EQ(r.line(k), "ENOENT") << k;
    EXPECT_EQ(r.line("symlink_loop"), "ELOOP");
    EXPECT_EQ(r.line("symlink_trailing_slash"), "ENOENT");  // followed inside the root: nothing there
    EXPECT_EQ(r.line("nul_in_path"), "EINVAL");
    EXPECT_EQ(r.line("long_component"), "ENAMETOOLONG");
    EXPECT_EQ(r.line("long_path"), "ENAMETOOLONG");
    EXPECT_NE(r.line("create_through_dangling"), "ok");
    EXPECT_EQ(r.line("libc_inside"), "READ inside");
    // The read-only mount reads, and refuses every change, including links and renames out.
    EXPECT_EQ(r.line("ro_mount_found"), "ok");
    EXPECT_EQ(r.line("ro_read"), "READ readonly");
    for (const char* k : {"ro_write_trunc", "ro_create", "ro_unlink", "ro_mkdir", "ro_symlink",
                          "ro_rename_out", "ro_link_out"})
        EXPECT_EQ(r.line(k), "EROFS") << k;
    EXPECT_EQ(read_file(dir() / "romount" / "ro.txt"), "readonly\n");

    // Nothing outside the root was created or changed.
    EXPECT_EQ(snapshot(dir(), "root"), outside_before);
}

TEST_F(Isolation, RacingSymlinkSwapsNeverLeadOut) {
    namespace fs = std::filesystem;
    write_file(dir() / "outside" / "secret.txt", "SECRET\n");
    write_file(root() / "real" / "secret.txt", "inside\n");
    fs::create_symlink("real", root() / "swap");
    std::atomic<bool> stop{false};
    std::thread attacker([&] {
        // Alternate "swap" between a link to the real directory and links pointing out.
        const std::vector<std::string> targets{"real", "../outside", "../../outside",
                                               (dir() / "outside").string()};
        for (unsigned i = 0; !stop.load(); ++i) {
            fs::path tmp = root() / "swap.tmp";
            std::error_code ec;
            fs::remove(tmp, ec);
            fs::create_symlink(targets[i % targets.size()], tmp, ec);
            fs::rename(tmp, root() / "swap", ec);  // atomic replace
        }
    });
    CapsuleOptions o = options("race", {"3000"});
    o.permissions = {"fs.read", "io.print"};
    RunResult r = run_capsule(o);
    stop = true;
    attacker.join();
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited)
        << r.report.trap.message << r.report.error.message;
    EXPECT_EQ(r.line("secret"), "0") << r.out;
    EXPECT_EQ(r.line("other"), "0") << r.out;
}

TEST_F(Isolation, HandlesStartAt100AndForgedOrStaleAreEbadf) {
    CapsuleOptions o = options("handles");
    o.allow_all = true;
    RunResult r = run_capsule(o);
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited)
        << r.report.trap.message << r.report.error.message;
    EXPECT_EQ(r.line("open_a"), "ok 100");
    EXPECT_EQ(r.line("open_b"), "ok 101");
    for (const char* k : {"forged_4", "forged_42", "forged_99", "forged_102", "forged_65536", "forged_neg",
                          "forged_close", "stale_write", "stale_close", "renumber_old_gone",
                          "renumber_to_forged", "renumber_from_forged", "renumber_to_neg"})
        EXPECT_EQ(r.line(k), "EBADF") << k;
    EXPECT_EQ(r.line("open_c"), "ok 102") << "numbers are not reused";
    EXPECT_EQ(r.line("file_as_dir"), "ENOTDIR");
    EXPECT_EQ(r.line("renumber_c_to_b"), "ok");
    EXPECT_EQ(r.line("renumber_new_works"), "ok");
    EXPECT_EQ(r.line("still_works"), "ok");
    EXPECT_EQ(r.line("after_churn"), "152");
    EXPECT_EQ(read_file(root() / "c.txt"), "renumbered!");
}

TEST_F(Isolation, NoHostDescriptorSurvivesTheCapsule) {
    const std::set<int> before = open_fds();
    {
        CapsuleOptions o = options("handles");  // leaves a handle open on purpose
        o.allow_all = true;
        o.mounts.push_back(MountSpec{dir(), "/host", true});
        RunResult r = run_capsule(o);
        ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited);
        CapsuleOptions s = options("stdlib_program");
        s.allow_all = true;
        RunResult r2 = run_capsule(s, "x\n");
        ASSERT_EQ(r2.report.outcome, CapsuleReport::Outcome::exited) << r2.err;
    }
    EXPECT_EQ(open_fds(), before);
}

TEST_F(Isolation, HostEnvironmentIsInvisible) {
    ::setenv("CRUSH_HOST_ONLY_SECRET", "do-not-leak", 1);
    CapsuleOptions o = options("env", {"one", "two words"});
    o.allow_all = true;
    o.env = {{"GREETING", "hello"}, {"EMPTY", ""}};
    RunResult r = run_capsule(o);
    ::unsetenv("CRUSH_HOST_ONLY_SECRET");
    ASSERT_EQ(r.report.outcome, CapsuleReport::Outcome::exited);
    EXPECT_EQ(r.out,
              "arg: env\narg: one\narg: two words\nenv: GREETING=hello\nenv: EMPTY=\n"
              "getenv_HOME: (unset)\ngetenv_PATH: (unset)\n");
}

}  // namespace
}  // namespace crush::testing
