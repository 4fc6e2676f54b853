// Copyright Crush authors.
// Permission parsing and the gate's queries. The grammar and the scope semantics are written
// down in permissions.hpp; this file implements exactly that.
#include "capsule/permissions.hpp"

#include "capsule/env_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace crush {

namespace {

constexpr std::array<std::string_view, kCapabilityCount> kNames = {
    "io.print", "io.input", "fs.read", "fs.write", "env.get", "clock", "random", "net.connect", "net.listen",
};

Error permission_error(std::string message) {
    return Error{ErrorKind::invalid, 0, std::move(message)};
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_fs(Capability c) noexcept {
    return c == Capability::fs_read || c == Capability::fs_write;
}

// ---- fs scopes ------------------------------------------------------------------------------

/// `*` and `?` within one component (classic two-pointer wildcard match, linear-ish).
bool component_matches(std::string_view pattern, std::string_view name) noexcept {
    size_t p = 0, n = 0;
    size_t star = std::string_view::npos, mark = 0;
    while (n < name.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
            ++p;
            ++n;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = n;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            n = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

/// A position in a normalized absolute path: the component starting at `pos` ("" at the end).
struct PathCursor {
    std::string_view path;
    size_t pos;  // index of the first byte of the current component; path.size() at the end
    bool at_end() const noexcept { return pos >= path.size(); }
    std::string_view component() const noexcept {
        size_t end = path.find('/', pos);
        return path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    }
    size_t next() const noexcept {
        size_t end = path.find('/', pos);
        return end == std::string_view::npos ? path.size() : end + 1;
    }
};

/// Whether `path` is absolute and normalized (the gate's input contract).
bool is_normalized(std::string_view path) noexcept {
    if (path.empty() || path[0] != '/') return false;
    if (path.size() == 1) return true;
    if (path.back() == '/') return false;
    if (path.find('\0') != std::string_view::npos) return false;
    size_t pos = 1;
    while (pos <= path.size()) {
        size_t end = path.find('/', pos);
        if (end == std::string_view::npos) end = path.size();
        std::string_view c = path.substr(pos, end - pos);
        if (c.empty() || c == "." || c == "..") return false;
        pos = end + 1;
    }
    return true;
}

struct PathPattern {
    std::string text;                     // canonical scope
    std::vector<std::string> components;  // of the pattern
    bool plain = true;                    // no glob: a subtree grant

    bool matches(std::string_view path) const noexcept {
        if (plain) {
            if (text == "/") return true;
            if (path.size() < text.size() || path.compare(0, text.size(), text) != 0) return false;
            return path.size() == text.size() || path[text.size()] == '/';
        }
        // Component-level wildcard match: "**" matches any run of components (zero or more),
        // other components match exactly one. Same two-pointer scheme as component_matches,
        // so a guest-chosen deep path costs O(components × pattern), never exponential.
        PathCursor n{path, path.size() == 1 ? path.size() : 1};
        size_t p = 0;
        size_t star = SIZE_MAX;
        size_t mark = 0;
        while (!n.at_end()) {
            if (p < components.size() && components[p] != "**" &&
                component_matches(components[p], n.component())) {
                ++p;
                n.pos = n.next();
            } else if (p < components.size() && components[p] == "**") {
                star = p++;
                mark = n.pos;
            } else if (star != SIZE_MAX) {
                p = star + 1;
                PathCursor m{path, mark};
                mark = m.next();
                n.pos = mark;
            } else {
                return false;
            }
        }
        while (p < components.size() && components[p] == "**") ++p;
        return p == components.size();
    }
};

Result<PathPattern> parse_path_scope(std::string_view scope, std::string_view permission) {
    auto bad = [&](std::string_view why) {
        return permission_error(fmt::format("bad scope in '{}': {}", escape_for_terminal(permission), why));
    };
    if (scope.empty()) return bad("the scope after ':' is empty (omit ':' to grant the whole filesystem)");
    if (scope.find('\0') != std::string_view::npos) return bad("the path contains a NUL byte");
    if (scope[0] != '/')
        return bad(fmt::format("'{}' is not an absolute virtual path; write '/{}'",
                               escape_for_terminal(scope), escape_for_terminal(scope)));
    PathPattern pattern;
    pattern.text = "/";
    if (scope.size() > 1) {
        if (scope.back() == '/')
            return bad("remove the trailing '/' (a directory scope covers everything below it)");
        size_t pos = 1;
        while (pos <= scope.size()) {
            size_t end = scope.find('/', pos);
            if (end == std::string_view::npos) end = scope.size();
            std::string_view c = scope.substr(pos, end - pos);
            if (c.empty()) return bad("empty path component ('//')");
            if (c == "." || c == "..") return bad("'.' and '..' are not allowed; write the normalized path");
            if (c.find("**") != std::string_view::npos && c != "**")
                return bad(fmt::format("'**' must be a whole path component, not part of '{}'",
                                       escape_for_terminal(c)));
            if (c.find_first_of("*?") != std::string_view::npos) pattern.plain = false;
            pattern.components.emplace_back(c);
            pos = end + 1;
        }
        pattern.text = std::string(scope);
    }
    return pattern;
}

// ---- net scopes -----------------------------------------------------------------------------

struct PortRange {
    uint16_t lo = 0;
    uint16_t hi = 65535;
    bool contains(uint16_t port) const noexcept { return port >= lo && port <= hi; }
    std::string text() const {
        if (lo == 0 && hi == 65535) return "*";
        if (lo == hi) return std::to_string(lo);
        return fmt::format("{}-{}", lo, hi);
    }
};

std::optional<uint32_t> parse_decimal(std::string_view text, uint32_t max) noexcept {
    if (text.empty() || text.size() > 10) return std::nullopt;
    uint64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (v > max) return std::nullopt;
    return static_cast<uint32_t>(v);
}

Result<PortRange> parse_ports(std::string_view text, std::string_view permission, uint16_t min_port) {
    if (text == "*") return PortRange{};
    auto bad = [&] {
        return permission_error(
            fmt::format("bad port '{}' in '{}': expected a port {}-65535, a range like 8000-8099, or *",
                        escape_for_terminal(text), escape_for_terminal(permission), min_port));
    };
    size_t dash = text.find('-');
    auto lo = parse_decimal(text.substr(0, dash), 65535);
    if (!lo || *lo < min_port) return bad();
    PortRange range{static_cast<uint16_t>(*lo), static_cast<uint16_t>(*lo)};
    if (dash != std::string_view::npos) {
        auto hi = parse_decimal(text.substr(dash + 1), 65535);
        if (!hi || *hi < *lo) return bad();
        range.hi = static_cast<uint16_t>(*hi);
    }
    return range;
}

/// Whether `host` looks like an attempt at a numeric IPv4 address (WHATWG URL's "ends in a
/// number"): its last label is all decimal digits or 0x-hex. Such a host is never a name.
bool ends_in_number(std::string_view host) noexcept {
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    size_t dot = host.rfind('.');
    std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
    if (last.empty()) return false;
    if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
    if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X'))
        return std::all_of(last.begin() + 2, last.end(),
                           [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
    return false;
}

/// Lower-cased hostname without a trailing dot, or nullopt if it is not a valid DNS name
/// (labels of [A-Za-z0-9_-], 1–63 bytes, not starting or ending with '-'; total <= 253).
std::optional<std::string> normalize_hostname(std::string_view host) {
    if (!host.empty() && host.back() == '.') host.remove_suffix(1);
    if (host.empty() || host.size() > 253) return std::nullopt;
    std::string out = lower(host);
    size_t pos = 0;
    while (pos <= out.size()) {
        size_t end = out.find('.', pos);
        if (end == std::string::npos) end = out.size();
        std::string_view label = std::string_view(out).substr(pos, end - pos);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return std::nullopt;
        for (char c : label)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return std::nullopt;
        pos = end + 1;
    }
    return out;
}

bool prefix_matches(const IpAddress& net, unsigned prefix, const IpAddress& ip) noexcept {
    if (net.family != ip.family) return false;
    unsigned full = prefix / 8, rest = prefix % 8;
    for (unsigned k = 0; k < full; ++k)
        if (net.bytes[k] != ip.bytes[k]) return false;
    if (rest == 0) return true;
    uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
    return (net.bytes[full] & mask) == (ip.bytes[full] & mask);
}

}  // namespace

// ---- Grant ----------------------------------------------------------------------------------

struct Grant {
    Capability capability = Capability::io_print;
    std::string text;  // canonical

    std::optional<PathPattern> path;  // fs.*: nullopt = everything

    enum class EnvScope : uint8_t { all, exact, prefix } env_scope = EnvScope::all;
    std::string env_name;

    enum class Host : uint8_t { any, network, names, suffix } host = Host::any;
    IpAddress network;                // Host::network
    unsigned prefix = 0;              // Host::network: prefix length
    std::vector<IpAddress> resolved;  // Host::names: load-time addresses of `hostname`
    std::string hostname;             // Host::names, Host::suffix (without "*.")
    PortRange ports;
};

namespace {

std::string suggestion_for_name(std::string_view name) {
    std::string l = lower(name);
    // Common words for the same thing in other runtimes.
    static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
        {"fs.create", "fs.write"},   {"fs.delete", "fs.write"},  {"fs.remove", "fs.write"},
        {"fs.rename", "fs.write"},   {"fs.modify", "fs.write"},  {"fs.list", "fs.read"},
        {"fs.stat", "fs.read"},      {"env", "env.get"},         {"env.read", "env.get"},
        {"io.write", "io.print"},    {"io.stdout", "io.print"},  {"io.stderr", "io.print"},
        {"stdout", "io.print"},      {"io.read", "io.input"},    {"io.stdin", "io.input"},
        {"stdin", "io.input"},       {"time", "clock"},          {"clocks", "clock"},
        {"rand", "random"},          {"net.bind", "net.listen"}, {"net.accept", "net.listen"},
        {"net.dial", "net.connect"},
    };
    for (const auto& [alias, real] : kAliases)
        if (l == alias) return fmt::format("; did you mean '{}'?", real);
    static constexpr std::pair<std::string_view, std::string_view> kNamespaces[] = {
        {"io", "'io.print' or 'io.input'"},
        {"fs", "'fs.read' or 'fs.write'"},
        {"net", "'net.connect:HOST:PORT' or 'net.listen:PORT'"},
    };
    for (const auto& [ns, names] : kNamespaces)
        if (l == ns) return fmt::format("; did you mean {}?", names);
    if (auto near = nearest_word(l, kNames)) return fmt::format("; did you mean '{}'?", *near);
    return "; valid permissions: io.print, io.input, fs.read, fs.write, env.get, clock, random, net.connect, "
           "net.listen";
}

Result<std::shared_ptr<Grant>> parse_grant(std::string_view text, const HostResolver& resolver) {
    std::string shown = escape_for_terminal(text);
    size_t colon = text.find(':');
    std::string_view name = text.substr(0, colon);
    std::optional<std::string_view> scope;
    if (colon != std::string_view::npos) scope = text.substr(colon + 1);

    auto capability = capability_from_name(name);
    if (!capability) {
        // A valid name glued to its scope without ':' ("fs.read/data").
        for (std::string_view known : kNames) {
            if (name.size() > known.size() && lower(name.substr(0, known.size())) == known &&
                (name[known.size()] == '/' || name[known.size()] == '='))
                return permission_error(fmt::format(
                    "unknown permission '{}'; did you mean '{}:{}'?", shown, known,
                    escape_for_terminal(text.substr(known.size() + (name[known.size()] == '=' ? 1 : 0)))));
        }
        return permission_error(
            fmt::format("unknown permission '{}'{}", escape_for_terminal(name), suggestion_for_name(name)));
    }

    auto grant = std::make_shared<Grant>();
    grant->capability = *capability;
    std::string_view canonical_name = to_string(*capability);
    switch (*capability) {
        case Capability::io_print:
        case Capability::io_input:
        case Capability::clock:
        case Capability::random:
            if (scope)
                return permission_error(
                    fmt::format("permission '{}' takes no scope; write '{}'", shown, canonical_name));
            grant->text = std::string(canonical_name);
            break;
        case Capability::fs_read:
        case Capability::fs_write:
            if (scope) {
                auto pattern = parse_path_scope(*scope, text);
                if (!pattern) return std::move(pattern).error();
                grant->path = std::move(*pattern);
                grant->text = fmt::format("{}:{}", canonical_name, grant->path->text);
            } else {
                grant->text = std::string(canonical_name);
            }
            break;
        case Capability::env_get:
            if (scope) {
                std::string_view var = *scope;
                grant->env_scope = Grant::EnvScope::exact;
                if (!var.empty() && var.back() == '*') {
                    grant->env_scope = Grant::EnvScope::prefix;
                    var.remove_suffix(1);
                }
                if (var.find('*') != std::string_view::npos)
                    return permission_error(fmt::format(
                        "bad scope in '{}': '*' is only allowed at the end of a variable name", shown));
                if (grant->env_scope == Grant::EnvScope::prefix && var.empty()) {
                    grant->env_scope = Grant::EnvScope::all;
                } else if (auto ok = validate_env_key(var); !ok) {
                    return permission_error(fmt::format("bad scope in '{}': {}", shown, ok.error().message));
                }
                grant->env_name = std::string(var);
                grant->text = grant->env_scope == Grant::EnvScope::all
                                  ? std::string(canonical_name)
                                  : fmt::format("{}:{}{}", canonical_name, var,
                                                grant->env_scope == Grant::EnvScope::prefix ? "*" : "");
            } else {
                grant->text = std::string(canonical_name);
            }
            break;
        case Capability::net_listen: {
            if (!scope)
                return permission_error(fmt::format(
                    "permission '{}' needs a port: net.listen:PORT (e.g. net.listen:8080, or net.listen:*)",
                    shown));
            auto ports = parse_ports(*scope, text, 0);
            if (!ports) return std::move(ports).error();
            grant->ports = *ports;
            grant->text = fmt::format("{}:{}", canonical_name, grant->ports.text());
            break;
        }
        case Capability::net_connect: {
            if (!scope)
                return permission_error(
                    fmt::format("permission '{}' needs an address: net.connect:HOST:PORT (e.g. "
                                "net.connect:127.0.0.1:8080, "
                                "net.connect:[::1]:8080, net.connect:*:443)",
                                shown));
            std::string_view rest = *scope;
            std::string_view host;
            std::string_view port;
            bool bracketed = false;
            if (!rest.empty() && rest[0] == '[') {
                size_t close = rest.find(']');
                if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
                    return permission_error(fmt::format("bad address in '{}': expected [IPV6]:PORT", shown));
                host = rest.substr(1, close - 1);
                port = rest.substr(close + 2);
                bracketed = true;
            } else {
                size_t last = rest.rfind(':');
                if (last == std::string_view::npos)
                    return permission_error(fmt::format("bad address in '{}': expected HOST:PORT", shown));
                host = rest.substr(0, last);
                port = rest.substr(last + 1);
                if (host.find(':') != std::string_view::npos)
                    return permission_error(
                        fmt::format("bad address in '{}': an IPv6 address must be in brackets, e.g. "
                                    "net.connect:[::1]:8080",
                                    shown));
            }
            auto ports = parse_ports(port, text, 1);
            if (!ports) return std::move(ports).error();
            grant->ports = *ports;
            std::string host_text;
            if (host == "*" && !bracketed) {
                grant->host = Grant::Host::any;
                host_text = "*";
            } else if (size_t slash = host.find('/'); slash != std::string_view::npos) {
                auto ip = IpAddress::parse(host.substr(0, slash));
                if (!ip || (ip->family == IpAddress::Family::v6) != bracketed)
                    return permission_error(
                        fmt::format("bad network in '{}': expected a dotted-quad IPv4 or bracketed IPv6 "
                                    "address before '/'",
                                    shown));
                unsigned max = ip->family == IpAddress::Family::v4 ? 32 : 128;
                auto prefix = parse_decimal(host.substr(slash + 1), max);
                if (!prefix)
                    return permission_error(
                        fmt::format("bad prefix length in '{}': expected 0-{}", shown, max));
                IpAddress masked = *ip;
                for (unsigned bit = *prefix; bit < max; ++bit)
                    masked.bytes[bit / 8] =
                        static_cast<uint8_t>(masked.bytes[bit / 8] & ~(0x80u >> (bit % 8)));
                if (masked != *ip)
                    return permission_error(
                        fmt::format("bad network in '{}': host bits are set; did you mean '{}/{}'?", shown,
                                    masked.to_string(), *prefix));
                grant->host = Grant::Host::network;
                grant->network = *ip;
                grant->prefix = *prefix;
                host_text = ip->family == IpAddress::Family::v6
                                ? fmt::format("[{}/{}]", ip->to_string(), *prefix)
                                : fmt::format("{}/{}", ip->to_string(), *prefix);
            } else if (auto ip = IpAddress::parse(host)) {
                if ((host.find(':') != std::string_view::npos) != bracketed)
                    return permission_error(fmt::format("bad address in '{}'", shown));
                grant->host = Grant::Host::network;
                grant->network = *ip;
                grant->prefix = ip->family == IpAddress::Family::v4 ? 32 : 128;
                host_text = ip->family == IpAddress::Family::v6 ? fmt::format("[{}]", ip->to_string())
                                                                : ip->to_string();
            } else if (bracketed) {
                return permission_error(fmt::format("bad IPv6 address in '{}'", shown));
            } else if (ends_in_number(host)) {
                return permission_error(
                    fmt::format("ambiguous numeric host '{}' in '{}': write an IPv4 address as four decimal "
                                "parts, e.g. 127.0.0.1",
                                escape_for_terminal(host), shown));
            } else if (host.size() > 2 && host.substr(0, 2) == "*.") {
                auto name_part = normalize_hostname(host.substr(2));
                if (!name_part || ends_in_number(*name_part))
                    return permission_error(
                        fmt::format("bad host pattern in '{}': expected *.DOMAIN", shown));
                grant->host = Grant::Host::suffix;
                grant->hostname = *name_part;
                host_text = "*." + *name_part;
            } else {
                auto name_part = normalize_hostname(host);
                if (!name_part)
                    return permission_error(
                        fmt::format("bad host '{}' in '{}': not an IP address or a hostname",
                                    escape_for_terminal(host), shown));
                // RFC 6761: "localhost" names are loopback, never sent to a resolver (whose answer
                // for them could be anything).
                bool is_localhost = *name_part == "localhost" ||
                                    (name_part->size() > 10 && name_part->ends_with(".localhost"));
                if (!resolver && !is_localhost)
                    return permission_error(fmt::format(
                        "cannot resolve host '{}' in '{}': no resolver available; use an IP address",
                        *name_part, shown));
                auto addresses = is_localhost ? Result<std::vector<IpAddress>>(std::vector<IpAddress>{
                                                    IpAddress::v4(127, 0, 0, 1), *IpAddress::parse("::1")})
                                              : resolver(*name_part);
                if (!addresses)
                    return permission_error(fmt::format("cannot resolve host '{}' in '{}': {}", *name_part,
                                                        shown, addresses.error().message));
                if (addresses->empty())
                    return permission_error(
                        fmt::format("host '{}' in '{}' resolved to no address", *name_part, shown));
                grant->host = Grant::Host::names;
                grant->hostname = *name_part;
                for (const IpAddress& a : *addresses)
                    // Normalize mapped forms the resolver may hand back.
                    grant->resolved.push_back(a.family == IpAddress::Family::v6 ? IpAddress::v6(a.bytes) : a);
                host_text = *name_part;
            }
            grant->text = fmt::format("{}:{}:{}", canonical_name, host_text, grant->ports.text());
            break;
        }
    }
    return grant;
}

}  // namespace

std::string_view to_string(Capability capability) noexcept {
    auto index = static_cast<size_t>(capability);
    return index < kNames.size() ? kNames[index] : std::string_view("?");
}

std::optional<Capability> capability_from_name(std::string_view name) noexcept {
    if (name.size() > 16) return std::nullopt;
    char buf[16];
    for (size_t k = 0; k < name.size(); ++k)
        buf[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[k])));
    std::string_view l(buf, name.size());
    for (size_t k = 0; k < kNames.size(); ++k)
        if (kNames[k] == l) return static_cast<Capability>(k);
    return std::nullopt;
}

// ---- Permissions ----------------------------------------------------------------------------

Permissions::Permissions() = default;
Permissions::~Permissions() = default;
Permissions::Permissions(Permissions&&) noexcept = default;
Permissions& Permissions::operator=(Permissions&&) noexcept = default;
Permissions::Permissions(const Permissions&) = default;
Permissions& Permissions::operator=(const Permissions&) = default;

Result<Permissions> Permissions::parse(std::span<const std::string> permissions,
                                       const HostResolver& resolver) {
    Permissions set;
    for (const std::string& text : permissions) {
        auto grant = parse_grant(text, resolver);
        if (!grant) return std::move(grant).error();
        set.m_any[static_cast<size_t>((*grant)->capability)] = true;
        set.m_grants.push_back(std::move(*grant));
    }
    return set;
}

Permissions Permissions::all() {
    Permissions set;
    set.m_all = true;
    set.m_any.fill(true);
    return set;
}

Result<void> Permissions::validate(std::string_view permission) {
    // A hostname is fine at validation time: it is resolved when the capsule loads.
    HostResolver accept_names = [](std::string_view) -> Result<std::vector<IpAddress>> {
        return std::vector<IpAddress>{IpAddress::v4(0, 0, 0, 0)};
    };
    auto grant = parse_grant(permission, accept_names);
    if (!grant) return std::move(grant).error();
    return {};
}

bool Permissions::allows(Capability capability) const noexcept {
    auto index = static_cast<size_t>(capability);
    return index < m_any.size() && m_any[index];
}

bool Permissions::allows_path(Capability capability, std::string_view path) const noexcept {
    if (!is_fs(capability) || !is_normalized(path)) return false;
    if (m_all) return true;
    for (const auto& g : m_grants)
        if (g->capability == capability && (!g->path || g->path->matches(path))) return true;
    return false;
}

bool Permissions::allows_env(std::string_view name) const noexcept {
    if (m_all) return true;
    for (const auto& g : m_grants) {
        if (g->capability != Capability::env_get) continue;
        switch (g->env_scope) {
            case Grant::EnvScope::all:
                return true;
            case Grant::EnvScope::exact:
                if (name == g->env_name) return true;
                break;
            case Grant::EnvScope::prefix:
                if (name.size() >= g->env_name.size() && name.substr(0, g->env_name.size()) == g->env_name)
                    return true;
                break;
        }
    }
    return false;
}

bool Permissions::allows_connect(const NetAddress& address) const noexcept {
    if (m_all) return true;
    // Fold a mapped address the caller did not normalize, so ::ffff:10.0.0.1 is 10.0.0.1.
    IpAddress ip = address.ip.family == IpAddress::Family::v6 ? IpAddress::v6(address.ip.bytes) : address.ip;
    for (const auto& g : m_grants) {
        if (g->capability != Capability::net_connect || !g->ports.contains(address.port)) continue;
        switch (g->host) {
            case Grant::Host::any:
                return true;
            case Grant::Host::network:
                if (prefix_matches(g->network, g->prefix, ip)) return true;
                break;
            case Grant::Host::names:
                for (const IpAddress& r : g->resolved)
                    if (r == ip) return true;
                break;
            case Grant::Host::suffix:
                break;  // names only; see allows_connect_name
        }
    }
    return false;
}

bool Permissions::allows_connect_name(std::string_view hostname, uint16_t port) const noexcept {
    if (m_all) return true;
    if (!hostname.empty() && hostname.back() == '.') hostname.remove_suffix(1);
    if (hostname.empty() || hostname.size() > 253) return false;
    char buf[253];
    for (size_t k = 0; k < hostname.size(); ++k)
        buf[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(hostname[k])));
    std::string_view name(buf, hostname.size());
    for (const auto& g : m_grants) {
        if (g->capability != Capability::net_connect || !g->ports.contains(port)) continue;
        if (g->host == Grant::Host::any) return true;
        if (g->host == Grant::Host::names && name == g->hostname) return true;
        if (g->host == Grant::Host::suffix && name.size() > g->hostname.size() + 1 &&
            name.substr(name.size() - g->hostname.size()) == g->hostname &&
            name[name.size() - g->hostname.size() - 1] == '.')
            return true;
    }
    return false;
}

bool Permissions::allows_listen(uint16_t port) const noexcept {
    if (m_all) return true;
    for (const auto& g : m_grants)
        if (g->capability == Capability::net_listen && g->ports.contains(port)) return true;
    return false;
}

std::vector<std::string> Permissions::to_strings() const {
    if (m_all)
        return {"io.print", "io.input", "fs.read",         "fs.write",    "env.get",
                "clock",    "random",   "net.connect:*:*", "net.listen:*"};
    std::vector<std::string> out;
    out.reserve(m_grants.size());
    for (const auto& g : m_grants) out.push_back(g->text);
    return out;
}

}  // namespace crush
