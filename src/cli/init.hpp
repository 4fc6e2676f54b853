// Copyright Crush authors.
// `exo init`'s logic: the files of a new capsule (Capsule.toml, src/main.c or src/main.cpp,
// build.sh, .gitignore) and writing them through the Hal into a fresh directory.
//
// C++ note: Debian 12 packages a C++ standard library for wasm32-wasi (libc++-dev-wasm32,
// libc++abi-dev-wasm32), but Crush's dependency list does not install it. The generated C++
// capsule therefore uses only the C library (<stdio.h>) and builds with -fno-exceptions
// -fno-rtti -nostdlib++; build.sh says how to switch to libc++ once it is installed.
#pragma once

#include "hal/hal.hpp"

#include <crush/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crush::cli {

enum class InitLang : uint8_t { c, cpp };

/// One generated file.
struct InitFile {
    std::string path;      ///< relative to the capsule directory ("src/main.c")
    std::string content;
    bool executable = false;
};

/// The files of capsule `name` (which must already be valid: validate_capsule_name).
std::vector<InitFile> init_files(std::string_view name, InitLang lang);

/// Create directory `dir` (relative to the working directory; it may exist only if empty) and
/// write `files` into it through `hal`. Errors say what failed and what to do: ErrorKind::invalid
/// when `dir` exists and is not an empty directory (refused before anything is written),
/// ErrorKind::io when the host fails.
Result<void> write_capsule_files(Hal& hal, const std::string& dir, const std::vector<InitFile>& files);

}  // namespace crush::cli
