// Copyright Crush authors.
#include "capsule/env_map.hpp"

#include <gtest/gtest.h>

#include <map>

namespace crush {
namespace {

using namespace std::string_literals;

TEST(EnvMap, StartsEmptyAndKeepsOrderWithLaterValuesWinning) {
    EnvMap env;
    EXPECT_TRUE(env.empty());
    ASSERT_TRUE(env.set("B", "1").ok());
    ASSERT_TRUE(env.set("A", "2").ok());
    ASSERT_TRUE(env.set("B", "3").ok());
    ASSERT_EQ(env.size(), 2u);
    EXPECT_EQ(env.entries()[0], (std::pair<std::string, std::string>{"B", "3"}));
    EXPECT_EQ(env.entries()[1], (std::pair<std::string, std::string>{"A", "2"}));
    EXPECT_EQ(env.get("A"), "2");
    EXPECT_FALSE(env.get("HOME").has_value());
}

TEST(EnvMap, RejectsBadKeysAndValues) {
    EnvMap env;
    EXPECT_FALSE(env.set("", "x").ok());
    EXPECT_FALSE(env.set("A=B", "x").ok());
    EXPECT_FALSE(env.set("A\0B"s, "x").ok());
    EXPECT_FALSE(env.set("A", "x\0y"s).ok());
    EXPECT_TRUE(env.empty());
    EXPECT_TRUE(env.set("A", "").ok());  // empty values are fine
    EXPECT_TRUE(env.set("WITH SPACE", "x=y=z").ok());
    auto r = validate_env_key("A=B");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "environment variable name 'A=B' contains '='");
}

TEST(EnvMap, FromPairsStopsAtTheFirstBadEntry) {
    std::vector<std::pair<std::string, std::string>> good = {{"X", "1"}, {"Y", "2"}};
    auto map = EnvMap::from_pairs(good);
    ASSERT_TRUE(map.ok());
    EXPECT_EQ(map->size(), 2u);
    std::vector<std::pair<std::string, std::string>> bad = {{"X", "1"}, {"=", "2"}};
    EXPECT_FALSE(EnvMap::from_pairs(bad).ok());
}

TEST(EnvMap, WasiEnvironLayout) {
    EnvMap env;
    ASSERT_TRUE(env.set("A", "1").ok());
    ASSERT_TRUE(env.set("LONGER", "value").ok());
    WasiStringList list = env.wasi_environ();
    EXPECT_EQ(list.bytes, "A=1\0LONGER=value\0"s);
    ASSERT_EQ(list.offsets.size(), 2u);
    EXPECT_EQ(list.offsets[0], 0u);
    EXPECT_EQ(list.offsets[1], 4u);
    // environ_sizes_get: (count, total bytes including terminators)
    EXPECT_EQ(list.bytes.size(), 17u);
}

TEST(EnvMap, WasiEnvironHidesWhatTheGateDenies) {
    EnvMap env;
    ASSERT_TRUE(env.set("SECRET", "s").ok());
    ASSERT_TRUE(env.set("PUBLIC", "p").ok());
    WasiStringList list = env.wasi_environ([](std::string_view key) { return key == "PUBLIC"; });
    EXPECT_EQ(list.bytes, "PUBLIC=p\0"s);
    EXPECT_EQ(list.offsets, std::vector<uint32_t>{0});
}

TEST(EnvMap, EmptyEnvironIsEmpty) {
    WasiStringList list = EnvMap{}.wasi_environ();
    EXPECT_TRUE(list.bytes.empty());
    EXPECT_TRUE(list.offsets.empty());
}

TEST(EnvMap, StringListForArgs) {
    std::vector<std::string> args = {"prog", "", "x y"};
    WasiStringList list = make_wasi_string_list(args);
    EXPECT_EQ(list.bytes, "prog\0\0x y\0"s);
    EXPECT_EQ(list.offsets, (std::vector<uint32_t>{0, 5, 6}));
}

TEST(EnvArgument, KeyValueSetsWithoutTouchingTheHost) {
    bool looked_up = false;
    HostEnvLookup lookup = [&](std::string_view) -> std::optional<std::string> {
        looked_up = true;
        return "host";
    };
    auto r = parse_env_argument("GREETING=hello=world", lookup);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->first, "GREETING");
    EXPECT_EQ(r->second, "hello=world");
    EXPECT_FALSE(looked_up);
    auto empty = parse_env_argument("EMPTY=", lookup);
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ(empty->second, "");
}

TEST(EnvArgument, BareKeyCopiesExactlyThatHostVariable) {
    std::map<std::string, std::string, std::less<>> host = {{"HOME", "/home/me"}, {"PATH", "/bin"}};
    std::vector<std::string> asked;
    HostEnvLookup lookup = [&](std::string_view name) -> std::optional<std::string> {
        asked.emplace_back(name);
        auto it = host.find(name);
        if (it == host.end()) return std::nullopt;
        return it->second;
    };
    auto r = parse_env_argument("HOME", lookup);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->second, "/home/me");
    EXPECT_EQ(asked, std::vector<std::string>{"HOME"});
    auto missing = parse_env_argument("NOPE", lookup);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message,
              "--env NOPE: the host has no variable 'NOPE' to pass (write NOPE=VALUE to set one)");
}

TEST(EnvArgument, BadForms) {
    HostEnvLookup lookup = [](std::string_view) -> std::optional<std::string> { return "v"; };
    EXPECT_FALSE(parse_env_argument("", lookup).ok());
    EXPECT_FALSE(parse_env_argument("=value", lookup).ok());
    EXPECT_FALSE(parse_env_argument("A=x\0y"s, lookup).ok());
    // A host value with NUL cannot happen on POSIX, but the lookup is a parameter: still checked.
    HostEnvLookup nul = [](std::string_view) -> std::optional<std::string> { return "a\0b"s; };
    EXPECT_FALSE(parse_env_argument("A", nul).ok());
    EXPECT_FALSE(parse_env_argument("A", nullptr).ok());
}

}  // namespace
}  // namespace crush
