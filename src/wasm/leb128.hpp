// Copyright Crush authors.
// A bounds-checked byte cursor over a module binary: bytes, LEB128 integers, raw float bits,
// UTF-8 names. Used by the decoder (sections) and by the validator/compiler (function bodies).
// https://webassembly.github.io/spec/core/binary/values.html
//
// Every read either returns a value or an Error{malformed, offset, message} with the spec
// suite's wording. The LEB128 rules follow the reference interpreter exactly: an N-bit integer
// takes at most ceil(N/7) bytes ("integer representation too long" when a further byte is
// announced), and the unused bits of the last byte must be zero (unsigned) or copies of the sign
// bit (signed) ("integer too large"). Non-minimal encodings within the byte limit are accepted.
#pragma once

#include "utf8.hpp"

#include <crush/result.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace crush {

inline constexpr const char* kUnexpectedEnd = "unexpected end";
inline constexpr const char* kUnexpectedEndOfSection = "unexpected end of section or function";
inline constexpr const char* kLengthOutOfBounds = "length out of bounds";
inline constexpr const char* kIntegerTooLong = "integer representation too long";
inline constexpr const char* kIntegerTooLarge = "integer too large";
inline constexpr const char* kMalformedUtf8 = "malformed UTF-8 encoding";

/// A malformed-module error at an absolute byte offset. Out of line in spirit: only failures
/// build strings.
[[gnu::cold]] inline Error malformed(size_t offset, std::string_view message) {
    return Error{ErrorKind::malformed, offset, std::string(message)};
}

/// Reads a byte range front to back. Offsets reported in errors are absolute (in the module
/// binary) thanks to `base`. Copying a Cursor is cheap and makes an independent reader.
class Cursor {
public:
    /// Reads `bytes`; `base` is the absolute offset of bytes[0]; `eof_message` is the error
    /// reported when a read runs past the end ("unexpected end" at top level, "unexpected end of
    /// section or function" inside a section or body).
    explicit Cursor(std::span<const uint8_t> bytes, size_t base = 0,
                    const char* eof_message = kUnexpectedEnd) noexcept
        : m_start(bytes.data()), m_pos(bytes.data()), m_end(bytes.data() + bytes.size()),
          m_limit(m_end), m_base(base), m_eof_message(eof_message) {}

    /// Absolute offset of the next byte to read.
    size_t offset() const noexcept { return m_base + static_cast<size_t>(m_pos - m_start); }
    size_t remaining() const noexcept { return static_cast<size_t>(m_end - m_pos); }
    bool at_end() const noexcept { return m_pos == m_end; }
    /// The unread bytes.
    std::span<const uint8_t> rest() const noexcept { return {m_pos, remaining()}; }
    const char* eof_message() const noexcept { return m_eof_message; }

    /// A malformed-module Error at the current offset with this message.
    Error error(std::string_view message) const { return malformed(offset(), message); }
    /// The error for running past the end.
    Error eof_error() const { return malformed(offset(), m_eof_message); }

    /// The next byte without consuming it, or eof.
    Result<uint8_t> peek_u8() const {
        if (m_pos == m_end) return eof_error();
        return *m_pos;
    }
    Result<uint8_t> read_u8() {
        if (m_pos == m_end) return eof_error();
        return *m_pos++;
    }

    /// LEB128 readers (spec: u32, u64, s32, s33 for block types, s64).
    Result<uint32_t> read_u32() {
        if (m_pos != m_end && *m_pos < 0x80) return *m_pos++;  // fast path: one byte
        auto r = read_leb<32, false>();
        if (!r) return std::move(r).error();
        return static_cast<uint32_t>(*r);
    }
    Result<uint64_t> read_u64() { return read_leb<64, false>(); }
    Result<int32_t> read_s32() {
        auto r = read_leb<32, true>();
        if (!r) return std::move(r).error();
        return static_cast<int32_t>(static_cast<uint32_t>(*r));
    }
    /// A signed 33-bit integer (block types: a type index or a negative value-type code).
    Result<int64_t> read_s33() {
        auto r = read_leb<33, true>();
        if (!r) return std::move(r).error();
        return static_cast<int64_t>(*r);
    }
    Result<int64_t> read_s64() {
        auto r = read_leb<64, true>();
        if (!r) return std::move(r).error();
        return static_cast<int64_t>(*r);
    }
    /// A 1-bit unsigned LEB128 (limits flags in the reference interpreter's reading: 0x02 is
    /// "integer too large", 0x81 0x00 is "integer representation too long").
    Result<uint32_t> read_u1() {
        auto r = read_leb<1, false>();
        if (!r) return std::move(r).error();
        return static_cast<uint32_t>(*r);
    }

    /// IEEE-754 bit patterns, little-endian.
    Result<uint32_t> read_f32_bits() {
        if (remaining() < 4) return skip_to_end_error();
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(m_pos[i]) << (8 * i);
        m_pos += 4;
        return v;
    }
    Result<uint64_t> read_f64_bits() {
        if (remaining() < 8) return skip_to_end_error();
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(m_pos[i]) << (8 * i);
        m_pos += 8;
        return v;
    }

    /// The next n bytes (a view into the underlying buffer), or eof if fewer remain.
    Result<std::span<const uint8_t>> read_bytes(size_t n) {
        if (remaining() < n) return skip_to_end_error();
        std::span<const uint8_t> out{m_pos, n};
        m_pos += n;
        return out;
    }

    /// A u32 length that must not exceed the remaining bytes ("length out of bounds"): used
    /// before anything is allocated or sliced from a length.
    Result<uint32_t> read_length() {
        const size_t at = offset();
        if (m_pos == m_end && m_end != m_limit) {
            // At a section's end: the reference interpreter would read this length from the
            // following bytes and find it out of bounds of the binary; say so when it would.
            Cursor probe = *this;
            probe.m_end = m_limit;
            auto n = probe.read_u32();
            if (n.ok() && *n > probe.remaining()) return malformed(at, kLengthOutOfBounds);
        }
        auto n = read_u32();
        if (!n) return n;
        if (*n > remaining()) return malformed(at, kLengthOutOfBounds);
        return n;
    }

    /// A name: u32 length, then that many bytes of well-formed UTF-8.
    /// https://webassembly.github.io/spec/core/binary/values.html#names
    Result<std::string> read_name() {
        const size_t at = offset();
        auto n = read_length();
        if (!n) return std::move(n).error();
        std::span<const uint8_t> bytes{m_pos, *n};
        if (!is_valid_utf8(bytes)) return malformed(at, kMalformedUtf8);
        m_pos += *n;
        return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }

    /// Skip n bytes (eof error if fewer remain).
    Result<void> skip(size_t n) {
        if (remaining() < n) return skip_to_end_error();
        m_pos += n;
        return {};
    }

    /// Split off the next n bytes as their own cursor (a section or function body) and advance
    /// past them. Fails with "length out of bounds" if fewer than n bytes remain.
    Result<Cursor> take(size_t n, const char* eof_message) {
        if (remaining() < n) return malformed(offset(), kLengthOutOfBounds);
        Cursor sub({m_pos, n}, offset(), eof_message);
        sub.m_limit = m_limit;
        m_pos += n;
        return sub;
    }

private:
    /// Reading past the end: report it where the data ends.
    Error skip_to_end_error() const {
        return malformed(m_base + static_cast<size_t>(m_end - m_start), m_eof_message);
    }

    /// The reference interpreter's vuN/vsN: at most ceil(Bits/7) bytes; the last allowed byte
    /// may only carry the remaining bits (zero- or sign-extended).
    template <int Bits, bool Signed>
    Result<uint64_t> read_leb() {
        const uint8_t* const start = m_pos;
        uint64_t result = 0;
        unsigned shift = 0;
        int left = Bits;  // value bits not yet read
        uint8_t b = 0;
        for (;;) {
            if (left <= 0) return malformed(offset(), kIntegerTooLong);
            if (m_pos == m_end) return leb_eof_error<Bits, Signed>(start);
            b = *m_pos++;
            if (left < 7) {
                if constexpr (Signed) {
                    const uint8_t mask = static_cast<uint8_t>((0xff << (left - 1)) & 0x7f);
                    const uint8_t v = b & mask;
                    if (v != 0 && v != mask) return malformed(offset() - 1, kIntegerTooLarge);
                } else {
                    if ((b & 0x7f) >= (1u << left)) return malformed(offset() - 1, kIntegerTooLarge);
                }
            }
            if (shift < 64) result |= static_cast<uint64_t>(b & 0x7f) << shift;
            shift += 7;
            left -= 7;
            if ((b & 0x80) == 0) break;
        }
        if constexpr (Signed) {
            if (shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;
        }
        return result;
    }

    /// An integer cut off by the end of a section. The reference interpreter reads sections
    /// from one stream, so it would go on reading the integer from the bytes after the section
    /// and report an overlong or too-large encoding as such; do the same (only the error is
    /// taken from there, never a value).
    template <int Bits, bool Signed>
    [[gnu::cold]] Error leb_eof_error(const uint8_t* start) const {
        if (m_end != m_limit) {
            Cursor probe = *this;
            probe.m_pos = start;
            probe.m_end = m_limit;
            auto r = probe.read_leb<Bits, Signed>();
            if (!r.ok() && r.error().message != m_eof_message) return std::move(r).error();
        }
        return eof_error();
    }

    const uint8_t* m_start;
    const uint8_t* m_pos;
    const uint8_t* m_end;
    const uint8_t* m_limit;  ///< end of the whole binary (>= m_end), for error classification
    size_t m_base;
    const char* m_eof_message;
};

}  // namespace crush
