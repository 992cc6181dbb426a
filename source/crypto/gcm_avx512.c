/* AES-GCM with VAES and VPCLMULQDQ on 512-bit registers.
 *
 * Why our own: mbedTLS 2.28's GCM runs one block at a time (about 217 MB/s here) and
 * libsodium 1.0.18 has AES-256-GCM only, on 128-bit registers (about 1.9 GB/s). With four
 * AES blocks per VAES instruction and four GHASH products per VPCLMULQDQ, one core does
 * several GB/s for every key size. The key schedule comes from mbedTLS (vetted, and the
 * same byte layout AES-NI uses); AES-NI and carry-less multiplication run in constant time.
 *
 * GHASH is computed as RFC 8452 (AES-GCM-SIV) appendix A describes: byte-reverse every block
 * and the result, and use POLYVAL with H' = mulX_POLYVAL(ByteReverse(H)). POLYVAL's field
 * element is a plain little-endian 128-bit integer, so PCLMULQDQ multiplies it without bit
 * reflection, and dot(a, b) = a * b * x^-128 is a Montgomery product, reduced with two
 * multiplications by 0xC2 << 56 (x^128 = x^127 + x^126 + x^121 + 1). Sixteen blocks are
 * folded per reduction: S' = (S + X1) H^16 + X2 H^15 + ... + X16 H, with powers in the
 * same Montgomery form, since the reduction is linear.
 *
 * Counters: the block counter is kept as a little-endian 32-bit lane next to the 12 IV
 * bytes and turned big-endian by a byte shuffle just before AES. A message has at most
 * 2^32 - 2 blocks (aead.c refuses more), so the 32-bit counter never wraps on data. */
#include "crypto/gcm_avx512.h"

#include <string.h>

#include <mbedtls/aes.h>

#include <aws-esdk-c/error.h>

#include "common/mem.h"
#include "common/status.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#    define ESDK_GCM512 1
#    include <cpuid.h>
#    include <immintrin.h>
#    include <stdatomic.h>
#endif

/* last: poisons calls this library must not make */
#include "banned.h"

#ifdef ESDK_GCM512

#    define TARGET                                                                                 \
        __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,vaes,vpclmulqdq,aes,pclmul")))

/* ---- CPU detection ---- */

static bool detect(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) {
        return false;
    }
    const bool aes = c & (1u << 25), pclmul = c & (1u << 1), osxsave = c & (1u << 27);
    if (!aes || !pclmul || !osxsave) {
        return false;
    }
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    /* the OS saves SSE, AVX, the opmask and both halves of the upper ZMM state */
    if ((lo & 0xe6u) != 0xe6u) {
        return false;
    }
    if (__get_cpuid_max(0, NULL) < 7) {
        return false;
    }
    __cpuid_count(7, 0, a, b, c, d);
    const bool f = b & (1u << 16), dq = b & (1u << 17), bw = b & (1u << 30), vl = b & (1u << 31);
    const bool vaes = c & (1u << 9), vpclmul = c & (1u << 10);
    return f && dq && bw && vl && vaes && vpclmul;
}

bool esdk_gcm512_available(void)
{
    /* 0 = not asked yet, 1 = no, 2 = yes; racing first calls compute the same answer */
    static atomic_int state;
    int s = atomic_load_explicit(&state, memory_order_relaxed);
    if (s == 0) {
        s = detect() ? 2 : 1;
        atomic_store_explicit(&state, s, memory_order_relaxed);
    }
    return s == 2;
}

/* ---- GF(2^128) in POLYVAL form ---- */

/* (hi:lo) * x^-128 mod the POLYVAL polynomial */
TARGET static inline __m128i reduce(__m128i lo, __m128i hi)
{
    const __m128i poly = _mm_set_epi64x((long long)0xC200000000000000ull, 1);
    __m128i t = _mm_clmulepi64_si128(lo, poly, 0x10);
    lo = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), t);
    t = _mm_clmulepi64_si128(lo, poly, 0x10);
    lo = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), t);
    return _mm_xor_si128(hi, lo);
}

TARGET static inline __m128i gf_mul(__m128i a, __m128i b)
{
    __m128i lo = _mm_clmulepi64_si128(a, b, 0x00);
    __m128i hi = _mm_clmulepi64_si128(a, b, 0x11);
    __m128i mid = _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x01), _mm_clmulepi64_si128(a, b, 0x10));
    lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
    hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
    return reduce(lo, hi);
}

/* Unreduced products of four lanes, summed into lo/mid/hi. */
typedef struct acc {
    __m512i lo, mid, hi;
} acc;

TARGET static inline void mul_acc(acc *a, __m512i x, __m512i h)
{
    a->lo = _mm512_xor_si512(a->lo, _mm512_clmulepi64_epi128(x, h, 0x00));
    a->hi = _mm512_xor_si512(a->hi, _mm512_clmulepi64_epi128(x, h, 0x11));
    a->mid = _mm512_ternarylogic_epi64(
        a->mid, _mm512_clmulepi64_epi128(x, h, 0x01), _mm512_clmulepi64_epi128(x, h, 0x10), 0x96);
}

TARGET static inline __m128i xor_lanes(__m512i v)
{
    __m256i y = _mm256_xor_si256(_mm512_castsi512_si256(v), _mm512_extracti64x4_epi64(v, 1));
    return _mm_xor_si128(_mm256_castsi256_si128(y), _mm256_extracti128_si256(y, 1));
}

TARGET static inline __m128i acc_finish(const acc *a)
{
    __m512i lo = _mm512_xor_si512(a->lo, _mm512_bslli_epi128(a->mid, 8));
    __m512i hi = _mm512_xor_si512(a->hi, _mm512_bsrli_epi128(a->mid, 8));
    return reduce(xor_lanes(lo), xor_lanes(hi));
}

TARGET static inline acc acc_zero(void)
{
    acc a = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
    return a;
}

TARGET static inline __m512i bswap_mask(void)
{
    return _mm512_broadcast_i32x4(
        _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

/* Bytes 0..11 as they are, the counter lane (bytes 12..15) big-endian. */
TARGET static inline __m512i counter_mask(void)
{
    return _mm512_broadcast_i32x4(
        _mm_set_epi8(12, 13, 14, 15, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
}

TARGET static inline __m512i hpow4(const esdk_gcm512 *g, size_t first)
{
    return _mm512_loadu_si512((const void *)g->hpow[first]);
}

/* S absorbs n bytes (n <= 64; a short tail is zero-padded, as GCM pads). */
TARGET static inline __m128i ghash_upto4(const esdk_gcm512 *g, __m128i s, __m512i data, size_t n)
{
    const size_t blocks = (n + 15) / 16;
    acc a = acc_zero();
    __m512i x = _mm512_shuffle_epi8(data, bswap_mask());
    x = _mm512_xor_si512(x, _mm512_zextsi128_si512(s));
    mul_acc(&a, x, hpow4(g, 16 - blocks)); /* H^blocks .. H^1, then zeros */
    return acc_finish(&a);
}

static inline __mmask64 byte_mask(size_t n)
{
    return n >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << n) - 1);
}

/* GHASH over bytes (the AAD): sixteen blocks per reduction, then groups of up to four. */
TARGET static __m128i ghash_bytes(const esdk_gcm512 *g, __m128i s, const uint8_t *p, size_t n)
{
    const __m512i bs = bswap_mask();
    for (; n >= 256; p += 256, n -= 256) {
        acc a = acc_zero();
        __m512i x0 = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)p), bs);
        x0 = _mm512_xor_si512(x0, _mm512_zextsi128_si512(s));
        mul_acc(&a, x0, hpow4(g, 0));
        for (size_t k = 1; k < 4; k++) {
            __m512i x = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)(p + 64 * k)), bs);
            mul_acc(&a, x, hpow4(g, 4 * k));
        }
        s = acc_finish(&a);
    }
    while (n) {
        const size_t take = n < 64 ? n : 64;
        s = ghash_upto4(g, s, _mm512_maskz_loadu_epi8(byte_mask(take), p), take);
        p += take;
        n -= take;
    }
    return s;
}

/* ---- AES ---- */

TARGET static inline __m128i aes_block(const esdk_gcm512 *g, __m128i b)
{
    b = _mm_xor_si128(b, _mm_load_si128((const __m128i *)(const void *)g->rk[0]));
    for (unsigned r = 1; r < g->rounds; r++) {
        b = _mm_aesenc_si128(b, _mm_load_si128((const __m128i *)(const void *)g->rk[r]));
    }
    return _mm_aesenclast_si128(b, _mm_load_si128((const __m128i *)(const void *)g->rk[g->rounds]));
}

#    define RK(r) _mm512_load_si512((const void *)g->rk[r])

/* AES on n (1..4) registers of four blocks each, rounds interleaved across registers. */
#    define AES_ROUND(r)                                                                           \
        do {                                                                                       \
            const __m512i k_ = RK(r);                                                              \
            for (int i_ = 0; i_ < n; i_++) {                                                       \
                b[i_] = _mm512_aesenc_epi128(b[i_], k_);                                           \
            }                                                                                      \
        } while (0)

TARGET static inline void aes_x4(const esdk_gcm512 *g, __m512i *b, const int n)
{
    const __m512i k0 = RK(0);
    for (int i = 0; i < n; i++) {
        b[i] = _mm512_xor_si512(b[i], k0);
    }
    AES_ROUND(1);
    AES_ROUND(2);
    AES_ROUND(3);
    AES_ROUND(4);
    AES_ROUND(5);
    AES_ROUND(6);
    AES_ROUND(7);
    AES_ROUND(8);
    AES_ROUND(9);
    if (g->rounds > 10) {
        AES_ROUND(10);
        AES_ROUND(11);
        if (g->rounds > 12) {
            AES_ROUND(12);
            AES_ROUND(13);
        }
    }
    const __m512i kl = RK(g->rounds);
    for (int i = 0; i < n; i++) {
        b[i] = _mm512_aesenclast_epi128(b[i], kl);
    }
}

/* ---- set-up ---- */

static uint64_t load_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

TARGET static void init_powers(esdk_gcm512 *g)
{
    uint8_t h[16];
    _mm_storeu_si128((__m128i *)(void *)h, aes_block(g, _mm_setzero_si128()));
    /* ByteReverse(H) as a little-endian integer is H read big-endian; then mulX_POLYVAL */
    uint64_t hi = load_be64(h), lo = load_be64(h + 8);
    const uint64_t carry = hi >> 63;
    hi = (hi << 1) | (lo >> 63);
    lo <<= 1;
    hi ^= carry * 0xC200000000000000ull;
    lo ^= carry;
    const __m128i h1 = _mm_set_epi64x((long long)hi, (long long)lo);
    __m128i p = h1;
    for (int k = 1; k <= 16; k++) {
        _mm_store_si128((__m128i *)(void *)g->hpow[16 - k], p);
        p = gf_mul(p, h1);
    }
    memset(g->hpow[16], 0, 4 * 16);
    esdk_wipe(h, sizeof h);
}

int esdk_gcm512_init(esdk_gcm512 *g, const uint8_t *key, size_t key_len)
{
    mbedtls_aes_context aes;
    mbedtls_aes_init(&aes);
    if (mbedtls_aes_setkey_enc(&aes, key, (unsigned)key_len * 8) != 0 || aes.nr < 10 ||
        aes.nr > 14) {
        mbedtls_aes_free(&aes);
        return esdk_fail(ESDK_ERR_CRYPTO, "AES key expansion failed");
    }
    /* mbedTLS keeps the expanded key as the FIPS-197 byte sequence (what AES-NI takes) */
    g->rounds = (unsigned)aes.nr;
    for (unsigned r = 0; r <= g->rounds; r++) {
        for (int lane = 0; lane < 4; lane++) {
            memcpy(g->rk[r] + 16 * lane, (const uint8_t *)aes.rk + 16 * r, 16);
        }
    }
    mbedtls_aes_free(&aes); /* zeroizes */
    init_powers(g);
    return 0;
}

/* ---- encrypt and decrypt ---- */

TARGET static inline void gcm_crypt(
    const esdk_gcm512 *g,
    const uint8_t iv[12],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[16],
    const bool enc)
{
    const __m512i bs = bswap_mask(), cm = counter_mask();
    const __m512i inc4 = _mm512_set_epi32(4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0);
    const __m512i inc16 = _mm512_slli_epi32(inc4, 2);
    uint8_t cb[16];
    const uint32_t first = 2; /* J0 = IV || 1 makes the tag; data starts at counter 2 */
    memcpy(cb, iv, 12);
    memcpy(cb + 12, &first, 4); /* x86: little-endian lane, see counter_mask */
    const __m128i base = _mm_loadu_si128((const __m128i *)(const void *)cb);
    __m512i ctr[4];
    ctr[0] = _mm512_add_epi32(
        _mm512_broadcast_i32x4(base),
        _mm512_set_epi32(3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0));
    ctr[1] = _mm512_add_epi32(ctr[0], inc4);
    ctr[2] = _mm512_add_epi32(ctr[1], inc4);
    ctr[3] = _mm512_add_epi32(ctr[2], inc4);

    __m128i s = ghash_bytes(g, _mm_setzero_si128(), aad, aad_len);
    size_t i = 0;
    for (; len - i >= 256; i += 256) {
        __m512i b[4], x[4];
        for (int k = 0; k < 4; k++) {
            b[k] = _mm512_shuffle_epi8(ctr[k], cm);
            ctr[k] = _mm512_add_epi32(ctr[k], inc16);
        }
        if (!enc) {
            for (int k = 0; k < 4; k++) {
                x[k] = _mm512_loadu_si512((const void *)(in + i + 64 * k));
            }
        }
        aes_x4(g, b, 4);
        for (int k = 0; k < 4; k++) {
            if (enc) {
                x[k] = _mm512_xor_si512(_mm512_loadu_si512((const void *)(in + i + 64 * k)), b[k]);
                _mm512_storeu_si512((void *)(out + i + 64 * k), x[k]);
            } else {
                _mm512_storeu_si512((void *)(out + i + 64 * k), _mm512_xor_si512(x[k], b[k]));
            }
        }
        acc a = acc_zero();
        __m512i y = _mm512_xor_si512(_mm512_shuffle_epi8(x[0], bs), _mm512_zextsi128_si512(s));
        mul_acc(&a, y, hpow4(g, 0));
        for (int k = 1; k < 4; k++) {
            mul_acc(&a, _mm512_shuffle_epi8(x[k], bs), hpow4(g, 4 * (size_t)k));
        }
        s = acc_finish(&a);
    }
    /* the tail: up to four blocks at a time, the last one partial */
    while (i < len) {
        const size_t take = len - i < 64 ? len - i : 64;
        const __mmask64 m = byte_mask(take);
        __m512i b[1] = {_mm512_shuffle_epi8(ctr[0], cm)};
        ctr[0] = _mm512_add_epi32(ctr[0], inc4);
        const __m512i x = _mm512_maskz_loadu_epi8(m, in + i);
        aes_x4(g, b, 1);
        const __m512i y = _mm512_xor_si512(x, b[0]);
        _mm512_mask_storeu_epi8(out + i, m, y);
        /* GHASH reads the ciphertext: what we wrote (zeroed past the end) or what we read */
        s = ghash_upto4(g, s, enc ? _mm512_maskz_mov_epi8(m, y) : x, take);
        i += take;
    }
    const __m128i lens =
        _mm_set_epi64x((long long)((uint64_t)aad_len * 8), (long long)((uint64_t)len * 8));
    s = gf_mul(_mm_xor_si128(s, lens), _mm_load_si128((const __m128i *)(const void *)g->hpow[15]));
    const uint32_t one = 1;
    memcpy(cb + 12, &one, 4);
    const __m128i j0 = _mm_shuffle_epi8(
        _mm_loadu_si128((const __m128i *)(const void *)cb), _mm512_castsi512_si128(cm));
    const __m128i t =
        _mm_xor_si128(_mm_shuffle_epi8(s, _mm512_castsi512_si128(bs)), aes_block(g, j0));
    _mm_storeu_si128((__m128i *)(void *)tag, t);
}

TARGET void esdk_gcm512_encrypt(
    const esdk_gcm512 *g,
    const uint8_t iv[12],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[16])
{
    gcm_crypt(g, iv, aad, aad_len, in, len, out, tag, true);
}

TARGET void esdk_gcm512_decrypt(
    const esdk_gcm512 *g,
    const uint8_t iv[12],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[16])
{
    gcm_crypt(g, iv, aad, aad_len, in, len, out, tag, false);
}

#else /* not x86-64: never available, so never called */

bool esdk_gcm512_available(void)
{
    return false;
}

int esdk_gcm512_init(esdk_gcm512 *g, const uint8_t *key, size_t key_len)
{
    (void)g;
    (void)key;
    (void)key_len;
    return esdk_fail(ESDK_ERR_UNSUPPORTED, "no VAES/AVX-512 AES-GCM on this CPU");
}

void esdk_gcm512_encrypt(
    const esdk_gcm512 *g,
    const uint8_t iv[12],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[16])
{
    (void)g, (void)iv, (void)aad, (void)aad_len, (void)in, (void)len, (void)out, (void)tag;
}

void esdk_gcm512_decrypt(
    const esdk_gcm512 *g,
    const uint8_t iv[12],
    const uint8_t *aad,
    size_t aad_len,
    const uint8_t *in,
    size_t len,
    uint8_t *out,
    uint8_t tag[16])
{
    (void)g, (void)iv, (void)aad, (void)aad_len, (void)in, (void)len, (void)out, (void)tag;
}

#endif
