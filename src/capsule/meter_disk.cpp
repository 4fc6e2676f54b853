// Copyright Crush authors.
#include "capsule/meter_disk.hpp"

namespace crush {

HalResult<uint64_t> stored_bytes(Hal& hal, HostFd dir, unsigned max_depth) noexcept {
    uint64_t total = 0;
    uint64_t cookie = 0;
    for (;;) {
        CRUSH_HAL_ASSIGN(std::vector<DirEntry> entries, hal.read_dir(dir, cookie, kHalMaxDirEntries));
        if (entries.empty()) break;
        for (const DirEntry& e : entries) {
            cookie = e.next;
            if (e.name == "." || e.name == "..") continue;
            auto st = hal.stat_at(dir, e.name, false);
            if (!st) continue;
            if (st->type == FileType::regular_file) {
                total += st->size;
            } else if (st->type == FileType::directory && max_depth > 0) {
                OpenOptions o;
                o.access = OpenOptions::Access::read;
                o.directory = true;
                o.nofollow = true;
                auto sub = hal.open_at(dir, e.name, o);
                if (!sub) continue;
                auto n = stored_bytes(hal, sub->fd(), max_depth - 1);
                if (n) total += *n;
            }
        }
    }
    return total;
}

}  // namespace crush
