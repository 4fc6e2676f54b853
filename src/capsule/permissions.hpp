// Copyright Crush authors.
// Permissions: the capability gate. A capsule starts with no authority; its manifest
// (`[permissions] allow`) and `exo run --allow` grant permissions written
// `namespace.action[:scope]`. Host bindings ask the gate BEFORE the ScopedHal is called.
//
// Permission strings (canonical forms; parsing is case-insensitive for the name only):
//   io.print                  write stdout/stderr          (no scope)
//   io.input                  read stdin                   (no scope)
//   fs.read[:SCOPE]           read files, list/stat directories
//   fs.write[:SCOPE]          create, modify, truncate, delete, rename, mkdir, link, symlink.
//                             fs.write implies NOTHING about reading.
//   env.get[:NAME]            read the capsule's environment variable NAME (`PREFIX*` = every
//                             name starting with PREFIX); no scope = every variable. (The
//                             environment itself is only [env] + --env; see env_map.hpp.)
//   clock                     read clocks                  (no scope)
//   random                    random bytes                 (no scope)
//   net.connect:HOST:PORT     TCP connect. HOST: a dotted-quad IPv4 (`127.0.0.1`), a bracketed
//                             IPv6 (`[::1]`), either with a CIDR prefix (`10.0.0.0/8`,
//                             `[fd00::/8]`), `*` (any address), a hostname (`example.com`,
//                             resolved ONCE at load time to its addresses; `localhost` and
//                             `*.localhost` are always 127.0.0.1 and ::1), or a suffix pattern
//                             `*.example.com` (matches names under example.com, never
//                             example.com itself nor badexample.com). PORT: `8080`, a range
//                             `8000-8099`, or `*`.
//   net.listen:PORT           listen on PORT (`8080`, `8000-8099`, `*`).
//
// fs scopes are virtual paths (the capsule's own namespace; mounts appear inside it):
//   no scope        the whole virtual filesystem (same as `/**`).
//   `/data`         (no glob characters) that path AND everything below it: `/data`,
//                   `/data/x`, `/data/x/y` — but not `/database` (component boundary).
//   `/data/**`      `**` as a whole component matches zero or more components, so this is
//                   the same set as `/data`. `/a/**/b` matches `/a/b`, `/a/x/b`, `/a/x/y/b`.
//   `/data/*`       `*` matches within ONE component: `/data/x`, not `/data` nor `/data/x/y`.
//   `/data/*.txt`   `*` and `?` may be mixed with literal text inside a component.
// A scope must be absolute and normalized (no `.`/`..`/empty components, no trailing `/`
// except `/` itself, no NUL); `**` mixed with other text in a component is an error.
//
// Numeric hosts are parsed, never compared as text: forms that inet_aton would accept but that
// are not a plain dotted quad (`2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`) are REFUSED with a
// message asking for the dotted quad, and IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is treated as
// the IPv4 address both in permissions and in queries.
#pragma once

#include <crush/result.hpp>

#include "hal/hal.hpp"  // SocketAddress

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crush {

/// What a host call needs. One per permission name.
enum class Capability : uint8_t {
    io_print,
    io_input,
    fs_read,
    fs_write,
    env_get,
    clock,
    random,
    net_connect,
    net_listen
};
inline constexpr size_t kCapabilityCount = 9;

/// The permission name: "io.print", "fs.write", "net.connect", …
std::string_view to_string(Capability capability) noexcept;

/// Parse a permission name ("fs.read"; case-insensitive), without scope. nullopt if unknown.
std::optional<Capability> capability_from_name(std::string_view name) noexcept;

/// An IPv4 or IPv6 address. IPv4 (and IPv4-mapped IPv6, which parse() folds to IPv4) uses
/// bytes[0..3]; the rest are zero.
struct IpAddress {
    enum class Family : uint8_t { v4, v6 };
    Family family = Family::v4;
    std::array<uint8_t, 16> bytes{};

    static IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) noexcept;
    /// From 16 network-order bytes; an IPv4-mapped address (::ffff:a.b.c.d) becomes IPv4.
    static IpAddress v6(const std::array<uint8_t, 16>& bytes) noexcept;

    /// Strict text forms only: a dotted quad of four decimal parts 0–255 without leading zeros,
    /// or an RFC 4291 IPv6 text (with `::` and an optional dotted-quad tail; no brackets, no
    /// zone `%eth0`). Anything else — including `127.1`, `0x7f.0.0.1`, `2130706433` — is nullopt.
    static std::optional<IpAddress> parse(std::string_view text) noexcept;

    /// Dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as `::`), without brackets.
    std::string to_string() const;

    bool operator==(const IpAddress&) const = default;
};

/// An address and port as actually connected (after resolution) — what the gate checks.
struct NetAddress {
    IpAddress ip;
    uint16_t port = 0;
    bool operator==(const NetAddress&) const = default;
};

/// "127.0.0.1:8080" or "[::1]:8080".
std::string to_string(const NetAddress& address);

/// The Hal's numeric socket address as the gate sees it (IPv4-mapped IPv6 folded to IPv4).
NetAddress to_net_address(const SocketAddress& address) noexcept;

/// Resolves a hostname named in a permission to its addresses, at load time. Supplied by the
/// runtime (backed by the Hal: this layer makes no system calls). An error or an empty list
/// fails the load.
using HostResolver = std::function<Result<std::vector<IpAddress>>(std::string_view hostname)>;

/// One parsed permission. Opaque outside permissions.cpp.
struct Grant;

/// The set of permissions a capsule holds. Immutable after construction; queries are noexcept,
/// allocation-free and thread-safe.
class Permissions {
public:
    /// No permission at all.
    Permissions();
    ~Permissions();
    Permissions(Permissions&&) noexcept;
    Permissions& operator=(Permissions&&) noexcept;
    Permissions(const Permissions&);
    Permissions& operator=(const Permissions&);

    /// Parse a list of permission strings. The first bad one is the error; its message names
    /// the string and the problem, and suggests the nearest valid permission when there is one
    /// ("unknown permission 'fs.wrte'; did you mean 'fs.write'?"). Hostnames in net.connect are
    /// resolved through `resolver`; without one, a hostname is an error.
    static Result<Permissions> parse(std::span<const std::string> permissions,
                                     const HostResolver& resolver = nullptr);

    /// Every permission (`--allow-all`): io.*, clock, random, env.get, fs.read and fs.write on
    /// the whole virtual filesystem — i.e. the capsule's root and its mounts, nothing else
    /// exists for it (read-only mounts stay read-only: the Vfs enforces that) — and
    /// net.connect:*:*, net.listen:*.
    static Permissions all();

    /// Check one permission string without building a set (for `exo run --allow` validation).
    static Result<void> validate(std::string_view permission);

    /// Whether ANY grant of `capability` exists (whatever its scope). The whole answer for
    /// io.print, io.input, clock and random; for scoped capabilities use the queries below.
    bool allows(Capability capability) const noexcept;

    /// fs.read / fs.write on `path`, a NORMALIZED absolute virtual path ("/data/x.txt": no
    /// `.`, `..`, `//`, trailing `/`). The caller normalizes (and should pass the path after
    /// symlink resolution inside the root, so a link cannot widen a scope); a path that is not
    /// normalized is denied. Any other capability: false.
    bool allows_path(Capability capability, std::string_view path) const noexcept;

    /// env.get on the variable `name`.
    bool allows_env(std::string_view name) const noexcept;

    /// net.connect to `address` — the address the socket will ACTUALLY connect to, never the
    /// name the guest wrote. Matches numeric grants, CIDRs, `*`, and the addresses hostnames
    /// resolved to at load time. Suffix patterns (`*.example.com`) never match here.
    bool allows_connect(const NetAddress& address) const noexcept;
    /// Same, on the address exactly as the Hal will connect to it.
    bool allows_connect(const SocketAddress& address) const noexcept {
        return allows_connect(to_net_address(address));
    }

    /// For a runtime that resolves a guest-supplied NAME itself (exo.connect by name): whether
    /// `hostname` (case-insensitive, trailing dot ignored) on `port` is granted by a hostname
    /// or suffix pattern (dot boundary required). If true, the runtime may connect to the
    /// addresses IT resolved for that name; allows_connect() is still the check for addresses.
    bool allows_connect_name(std::string_view hostname, uint16_t port) const noexcept;

    /// net.listen on `port`.
    bool allows_listen(uint16_t port) const noexcept;

    /// True for all().
    bool is_all() const noexcept { return m_all; }

    /// The grants in canonical text form (as parsed; resolved hostnames keep their name).
    std::vector<std::string> to_strings() const;

private:
    std::vector<std::shared_ptr<const Grant>> m_grants;
    std::array<bool, kCapabilityCount> m_any{};
    bool m_all = false;
};

/// Escape guest-supplied text for a terminal: `\` → `\\`, `"` → `\"`, `\n` `\r` `\t`, other
/// C0 controls and DEL → `\xNN`, bytes that are not valid UTF-8 → `\xNN`, and the Unicode
/// characters that can drive or disguise a terminal line (C1 controls U+0080–U+009F, bidi
/// controls U+200E/F, U+202A–U+202E, U+2066–U+2069, U+2028/U+2029) → `\u{XXXX}`. Other
/// printable UTF-8 is kept. The result contains no byte < 0x20 and no 0x7f.
std::string escape_for_terminal(std::string_view text);

/// Like escape_for_terminal but leaves `\` and `"` alone: for whole messages that may carry
/// guest-controlled text (trap messages, module errors) and are not quoted.
std::string escape_controls(std::string_view text);

/// Where the person running the capsule grants permissions: the manifest, or `--allow`
/// (a bare .wasm has no manifest).
enum class DenialHint : uint8_t { manifest, flag };

/// A denied call, as the gate reports it.
struct Denial {
    std::string capsule;  ///< capsule name
    Capability capability = Capability::io_print;
    std::string subject;  ///< path, variable name, "host:port", port; "" for unscoped ones
};

/// The permission that would have allowed `denial`: "fs.write:/etc/passwd", "clock",
/// "net.connect:10.0.0.1:80", "env.get:HOME". Not escaped.
std::string suggested_permission(const Denial& denial);

/// The one-line message (no trailing newline) for the person running the capsule, e.g.
///   exo: capsule 'hello' was denied fs.write on /etc/passwd; add "fs.write:/etc/passwd" to
///   [permissions] allow in Capsule.toml
/// or with DenialHint::flag: `…; re-run with --allow "fs.write:/etc/passwd"`. The capsule name
/// and subject are escaped with escape_for_terminal.
std::string format_denial(const Denial& denial, DenialHint hint);

/// "Print each distinct denial once": remembers which (capability, subject) pairs were already
/// reported. Bounded so a hostile guest cannot grow it (or flood the terminal) without limit:
/// after `max_distinct` distinct denials, one final line says further denials are not shown.
/// Thread-safe.
class DenialLog {
public:
    explicit DenialLog(size_t max_distinct = 100) : m_max(max_distinct) {}

    /// The text to print for `denial` (one or two lines, each ending in '\n'), or "" when it
    /// was already reported or reporting is over.
    std::string report(const Denial& denial, DenialHint hint);

    /// How many distinct denials were reported (at most max_distinct).
    size_t distinct() const;

private:
    mutable std::mutex m_mutex;
    std::set<std::pair<Capability, std::string>> m_seen;
    size_t m_max;
    size_t m_overflow = 0;
};

/// Edit distance (Levenshtein plus adjacent transpositions) between `a` and `b` (bytes; ASCII
/// case-insensitive).
size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word` by edit_distance, if it is close enough to be a plausible
/// typo (distance at most max(1, |word| / 3), and less than |word|); ties keep the first.
std::optional<std::string_view> nearest_word(std::string_view word,
                                             std::span<const std::string_view> candidates);

}  // namespace crush
