// Copyright Crush authors.
// Two capsules running at the same time in one process share nothing: same virtual paths but
// different roots, same handle numbers but different resources, different environment and cwd.
#include "runtime_fixture.hpp"

#include <thread>

namespace crush::testing {
namespace {

TEST_F(RuntimeTest, TwoCapsulesAtTheSameTimeShareNothing) {
    auto make = [&](const std::string& who) {
        CapsuleOptions o = options("worker", {"300"});
        o.name = "worker-" + who;
        o.vfs_root = dir() / ("root-" + who);
        o.permissions = {"io.print", "fs.read", "fs.write", "env.get"};
        o.env = {{"WORKER", who}};
        return o;
    };
    RunResult a, b;
    std::thread ta([&] { a = run_capsule(make("a")); });
    std::thread tb([&] { b = run_capsule(make("b")); });
    ta.join();
    tb.join();
    ASSERT_EQ(a.report.outcome, CapsuleReport::Outcome::exited)
        << a.report.trap.message << a.report.error.message;
    ASSERT_EQ(b.report.outcome, CapsuleReport::Outcome::exited)
        << b.report.trap.message << b.report.error.message;
    EXPECT_EQ(a.out, "worker a: ok, first handle 100, cwd /home-a\n");
    EXPECT_EQ(b.out, "worker b: ok, first handle 100, cwd /home-b\n");
    EXPECT_EQ(read_file(dir() / "root-a" / "shared-name.txt"), "a 299\n");
    EXPECT_EQ(read_file(dir() / "root-b" / "shared-name.txt"), "b 299\n");
    EXPECT_EQ(read_file(dir() / "root-a" / "home-a" / "relative.txt"), "a\n");
    EXPECT_FALSE(std::filesystem::exists(dir() / "root-a" / "home-b"));
    EXPECT_FALSE(std::filesystem::exists(dir() / "root-b" / "home-a"));
}

}  // namespace
}  // namespace crush::testing
