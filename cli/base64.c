/* Base64, streaming both ways. */
#include "base64.h"

#include <stdlib.h>
#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void encode3(const uint8_t *in, char *out)
{
    out[0] = alphabet[in[0] >> 2];
    out[1] = alphabet[((in[0] & 0x03) << 4) | (in[1] >> 4)];
    out[2] = alphabet[((in[1] & 0x0f) << 2) | (in[2] >> 6)];
    out[3] = alphabet[in[2] & 0x3f];
}

size_t cli_b64_enc_update(cli_b64_enc *e, const uint8_t *in, size_t in_len, char *out)
{
    size_t w = 0;
    while (e->pending_len && e->pending_len < 3 && in_len) {
        uint8_t block[3] = {e->pending[0], e->pending[1], 0};
        block[e->pending_len] = *in++;
        in_len--;
        if (e->pending_len == 1) {
            e->pending[1] = block[1];
            e->pending_len = 2;
            continue;
        }
        encode3(block, out + w);
        w += 4;
        e->pending_len = 0;
    }
    while (in_len >= 3) {
        encode3(in, out + w);
        w += 4;
        in += 3;
        in_len -= 3;
    }
    for (size_t i = 0; i < in_len; i++) {
        e->pending[e->pending_len++] = in[i];
    }
    return w;
}

size_t cli_b64_enc_final(cli_b64_enc *e, char *out)
{
    if (!e->pending_len) {
        return 0;
    }
    uint8_t block[3] = {e->pending[0], e->pending_len > 1 ? e->pending[1] : 0, 0};
    encode3(block, out);
    out[3] = '=';
    if (e->pending_len == 1) {
        out[2] = '=';
    }
    e->pending_len = 0;
    return 4;
}

static int value_of(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Emit the bytes of a full or partial quad (n = 2, 3 or 4 characters). */
static size_t flush_quad(const uint8_t *q, size_t n, uint8_t *out)
{
    out[0] = (uint8_t)((q[0] << 2) | (q[1] >> 4));
    if (n == 2) {
        return 1;
    }
    out[1] = (uint8_t)((q[1] << 4) | (q[2] >> 2));
    if (n == 3) {
        return 2;
    }
    out[2] = (uint8_t)((q[2] << 6) | q[3]);
    return 3;
}

int cli_b64_dec_update(cli_b64_dec *d, const char *in, size_t in_len, uint8_t *out, size_t *out_len)
{
    size_t w = 0;
    for (size_t i = 0; i < in_len; i++) {
        char c = in[i];
        if (is_space(c)) {
            continue;
        }
        if (c == '=') {
            /* padding: allowed only after 2 or 3 characters of a quad (or a second '=') */
            if (!d->ended) {
                if (d->quad_len < 2) {
                    return -1;
                }
                w += flush_quad(d->quad, d->quad_len, out + w);
                d->quad_len = 0;
                d->ended = true;
            }
            continue;
        }
        int v = value_of(c);
        if (v < 0 || d->ended) {
            return -1;
        }
        d->quad[d->quad_len++] = (uint8_t)v;
        if (d->quad_len == 4) {
            w += flush_quad(d->quad, 4, out + w);
            d->quad_len = 0;
        }
    }
    *out_len = w;
    return 0;
}

int cli_b64_dec_final(cli_b64_dec *d, uint8_t *out, size_t *out_len)
{
    *out_len = 0;
    if (d->quad_len == 1) {
        return -1;
    }
    if (d->quad_len > 1) {
        *out_len = flush_quad(d->quad, d->quad_len, out);
        d->quad_len = 0;
    }
    d->ended = true;
    return 0;
}

char *cli_b64_encode(const uint8_t *in, size_t len)
{
    char *out = malloc(CLI_B64_ENCODED_LEN(len) + 1);
    if (!out) {
        return NULL;
    }
    cli_b64_enc e = {{0, 0}, 0};
    size_t w = cli_b64_enc_update(&e, in, len, out);
    w += cli_b64_enc_final(&e, out + w);
    out[w] = '\0';
    return out;
}

int cli_b64_decode(const char *in, size_t in_len, uint8_t **out, size_t *out_len)
{
    uint8_t *buf = malloc(3 * (in_len / 4 + 1) + 3);
    cli_b64_dec d;
    size_t a = 0, b = 0;
    memset(&d, 0, sizeof d);
    if (!buf) {
        return -1;
    }
    if (cli_b64_dec_update(&d, in, in_len, buf, &a) != 0 ||
        cli_b64_dec_final(&d, buf + a, &b) != 0) {
        explicit_bzero(buf, 3 * (in_len / 4 + 1) + 3);
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = a + b;
    return 0;
}
