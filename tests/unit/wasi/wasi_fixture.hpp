// Copyright Crush authors.
// A capsule's WASI world without the VM: a real ScopedHal over NativeHal in a temporary root,
// a WasiContext, and a plain byte vector standing in for guest memory. The WASI functions are
// called directly (wasi_impl.hpp), so each ABI rule can be checked byte by byte.
#pragma once

#include "capsule/scoped_hal.hpp"
#include "hal/native_hal.hpp"
#include "wasi/wasi_impl.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace crush::wasi::testing {

/// Read everything currently in a non-blocking pipe.
inline std::string drain(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

class WasiFixture : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/crush-wasi-test-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        m_dir = tmpl;
        std::filesystem::create_directory(m_dir / "root");
        ASSERT_EQ(::pipe2(m_out, O_NONBLOCK | O_CLOEXEC), 0);
        ASSERT_EQ(::pipe2(m_diag, O_NONBLOCK | O_CLOEXEC), 0);
        // stdin: an empty pipe whose writer is closed (reads see end of file, never block).
        ASSERT_EQ(::pipe2(m_in, O_CLOEXEC), 0);
        ::close(m_in[1]);
        m_in[1] = -1;
        memory.assign(65536, 0);
    }
    void TearDown() override {
        ctx.reset();
        scoped.reset();
        for (int fd : {m_out[0], m_out[1], m_diag[0], m_diag[1], m_in[0]}) ::close(fd);
        std::error_code ec;
        std::filesystem::permissions(m_dir, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(m_dir, ec);
    }

    /// Build the capsule with these permissions (and optional mounts / env / args).
    void make(std::vector<std::string> perms, std::vector<VfsMount> mounts = {},
              std::vector<std::pair<std::string, std::string>> env = {},
              std::vector<std::string> args = {"prog"}) {
        auto p = Permissions::parse(perms);
        ASSERT_TRUE(p.ok()) << p.error().message;
        ScopedHalConfig c;
        c.capsule_name = "test";
        c.root_host_path = root().string();
        c.mounts = std::move(mounts);
        c.permissions = std::move(*p);
        auto e = EnvMap::from_pairs(env);
        ASSERT_TRUE(e.ok());
        c.env = std::move(*e);
        c.diagnostics = static_cast<HostFd>(m_diag[1]);
        auto hal = std::make_shared<NativeHal>(m_in[0], m_out[1], m_out[1]);
        auto s = ScopedHal::create(hal, std::move(c));
        ASSERT_TRUE(s.ok()) << to_string(s.error());
        scoped = std::move(*s);
        ctx = std::make_unique<WasiContext>(*scoped, std::move(args));
    }

    Call call() { return Call{*ctx, GuestMemory(memory)}; }

    /// Put bytes/strings/structs into guest memory at `at`.
    GuestPtr put(uint32_t at, std::string_view s) {
        std::memcpy(memory.data() + at, s.data(), s.size());
        return GuestPtr{at};
    }
    template <typename T>
    GuestPtr put_value(uint32_t at, const T& v) {
        std::memcpy(memory.data() + at, &v, sizeof v);
        return GuestPtr{at};
    }
    template <typename T>
    T get(uint32_t at) const {
        T v;
        std::memcpy(&v, memory.data() + at, sizeof v);
        return v;
    }

    /// path_open relative to `dir`; returns the errno, the fd in out.
    Errno open(uint32_t dir, std::string_view path, uint32_t oflags, uint64_t rights, uint32_t& out,
               uint32_t lookup = 0, uint32_t fdflags = 0) {
        Call c = call();
        put(60000, path);
        Errno e = impl::path_open(c, dir, lookup, GuestPtr{60000}, static_cast<uint32_t>(path.size()), oflags,
                                  rights, rights::all, fdflags, GuestPtr{64000});
        out = get<uint32_t>(64000);
        return e;
    }

    std::filesystem::path root() const { return m_dir / "root"; }
    std::filesystem::path dir() const { return m_dir; }
    std::string stdout_text() { return drain(m_out[0]); }
    std::string diagnostics() { return drain(m_diag[0]); }

    static void write_file(const std::filesystem::path& p, std::string_view text) {
        std::ofstream(p, std::ios::binary) << text;
    }
    static std::string read_file(const std::filesystem::path& p) {
        std::ifstream f(p, std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }

    std::vector<uint8_t> memory;
    std::unique_ptr<ScopedHal> scoped;
    std::unique_ptr<WasiContext> ctx;

private:
    std::filesystem::path m_dir;
    int m_out[2] = {-1, -1};
    int m_diag[2] = {-1, -1};
    int m_in[2] = {-1, -1};
};

}  // namespace crush::wasi::testing
