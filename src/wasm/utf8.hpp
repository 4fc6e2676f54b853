// Copyright Crush authors.
// UTF-8 validation for Wasm names.
// https://webassembly.github.io/spec/core/binary/values.html#names
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace crush {

/// True when `bytes` is well-formed UTF-8 as Unicode defines it (and as the Wasm spec's
/// utf8 function requires): no overlong encodings, no surrogates (U+D800..U+DFFF), nothing
/// above U+10FFFF, no stray or missing continuation bytes.
inline bool is_valid_utf8(std::span<const uint8_t> bytes) noexcept {
    const size_t n = bytes.size();
    size_t i = 0;
    while (i < n) {
        const uint8_t b = bytes[i];
        if (b < 0x80) {  // ASCII fast path
            ++i;
            continue;
        }
        // Lead byte: number of continuation bytes and the allowed range of the first one
        // (the narrowed ranges reject overlongs, surrogates and code points past U+10FFFF).
        size_t extra = 0;
        uint8_t lo = 0x80, hi = 0xbf;
        if (b >= 0xc2 && b <= 0xdf) {
            extra = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
            extra = 2;
            if (b == 0xe0) lo = 0xa0;       // overlong below U+0800
            else if (b == 0xed) hi = 0x9f;  // surrogates U+D800..U+DFFF
        } else if (b >= 0xf0 && b <= 0xf4) {
            extra = 3;
            if (b == 0xf0) lo = 0x90;       // overlong below U+10000
            else if (b == 0xf4) hi = 0x8f;  // above U+10FFFF
        } else {
            return false;  // 0x80..0xc1 (stray continuation, overlong 2-byte), 0xf5..0xff
        }
        if (n - i - 1 < extra) return false;
        const uint8_t first = bytes[i + 1];
        if (first < lo || first > hi) return false;
        for (size_t k = 2; k <= extra; ++k)
            if ((bytes[i + k] & 0xc0) != 0x80) return false;
        i += extra + 1;
    }
    return true;
}

}  // namespace crush
