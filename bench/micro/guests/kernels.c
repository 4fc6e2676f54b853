/* Compute kernels exported for crush_micro_bench (fuel_bench.cpp): the same code run with
 * StoreConfig::fuel set and unset. Typical compiled C: small basic blocks (fib), a tight loop
 * with loads and stores (sieve), and straight-line ALU work (mix). main is empty: the benchmark
 * calls the exports directly. */
#include <stdint.h>

__attribute__((export_name("fib"))) uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static unsigned char sieve_buf[1 << 16];

__attribute__((export_name("sieve"))) uint32_t sieve(uint32_t limit)
{
    if (limit > sizeof sieve_buf) limit = sizeof sieve_buf;
    for (uint32_t i = 0; i < limit; i++) sieve_buf[i] = 1;
    uint32_t count = 0;
    for (uint32_t i = 2; i < limit; i++) {
        if (!sieve_buf[i]) continue;
        count++;
        for (uint32_t j = i * 2; j < limit; j += i) sieve_buf[j] = 0;
    }
    return count;
}

__attribute__((export_name("mix"))) uint32_t mix(uint32_t rounds)
{
    uint32_t a = 0x6a09e667u, b = 0xbb67ae85u, c = 0x3c6ef372u, d = 0xa54ff53au;
    for (uint32_t i = 0; i < rounds; i++) {
        a += b; d ^= a; d = d << 16 | d >> 16;
        c += d; b ^= c; b = b << 12 | b >> 20;
        a += b; d ^= a; d = d << 8 | d >> 24;
        c += d; b ^= c; b = b << 7 | b >> 25;
    }
    return a ^ b ^ c ^ d;
}

int main(void) { return 0; }
