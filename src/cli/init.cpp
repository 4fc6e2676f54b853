// Copyright Crush authors.
#include "init.hpp"

#include "capsule/permissions.hpp"

#include <fmt/format.h>

namespace crush::cli {
namespace {

constexpr std::string_view kManifest = R"tmpl(# The capsule's manifest: what it is and what it may touch (README "Manifest reference").
[capsule]
name = "{name}"
version = "0.1.0"
entry = "{name}.wasm"

[permissions]
# A capsule starts with no authority; grant only what it needs, for example
#   "fs.read:/data/**", "fs.write:/out/*", "env.get:GREETING", "clock", "random",
#   "net.connect:127.0.0.1:8080", "net.listen:8080"
# `exo check {name}` says which imports lack a permission, and which grants are unused.
allow = ["io.print"]

# [env]               # the capsule's whole environment (the host's is never inherited)
# GREETING = "hello"

[limits]
time = "10s"
memory = "256MiB"
)tmpl";

constexpr std::string_view kMainC = R"tmpl(// {name}: a Crush capsule. Build it with ./build.sh, run it with `exo run {name}`.
#include <stdio.h>

int main(int argc, char** argv) {{
    printf("Hello from {name}!\n");
    for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
    return 0;
}}
)tmpl";

constexpr std::string_view kMainCpp = R"tmpl(// {name}: a Crush capsule in C++. Build it with ./build.sh, run it with `exo run {name}`.
// It uses only the C library: see build.sh for using the C++ standard library.
#include <stdio.h>

namespace {{

struct Greeter {{
    const char* who;
    void greet() const {{ printf("Hello from %s!\n", who); }}
}};

}}  // namespace

int main(int argc, char** argv) {{
    constexpr Greeter greeter{{"{name}"}};
    greeter.greet();
    for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
    return 0;
}}
)tmpl";

constexpr std::string_view kBuildC = R"tmpl(#!/bin/sh
# Builds {name}.wasm (wasm32-wasi) with Debian's toolchain. Needs: apt-get install clang lld wasi-libc
set -eu
cd "$(dirname "$0")"
CC="${{CC:-clang}}"
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "build.sh: $CC not found; install it: apt-get install clang lld wasi-libc" >&2
    exit 1
fi
if [ ! -e /usr/lib/wasm32-wasi/libc.a ]; then
    echo "build.sh: wasi-libc not found in /usr/lib/wasm32-wasi; install it: apt-get install wasi-libc" >&2
    exit 1
fi
"$CC" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -o {name}.wasm src/main.c
echo "built {name}/{name}.wasm; run it with: exo run {name}"
)tmpl";

constexpr std::string_view kBuildCpp = R"tmpl(#!/bin/sh
# Builds {name}.wasm (wasm32-wasi) with Debian's toolchain. Needs: apt-get install clang lld wasi-libc
# WebAssembly has no exceptions here: -fno-exceptions. -nostdlib++: no C++ standard library is
# linked, because Crush does not install one; Debian 12 has it (apt-get install
# libc++-dev-wasm32 libc++abi-dev-wasm32): then drop -nostdlib++ to use <string>, <vector>…
set -eu
cd "$(dirname "$0")"
CXX="${{CXX:-clang++}}"
if ! command -v "$CXX" >/dev/null 2>&1; then
    echo "build.sh: $CXX not found; install it: apt-get install clang lld wasi-libc" >&2
    exit 1
fi
if [ ! -e /usr/lib/wasm32-wasi/libc.a ]; then
    echo "build.sh: wasi-libc not found in /usr/lib/wasm32-wasi; install it: apt-get install wasi-libc" >&2
    exit 1
fi
"$CXX" --target=wasm32-wasi --sysroot=/usr -std=c++20 -O2 -Wall -fno-exceptions -fno-rtti -nostdlib++ \
    -o {name}.wasm src/main.cpp
echo "built {name}/{name}.wasm; run it with: exo run {name}"
)tmpl";

std::string fill(std::string_view tmpl, std::string_view name) {
    return fmt::format(fmt::runtime(tmpl), fmt::arg("name", name));
}

Error io_error(std::string_view what, Errno e, std::string_view todo) {
    return Error{ErrorKind::io, 0, fmt::format("{}: {}; {}", what, describe(e), todo)};
}

}  // namespace

std::vector<InitFile> init_files(std::string_view name, InitLang lang) {
    bool cpp = lang == InitLang::cpp;
    return {
        {"Capsule.toml", fill(kManifest, name), false},
        {cpp ? "src/main.cpp" : "src/main.c", fill(cpp ? kMainCpp : kMainC, name), false},
        {"build.sh", fill(cpp ? kBuildCpp : kBuildC, name), true},
        {".gitignore", fmt::format("/{}.wasm\n", name), false},
    };
}

Result<void> write_capsule_files(Hal& hal, const std::string& dir, const std::vector<InitFile>& files) {
    std::string shown = escape_for_terminal(dir);
    auto st = hal.stat_at(HostFd::host_cwd, dir, /*follow=*/false);
    if (st) {
        if (st->type != FileType::directory)
            return Error{ErrorKind::invalid, 0, fmt::format("'{}' exists and is not a directory; pick another name", shown)};
    } else if (st.error() == Errno::noent) {
        if (auto made = hal.mkdir_at(HostFd::host_cwd, dir, 0777); !made)
            return io_error(fmt::format("cannot create '{}'", shown), made.error(), "check the current directory's permissions");
    } else {
        return io_error(fmt::format("cannot look at '{}'", shown), st.error(), "check the path");
    }
    OpenOptions open_dir;
    open_dir.directory = true;
    open_dir.nofollow = true;
    auto root = hal.open_at(HostFd::host_cwd, dir, open_dir);
    if (!root) return io_error(fmt::format("cannot open '{}'", shown), root.error(), "check its permissions");
    auto entries = hal.read_dir(root->fd(), 0, 3);
    if (!entries) return io_error(fmt::format("cannot list '{}'", shown), entries.error(), "check its permissions");
    for (const DirEntry& e : *entries)
        if (e.name != "." && e.name != "..")
            return Error{ErrorKind::invalid, 0,
                         fmt::format("'{}' already exists and is not empty; exo init never overwrites files: pick "
                                     "another name or remove it",
                                     shown)};

    for (const InitFile& f : files) {
        HostFd parent = root->fd();
        HostHandle sub;
        std::string leaf = f.path;
        if (size_t slash = f.path.find('/'); slash != std::string::npos) {
            // One level of subdirectory (src/): created and entered relative to the held root.
            std::string subdir = f.path.substr(0, slash);
            leaf = f.path.substr(slash + 1);
            auto made = hal.mkdir_at(root->fd(), subdir, 0777);
            if (!made && made.error() != Errno::exist)
                return io_error(fmt::format("cannot create '{}/{}'", shown, subdir), made.error(), "check permissions");
            auto opened = hal.open_at(root->fd(), subdir, open_dir);
            if (!opened) return io_error(fmt::format("cannot open '{}/{}'", shown, subdir), opened.error(), "check permissions");
            sub = std::move(*opened);
            parent = sub.fd();
        }
        OpenOptions o;
        o.access = OpenOptions::Access::write;
        o.create = true;
        o.excl = true;  // never overwrite, even if something appeared meanwhile
        o.mode = f.executable ? 0777 : 0666;
        auto file = hal.open_at(parent, leaf, o);
        if (!file) return io_error(fmt::format("cannot create '{}/{}'", shown, f.path), file.error(), "check permissions");
        std::span<const std::byte> data(reinterpret_cast<const std::byte*>(f.content.data()), f.content.size());
        while (!data.empty()) {
            auto n = hal.write(file->fd(), data);
            if (!n) return io_error(fmt::format("cannot write '{}/{}'", shown, f.path), n.error(), "check free space");
            data = data.subspan(*n);
        }
    }
    return {};
}

}  // namespace crush::cli
