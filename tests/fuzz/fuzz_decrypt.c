/* libFuzzer: the whole decrypt path through the streaming session with a fixed raw AES
 * keyring, fed in chunks whose sizes come from the input. Invariants: a failed session
 * reports no output from the failing call; a success only with a verified message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <aws-esdk-c/esdk.h>

static esdk_keyring *keyring(void)
{
    static esdk_keyring *kr;
    if (!kr) {
        uint8_t key[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (uint8_t)i;
        }
        if (esdk_keyring_raw_aes_new("fuzz", "key", key, sizeof key, &kr) != 0) {
            abort();
        }
    }
    return kr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    size_t chunk = (size_t)data[0] % 64 + 1;
    data++;
    size--;
    esdk_options *o = NULL;
    esdk_session *s = NULL;
    if (esdk_options_new(&o) ||
        esdk_options_set_commitment_policy(o, ESDK_COMMITMENT_REQUIRE_ENCRYPT_ALLOW_DECRYPT) ||
        esdk_options_set_max_header_size(o, 1u << 16) ||
        esdk_options_set_max_unframed_size(o, 1u << 20) ||
        esdk_session_new_with_keyring(ESDK_MODE_DECRYPT, o, keyring(), &s)) {
        abort();
    }
    uint8_t out[256];
    size_t off = 0;
    int rc = 0;
    for (int idle = 0; rc == 0 && !esdk_session_is_done(s) && idle < 3;) {
        size_t give = size - off < chunk ? size - off : chunk, produced = 0, used = 0;
        if (off == size) {
            rc = esdk_session_end_input(s);
        }
        rc = rc ? rc : esdk_session_process(s, out, sizeof out, &produced, data + off, give, &used);
        if (rc && produced) {
            abort();
        }
        off += used;
        idle = (produced || used) ? 0 : idle + 1;
    }
    esdk_session_release(s);
    esdk_options_release(o);
    return 0;
}
