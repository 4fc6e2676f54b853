// Copyright Crush authors.
// The owning wrappers HostHandle and MemoryRegion: they give their resource back to the Hal
// that created it, so only the Hal makes the releasing system call.
#include "hal/hal.hpp"

#include <utility>

namespace crush {

HostHandle::HostHandle(HostHandle&& other) noexcept
    : m_owner(std::exchange(other.m_owner, nullptr)), m_fd(std::exchange(other.m_fd, HostFd::invalid)) {}

HostHandle& HostHandle::operator=(HostHandle&& other) noexcept {
    if (this != &other) {
        reset();
        m_owner = std::exchange(other.m_owner, nullptr);
        m_fd = std::exchange(other.m_fd, HostFd::invalid);
    }
    return *this;
}

HostHandle::~HostHandle() { reset(); }

void HostHandle::reset() noexcept {
    if (m_owner != nullptr && m_fd != HostFd::invalid)
        m_owner->close_host(m_fd);
    m_owner = nullptr;
    m_fd = HostFd::invalid;
}

HostFd HostHandle::release() noexcept {
    m_owner = nullptr;
    return std::exchange(m_fd, HostFd::invalid);
}

MemoryRegion::MemoryRegion(MemoryRegion&& other) noexcept
    : m_owner(std::exchange(other.m_owner, nullptr)),
      m_base(std::exchange(other.m_base, nullptr)),
      m_size(std::exchange(other.m_size, 0)) {}

MemoryRegion& MemoryRegion::operator=(MemoryRegion&& other) noexcept {
    if (this != &other) {
        reset();
        m_owner = std::exchange(other.m_owner, nullptr);
        m_base = std::exchange(other.m_base, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

MemoryRegion::~MemoryRegion() { reset(); }

void MemoryRegion::reset() noexcept {
    if (m_owner != nullptr && m_base != nullptr)
        m_owner->release_memory(m_base, m_size);
    m_owner = nullptr;
    m_base = nullptr;
    m_size = 0;
}

}  // namespace crush
