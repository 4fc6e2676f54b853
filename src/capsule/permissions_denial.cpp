// Copyright Crush authors.
// What the person running a capsule sees when the gate says no: one escaped line naming the
// permission that would have allowed the call, printed once per distinct denial. Also the
// "did you mean" helper shared by permission and manifest errors.
#include "capsule/permissions.hpp"

#include <fmt/format.h>

#include <cctype>

namespace crush {
namespace {

/// Unicode characters that can reorder, hide or control what a terminal shows.
bool is_dangerous_code_point(uint32_t cp) noexcept {
    return (cp >= 0x80 && cp <= 0x9f)         // C1 controls (0x9b is CSI on some terminals)
           || (cp >= 0x200b && cp <= 0x200f)  // zero-width characters, LRM/RLM
           || (cp >= 0x2028 && cp <= 0x202e)  // line/paragraph separators, bidi embeddings
           || (cp >= 0x2066 && cp <= 0x2069)  // bidi isolates
           || cp == 0xfeff;                   // zero-width no-break space / BOM
}

/// Length of the valid UTF-8 sequence at the start of `s` and its code point, or 0 if invalid
/// (overlong forms, surrogates and values past U+10FFFF are invalid).
size_t decode_utf8(std::string_view s, uint32_t& out_cp) noexcept {
    auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
    uint8_t lead = b(0);
    size_t len;
    uint32_t cp;
    if (lead >= 0xc2 && lead <= 0xdf) {
        len = 2;
        cp = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        len = 3;
        cp = lead & 0x0fu;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        len = 4;
        cp = lead & 0x07u;
    } else {
        return 0;
    }
    if (s.size() < len) return 0;
    for (size_t k = 1; k < len; ++k) {
        if ((b(k) & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (b(k) & 0x3fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    out_cp = cp;
    return len;
}

}  // namespace

namespace {

std::string escape(std::string_view text, bool quotes) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        auto c = static_cast<uint8_t>(text[i]);
        if (c < 0x80) {
            switch (c) {
                case '\\':
                    out += quotes ? "\\\\" : "\\";
                    break;
                case '"':
                    out += quotes ? "\\\"" : "\"";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                default:
                    if (c < 0x20 || c == 0x7f)
                        out += fmt::format("\\x{:02x}", c);
                    else
                        out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        uint32_t cp = 0;
        size_t len = decode_utf8(text.substr(i), cp);
        if (len == 0) {
            out += fmt::format("\\x{:02x}", c);
            ++i;
        } else if (is_dangerous_code_point(cp)) {
            out += fmt::format("\\u{{{:04x}}}", cp);
            i += len;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

}  // namespace

std::string escape_for_terminal(std::string_view text) {
    return escape(text, true);
}

std::string escape_controls(std::string_view text) {
    return escape(text, false);
}

std::string suggested_permission(const Denial& denial) {
    std::string_view name = to_string(denial.capability);
    if (denial.subject.empty()) return std::string(name);
    switch (denial.capability) {
        case Capability::fs_read:
        case Capability::fs_write:
        case Capability::env_get:
        case Capability::net_connect:
        case Capability::net_listen:
            return fmt::format("{}:{}", name, denial.subject);
        default:
            return std::string(name);
    }
}

std::string format_denial(const Denial& denial, DenialHint hint) {
    std::string subject = escape_for_terminal(denial.subject);
    std::string what;
    if (subject.empty()) {
        what = std::string(to_string(denial.capability));
    } else {
        switch (denial.capability) {
            case Capability::fs_read:
            case Capability::fs_write:
                what = fmt::format("{} on {}", to_string(denial.capability), subject);
                break;
            case Capability::env_get:
                what = fmt::format("env.get of {}", subject);
                break;
            case Capability::net_connect:
                what = fmt::format("net.connect to {}", subject);
                break;
            case Capability::net_listen:
                what = fmt::format("net.listen on port {}", subject);
                break;
            default:
                what = std::string(to_string(denial.capability));
                break;
        }
    }
    std::string grant = escape_for_terminal(suggested_permission(denial));
    std::string capsule = escape_for_terminal(denial.capsule);
    if (hint == DenialHint::flag)
        return fmt::format("exo: capsule '{}' was denied {}; re-run with --allow \"{}\"", capsule, what,
                           grant);
    return fmt::format("exo: capsule '{}' was denied {}; add \"{}\" to [permissions] allow in Capsule.toml",
                       capsule, what, grant);
}

std::string DenialLog::report(const Denial& denial, DenialHint hint) {
    std::lock_guard lock(m_mutex);
    auto key = std::make_pair(denial.capability, denial.subject);
    if (m_seen.count(key) != 0) return {};
    if (m_seen.size() >= m_max) {
        if (m_overflow++ != 0) return {};
        return fmt::format("exo: capsule '{}': more than {} distinct denials; further ones are not shown\n",
                           escape_for_terminal(denial.capsule), m_max);
    }
    m_seen.insert(std::move(key));
    return format_denial(denial, hint) + "\n";
}

size_t DenialLog::distinct() const {
    std::lock_guard lock(m_mutex);
    return m_seen.size();
}

size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: Levenshtein plus adjacent transpositions ("nmae" → "name" is 1),
    // the most common typo. Three rolling rows.
    auto fold = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    std::vector<size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
                row[j] = std::min(row[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, row);
    }
    return previous[b.size()];
}

std::optional<std::string_view> nearest_word(std::string_view word,
                                             std::span<const std::string_view> candidates) {
    // Guest- or user-supplied words can be long; a typo of a short key never is.
    if (word.empty() || word.size() > 64) return std::nullopt;
    size_t limit = std::max<size_t>(1, word.size() / 3);
    std::optional<std::string_view> best;
    size_t best_distance = SIZE_MAX;
    for (std::string_view candidate : candidates) {
        size_t d = edit_distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    if (!best || best_distance > limit || best_distance >= word.size()) return std::nullopt;
    return best;
}

}  // namespace crush
