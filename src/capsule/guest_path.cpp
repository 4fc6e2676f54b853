// Copyright Crush authors.
#include "capsule/guest_path.hpp"

namespace crush {

Result<std::string> normalize_guest_path(std::string_view path) {
    auto bad = [](const char* why) { return Error{ErrorKind::invalid, 0, why}; };
    if (path.find('\0') != std::string_view::npos) return bad("contains a NUL byte");
    if (path.empty() || path[0] != '/') return bad("must be absolute (start with '/')");
    std::string out;
    size_t pos = 0;
    while (pos < path.size()) {
        size_t end = path.find('/', pos);
        if (end == std::string_view::npos) end = path.size();
        std::string_view component = path.substr(pos, end - pos);
        if (component == "..") return bad("must not contain '..'");
        if (!component.empty() && component != ".") {
            out += '/';
            out.append(component);
        }
        pos = end + 1;
    }
    if (out.empty()) return bad("must name a directory below '/', not '/' itself");
    return out;
}

}  // namespace crush
