// Copyright Crush authors.
// A bounds-checked cursor over one function body, for the validator/compiler pass. Failures are
// *malformed* errors with the spec suite's wording and the byte offset in the module binary.
#pragma once

#include <crush/result.hpp>

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace crush {

class CodeReader {
public:
    /// `base` is the offset of data[0] in the module binary (for error offsets).
    CodeReader(std::span<const uint8_t> data, size_t base) : m_data(data), m_base(base) {}

    bool at_end() const noexcept { return m_pos >= m_data.size(); }
    size_t remaining() const noexcept { return m_data.size() - m_pos; }
    size_t offset() const noexcept { return m_base + m_pos; }
    /// The error of the first failed read, if any.
    const std::optional<Error>& error() const noexcept { return m_error; }
    bool failed() const noexcept { return m_error.has_value(); }

    uint8_t u8() {
        if (m_pos >= m_data.size()) { fail("unexpected end of section or function"); return 0; }
        return m_data[m_pos++];
    }
    // Most immediates (local indexes, small constants, offsets) fit one byte: that case is
    // decoded inline, the rest by leb().
    uint32_t u32() { return one_byte() ? m_data[m_pos++] : static_cast<uint32_t>(leb(32, false)); }
    int32_t s32() { return one_byte() ? one_byte_signed() : static_cast<int32_t>(leb(32, true)); }
    int64_t s33() { return one_byte() ? one_byte_signed() : static_cast<int64_t>(leb(33, true)); }
    int64_t s64() { return one_byte() ? one_byte_signed() : static_cast<int64_t>(leb(64, true)); }
    uint32_t fixed32() {
        uint32_t v = 0;
        if (m_data.size() - m_pos < 4) { fail("unexpected end of section or function"); m_pos = m_data.size(); return 0; }
        std::memcpy(&v, m_data.data() + m_pos, 4);
        m_pos += 4;
        return v;
    }
    uint64_t fixed64() {
        uint64_t v = 0;
        if (m_data.size() - m_pos < 8) { fail("unexpected end of section or function"); m_pos = m_data.size(); return 0; }
        std::memcpy(&v, m_data.data() + m_pos, 8);
        m_pos += 8;
        return v;
    }

    void fail(const char* msg) {
        if (!m_error) m_error = Error{ErrorKind::malformed, offset(), msg};
    }

private:
    /// The next LEB128 is a single byte (no continuation bit), never out of range.
    bool one_byte() const noexcept { return m_pos < m_data.size() && m_data[m_pos] < 0x80; }
    /// A one-byte signed LEB128: seven bits, bit 6 the sign.
    int32_t one_byte_signed() { return static_cast<int32_t>(m_data[m_pos++] ^ 0x40) - 0x40; }

    /// LEB128 of at most `bits` significant bits: overlong -> "integer representation too long",
    /// unused bits set -> "integer too large".
    [[gnu::noinline]] uint64_t leb(unsigned bits, bool is_signed) {
        uint64_t result = 0;
        unsigned shift = 0;
        const unsigned max_bytes = (bits + 6) / 7;
        for (unsigned i = 0;; ++i) {
            if (m_pos >= m_data.size()) { fail("unexpected end of section or function"); return 0; }
            const uint8_t b = m_data[m_pos++];
            if (i == max_bytes - 1) {
                // Last permitted byte: continuation bit and unused bits are checked.
                if (b & 0x80) { fail("integer representation too long"); return 0; }
                const unsigned used = bits - shift;  // bits of payload still meaningful
                if (is_signed) {
                    // Unused bits must all equal the sign bit.
                    const uint8_t sign_and_unused = static_cast<uint8_t>(b & 0x7f) >> (used - 1);
                    const uint8_t all = static_cast<uint8_t>(0x7f >> (used - 1));
                    if (sign_and_unused != 0 && sign_and_unused != all) { fail("integer too large"); return 0; }
                } else if (used < 7 && (b >> used) != 0) {
                    fail("integer too large");
                    return 0;
                }
                result |= static_cast<uint64_t>(b & 0x7f) << shift;
                shift += 7;
                break;
            }
            result |= static_cast<uint64_t>(b & 0x7f) << shift;
            shift += 7;
            if (!(b & 0x80)) break;
        }
        if (is_signed && shift < 64 && (result >> (shift - 1)) & 1) result |= ~uint64_t{0} << shift;
        if (is_signed && bits < 64) {
            // Keep the value sign-extended to 64 bits; callers narrow it.
        }
        return result;
    }

    std::span<const uint8_t> m_data;
    size_t m_base;
    size_t m_pos = 0;
    std::optional<Error> m_error;
};

}  // namespace crush
