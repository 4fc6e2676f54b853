// Copyright Crush authors.
#include "capsule/permissions.hpp"

#include <gtest/gtest.h>

#include <map>

namespace crush {
namespace {

using namespace std::literals;

Permissions parse_ok(std::vector<std::string> list, const HostResolver& resolver = nullptr) {
    auto r = Permissions::parse(list, resolver);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? std::move(*r) : Permissions{};
}

std::string parse_error(std::string text, const HostResolver& resolver = nullptr) {
    std::vector<std::string> list{std::move(text)};
    auto r = Permissions::parse(list, resolver);
    EXPECT_FALSE(r.ok()) << list[0] << " was accepted";
    return r.ok() ? "" : r.error().message;
}

NetAddress addr(std::string_view ip, uint16_t port) {
    auto parsed = IpAddress::parse(ip);
    EXPECT_TRUE(parsed.has_value()) << ip;
    return NetAddress{parsed.value_or(IpAddress{}), port};
}

// ---- names and unscoped permissions ---------------------------------------------------------

TEST(Permissions, NoneByDefault) {
    Permissions none;
    for (size_t k = 0; k < kCapabilityCount; ++k) EXPECT_FALSE(none.allows(static_cast<Capability>(k)));
    EXPECT_FALSE(none.allows_path(Capability::fs_read, "/"));
    EXPECT_FALSE(none.allows_env("HOME"));
    EXPECT_FALSE(none.allows_connect(addr("127.0.0.1", 80)));
    EXPECT_FALSE(none.allows_listen(8080));
}

TEST(Permissions, EachUnscopedPermissionGrantsOnlyItself) {
    const std::vector<std::pair<std::string, Capability>> cases = {
        {"io.print", Capability::io_print}, {"io.input", Capability::io_input},
        {"clock", Capability::clock},       {"random", Capability::random},
        {"fs.read", Capability::fs_read},   {"fs.write", Capability::fs_write},
        {"env.get", Capability::env_get},
    };
    for (const auto& [text, capability] : cases) {
        Permissions p = parse_ok({text});
        for (size_t k = 0; k < kCapabilityCount; ++k)
            EXPECT_EQ(p.allows(static_cast<Capability>(k)), static_cast<Capability>(k) == capability)
                << text << " " << k;
        EXPECT_EQ(to_string(capability), text);
    }
}

TEST(Permissions, NamesAreCaseInsensitiveAndCanonicalized) {
    Permissions p = parse_ok({"IO.Print", "FS.READ:/Data"});
    EXPECT_TRUE(p.allows(Capability::io_print));
    EXPECT_EQ(p.to_strings(), (std::vector<std::string>{"io.print", "fs.read:/Data"}));
    EXPECT_FALSE(p.allows_path(Capability::fs_read, "/data"));  // paths stay case-sensitive
}

TEST(Permissions, UnknownNamesSuggestTheNearest) {
    EXPECT_EQ(parse_error("fs.wrte:/data"), "unknown permission 'fs.wrte'; did you mean 'fs.write'?");
    EXPECT_EQ(parse_error("io.prnt"), "unknown permission 'io.prnt'; did you mean 'io.print'?");
    EXPECT_EQ(parse_error("clok"), "unknown permission 'clok'; did you mean 'clock'?");
    EXPECT_EQ(parse_error("net.conect:1.2.3.4:80"),
              "unknown permission 'net.conect'; did you mean 'net.connect'?");
    EXPECT_EQ(parse_error("fs.delete:/x"), "unknown permission 'fs.delete'; did you mean 'fs.write'?");
    EXPECT_EQ(parse_error("stdin"), "unknown permission 'stdin'; did you mean 'io.input'?");
    EXPECT_EQ(parse_error("fs"), "unknown permission 'fs'; did you mean 'fs.read' or 'fs.write'?");
    EXPECT_EQ(parse_error("fs.read/data/**"),
              "unknown permission 'fs.read/data/**'; did you mean 'fs.read:/data/**'?");
    EXPECT_EQ(
        parse_error("teleport"),
        "unknown permission 'teleport'; valid permissions: io.print, io.input, fs.read, fs.write, env.get, "
        "clock, random, net.connect, net.listen");
    EXPECT_EQ(parse_error(""),
              "unknown permission ''; valid permissions: io.print, io.input, fs.read, fs.write, "
              "env.get, clock, random, net.connect, net.listen");
}

TEST(Permissions, UnscopedOnesRefuseAScope) {
    EXPECT_EQ(parse_error("clock:monotonic"), "permission 'clock:monotonic' takes no scope; write 'clock'");
    parse_error("io.print:");
    parse_error("random:16");
}

TEST(Permissions, ErrorsEscapeHostileText) {
    std::string message = parse_error("fs.read\x1b[31m");
    EXPECT_EQ(message.find('\x1b'), std::string::npos);
    EXPECT_NE(message.find("\\x1b[31m"), std::string::npos);
}

// ---- fs scopes ------------------------------------------------------------------------------

TEST(FsScope, UnscopedCoversTheWholeVirtualFilesystem) {
    Permissions p = parse_ok({"fs.read"});
    EXPECT_TRUE(p.allows_path(Capability::fs_read, "/"));
    EXPECT_TRUE(p.allows_path(Capability::fs_read, "/etc/passwd"));
    EXPECT_FALSE(p.allows_path(Capability::fs_write, "/etc/passwd"));
}

TEST(FsScope, PlainPathCoversItselfAndItsSubtreeAtComponentBoundaries) {
    Permissions p = parse_ok({"fs.write:/data"});
    EXPECT_TRUE(p.allows_path(Capability::fs_write, "/data"));
    EXPECT_TRUE(p.allows_path(Capability::fs_write, "/data/x"));
    EXPECT_TRUE(p.allows_path(Capability::fs_write, "/data/x/y/z"));
    EXPECT_FALSE(p.allows_path(Capability::fs_write, "/database"));
    EXPECT_FALSE(p.allows_path(Capability::fs_write, "/dat"));
    EXPECT_FALSE(p.allows_path(Capability::fs_write, "/"));
    EXPECT_FALSE(p.allows_path(Capability::fs_write, "/other/data"));
}

TEST(FsScope, WriteImpliesNothingAboutRead) {
    Permissions p = parse_ok({"fs.write:/out"});
    EXPECT_TRUE(p.allows_path(Capability::fs_write, "/out/a"));
    EXPECT_FALSE(p.allows_path(Capability::fs_read, "/out/a"));
    EXPECT_FALSE(p.allows(Capability::fs_read));
}

TEST(FsScope, DoubleStarIsAnyDepthIncludingZero) {
    Permissions p = parse_ok({"fs.read:/data/**"});
    EXPECT_TRUE(p.allows_path(Capability::fs_read, "/data"));
    EXPECT_TRUE(p.allows_path(Capability::fs_read, "/data/a"));
    EXPECT_TRUE(p.allows_path(Capability::fs_read, "/data/a/b/c"));
    EXPECT_FALSE(p.allows_path(Capability::fs_read, "/database/a"));
    EXPECT_FALSE(p.allows_path(Capability::fs_read, "/"));
    Permissions mid = parse_ok({"fs.read:/a/**/b"});
    EXPECT_TRUE(mid.allows_path(Capability::fs_read, "/a/b"));
    EXPECT_TRUE(mid.allows_path(Capability::fs_read, "/a/x/b"));
    EXPECT_TRUE(mid.allows_path(Capability::fs_read, "/a/x/y/b"));
    EXPECT_TRUE(mid.allows_path(Capability::fs_read, "/a/b/b"));
    EXPECT_FALSE(mid.allows_path(Capability::fs_read, "/a/b/c"));
    EXPECT_FALSE(mid.allows_path(Capability::fs_read, "/a"));
    Permissions root = parse_ok({"fs.read:/**"});
    EXPECT_TRUE(root.allows_path(Capability::fs_read, "/"));
    EXPECT_TRUE(root.allows_path(Capability::fs_read, "/x/y"));
}

TEST(FsScope, SingleStarIsExactlyOneComponent) {
    Permissions p = parse_ok({"fs.write:/data/*"});
    EXPECT_TRUE(p.allows_path(Capability::fs_write, "/data/a"));
    EXPECT_TRUE(p.allows_path(Capability::fs_write, "/data/.hidden"));
    EXPECT_FALSE(p.allows_path(Capability::fs_write, "/data"));
    EXPECT_FALSE(p.allows_path(Capability::fs_write, "/data/a/b"));
}

TEST(FsScope, WildcardsInsideAComponent) {
    Permissions p = parse_ok({"fs.read:/logs/*.txt", "fs.read:/img/pic?.png"});
    EXPECT_TRUE(p.allows_path(Capability::fs_read, "/logs/a.txt"));
    EXPECT_TRUE(p.allows_path(Capability::fs_read, "/logs/.txt"));
    EXPECT_FALSE(p.allows_path(Capability::fs_read, "/logs/a.txt.bak"));
    EXPECT_FALSE(p.allows_path(Capability::fs_read, "/logs/sub/a.txt"));
    EXPECT_TRUE(p.allows_path(Capability::fs_read, "/img/pic1.png"));
    EXPECT_FALSE(p.allows_path(Capability::fs_read, "/img/pic12.png"));
}

TEST(FsScope, ExactFilePath) {
    Permissions p = parse_ok({"fs.write:/etc/passwd"});
    EXPECT_TRUE(p.allows_path(Capability::fs_write, "/etc/passwd"));
    EXPECT_FALSE(p.allows_path(Capability::fs_write, "/etc/passwd2"));
    EXPECT_FALSE(p.allows_path(Capability::fs_write, "/etc"));
}

TEST(FsScope, QueriesOnUnnormalizedPathsAreDenied) {
    Permissions p = parse_ok({"fs.read:/data/**", "fs.read:/pub"});
    for (std::string_view path : {"/data/../etc/passwd", "/data/./x", "/data//x", "/data/x/", "data/x", "",
                                  "/pub/..", "/pub/x/../../etc"})
        EXPECT_FALSE(p.allows_path(Capability::fs_read, path)) << path;
    EXPECT_FALSE(p.allows_path(Capability::fs_read, "/data/x\0/../../etc"sv));
    Permissions all = Permissions::all();
    EXPECT_FALSE(all.allows_path(Capability::fs_read, "/a/../b"));
}

TEST(FsScope, NonFsCapabilitiesNeverMatchPaths) {
    Permissions p = parse_ok({"fs.read", "io.print"});
    EXPECT_FALSE(p.allows_path(Capability::io_print, "/"));
    EXPECT_FALSE(p.allows_path(Capability::env_get, "/"));
}

TEST(FsScope, BadScopes) {
    EXPECT_EQ(parse_error("fs.read:data/**"),
              "bad scope in 'fs.read:data/**': 'data/**' is not an absolute virtual "
              "path; write '/data/**'");
    EXPECT_EQ(
        parse_error("fs.read:"),
        "bad scope in 'fs.read:': the scope after ':' is empty (omit ':' to grant the whole filesystem)");
    EXPECT_EQ(parse_error("fs.read:/data/../etc"),
              "bad scope in 'fs.read:/data/../etc': '.' and '..' are not allowed; write the normalized path");
    parse_error("fs.read:/data/./x");
    parse_error("fs.read://data");
    parse_error("fs.read:/data/");
    parse_error("fs.read:/da\0ta"s);
    EXPECT_EQ(parse_error("fs.read:/data/a**"),
              "bad scope in 'fs.read:/data/a**': '**' must be a whole path component, not part of 'a**'");
}

TEST(FsScope, DeepHostilePathsStayCheap) {
    // Several ** and a deep guest path: the matcher is linear-ish, never exponential.
    Permissions p = parse_ok({"fs.read:/**/a/**/b/**/c/**/d/never"});
    std::string path;
    for (int i = 0; i < 2000; ++i) path += "/a";
    EXPECT_FALSE(p.allows_path(Capability::fs_read, path));
}

// ---- env ------------------------------------------------------------------------------------

TEST(EnvScope, AllExactAndPrefix) {
    EXPECT_TRUE(parse_ok({"env.get"}).allows_env("ANYTHING"));
    Permissions exact = parse_ok({"env.get:HOME"});
    EXPECT_TRUE(exact.allows_env("HOME"));
    EXPECT_FALSE(exact.allows_env("HOME2"));
    EXPECT_FALSE(exact.allows_env("home"));
    Permissions prefix = parse_ok({"env.get:APP_*"});
    EXPECT_TRUE(prefix.allows_env("APP_"));
    EXPECT_TRUE(prefix.allows_env("APP_MODE"));
    EXPECT_FALSE(prefix.allows_env("APPX"));
    EXPECT_TRUE(parse_ok({"env.get:*"}).allows_env("X"));
    EXPECT_EQ(prefix.to_strings(), std::vector<std::string>{"env.get:APP_*"});
}

TEST(EnvScope, BadNames) {
    parse_error("env.get:");
    parse_error("env.get:A=B");
    parse_error("env.get:A*B");
}

// ---- net.connect ----------------------------------------------------------------------------

TEST(NetConnect, ExactIpv4AndPort) {
    Permissions p = parse_ok({"net.connect:127.0.0.1:8080"});
    EXPECT_TRUE(p.allows(Capability::net_connect));
    EXPECT_TRUE(p.allows_connect(addr("127.0.0.1", 8080)));
    EXPECT_FALSE(p.allows_connect(addr("127.0.0.1", 8081)));
    EXPECT_FALSE(p.allows_connect(addr("127.0.0.2", 8080)));
    EXPECT_FALSE(p.allows_connect(addr("::1", 8080)));
    EXPECT_FALSE(p.allows_listen(8080));
}

TEST(NetConnect, Ipv6BracketedAndMappedForms) {
    Permissions p = parse_ok({"net.connect:[::1]:8080"});
    EXPECT_TRUE(p.allows_connect(addr("::1", 8080)));
    EXPECT_TRUE(p.allows_connect(addr("0:0:0:0:0:0:0:1", 8080)));
    EXPECT_FALSE(p.allows_connect(addr("127.0.0.1", 8080)));
    EXPECT_EQ(p.to_strings(), std::vector<std::string>{"net.connect:[::1]:8080"});
    // An IPv4 grant also covers the IPv4-mapped IPv6 form of the same address, in either spelling.
    Permissions v4 = parse_ok({"net.connect:10.0.0.1:80"});
    EXPECT_TRUE(v4.allows_connect(addr("::ffff:10.0.0.1", 80)));
    EXPECT_TRUE(v4.allows_connect(addr("::ffff:a00:1", 80)));
    NetAddress raw_mapped;
    raw_mapped.ip.family = IpAddress::Family::v6;
    raw_mapped.ip.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1};
    raw_mapped.port = 80;
    EXPECT_TRUE(v4.allows_connect(raw_mapped));
    raw_mapped.ip.bytes[15] = 2;
    EXPECT_FALSE(v4.allows_connect(raw_mapped));
}

TEST(NetConnect, CidrAndWildcards) {
    Permissions p = parse_ok({"net.connect:10.0.0.0/8:443", "net.connect:[fd00::/8]:*", "net.connect:*:53"});
    EXPECT_TRUE(p.allows_connect(addr("10.200.3.4", 443)));
    EXPECT_FALSE(p.allows_connect(addr("11.0.0.1", 443)));
    EXPECT_FALSE(p.allows_connect(addr("10.0.0.1", 444)));
    EXPECT_TRUE(p.allows_connect(addr("fd12::1", 1)));
    EXPECT_FALSE(p.allows_connect(addr("fe80::1", 1)));
    EXPECT_TRUE(p.allows_connect(addr("8.8.8.8", 53)));
    EXPECT_TRUE(p.allows_connect(addr("2001:db8::1", 53)));
    EXPECT_EQ(p.to_strings(), (std::vector<std::string>{"net.connect:10.0.0.0/8:443",
                                                        "net.connect:[fd00::/8]:*", "net.connect:*:53"}));
    Permissions range = parse_ok({"net.connect:127.0.0.1:8000-8099"});
    EXPECT_TRUE(range.allows_connect(addr("127.0.0.1", 8000)));
    EXPECT_TRUE(range.allows_connect(addr("127.0.0.1", 8099)));
    EXPECT_FALSE(range.allows_connect(addr("127.0.0.1", 8100)));
    EXPECT_EQ(parse_error("net.connect:10.0.0.1/8:443"),
              "bad network in 'net.connect:10.0.0.1/8:443': host bits are set; did you mean '10.0.0.0/8'?");
    parse_error("net.connect:10.0.0.0/33:443");
}

TEST(NetConnect, HostileNumericHostsAreRefusedNotComparedAsText) {
    for (std::string host : {"2130706433", "0x7f.1", "127.1", "0177.0.0.1", "0x7f000001", "127.0.0.01",
                             "127.0.1", "1.2.3.4.5", "256.0.0.1", "foo.0x10", "example.123"}) {
        std::string message = parse_error("net.connect:" + host + ":80");
        EXPECT_TRUE(message.find("ambiguous numeric host") != std::string::npos ||
                    message.find("bad host") != std::string::npos)
            << host << ": " << message;
    }
    EXPECT_EQ(parse_error("net.connect:127.1:80"),
              "ambiguous numeric host '127.1' in 'net.connect:127.1:80': write an IPv4 address as four "
              "decimal parts, "
              "e.g. 127.0.0.1");
}

TEST(NetConnect, HostnamesResolveOnceAtLoadAndMatchOnlyTheirAddresses) {
    std::vector<std::string> asked;
    HostResolver resolver = [&](std::string_view name) -> Result<std::vector<IpAddress>> {
        asked.emplace_back(name);
        if (name == "db.internal")
            return std::vector<IpAddress>{*IpAddress::parse("10.1.2.3"), *IpAddress::parse("fd00::5")};
        return Error{ErrorKind::io, 0, "no such host"};
    };
    Permissions p = parse_ok({"net.connect:DB.Internal.:5432"}, resolver);
    EXPECT_EQ(asked, std::vector<std::string>{"db.internal"});
    EXPECT_TRUE(p.allows_connect(addr("10.1.2.3", 5432)));
    EXPECT_TRUE(p.allows_connect(addr("fd00::5", 5432)));
    EXPECT_FALSE(p.allows_connect(addr("10.1.2.4", 5432)));
    EXPECT_FALSE(p.allows_connect(addr("10.1.2.3", 5433)));
    EXPECT_TRUE(p.allows_connect_name("db.internal", 5432));
    EXPECT_TRUE(p.allows_connect_name("DB.INTERNAL.", 5432));
    EXPECT_FALSE(p.allows_connect_name("evil.db.internal", 5432));
    EXPECT_EQ(p.to_strings(), std::vector<std::string>{"net.connect:db.internal:5432"});
    EXPECT_EQ(parse_error("net.connect:nowhere.example:80", resolver),
              "cannot resolve host 'nowhere.example' in 'net.connect:nowhere.example:80': no such host");
    EXPECT_EQ(
        parse_error("net.connect:db.internal:80"),
        "cannot resolve host 'db.internal' in 'net.connect:db.internal:80': no resolver available; use an IP "
        "address");
    HostResolver empty = [](std::string_view) -> Result<std::vector<IpAddress>> {
        return std::vector<IpAddress>{};
    };
    parse_error("net.connect:db.internal:80", empty);
}

TEST(NetConnect, SuffixPatternsNeedTheDotBoundaryAndNeverMatchAddresses) {
    Permissions p = parse_ok({"net.connect:*.example.com:443"});
    EXPECT_TRUE(p.allows_connect_name("api.example.com", 443));
    EXPECT_TRUE(p.allows_connect_name("a.b.example.com", 443));
    EXPECT_TRUE(p.allows_connect_name("API.Example.COM.", 443));
    EXPECT_FALSE(p.allows_connect_name("example.com", 443));
    EXPECT_FALSE(p.allows_connect_name("badexample.com", 443));
    EXPECT_FALSE(p.allows_connect_name("example.com.evil.net", 443));
    EXPECT_FALSE(p.allows_connect_name(".example.com", 443));
    EXPECT_FALSE(p.allows_connect_name("api.example.com", 80));
    EXPECT_FALSE(p.allows_connect(addr("93.184.216.34", 443)));
    parse_error("net.connect:*.:443");
    parse_error("net.connect:*.10:443");
    parse_error("net.connect:**.example.com:443");
}

TEST(NetConnect, BadForms) {
    EXPECT_EQ(
        parse_error("net.connect"),
        "permission 'net.connect' needs an address: net.connect:HOST:PORT (e.g. net.connect:127.0.0.1:8080, "
        "net.connect:[::1]:8080, net.connect:*:443)");
    EXPECT_EQ(parse_error("net.connect:::1:80"),
              "bad address in 'net.connect:::1:80': an IPv6 address must be in brackets, e.g. "
              "net.connect:[::1]:8080");
    parse_error("net.connect:127.0.0.1");
    parse_error("net.connect:127.0.0.1:");
    parse_error("net.connect:127.0.0.1:0");
    parse_error("net.connect:127.0.0.1:65536");
    parse_error("net.connect:127.0.0.1:http");
    parse_error("net.connect:127.0.0.1:90-80");
    parse_error("net.connect:[127.0.0.1]:80");
    parse_error("net.connect:[::1]80");
    parse_error("net.connect:[::1%eth0]:80");
    parse_error("net.connect:[zz::1]:80");
    parse_error("net.connect:bad_host!:80");
    parse_error("net.connect:-bad.com:80");
}

// ---- net.listen -----------------------------------------------------------------------------

TEST(NetListen, PortsRangesAndWildcard) {
    Permissions p = parse_ok({"net.listen:8080"});
    EXPECT_TRUE(p.allows_listen(8080));
    EXPECT_FALSE(p.allows_listen(8081));
    EXPECT_FALSE(p.allows_connect(addr("127.0.0.1", 8080)));
    EXPECT_TRUE(parse_ok({"net.listen:*"}).allows_listen(1));
    EXPECT_TRUE(parse_ok({"net.listen:9000-9009"}).allows_listen(9005));
    EXPECT_EQ(
        parse_error("net.listen"),
        "permission 'net.listen' needs a port: net.listen:PORT (e.g. net.listen:8080, or net.listen:*)");
    EXPECT_EQ(
        parse_error("net.listen:99999"),
        "bad port '99999' in 'net.listen:99999': expected a port 0-65535, a range like 8000-8099, or *");
}

// ---- all ------------------------------------------------------------------------------------

TEST(Permissions, AllGrantsEverything) {
    Permissions p = Permissions::all();
    EXPECT_TRUE(p.is_all());
    for (size_t k = 0; k < kCapabilityCount; ++k) EXPECT_TRUE(p.allows(static_cast<Capability>(k)));
    EXPECT_TRUE(p.allows_path(Capability::fs_write, "/any/thing"));
    EXPECT_TRUE(p.allows_env("X"));
    EXPECT_TRUE(p.allows_connect(addr("1.1.1.1", 443)));
    EXPECT_TRUE(p.allows_listen(1));
    EXPECT_EQ(p.to_strings().size(), 9u);
}

TEST(Permissions, ValidateAcceptsHostnamesWithoutResolving) {
    EXPECT_TRUE(Permissions::validate("net.connect:example.com:443").ok());
    EXPECT_FALSE(Permissions::validate("net.connect:127.1:443").ok());
    EXPECT_FALSE(Permissions::validate("fs.raed").ok());
}

TEST(Permissions, CopiesShareNothingMutable) {
    Permissions a = parse_ok({"fs.read:/a"});
    Permissions b = a;
    Permissions c = std::move(a);
    EXPECT_TRUE(b.allows_path(Capability::fs_read, "/a/x"));
    EXPECT_TRUE(c.allows_path(Capability::fs_read, "/a/x"));
}

// ---- IpAddress ------------------------------------------------------------------------------

TEST(IpAddress, StrictParsingAndCanonicalText) {
    EXPECT_EQ(IpAddress::parse("192.168.0.1")->to_string(), "192.168.0.1");
    EXPECT_EQ(IpAddress::parse("0.0.0.0")->to_string(), "0.0.0.0");
    EXPECT_EQ(IpAddress::parse("::")->to_string(), "::");
    EXPECT_EQ(IpAddress::parse("::1")->to_string(), "::1");
    EXPECT_EQ(IpAddress::parse("2001:DB8:0:0:1:0:0:1")->to_string(), "2001:db8::1:0:0:1");
    EXPECT_EQ(IpAddress::parse("2001:db8:0:1:1:1:1:1")->to_string(), "2001:db8:0:1:1:1:1:1");
    EXPECT_EQ(IpAddress::parse("fe80::")->to_string(), "fe80::");
    EXPECT_EQ(IpAddress::parse("::ffff:1.2.3.4")->family, IpAddress::Family::v4);
    EXPECT_EQ(IpAddress::parse("::ffff:1.2.3.4")->to_string(), "1.2.3.4");
    EXPECT_EQ(IpAddress::parse("64:ff9b::1.2.3.4")->to_string(), "64:ff9b::102:304");
    for (std::string_view bad :
         {"",         "1.2.3",          "1.2.3.4.",          "01.2.3.4",         "1.2.3.256", "1.2.3.-4",
          " 1.2.3.4", "1.2.3.4 ",       "0x1.2.3.4",         "2130706433",       ":",         ":::",
          "1:::2",    "1::2::3",        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "12345::",   "::1%lo",
          "[::1]",    "1:2:3:4:5:6:7:", ":1:2:3:4:5:6:7",    "::1.2.3",          "1.2.3.4::"})
        EXPECT_FALSE(IpAddress::parse(bad).has_value()) << bad;
    EXPECT_EQ(to_string(NetAddress{*IpAddress::parse("::1"), 80}), "[::1]:80");
    EXPECT_EQ(to_string(NetAddress{*IpAddress::parse("10.0.0.1"), 80}), "10.0.0.1:80");
}

// ---- denials --------------------------------------------------------------------------------

TEST(Denial, MessagesNameThePermissionThatWouldAllowIt) {
    EXPECT_EQ(format_denial({"hello", Capability::fs_write, "/etc/passwd"}, DenialHint::manifest),
              "exo: capsule 'hello' was denied fs.write on /etc/passwd; add \"fs.write:/etc/passwd\" to "
              "[permissions] "
              "allow in Capsule.toml");
    EXPECT_EQ(format_denial({"hello", Capability::fs_read, "/data/x"}, DenialHint::flag),
              "exo: capsule 'hello' was denied fs.read on /data/x; re-run with --allow \"fs.read:/data/x\"");
    EXPECT_EQ(format_denial({"t", Capability::clock, ""}, DenialHint::manifest),
              "exo: capsule 't' was denied clock; add \"clock\" to [permissions] allow in Capsule.toml");
    EXPECT_EQ(format_denial({"t", Capability::random, ""}, DenialHint::flag),
              "exo: capsule 't' was denied random; re-run with --allow \"random\"");
    EXPECT_EQ(format_denial({"t", Capability::io_print, ""}, DenialHint::flag),
              "exo: capsule 't' was denied io.print; re-run with --allow \"io.print\"");
    EXPECT_EQ(format_denial({"t", Capability::io_input, ""}, DenialHint::flag),
              "exo: capsule 't' was denied io.input; re-run with --allow \"io.input\"");
    EXPECT_EQ(format_denial({"t", Capability::env_get, "HOME"}, DenialHint::manifest),
              "exo: capsule 't' was denied env.get of HOME; add \"env.get:HOME\" to [permissions] allow in "
              "Capsule.toml");
    EXPECT_EQ(
        format_denial({"t", Capability::net_connect, "[::1]:80"}, DenialHint::flag),
        "exo: capsule 't' was denied net.connect to [::1]:80; re-run with --allow \"net.connect:[::1]:80\"");
    EXPECT_EQ(format_denial({"t", Capability::net_listen, "8080"}, DenialHint::flag),
              "exo: capsule 't' was denied net.listen on port 8080; re-run with --allow \"net.listen:8080\"");
}

TEST(Denial, SuggestedPermissionsParseBackAndGrantTheCall) {
    Denial d{"t", Capability::fs_write, "/out/report.txt"};
    Permissions p = parse_ok({suggested_permission(d)});
    EXPECT_TRUE(p.allows_path(Capability::fs_write, "/out/report.txt"));
    Denial n{"t", Capability::net_connect, to_string(NetAddress{*IpAddress::parse("fd00::1"), 443})};
    EXPECT_TRUE(parse_ok({suggested_permission(n)}).allows_connect(addr("fd00::1", 443)));
}

TEST(Denial, HostilePathsCannotDriveTheTerminal) {
    std::string path = "/data/\x1b]0;pwned\x07\n\rexo: all good\t\x7f\"\\";
    std::string line = format_denial({"h", Capability::fs_read, path}, DenialHint::manifest);
    for (char c : line) {
        auto u = static_cast<unsigned char>(c);
        EXPECT_TRUE(u >= 0x20 && u != 0x7f) << "raw control byte " << int(u) << " in: " << line;
    }
    EXPECT_EQ(
        line,
        "exo: capsule 'h' was denied fs.read on /data/\\x1b]0;pwned\\x07\\n\\rexo: all good\\t\\x7f\\\"\\\\; "
        "add \"fs.read:/data/\\x1b]0;pwned\\x07\\n\\rexo: all good\\t\\x7f\\\"\\\\\" to [permissions] allow "
        "in "
        "Capsule.toml");
}

TEST(Denial, EscapeHandlesUtf8Faithfully) {
    EXPECT_EQ(escape_for_terminal("caf\xc3\xa9/\xe2\x9c\x93"), "caf\xc3\xa9/\xe2\x9c\x93");  // é ✓ kept
    EXPECT_EQ(escape_for_terminal("\xc2\x9b"
                                  "31m"),
              "\\u{009b}31m");  // C1 CSI
    EXPECT_EQ(escape_for_terminal("a\xe2\x80\xae"
                                  "b"),
              "a\\u{202e}b");                                           // RLO bidi override
    EXPECT_EQ(escape_for_terminal("\xff\xfe"), "\\xff\\xfe");           // not UTF-8
    EXPECT_EQ(escape_for_terminal("\xc0\xaf"), "\\xc0\\xaf");           // overlong '/'
    EXPECT_EQ(escape_for_terminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
    EXPECT_EQ(escape_for_terminal("\xe2\x9c"), "\\xe2\\x9c");           // truncated
    EXPECT_EQ(escape_for_terminal("a\0b"s), "a\\x00b");
    EXPECT_EQ(escape_for_terminal("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");  // emoji kept
}

TEST(Denial, EscapeControlsKeepsQuotesAndBackslashes) {
    EXPECT_EQ(escape_controls("say \"hi\" C:\\x\n\x1b"), "say \"hi\" C:\\x\\n\\x1b");
}

TEST(DenialLog, EachDistinctDenialIsPrintedOnce) {
    DenialLog log;
    Denial d{"h", Capability::fs_write, "/etc/passwd"};
    std::string first = log.report(d, DenialHint::manifest);
    EXPECT_EQ(first, format_denial(d, DenialHint::manifest) + "\n");
    EXPECT_EQ(log.report(d, DenialHint::manifest), "");
    EXPECT_NE(log.report({"h", Capability::fs_read, "/etc/passwd"}, DenialHint::manifest), "");
    EXPECT_NE(log.report({"h", Capability::fs_write, "/etc/shadow"}, DenialHint::manifest), "");
    EXPECT_EQ(log.distinct(), 3u);
}

TEST(DenialLog, IsBoundedAgainstFloods) {
    DenialLog log(3);
    int printed = 0;
    std::string last;
    for (int i = 0; i < 10000; ++i) {
        std::string out = log.report({"h", Capability::fs_read, "/f" + std::to_string(i)}, DenialHint::flag);
        if (!out.empty()) {
            ++printed;
            last = out;
        }
    }
    EXPECT_EQ(printed, 4);
    EXPECT_EQ(last, "exo: capsule 'h': more than 3 distinct denials; further ones are not shown\n");
    EXPECT_EQ(log.distinct(), 3u);
    EXPECT_EQ(log.report({"h", Capability::fs_read, "/f0"}, DenialHint::flag), "");
}

// ---- suggestions ----------------------------------------------------------------------------

TEST(Suggest, EditDistanceAndNearestWord) {
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("nmae", "name"), 1u);
    EXPECT_EQ(edit_distance("ca", "abc"), 3u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("ABC", "abc"), 0u);
    constexpr std::string_view keys[] = {"name", "version", "entry"};
    EXPECT_EQ(nearest_word("nmae", keys), "name");
    EXPECT_EQ(nearest_word("verison", keys), "version");
    EXPECT_FALSE(nearest_word("zzz", keys).has_value());
    EXPECT_FALSE(nearest_word("", keys).has_value());
    EXPECT_FALSE(nearest_word(std::string(1000, 'a'), keys).has_value());
}

}  // namespace
}  // namespace crush

namespace crush {
namespace {

TEST(NetConnect, ChecksTheHalSocketAddressExactly) {
    auto r = Permissions::parse(
        std::vector<std::string>{"net.connect:127.0.0.1:8080", "net.connect:[fd00::1]:443"});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->allows_connect(SocketAddress::loopback_v4(8080)));
    EXPECT_FALSE(r->allows_connect(SocketAddress::loopback_v4(8081)));
    SocketAddress mapped;
    mapped.family = SocketAddress::Family::ipv6;
    mapped.addr = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
    mapped.port = 8080;
    EXPECT_TRUE(r->allows_connect(mapped));
    SocketAddress v6;
    v6.family = SocketAddress::Family::ipv6;
    v6.addr = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    v6.port = 443;
    EXPECT_TRUE(r->allows_connect(v6));
    v6.addr[15] = 2;
    EXPECT_FALSE(r->allows_connect(v6));
    EXPECT_EQ(to_string(to_net_address(mapped)), "127.0.0.1:8080");
}

}  // namespace
}  // namespace crush

namespace crush {
namespace {

TEST(NetConnect, LocalhostIsLoopbackWithoutAResolver) {
    auto r = Permissions::parse(std::vector<std::string>{"net.connect:localhost:8080"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->allows_connect(SocketAddress::loopback_v4(8080)));
    EXPECT_TRUE(r->allows_connect(NetAddress{*IpAddress::parse("::1"), 8080}));
    EXPECT_FALSE(r->allows_connect(NetAddress{*IpAddress::parse("127.0.0.2"), 8080}));
    // A resolver is never asked about localhost.
    HostResolver lying = [](std::string_view) -> Result<std::vector<IpAddress>> {
        return std::vector<IpAddress>{*IpAddress::parse("93.184.216.34")};
    };
    auto l = Permissions::parse(std::vector<std::string>{"net.connect:api.localhost:80"}, lying);
    ASSERT_TRUE(l.ok());
    EXPECT_FALSE(l->allows_connect(NetAddress{*IpAddress::parse("93.184.216.34"), 80}));
    EXPECT_TRUE(l->allows_connect(SocketAddress::loopback_v4(80)));
}

}  // namespace
}  // namespace crush
