// Copyright Crush authors.
// Each permission, missing, is denied: the guest gets EACCES (its exit code here) and the person
// running it gets one line naming the permission and where to grant it. With the permission the
// same operation succeeds.
#include "runtime_fixture.hpp"

namespace crush::testing {
namespace {

struct Case {
    const char* op;          // perms.c operation
    const char* permission;  // what allows it
    const char* message;     // expected in the denial line
};

class PermissionDenied : public RuntimeTest, public ::testing::WithParamInterface<Case> {};

TEST_P(PermissionDenied, WithoutItTheCallIsRefusedWithAMessage) {
    const Case& c = GetParam();
    write_file(root() / "data" / "in.txt", "input");
    CapsuleOptions o = options("perms", {c.op});
    o.env = {{"VISIBLE", "1"}};
    // Everything except the permission under test.
    for (const char* p : {"io.print", "io.input", "fs.read", "fs.write", "env.get", "clock", "random"})
        if (std::string(p) != c.permission) o.permissions.push_back(p);
    RunResult denied = run_capsule(o);
    ASSERT_TRUE(denied.created) << denied.create_error.message;
    ASSERT_EQ(denied.report.outcome, CapsuleReport::Outcome::exited) << denied.report.trap.message;
    EXPECT_EQ(denied.report.exit_code, 2u) << "EACCES expected; out: " << denied.out;
    EXPECT_NE(denied.diag.find(c.message), std::string::npos) << denied.diag;
    EXPECT_NE(denied.diag.find("Capsule.toml"), std::string::npos) << denied.diag;
    EXPECT_EQ(std::count(denied.diag.begin(), denied.diag.end(), '\n'), 1) << denied.diag;
    EXPECT_EQ(read_file(root() / "data" / "in.txt"), "input") << "a denied call changed nothing";
    EXPECT_FALSE(std::filesystem::exists(root() / "data" / "out.txt"));
    EXPECT_FALSE(std::filesystem::exists(root() / "data" / "newdir"));

    o.permissions.push_back(c.permission);
    RunResult allowed = run_capsule(o, "stdin text");
    EXPECT_EQ(allowed.report.exit_code, 0u) << allowed.diag;
    EXPECT_EQ(allowed.diag, "");
}

INSTANTIATE_TEST_SUITE_P(EachPermission, PermissionDenied,
                         ::testing::Values(Case{"print", "io.print", "denied io.print"},
                                           Case{"input", "io.input", "denied io.input"},
                                           Case{"read", "fs.read", "denied fs.read on /data/in.txt"},
                                           Case{"stat", "fs.read", "denied fs.read on /data/in.txt"},
                                           Case{"list", "fs.read", "denied fs.read on /"},
                                           Case{"write", "fs.write", "denied fs.write on /data/out.txt"},
                                           Case{"trunc", "fs.write", "denied fs.write on /data/in.txt"},
                                           Case{"mkdir", "fs.write", "denied fs.write on /data/newdir"},
                                           Case{"unlink", "fs.write", "denied fs.write on /data/in.txt"},
                                           Case{"env", "env.get", "denied env.get of VISIBLE"},
                                           Case{"clock", "clock", "denied clock"},
                                           Case{"random", "random", "denied random"}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                             return std::string(info.param.op);
                         });

TEST_F(RuntimeTest, ABareModuleSuggestsTheAllowFlag) {
    CapsuleOptions o = options("perms", {"clock"});
    o.permissions = {"io.print"};
    o.has_manifest = false;
    RunResult r = run_capsule(o);
    EXPECT_EQ(r.report.exit_code, 2u);
    EXPECT_NE(r.diag.find("--allow"), std::string::npos) << r.diag;
}

TEST_F(RuntimeTest, ScopedFsPermissionsFollowTheScope) {
    write_file(root() / "data" / "in.txt", "input");
    CapsuleOptions o = options("perms", {"read"});
    o.permissions = {"fs.read:/data/**"};
    EXPECT_EQ(run_capsule(o).report.exit_code, 0u);
    o.permissions = {"fs.read:/other"};
    EXPECT_EQ(run_capsule(o).report.exit_code, 2u);
    o.args = {"perms", "write"};
    o.permissions = {"fs.write:/data/out.txt"};
    EXPECT_EQ(run_capsule(o).report.exit_code, 0u);
    EXPECT_EQ(read_file(root() / "data" / "out.txt"), "out");
}

}  // namespace
}  // namespace crush::testing
