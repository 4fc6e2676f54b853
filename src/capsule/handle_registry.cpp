// Copyright Crush authors.
// HandleRegistry: one mutex over a table of refcounted entries. Host resources close when the
// last shared_ptr goes (HostHandle/MemoryRegion destructors → Hal), never under the table lock
// for longer than a pointer swap, so a slow close cannot stall other handles.
#include "capsule/handle_registry.hpp"

#include <algorithm>

namespace crush {

HandleEntry::HandleEntry(HandleInit init) noexcept
    : kind(init.kind),
      host(std::move(init.host)),
      memory(std::move(init.memory)),
      virtual_path(std::move(init.virtual_path)),
      preopen(init.preopen),
      read_only(init.read_only),
      never_blocks(init.never_blocks),
      disk(std::move(init.disk)),
      fd_flags(init.fd_flags),
      m_base(init.base),
      m_inheriting(init.inheriting) {}

HalResult<void> HandleEntry::restrict_rights(Rights base, Rights inheriting) noexcept {
    // Only ever remove rights. The compare-exchange loop keeps concurrent restrictions monotone.
    Rights old_base = m_base.load(std::memory_order_acquire);
    Rights old_inh = m_inheriting.load(std::memory_order_acquire);
    if ((base & ~old_base) != 0 || (inheriting & ~old_inh) != 0)
        return Errno::notcapable;
    while (!m_base.compare_exchange_weak(old_base, old_base & base, std::memory_order_acq_rel)) {
    }
    while (!m_inheriting.compare_exchange_weak(old_inh, old_inh & inheriting, std::memory_order_acq_rel)) {
    }
    return {};
}

HandleRegistry::HandleRegistry(size_t max_handles) noexcept : m_max(max_handles) {}

HandleRegistry::~HandleRegistry() {
    // Take the table out under the lock, then let the entries (and their host resources) go.
    std::unordered_map<uint32_t, std::shared_ptr<HandleEntry>> table;
    {
        std::lock_guard lock(m_mutex);
        table.swap(m_table);
    }
}

HalResult<Handle> HandleRegistry::insert(HandleInit init) noexcept {
    // Build the entry before taking the lock; if the insert fails the resource closes here.
    std::shared_ptr<HandleEntry> entry;
    try {
        entry = std::make_shared<HandleEntry>(std::move(init));
    } catch (...) {
        return Errno::nomem;
    }
    std::lock_guard lock(m_mutex);
    if (m_table.size() >= m_max)
        return Errno::mfile;
    if (m_next > UINT32_MAX)
        return Errno::nfile;  // 4 billion opens in one capsule: IDs are never reused
    const auto id = static_cast<uint32_t>(m_next++);
    try {
        m_table.emplace(id, std::move(entry));
    } catch (...) {
        return Errno::nomem;
    }
    return static_cast<Handle>(id);
}

HalResult<void> HandleRegistry::insert_at(Handle handle, HandleInit init) noexcept {
    const auto id = static_cast<uint32_t>(handle);
    if (id >= static_cast<uint32_t>(Handle::first_dynamic))
        return Errno::inval;
    std::shared_ptr<HandleEntry> entry;
    try {
        entry = std::make_shared<HandleEntry>(std::move(init));
    } catch (...) {
        return Errno::nomem;
    }
    std::lock_guard lock(m_mutex);
    if (m_table.count(id) != 0)
        return Errno::exist;
    if (m_table.size() >= m_max)
        return Errno::mfile;
    try {
        m_table.emplace(id, std::move(entry));
    } catch (...) {
        return Errno::nomem;
    }
    return {};
}

HalResult<std::shared_ptr<HandleEntry>> HandleRegistry::lookup(Handle handle, HandleKindMask kinds,
                                                               Rights required) const noexcept {
    std::shared_ptr<HandleEntry> entry;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_table.find(static_cast<uint32_t>(handle));
        if (it == m_table.end())
            return Errno::badf;
        entry = it->second;
    }
    if ((kind_mask(entry->kind) & kinds) == 0)
        return Errno::badf;
    if ((entry->base_rights() & required) != required)
        return Errno::notcapable;
    return entry;
}

HalResult<void> HandleRegistry::close(Handle handle) noexcept {
    std::shared_ptr<HandleEntry> victim;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_table.find(static_cast<uint32_t>(handle));
        if (it == m_table.end())
            return Errno::badf;
        victim = std::move(it->second);
        m_table.erase(it);
    }
    // `victim` drops here, outside the lock: the host resource closes unless a lookup in
    // another thread still holds it (then it closes when that call finishes).
    return {};
}

HalResult<void> HandleRegistry::renumber(Handle from, Handle to) noexcept {
    std::shared_ptr<HandleEntry> replaced;
    {
        std::lock_guard lock(m_mutex);
        auto f = m_table.find(static_cast<uint32_t>(from));
        auto t = m_table.find(static_cast<uint32_t>(to));
        if (f == m_table.end() || t == m_table.end())
            return Errno::badf;
        if (f == t)
            return {};
        replaced = std::move(t->second);
        t->second = std::move(f->second);
        m_table.erase(f);
    }
    return {};  // `replaced` closes here, outside the lock
}

size_t HandleRegistry::count() const noexcept {
    std::lock_guard lock(m_mutex);
    return m_table.size();
}

std::vector<Handle> HandleRegistry::handles() const {
    std::vector<Handle> out;
    {
        std::lock_guard lock(m_mutex);
        out.reserve(m_table.size());
        for (const auto& [id, entry] : m_table)
            out.push_back(static_cast<Handle>(id));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace crush
