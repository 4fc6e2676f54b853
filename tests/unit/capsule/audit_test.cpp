// Copyright Crush authors.
// The audit stream: JSON-line and trace formats, the [audit] manifest keys, and that the gate
// in ScopedHal reports exactly one event per capability decision (allowed and denied).
#include "capsule/audit.hpp"
#include "capsule/manifest.hpp"
#include "capsule/scoped_hal.hpp"
#include "hal/native_hal.hpp"
#include "hal/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crush {
namespace {

using test::read_file;
using test::TempDir;

TEST(AuditFormat, Time) {
    EXPECT_EQ(format_audit_time(0), "1970-01-01T00:00:00.000Z");
    // 2026-11-28T14:03:07.045Z
    EXPECT_EQ(format_audit_time(1795874587045ull), "2026-11-28T14:03:07.045Z");
    EXPECT_EQ(format_audit_time(951782400999ull), "2000-02-29T00:00:00.999Z");  // leap day
}

TEST(AuditFormat, JsonLine) {
    AuditEvent e;
    e.time_ms = 1795874587045ull;
    e.capsule = "hello";
    e.capability = "fs.write";
    e.target = "/data/out.txt";
    e.allowed = false;
    e.result = "acces";
    EXPECT_EQ(audit_json_line(e),
              R"({"time":"2026-11-28T14:03:07.045Z","capsule":"hello","capability":"fs.write",)"
              R"("target":"/data/out.txt","allowed":false,"result":"acces"})"
              "\n");
}

TEST(AuditFormat, JsonEscapesHostileTargets) {
    AuditEvent e;
    e.capsule = "c";
    e.capability = "fs.read";
    std::string target = "/a\"b\\c\n\x1b[31m\xff";
    e.target = target;
    e.allowed = true;
    e.result = "ok";
    std::string line = audit_json_line(e);
    ASSERT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line whatever the target holds
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["target"], "/a\"b\\c\n\x1b[31m\xef\xbf\xbd");  // invalid UTF-8 → U+FFFD
    EXPECT_EQ(j["allowed"], true);
    EXPECT_EQ(j["result"], "ok");
}

TEST(AuditFormat, TraceLine) {
    AuditEvent e;
    e.capsule = "hello";
    e.capability = "fs.write";
    e.target = "/data/out.txt";
    e.result = "acces";
    EXPECT_EQ(audit_trace_line(e), "[exo] hello fs.write /data/out.txt -> denied (acces)\n");
    e.capability = "clock";
    e.target = "";
    e.allowed = true;
    e.result = "ok";
    EXPECT_EQ(audit_trace_line(e), "[exo] hello clock -> ok\n");
    e.capability = "fs.read";
    e.target = "/x\n\x1b";
    std::string line = audit_trace_line(e);
    EXPECT_EQ(line.find('\n'), line.size() - 1);
    EXPECT_EQ(line.find('\x1b'), std::string::npos);
}

TEST(AuditManifest, Keys) {
    auto m = parse_manifest("[capsule]\nname = \"x\"\n[audit]\nfile = \"audit.jsonl\"\ntrace = true\n",
                            "Capsule.toml", "/caps/x");
    ASSERT_TRUE(m.ok()) << m.error().message;
    ASSERT_TRUE(m->audit_file);
    EXPECT_EQ(*m->audit_file, std::filesystem::path("/caps/x/audit.jsonl"));
    EXPECT_TRUE(m->audit_trace);

    auto plain = parse_manifest("[capsule]\nname = \"x\"\n", "Capsule.toml", "/caps/x");
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(plain->audit_file);
    EXPECT_FALSE(plain->audit_trace);

    auto bad = parse_manifest("[capsule]\nname = \"x\"\n[audit]\ntrase = true\n", "Capsule.toml");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().message, "Capsule.toml:4:1: unknown key 'trase' in [audit]; did you mean 'trace'?");
    auto type = parse_manifest("[capsule]\nname = \"x\"\n[audit]\ntrace = \"yes\"\n", "Capsule.toml");
    ASSERT_FALSE(type.ok());
    EXPECT_NE(type.error().message.find("[audit] trace must be true or false"), std::string::npos);
}

/// A ScopedHal over a temp root with `allow`, its audit events collected.
struct GateAudit : ::testing::Test {
    TempDir tmp;
    std::shared_ptr<AuditRecorder> recorder = std::make_shared<AuditRecorder>();
    std::unique_ptr<ScopedHal> hal;

    void make(std::vector<std::string> allow) {
        ScopedHalConfig config;
        config.capsule_name = "t";
        std::filesystem::create_directories(tmp / "root" / "data");
        config.root_host_path = (tmp / "root").string();
        auto perms = Permissions::parse(allow);
        ASSERT_TRUE(perms.ok());
        config.permissions = std::move(*perms);
        config.audit = recorder;
        auto h = ScopedHal::create(NativeHal::shared(), std::move(config));
        ASSERT_TRUE(h.ok());
        hal = std::move(*h);
    }

    HalResult<Handle> open(std::string_view path, bool write) {
        OpenRequest r;
        r.create = write;
        r.base = write ? rights::fd_write : rights::fd_read;
        return hal->open(static_cast<Handle>(3), path, r);
    }
};

TEST_F(GateAudit, OneEventPerDecision) {
    make({"fs.read:/data/**", "fs.write:/data/out.txt", "clock"});
    ASSERT_TRUE(hal->mkdir(static_cast<Handle>(3), "data").error() == Errno::acces);  // no fs.write:/data
    auto w = open("data/out.txt", true);
    ASSERT_TRUE(w.ok());
    auto r = open("data/./out.txt", false);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(open("data/other.txt", true).ok());
    EXPECT_TRUE(hal->clock_time(ClockId::monotonic).ok());
    EXPECT_FALSE(hal->random(std::span<std::byte>()).ok());

    std::vector<AuditRecord> want = {
        {"fs.write", "/data", false},        {"fs.write", "/data/out.txt", true},
        {"fs.read", "/data/out.txt", true},  {"fs.write", "/data/other.txt", false},
        {"clock", "", true},                 {"random", "", false},
    };
    EXPECT_EQ(recorder->records(), want);
}

TEST_F(GateAudit, RepeatedCallsAreEachRecorded) {
    make({"fs.write:/f"});
    ASSERT_TRUE(open("f", true).ok());
    ASSERT_TRUE(open("f", true).ok());
    EXPECT_EQ(recorder->records().size(), 2u);
}

TEST_F(GateAudit, NoSinkNoEvents) {
    recorder.reset();
    make({"fs.write:/f"});
    EXPECT_TRUE(open("f", true).ok());
}

TEST(AuditWriterTest, WritesJsonAndTraceToDescriptors) {
    TempDir tmp;
    auto native = NativeHal::shared();
    OpenOptions o;
    o.access = OpenOptions::Access::write;
    o.create = true;
    auto json = native->open_at(HostFd::host_cwd, (tmp / "a.jsonl").string(), o);
    auto trace = native->open_at(HostFd::host_cwd, (tmp / "trace.txt").string(), o);
    ASSERT_TRUE(json.ok() && trace.ok());
    {
        AuditWriter writer(native, std::move(*json), trace->fd());
        AuditEvent e;
        e.capsule = "c";
        e.capability = "io.print";
        e.allowed = true;
        e.result = "ok";
        writer.record(e);
        writer.record(e);
    }
    std::string lines = read_file(tmp / "a.jsonl");
    EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 2);
    EXPECT_EQ(read_file(tmp / "trace.txt"), "[exo] c io.print -> ok\n[exo] c io.print -> ok\n");
}

}  // namespace
}  // namespace crush
