// Copyright Crush authors.
// --learn: from audit records to the smallest allow list.
#include "capsule/learn.hpp"
#include "capsule/permissions.hpp"

#include <gtest/gtest.h>

namespace crush {
namespace {

std::vector<std::string> learn(std::vector<AuditRecord> records) { return learn_permissions(records); }

AuditRecord rec(std::string capability, std::string target = "") {
    return AuditRecord{std::move(capability), std::move(target), true};
}

TEST(Learn, UnscopedOnceEach) {
    EXPECT_EQ(learn({rec("io.print"), rec("clock"), rec("io.print"), rec("random"), rec("io.input")}),
              (std::vector<std::string>{"clock", "io.input", "io.print", "random"}));
    EXPECT_TRUE(learn({}).empty());
}

TEST(Learn, EnvAndNetExact) {
    EXPECT_EQ(learn({rec("env.get", "HOME"), rec("env.get", "LANG"), rec("env.get", "HOME"),
                     rec("net.connect", "127.0.0.1:8080"), rec("net.listen", "9000")}),
              (std::vector<std::string>{"env.get:HOME", "env.get:LANG", "net.connect:127.0.0.1:8080",
                                        "net.listen:9000"}));
}

TEST(Learn, FewFilesStayExact) {
    EXPECT_EQ(learn({rec("fs.read", "/data/in.txt"), rec("fs.read", "/data/in.txt"), rec("fs.write", "/out/r.txt"),
                     rec("fs.read", "/etc/cfg")}),
              (std::vector<std::string>{"fs.read:/data/in.txt", "fs.read:/etc/cfg", "fs.write:/out/r.txt"}));
}

TEST(Learn, ReadNeverImpliesWrite) {
    auto allow = learn({rec("fs.read", "/a"), rec("fs.read", "/b"), rec("fs.read", "/c")});
    for (const auto& p : allow) EXPECT_EQ(p.rfind("fs.write", 0), std::string::npos) << p;
}

TEST(Learn, ManyFilesInOneDirectoryBecomeStar) {
    EXPECT_EQ(learn({rec("fs.read", "/data/a"), rec("fs.read", "/data/b"), rec("fs.read", "/data/c"),
                     rec("fs.read", "/data"), rec("fs.read", "/other/x")}),
              (std::vector<std::string>{"fs.read:/data", "fs.read:/data/*", "fs.read:/other/x"}));
    // At the root.
    EXPECT_EQ(learn({rec("fs.write", "/a"), rec("fs.write", "/b"), rec("fs.write", "/c")}),
              (std::vector<std::string>{"fs.write:/*"}));
}

TEST(Learn, StarDirectoryWithDeeperPathsBecomesDoubleStar) {
    EXPECT_EQ(learn({rec("fs.read", "/d/a"), rec("fs.read", "/d/b"), rec("fs.read", "/d/c"),
                     rec("fs.read", "/d/sub/x"), rec("fs.read", "/d/sub/y/z"), rec("fs.read", "/e")}),
              (std::vector<std::string>{"fs.read:/d/**", "fs.read:/e"}));
    // Nested star directories: the outer one wins.
    EXPECT_EQ(learn({rec("fs.read", "/d/a"), rec("fs.read", "/d/b"), rec("fs.read", "/d/c"),
                     rec("fs.read", "/d/s/1"), rec("fs.read", "/d/s/2"), rec("fs.read", "/d/s/3")}),
              (std::vector<std::string>{"fs.read:/d/**"}));
}

TEST(Learn, ResultCoversEveryRecordAndParses) {
    std::vector<AuditRecord> records = {rec("fs.read", "/d/a"),   rec("fs.read", "/d/b"),
                                        rec("fs.read", "/d/c"),   rec("fs.read", "/d/s/t"),
                                        rec("fs.write", "/o/x"),  rec("env.get", "K"),
                                        rec("net.connect", "127.0.0.1:1"), rec("io.print")};
    auto allow = learn(records);
    auto perms = Permissions::parse(allow);
    ASSERT_TRUE(perms.ok()) << perms.error().message;
    EXPECT_TRUE(perms->allows_path(Capability::fs_read, "/d/s/t"));
    EXPECT_TRUE(perms->allows_path(Capability::fs_read, "/d/a"));
    EXPECT_TRUE(perms->allows_path(Capability::fs_write, "/o/x"));
    EXPECT_FALSE(perms->allows_path(Capability::fs_write, "/d/a"));
    EXPECT_FALSE(perms->allows_path(Capability::fs_read, "/o/x"));
    EXPECT_TRUE(perms->allows_env("K"));
    EXPECT_FALSE(perms->allows_env("L"));
    EXPECT_TRUE(perms->allows(Capability::io_print));
    EXPECT_FALSE(perms->allows(Capability::clock));
}

TEST(Learn, ManifestText) {
    std::vector<std::string> allow = {"fs.read:/a \"q\"", "io.print"};
    EXPECT_EQ(learned_manifest_text("hello", allow),
              "# Learned by `exo run --learn` from one run of capsule 'hello'.\n"
              "# The permissions that run used, no more. Review them, then copy what you accept into\n"
              "# [permissions] allow in Capsule.toml (exo never edits it for you).\n"
              "[permissions]\n"
              "allow = [\n"
              "    \"fs.read:/a \\\"q\\\"\",\n"
              "    \"io.print\",\n"
              "]\n");
}

}  // namespace
}  // namespace crush
