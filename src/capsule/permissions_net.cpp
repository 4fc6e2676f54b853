// Copyright Crush authors.
// IpAddress parsing and formatting for the net.* gate. Strict on purpose: the text forms that
// inet_aton tolerates (`127.1`, `0x7f.0.0.1`, `0177.0.0.1`, `2130706433`) are rejected here, so a
// permission can never mean something other than what it looks like.
#include "capsule/permissions.hpp"

#include <fmt/format.h>

namespace crush {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// Four decimal parts 0–255, no leading zeros, nothing else.
std::optional<std::array<uint8_t, 4>> parse_dotted_quad(std::string_view text) noexcept {
    std::array<uint8_t, 4> out{};
    size_t part = 0;
    size_t i = 0;
    while (true) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
        if (text[i] == '0' && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9')
            return std::nullopt;  // leading zero: octal to inet_aton, ambiguous to people
        unsigned value = 0;
        size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            value = value * 10 + static_cast<unsigned>(text[i] - '0');
            if (++digits > 3 || value > 255) return std::nullopt;
            ++i;
        }
        out[part++] = static_cast<uint8_t>(value);
        if (part == 4) break;
        if (i >= text.size() || text[i] != '.') return std::nullopt;
        ++i;
    }
    if (i != text.size()) return std::nullopt;
    return out;
}

std::optional<std::array<uint8_t, 16>> parse_ipv6(std::string_view text) noexcept {
    std::array<uint16_t, 8> groups{};
    size_t count = 0;
    std::optional<size_t> gap;  // group index where "::" stands
    size_t i = 0;
    if (text.size() < 2) return std::nullopt;
    if (text[0] == ':') {
        if (text[1] != ':') return std::nullopt;
        gap = 0;
        i = 2;
        if (i == text.size()) return std::array<uint8_t, 16>{};  // "::"
    }
    while (i < text.size()) {
        if (count == 8) return std::nullopt;
        // A dotted-quad tail takes two groups.
        size_t end = text.find(':', i);
        std::string_view piece =
            text.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
        if (end == std::string_view::npos && piece.find('.') != std::string_view::npos) {
            auto quad = parse_dotted_quad(piece);
            if (!quad || count > 6) return std::nullopt;
            groups[count++] = static_cast<uint16_t>((*quad)[0] << 8 | (*quad)[1]);
            groups[count++] = static_cast<uint16_t>((*quad)[2] << 8 | (*quad)[3]);
            i = text.size();
            break;
        }
        if (piece.empty() || piece.size() > 4) return std::nullopt;
        unsigned value = 0;
        for (char c : piece) {
            int h = hex_value(c);
            if (h < 0) return std::nullopt;
            value = value << 4 | static_cast<unsigned>(h);
        }
        groups[count++] = static_cast<uint16_t>(value);
        i += piece.size();
        if (i == text.size()) break;
        // text[i] == ':'
        ++i;
        if (i < text.size() && text[i] == ':') {
            if (gap) return std::nullopt;  // two "::"
            gap = count;
            ++i;
            if (i == text.size()) break;
        } else if (i == text.size()) {
            return std::nullopt;  // trailing single ':'
        }
    }
    std::array<uint16_t, 8> full{};
    if (gap) {
        if (count >= 8) return std::nullopt;  // "::" must stand for at least one group
        size_t tail = count - *gap;
        for (size_t k = 0; k < *gap; ++k) full[k] = groups[k];
        for (size_t k = 0; k < tail; ++k) full[8 - tail + k] = groups[*gap + k];
    } else {
        if (count != 8) return std::nullopt;
        full = groups;
    }
    std::array<uint8_t, 16> bytes{};
    for (size_t k = 0; k < 8; ++k) {
        bytes[2 * k] = static_cast<uint8_t>(full[k] >> 8);
        bytes[2 * k + 1] = static_cast<uint8_t>(full[k] & 0xff);
    }
    return bytes;
}

}  // namespace

IpAddress IpAddress::v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) noexcept {
    IpAddress ip;
    ip.family = Family::v4;
    ip.bytes[0] = a;
    ip.bytes[1] = b;
    ip.bytes[2] = c;
    ip.bytes[3] = d;
    return ip;
}

IpAddress IpAddress::v6(const std::array<uint8_t, 16>& bytes) noexcept {
    static constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin()))
        return v4(bytes[12], bytes[13], bytes[14], bytes[15]);
    IpAddress ip;
    ip.family = Family::v6;
    ip.bytes = bytes;
    return ip;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) noexcept {
    if (text.find(':') != std::string_view::npos) {
        auto bytes = parse_ipv6(text);
        if (!bytes) return std::nullopt;
        return v6(*bytes);
    }
    auto quad = parse_dotted_quad(text);
    if (!quad) return std::nullopt;
    return v4((*quad)[0], (*quad)[1], (*quad)[2], (*quad)[3]);
}

std::string IpAddress::to_string() const {
    if (family == Family::v4) return fmt::format("{}.{}.{}.{}", bytes[0], bytes[1], bytes[2], bytes[3]);
    std::array<unsigned, 8> groups{};
    for (size_t k = 0; k < 8; ++k) groups[k] = static_cast<unsigned>(bytes[2 * k]) << 8 | bytes[2 * k + 1];
    // RFC 5952: the longest run (length >= 2) of zero groups becomes "::", the first on ties.
    size_t best_start = 8, best_len = 0;
    for (size_t k = 0; k < 8;) {
        if (groups[k] != 0) {
            ++k;
            continue;
        }
        size_t start = k;
        while (k < 8 && groups[k] == 0) ++k;
        if (k - start > best_len) {
            best_start = start;
            best_len = k - start;
        }
    }
    if (best_len < 2) best_start = 8;
    std::string out;
    for (size_t k = 0; k < 8; ++k) {
        if (k == best_start) {
            out += "::";
            k += best_len - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') out += ':';
        out += fmt::format("{:x}", groups[k]);
    }
    return out;
}

NetAddress to_net_address(const SocketAddress& address) noexcept {
    NetAddress out;
    out.port = address.port;
    if (address.family == SocketAddress::Family::ipv4)
        out.ip = IpAddress::v4(address.addr[0], address.addr[1], address.addr[2], address.addr[3]);
    else
        out.ip = IpAddress::v6(address.addr);
    return out;
}

std::string to_string(const NetAddress& address) {
    if (address.ip.family == IpAddress::Family::v6)
        return fmt::format("[{}]:{}", address.ip.to_string(), address.port);
    return fmt::format("{}:{}", address.ip.to_string(), address.port);
}

}  // namespace crush
