// Copyright Crush authors.
#include "run_options.hpp"

#include "capsule/limits.hpp"
#include "commands.hpp"
#include "runtime/capsule_loader.hpp"

#include <gtest/gtest.h>

#include <map>

namespace crush::cli {
namespace {

/// A fake host: a few files and directories, a small environment, and a log of what was asked.
struct FakeHost {
    std::map<std::string, std::string> files;
    std::vector<std::string> dirs;
    std::map<std::string, std::string, std::less<>> env;
    std::vector<std::string> env_asked;
    std::optional<std::filesystem::path> exo_home = "/home/me/.exo";

    RunHost host() {
        RunHost h;
        h.getenv = [this](std::string_view name) -> std::optional<std::string> {
            env_asked.emplace_back(name);
            auto it = env.find(name);
            if (it == env.end()) return std::nullopt;
            return it->second;
        };
        h.read_file = [this](const std::filesystem::path& p) -> Result<std::string> {
            auto it = files.find(p.string());
            if (it == files.end()) return Error{ErrorKind::io, 0, "no such file or directory"};
            return it->second;
        };
        h.is_directory = [this](const std::filesystem::path& p) {
            return std::find(dirs.begin(), dirs.end(), p.string()) != dirs.end();
        };
        h.exo_home = [this] { return exo_home; };
        return h;
    }
};

RunSetup build(const RunFlags& flags, FakeHost& fake) {
    return build_run_options(flags, fake.host());
}

TEST(RunOptions, BareWasmGetsOnlyItsStdio) {
    FakeHost fake;
    RunFlags flags;
    flags.capsule = "build/my tool.wasm";
    flags.args = {"--foo", "-x", "bar"};
    RunSetup s = build(flags, fake);
    ASSERT_TRUE(s.ok()) << s.message;
    EXPECT_FALSE(s.has_manifest);
    const CapsuleOptions& o = *s.options;
    EXPECT_EQ(o.name, "my_tool");
    EXPECT_EQ(o.module_path, std::filesystem::path("build/my tool.wasm"));
    EXPECT_EQ(o.permissions, (std::vector<std::string>{"io.print", "io.input"}));
    EXPECT_FALSE(o.allow_all);
    EXPECT_TRUE(o.env.empty());
    EXPECT_TRUE(o.mounts.empty());
    EXPECT_FALSE(o.vfs_root.has_value());
    EXPECT_EQ(o.exo_home, std::filesystem::path("/home/me/.exo"));
    EXPECT_FALSE(o.has_manifest);  // denials suggest --allow
    EXPECT_EQ(o.args, (std::vector<std::string>{"my_tool", "--foo", "-x", "bar"}));
    EXPECT_FALSE(o.limits.memory_bytes.has_value());  // defaults are applied by the runtime
    EXPECT_TRUE(fake.env_asked.empty());              // the host environment is never read implicitly
}

TEST(RunOptions, DirectoryUsesItsManifest) {
    FakeHost fake;
    fake.dirs = {"caps/hello"};
    fake.files["caps/hello/Capsule.toml"] =
        "[capsule]\nname = \"hello\"\nentry = \"hello.wasm\"\n[permissions]\nallow = [\"io.print\"]\n"
        "[env]\nMODE = \"prod\"\n[limits]\nmemory = \"64MiB\"\nfuel = 100\n"
        "[[mounts]]\nhost = \"in\"\nguest = \"/in\"\nread_only = true\n";
    RunFlags flags;
    flags.capsule = "caps/hello";
    flags.args = {"a"};
    RunSetup s = build(flags, fake);
    ASSERT_TRUE(s.ok()) << s.message;
    EXPECT_TRUE(s.has_manifest);
    const CapsuleOptions& o = *s.options;
    EXPECT_TRUE(o.has_manifest);
    EXPECT_EQ(o.name, "hello");
    EXPECT_EQ(o.module_path, std::filesystem::path("caps/hello/hello.wasm"));
    EXPECT_EQ(o.permissions, std::vector<std::string>{"io.print"});
    EXPECT_EQ(o.env, (std::vector<std::pair<std::string, std::string>>{{"MODE", "prod"}}));
    ASSERT_EQ(o.mounts.size(), 1u);
    EXPECT_EQ(o.mounts[0].host_path, std::filesystem::path("caps/hello/in"));
    EXPECT_TRUE(o.mounts[0].read_only);
    EXPECT_EQ(o.limits.memory_bytes, 64u << 20);
    EXPECT_EQ(o.limits.fuel, 100u);
    EXPECT_EQ(o.args, (std::vector<std::string>{"hello", "a"}));
}

TEST(RunOptions, FlagsAddToAndOverrideTheManifest) {
    FakeHost fake;
    fake.dirs = {"c"};
    fake.files["c/Capsule.toml"] =
        "[capsule]\nname = \"c\"\n[env]\nA = \"1\"\nB = \"2\"\n[limits]\nfuel = 100\nmemory = \"1G\"\n";
    fake.env = {{"HOME", "/home/me"}, {"SECRET", "s"}};
    RunFlags flags;
    flags.capsule = "c";
    flags.allow = {"fs.read:/data/**", "clock"};
    flags.env = {"B=3", "HOME", "C=x=y"};
    flags.dirs = {"/srv/in::/input:ro", "out"};
    flags.name = "renamed";
    flags.vfs_root = "/tmp/root";
    flags.fuel = "1_000";
    flags.timeout = "2s";
    flags.max_memory = "64MiB";
    flags.max_handles = "16";
    flags.max_disk = "10M";
    flags.max_io = "1G";
    RunSetup s = build(flags, fake);
    ASSERT_TRUE(s.ok()) << s.message;
    const CapsuleOptions& o = *s.options;
    EXPECT_EQ(o.name, "renamed");
    EXPECT_EQ(o.args, std::vector<std::string>{"renamed"});
    EXPECT_EQ(o.permissions, (std::vector<std::string>{"fs.read:/data/**", "clock"}));
    EXPECT_EQ(o.env, (std::vector<std::pair<std::string, std::string>>{
                         {"A", "1"}, {"B", "3"}, {"HOME", "/home/me"}, {"C", "x=y"}}));
    EXPECT_EQ(fake.env_asked, std::vector<std::string>{"HOME"});  // exactly what --env named
    ASSERT_EQ(o.mounts.size(), 2u);
    EXPECT_EQ(o.mounts[0].host_path, std::filesystem::path("/srv/in"));
    EXPECT_EQ(o.mounts[0].guest_path, "/input");
    EXPECT_TRUE(o.mounts[0].read_only);
    EXPECT_EQ(o.mounts[1].host_path, std::filesystem::path("out"));
    EXPECT_EQ(o.mounts[1].guest_path, "/out");
    EXPECT_FALSE(o.mounts[1].read_only);
    EXPECT_EQ(o.vfs_root, std::filesystem::path("/tmp/root"));
    EXPECT_EQ(o.limits.fuel, 1000u);
    EXPECT_EQ(o.limits.time_ms, 2000u);
    EXPECT_EQ(o.limits.memory_bytes, 64u << 20);
    EXPECT_EQ(o.limits.handles, 16u);
    EXPECT_EQ(o.limits.disk_bytes, 10u << 20);
    EXPECT_EQ(o.limits.io_bytes, 1u << 30);
}

TEST(RunOptions, AllowAllAndExplicitManifest) {
    FakeHost fake;
    fake.files["other.toml"] = "[capsule]\nname = \"other\"\nentry = \"x.wasm\"\n";
    RunFlags flags;
    flags.capsule = "prog.wasm";
    flags.manifest = "other.toml";
    flags.allow_all = true;
    RunSetup s = build(flags, fake);
    ASSERT_TRUE(s.ok()) << s.message;
    EXPECT_TRUE(s.options->allow_all);
    EXPECT_EQ(s.options->name, "other");
    EXPECT_EQ(s.options->module_path, std::filesystem::path("prog.wasm"));  // CAPSULE names the module
    EXPECT_TRUE(s.has_manifest);

    RunFlags toml;
    toml.capsule = "other.toml";
    RunSetup t = build(toml, fake);
    ASSERT_TRUE(t.ok()) << t.message;
    EXPECT_EQ(t.options->module_path, std::filesystem::path("x.wasm"));
}

TEST(RunOptions, ManifestErrorsAreLoadErrors) {
    FakeHost fake;
    fake.dirs = {"bad", "missing"};
    fake.files["bad/Capsule.toml"] = "[capsule]\nname = \"x\"\npermisions = []\n";
    RunFlags flags;
    flags.capsule = "bad";
    RunSetup s = build(flags, fake);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.exit_code, kExitLoadError);
    EXPECT_EQ(s.message,
              "bad/Capsule.toml:3:1: unknown key 'permisions' in [capsule]; did you mean 'permissions'?");
    flags.capsule = "missing";
    RunSetup m = build(flags, fake);
    EXPECT_EQ(m.exit_code, kExitLoadError);
    EXPECT_EQ(m.message, "missing/Capsule.toml: no such file or directory");
}

TEST(RunOptions, BadFlagsAreUsageErrors) {
    FakeHost fake;
    auto error_of = [&](auto mutate) {
        RunFlags flags;
        flags.capsule = "x.wasm";
        mutate(flags);
        RunSetup s = build(flags, fake);
        EXPECT_FALSE(s.ok());
        EXPECT_EQ(s.exit_code, kExitUsage) << s.message;
        return s.message;
    };
    EXPECT_EQ(error_of([](RunFlags& f) { f.allow = {"fs.wrte:/x"}; }),
              "--allow: unknown permission 'fs.wrte'; did you mean 'fs.write'?");
    EXPECT_EQ(
        error_of([](RunFlags& f) { f.allow = {"net.connect:0x7f.1:80"}; }),
        "--allow: ambiguous numeric host '0x7f.1' in 'net.connect:0x7f.1:80': write an IPv4 address as four "
        "decimal parts, e.g. 127.0.0.1");
    EXPECT_EQ(error_of([](RunFlags& f) { f.name = "../x"; }),
              "--name: bad capsule name '../x': it contains a path separator; a name becomes one directory");
    EXPECT_EQ(error_of([](RunFlags& f) { f.env = {"NOT_SET_ANYWHERE"}; }),
              "--env NOT_SET_ANYWHERE: the host has no variable 'NOT_SET_ANYWHERE' to pass (write "
              "NOT_SET_ANYWHERE=VALUE to set one)");
    EXPECT_EQ(error_of([](RunFlags& f) { f.env = {"=x"}; }), "environment variable name is empty");
    EXPECT_EQ(error_of([](RunFlags& f) { f.max_memory = "64MB"; }),
              "--max-memory: ambiguous size '64MB': write 64M or 64MiB (powers of 1024)");
    EXPECT_EQ(error_of([](RunFlags& f) { f.timeout = "2"; }),
              "--timeout: duration '2' needs a unit: ms, s, m or h (e.g. \"2s\")");
    error_of([](RunFlags& f) { f.fuel = "lots"; });
    error_of([](RunFlags& f) { f.max_handles = "-1"; });
    error_of([](RunFlags& f) { f.max_disk = "1.5G"; });
    error_of([](RunFlags& f) { f.max_io = ""; });
    error_of([](RunFlags& f) { f.vfs_root = ""; });
    EXPECT_EQ(error_of([](RunFlags& f) { f.dirs = {"a", "/a"}; }), "--dir /a: '/a' is already mounted");
    EXPECT_EQ(error_of([](RunFlags& f) { f.capsule = ""; }),
              "run: missing CAPSULE (a directory with Capsule.toml, or a .wasm)");
}

TEST(RunOptions, ListenPortsAndRootLocation) {
    FakeHost fake;
    RunFlags flags;
    flags.capsule = "srv.wasm";
    flags.listen = {"8080", "65535"};
    RunSetup s = build(flags, fake);
    ASSERT_TRUE(s.ok()) << s.message;
    EXPECT_EQ(s.options->listen_ports, (std::vector<uint16_t>{8080, 65535}));
    for (std::string bad : {"0", "65536", "http", "", "-1", "123456"}) {
        flags.listen = {bad};
        RunSetup b = build(flags, fake);
        EXPECT_EQ(b.exit_code, kExitUsage) << bad;
    }
    flags.listen.clear();
    fake.exo_home.reset();
    RunSetup nowhere = build(flags, fake);
    EXPECT_EQ(nowhere.exit_code, kExitUsage);
    EXPECT_EQ(nowhere.message,
              "cannot tell where capsule roots live: set EXO_HOME (or HOME), or pass --vfs-root DIR");
    flags.vfs_root = "/tmp/r";
    EXPECT_TRUE(build(flags, fake).ok());
}

TEST(DirFlag, Forms) {
    auto mount = [](std::string_view v) {
        auto r = parse_dir_flag(v);
        EXPECT_TRUE(r.ok()) << v << ": " << (r.ok() ? "" : r.error().message);
        return r.ok() ? *r : MountSpec{};
    };
    MountSpec a = mount("/srv/data");
    EXPECT_EQ(a.host_path, std::filesystem::path("/srv/data"));
    EXPECT_EQ(a.guest_path, "/srv/data");
    EXPECT_FALSE(a.read_only);
    MountSpec b = mount("data:ro");
    EXPECT_EQ(b.host_path, std::filesystem::path("data"));
    EXPECT_EQ(b.guest_path, "/data");
    EXPECT_TRUE(b.read_only);
    MountSpec c = mount("./in::/mnt//input/:ro");
    EXPECT_EQ(c.host_path, std::filesystem::path("./in"));
    EXPECT_EQ(c.guest_path, "/mnt/input");
    EXPECT_TRUE(c.read_only);
    MountSpec d = mount("fs-tests.dir");
    EXPECT_EQ(d.guest_path, "/fs-tests.dir");
    MountSpec e = mount("host::guest:rw");
    EXPECT_EQ(e.guest_path, "/guest");
    EXPECT_FALSE(e.read_only);
    MountSpec f = mount("./data");
    EXPECT_EQ(f.guest_path, "/data");
    for (std::string_view bad :
         {"", ":ro", "::/x", "a::", "..", "../x", "/", "a::/", "a::/../b", "/a/..", ".", "a::/.", "a::/./"})
        EXPECT_FALSE(parse_dir_flag(bad).ok()) << bad;
    EXPECT_EQ(
        parse_dir_flag("../up").error().message,
        "--dir ../up: the guest path must name a directory below '/' without '..' (write HOST::/GUEST)");
}

TEST(RunOptions, DotInADirGuestPathIsDroppedLikeTheManifestDoes) {
    // One normalizer (capsule/guest_path.hpp) for --dir and [[mounts]] guest: "." is dropped
    // in both, so the same path is accepted and means the same mount point either way.
    auto dir = parse_dir_flag("in::/mnt/./data/.:ro");
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    EXPECT_EQ(dir->guest_path, "/mnt/data");
    EXPECT_TRUE(dir->read_only);

    FakeHost fake;
    fake.dirs = {"c"};
    fake.files["c/Capsule.toml"] =
        "[capsule]\nname = \"c\"\n[[mounts]]\nhost = \"in\"\nguest = \"/mnt/./data\"\n";
    RunFlags flags;
    flags.capsule = "c";
    RunSetup s = build(flags, fake);
    ASSERT_TRUE(s.ok()) << s.message;
    ASSERT_EQ(s.options->mounts.size(), 1u);
    EXPECT_EQ(s.options->mounts[0].guest_path, "/mnt/data");

    // Both spellings name the same mount point, so a flag cannot mount it a second time.
    flags.dirs = {"other::/mnt/data/."};
    RunSetup twice = build(flags, fake);
    EXPECT_FALSE(twice.ok());
    EXPECT_EQ(twice.exit_code, kExitUsage);
    EXPECT_EQ(twice.message, "--dir other::/mnt/data/.: '/mnt/data' is already mounted");
}

TEST(RunOptions, AManifestBecomesOptionsThroughTheLoadersMapping) {
    // exo run and load_capsule_options share options_from_manifest; with no flags, exo run adds
    // only where capsule roots live.
    FakeHost fake;
    fake.dirs = {"caps/hello"};
    const std::string text =
        "[capsule]\nname = \"hello\"\nentry = \"hello.wasm\"\n[permissions]\nallow = [\"io.print\", \"clock\"]\n"
        "[env]\nB = \"2\"\nA = \"1\"\n[limits]\nmemory = \"64MiB\"\ntime = \"2s\"\n"
        "[[mounts]]\nhost = \"in\"\nguest = \"/in\"\nread_only = true\n";
    fake.files["caps/hello/Capsule.toml"] = text;
    RunFlags flags;
    flags.capsule = "caps/hello";
    RunSetup s = build(flags, fake);
    ASSERT_TRUE(s.ok()) << s.message;
    auto manifest = parse_manifest(text, "Capsule.toml", "caps/hello");
    ASSERT_TRUE(manifest.ok()) << manifest.error().message;
    CapsuleOptions want = options_from_manifest(*manifest);
    const CapsuleOptions& o = *s.options;
    EXPECT_EQ(o.name, want.name);
    EXPECT_EQ(o.module_path, want.module_path);
    EXPECT_EQ(o.args, want.args);
    EXPECT_EQ(o.permissions, want.permissions);
    EXPECT_EQ(o.env, want.env);
    ASSERT_EQ(o.mounts.size(), want.mounts.size());
    EXPECT_EQ(o.mounts[0].host_path, want.mounts[0].host_path);
    EXPECT_EQ(o.mounts[0].guest_path, want.mounts[0].guest_path);
    EXPECT_EQ(o.mounts[0].read_only, want.mounts[0].read_only);
    EXPECT_EQ(o.limits.memory_bytes, want.limits.memory_bytes);
    EXPECT_EQ(o.limits.time_ms, want.limits.time_ms);
    EXPECT_EQ(o.limits.fuel, want.limits.fuel);
    EXPECT_EQ(o.has_manifest, want.has_manifest);
    EXPECT_EQ(o.allow_all, want.allow_all);
    EXPECT_FALSE(o.vfs_root.has_value());
    EXPECT_EQ(o.exo_home, std::filesystem::path("/home/me/.exo"));
}

TEST(ExitCodes, FollowTheReport) {
    CapsuleReport r;
    r.outcome = CapsuleReport::Outcome::exited;
    r.exit_code = 0;
    EXPECT_EQ(exit_code_for(r), 0);
    r.exit_code = 3;
    EXPECT_EQ(exit_code_for(r), 3);
    r.exit_code = 255;
    EXPECT_EQ(exit_code_for(r), 255);
    r.exit_code = 256;  // would be 0 after the shell's truncation: never report success
    EXPECT_EQ(exit_code_for(r), 1);
    r.outcome = CapsuleReport::Outcome::trapped;
    EXPECT_EQ(exit_code_for(r), kExitTrap);
    r.outcome = CapsuleReport::Outcome::limit;
    EXPECT_EQ(exit_code_for(r), kExitLimit);
    r.outcome = CapsuleReport::Outcome::load_error;
    EXPECT_EQ(exit_code_for(r), kExitLoadError);
}

TEST(Outcome, Messages) {
    CapsuleReport exited;
    EXPECT_EQ(describe_outcome(exited, "x"), "");

    CapsuleReport trap;
    trap.outcome = CapsuleReport::Outcome::trapped;
    trap.trap.message = "integer divide by zero";
    trap.trap.backtrace = {Frame{7, "divide", ""}, Frame{2, "", ""}, Frame{1, "\x1b[2Jmain", "app"}};
    EXPECT_EQ(describe_outcome(trap, "calc"),
              "exo: capsule 'calc' trapped: integer divide by zero\n"
              "  at #0 divide (func[7])\n"
              "  at #1 func[2]\n"
              "  at #2 app!\\x1b[2Jmain (func[1])\n");

    CapsuleReport limit;
    limit.outcome = CapsuleReport::Outcome::limit;
    limit.limit = "fuel";
    EXPECT_EQ(describe_outcome(limit, "loop"), "exo: capsule 'loop' stopped: fuel limit reached\n");

    CapsuleReport load;
    load.outcome = CapsuleReport::Outcome::load_error;
    load.error.message = "x.wasm: magic header not detected";
    EXPECT_EQ(describe_outcome(load, "x"), "exo: x.wasm: magic header not detected\n");
}

TEST(Outcome, DeepBacktracesAreCut) {
    CapsuleReport trap;
    trap.outcome = CapsuleReport::Outcome::trapped;
    trap.trap.message = "call stack exhausted";
    trap.trap.backtrace.assign(10000, Frame{1, "recurse", ""});
    std::string text = describe_outcome(trap, "r");
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 64 + 1);
    EXPECT_NE(text.find("  ... 9936 more frames\n"), std::string::npos);
}

}  // namespace
}  // namespace crush::cli
