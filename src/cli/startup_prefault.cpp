// Copyright Crush authors.
// exo maps its own pages in a handful of system calls at start-up instead of one page fault at a
// time.
//
// Why: on virtual machines without hardware-assisted paging (the project's 2-core VM runs a
// paravirtualised kernel, `pvm_*` in its profiles) every page fault traps to the hypervisor. A C
// test touching 200 pages there: an anonymous write fault 9–10 µs, a file read fault 20–40 µs (it
// maps 16 pages around the address), a copy-on-write fault 10–22 µs; madvise(MADV_POPULATE_WRITE)
// maps anonymous pages for 0.5–1.2 µs each and MADV_POPULATE_READ file pages for 0.15–0.25 µs.
// `exo run hello.wasm` goes from 145 page faults to 63 (the rest happen before this code runs:
// exec, static-PIE relocation, libc set-up) and its median wall time drops by 0.15–0.25 ms (~5 %,
// interleaved runs of both binaries); the calls cost part of what the faults did.
//
// Where paging is hardware-assisted (a KVM guest with EPT/NPT: an anonymous fault ~1.5 µs) the
// same mapping ahead costs more than the faults it saves: hello 1.12 ms without it, 1.46 ms with
// it (mapping all the code ~0.13 ms, the heap ~0.17 ms). So exo first times three first touches
// of fresh heap pages (pages it would touch anyway) and maps ahead only when the cheapest took
// over 4 µs. The heap policy (tune_heap) applies either way.
//
// What: from .preinit_array (the first code that runs after static-PIE relocation, before any C++
// constructor), populate exo's code and read-only data, its writable data and bss, the top of the
// main thread's stack, and the first stretch of malloc's heap. Every step is best effort: a kernel
// older than 5.14 answers EINVAL and nothing changes but speed. Only the exo executable does this;
// it is not part of the crush_cli library, so embedders and tests never see it.
#include <link.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace {

// Heap populated up front, and malloc's growth step. `exo run` of a small capsule peaks near
// 300 KiB of heap (module bytes, compiled code, CLI11's option objects); larger capsules fault in
// the rest as before.
constexpr std::size_t kHeapPrefault = 512 * 1024;
// Stack populated below the current frame: `exo run` reaches ~30 KiB deep; the kernel's initial
// stack mapping is 132 KiB, so this stays inside it.
constexpr std::size_t kStackPrefault = 64 * 1024;

std::uintptr_t page_size() { return static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE)); }
std::uintptr_t page_down(std::uintptr_t a) { return a & ~(page_size() - 1); }
std::uintptr_t page_up(std::uintptr_t a) { return page_down(a + page_size() - 1); }

void populate(std::uintptr_t begin, std::uintptr_t end, int advice) {
    if (end > begin) (void)madvise(reinterpret_cast<void*>(begin), end - begin, advice);
}

// The first object dl_iterate_phdr reports is the executable itself.
int populate_executable(dl_phdr_info* info, std::size_t, void*) {
    std::uintptr_t relro_end = 0;
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        if (ph.p_type == PT_GNU_RELRO) relro_end = page_down(info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
    }
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        if (ph.p_type != PT_LOAD) continue;
        std::uintptr_t begin = page_down(info->dlpi_addr + ph.p_vaddr);
        std::uintptr_t end = page_up(info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
        if ((ph.p_flags & PF_W) == 0) {
            populate(begin, end, MADV_POPULATE_READ);
        } else {
            // The RELRO part was relocated and is read-only now: map the pages that had no
            // relocation to write (reading them would still fault), and the rest for writing.
            std::uintptr_t split = relro_end < begin ? begin : (relro_end > end ? end : relro_end);
            populate(begin, split, MADV_POPULATE_READ);
            populate(split, end, MADV_POPULATE_WRITE);
        }
    }
    return 1;
}

void populate_stack() {
    volatile char here = 0;
    std::uintptr_t top = page_down(reinterpret_cast<std::uintptr_t>(&here));
    populate(top - kStackPrefault, top + page_size(), MADV_POPULATE_WRITE);
}

/// Whether a page fault is expensive here: the cheapest of three first touches of fresh pages
/// (the cheapest, so an interrupt landing in one cannot decide). The pages are heap the capsule
/// set-up uses anyway.
bool faults_are_slow() {
    constexpr std::size_t kProbe = 64 * 1024;
    constexpr std::int64_t kSlowNs = 4000;  // paravirtualised: 9-20 µs; EPT/NPT guest: ~1.5 µs
    // The first allocation: malloc sets up its heap with a fresh sbrk, so these pages are new.
    char* fresh = static_cast<char*>(std::malloc(kProbe));
    if (fresh == nullptr) return false;
    auto now_ns = [] {
        timespec t{};
        clock_gettime(CLOCK_MONOTONIC, &t);
        return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
    };
    std::int64_t best = INT64_MAX;
    for (std::size_t off = 16 * 1024; off < kProbe; off += 16 * 1024) {  // not the chunk header's page
        const std::int64_t t0 = now_ns();
        *static_cast<volatile char*>(fresh + off) = 0;
        const std::int64_t t = now_ns() - t0;
        if (t < best) best = t;
    }
    std::free(fresh);
    return best > kSlowNs;
}

void tune_heap() {
    // exo runs one capsule and exits, so its heap is tuned for that: grow in 512 KiB steps, serve
    // blocks up to 16 MiB from the heap rather than from a fresh mmap each (the Store's 8 MiB
    // value stack and its frames then sit next to memory already mapped: on the paravirtualised
    // VM a first touch in a new 2 MiB range costs 30-100 us, it needs a new page table), and never
    // hand memory back before exit (each trim is a TLB flush; the kernel frees it all at exit
    // anyway). hello there: -0.1 to -0.15 ms median. Linear memories are the Store's own mmaps
    // and are unaffected.
    (void)mallopt(M_TOP_PAD, static_cast<int>(kHeapPrefault));
    (void)mallopt(M_MMAP_THRESHOLD, 16 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

void populate_heap() {
    // The heap may still be smaller than the prefault size: it is grown by taking blocks until it
    // spans it.
    constexpr std::size_t kBlock = 64 * 1024;
    constexpr int kMaxBlocks = kHeapPrefault / kBlock;
    void* blocks[kMaxBlocks] = {};
    int taken = 0;
    auto heap_end = [] { return reinterpret_cast<std::uintptr_t>(sbrk(0)); };
    auto heap_begin = [&] { return heap_end() - mallinfo2().arena; };
    while (taken < kMaxBlocks && heap_end() - heap_begin() < kHeapPrefault) {
        blocks[taken] = std::malloc(kBlock);
        if (blocks[taken] == nullptr) break;
        ++taken;
    }
    // Freed blocks return to the top of the heap, which stays mapped.
    for (int i = 0; i < taken; ++i) std::free(blocks[i]);
    populate(page_up(heap_begin()), page_down(heap_end()), MADV_POPULATE_WRITE);
}

void prefault_at_startup(int, char**, char**) {
    tune_heap();
    if (!faults_are_slow()) return;
    dl_iterate_phdr(populate_executable, nullptr);
    populate_stack();
    populate_heap();
}

}  // namespace

// Runs before .init_array (C++ constructors) in an executable; not allowed in shared objects.
__attribute__((section(".preinit_array"), used)) static void (*const crush_prefault_entry)(int, char**, char**) =
    prefault_at_startup;
