/* The raw ECDH keyring (spec-facts 3.7; public contract in keyrings/raw_ecdh.h): static,
 * discovery and ephemeral-sender schemas over P-256/P-384/P-521. Wire format and key
 * derivation are in raw_ecdh_wire.c. */
#include <string.h>

#include <aws-esdk-c/error.h>
#include <aws-esdk-c/keyrings/raw_ecdh.h>

#include "common/buf.h"
#include "common/cursor.h"
#include "common/mem.h"
#include "common/status.h"
#include "crypto/ecdh.h"
#include "crypto/secure_mem.h"
#include "format/context.h"
#include "keyrings/raw_ecdh_wire.h"

/* last: poisons calls this library must not make */
#include "banned.h"

#define MAX_DATA_KEY 32
#define KMS_ECDH_ID  "aws-kms-ecdh"

typedef enum schema { SCHEMA_STATIC, SCHEMA_DISCOVERY, SCHEMA_EPHEMERAL } schema;

struct raw_ecdh {
    schema schema;
    esdk_curve curve;
    size_t point_len;
    esdk_ec_key *own;       /* static: sender private; discovery: recipient private */
    esdk_ec_key *recipient; /* static and ephemeral: recipient public */
    uint8_t own_point[ESDK_POINT_MAX_LEN];
    uint8_t recipient_point[ESDK_POINT_MAX_LEN]; /* discovery: = own_point */
    uint8_t *static_z;                           /* static: the agreed secret, guarded memory */
    size_t z_len;
};

static const char *schema_name(const struct raw_ecdh *kr)
{
    static const char *const names[] = {"static", "discovery", "ephemeral-sender"};
    return names[kr->schema];
}

/* ---- encrypt ---- */

static int on_encrypt(void *state, esdk_enc_materials *m)
{
    struct raw_ecdh *kr = state;
    if (kr->schema == SCHEMA_DISCOVERY) {
        return esdk_fail(
            ESDK_ERR_UNSUPPORTED, "a discovery raw ECDH keyring cannot encrypt (no sender key)");
    }
    const uint8_t *key;
    size_t key_len;
    esdk_buf ec = ESDK_BUF_INIT, fixed = ESDK_BUF_INIT, info = ESDK_BUF_INIT;
    esdk_ec_key *eph = NULL;
    uint8_t eph_point[ESDK_POINT_MAX_LEN];
    uint8_t z_buf[ESDK_ECDH_SECRET_MAX_LEN];
    uint8_t ct[ESDK_ECDH_CT_OVERHEAD + MAX_DATA_KEY];
    const uint8_t *z = kr->static_z, *sender = kr->own_point;
    size_t z_len = kr->z_len, point_len;
    int rc;
    if (!esdk_enc_materials_data_key(m, &key, &key_len)) {
        ESDK_TRY(esdk_enc_materials_generate_data_key(m));
        (void)esdk_enc_materials_data_key(m, &key, &key_len);
    }
    if (kr->schema == SCHEMA_EPHEMERAL) {
        ESDK_TRY_GOTO(rc, esdk_sig_key_generate(kr->curve, &eph));
        ESDK_TRY_GOTO(
            rc, esdk_sig_key_public_compressed(eph, eph_point, sizeof eph_point, &point_len));
        ESDK_TRY_GOTO(rc, esdk_ecdh_shared_secret(eph, kr->recipient, z_buf, sizeof z_buf, &z_len));
        z = z_buf;
        sender = eph_point;
    }
    ESDK_TRY_GOTO(rc, esdk_enc_ctx_serialize(esdk_enc_materials_context(m), &ec));
    ESDK_TRY_GOTO(
        rc,
        esdk_ecdh_fixed_info(
            kr->curve,
            sender,
            kr->point_len,
            kr->recipient_point,
            kr->point_len,
            ec.data,
            ec.len,
            &fixed));
    ESDK_TRY_GOTO(rc, esdk_ecdh_wrap(z, z_len, fixed.data, fixed.len, key, key_len, ct));
    ESDK_TRY_GOTO(
        rc, esdk_ecdh_info_write(kr->recipient_point, kr->point_len, sender, kr->point_len, &info));
    esdk_edk edk = {
        (const uint8_t *)ESDK_RAW_ECDH_PROVIDER_ID,
        sizeof ESDK_RAW_ECDH_PROVIDER_ID - 1,
        info.data,
        info.len,
        ct,
        ESDK_ECDH_CT_OVERHEAD + key_len};
    rc = esdk_enc_materials_add_edk(m, &edk);
cleanup:
    esdk_sig_key_release(eph);
    esdk_wipe(z_buf, sizeof z_buf);
    esdk_wipe(ct, sizeof ct);
    esdk_buf_release(&ec);
    esdk_buf_release(&fixed);
    esdk_buf_release(&info);
    return rc;
}

/* ---- decrypt ---- */

static bool point_is(const struct raw_ecdh *kr, esdk_cur p, const uint8_t *point)
{
    return esdk_bytes_equal(p.ptr, p.len, point, kr->point_len);
}

/* Whether the EDK is addressed to this keyring (provider id, info layout, our points). */
static bool
edk_is_ours(const struct raw_ecdh *kr, const esdk_edk *edk, esdk_cur *recipient, esdk_cur *sender)
{
    static const char raw_id[] = ESDK_RAW_ECDH_PROVIDER_ID;
    static const char kms_id[] = KMS_ECDH_ID;
    if (!esdk_bytes_equal(edk->provider_id, edk->provider_id_len, raw_id, sizeof raw_id - 1) &&
        !esdk_bytes_equal(edk->provider_id, edk->provider_id_len, kms_id, sizeof kms_id - 1)) {
        return false;
    }
    if (!esdk_ecdh_info_parse(
            edk->provider_info, edk->provider_info_len, kr->point_len, recipient, sender)) {
        return false;
    }
    if (kr->schema == SCHEMA_DISCOVERY) {
        return point_is(kr, *recipient, kr->own_point);
    }
    /* static: either side of the pair may have sent it */
    return (point_is(kr, *sender, kr->own_point) &&
            point_is(kr, *recipient, kr->recipient_point)) ||
           (point_is(kr, *sender, kr->recipient_point) && point_is(kr, *recipient, kr->own_point));
}

/* Unwrap one EDK that is ours into key. */
static int unwrap_one(
    const struct raw_ecdh *kr,
    const esdk_edk *edk,
    esdk_cur recipient,
    esdk_cur sender,
    const esdk_buf *ec,
    size_t key_len,
    uint8_t *key)
{
    esdk_buf fixed = ESDK_BUF_INIT;
    esdk_ec_key *peer = NULL;
    uint8_t z_buf[ESDK_ECDH_SECRET_MAX_LEN];
    const uint8_t *z = kr->static_z;
    size_t z_len = kr->z_len;
    int rc;
    if (kr->schema == SCHEMA_DISCOVERY) {
        ESDK_TRY_GOTO(rc, esdk_ec_key_from_point(kr->curve, sender.ptr, sender.len, &peer));
        ESDK_TRY_GOTO(rc, esdk_ecdh_shared_secret(kr->own, peer, z_buf, sizeof z_buf, &z_len));
        z = z_buf;
    }
    ESDK_TRY_GOTO(
        rc,
        esdk_ecdh_fixed_info(
            kr->curve,
            sender.ptr,
            sender.len,
            recipient.ptr,
            recipient.len,
            ec->data,
            ec->len,
            &fixed));
    rc = esdk_ecdh_unwrap(
        z, z_len, fixed.data, fixed.len, edk->ciphertext, edk->ciphertext_len, key_len, key);
cleanup:
    esdk_sig_key_release(peer);
    esdk_wipe(z_buf, sizeof z_buf);
    esdk_buf_release(&fixed);
    return rc;
}

static int on_decrypt(void *state, esdk_dec_materials *m, const esdk_edk_list *edks)
{
    struct raw_ecdh *kr = state;
    if (kr->schema == SCHEMA_EPHEMERAL) {
        return esdk_fail(
            ESDK_ERR_UNSUPPORTED,
            "an ephemeral-sender raw ECDH keyring cannot decrypt (it has no private key)");
    }
    const size_t key_len = esdk_suite_data_key_len(esdk_dec_materials_suite(m));
    esdk_buf ec = ESDK_BUF_INIT;
    uint8_t key[MAX_DATA_KEY];
    size_t matched = 0, commit_failed = 0;
    int rc;
    ESDK_TRY_GOTO(rc, esdk_enc_ctx_serialize(esdk_dec_materials_context(m), &ec));
    rc = ESDK_ERR_CANNOT_DECRYPT;
    for (size_t i = 0; i < esdk_edk_list_count(edks) && rc != 0; i++) {
        esdk_edk edk;
        esdk_cur recipient, sender;
        ESDK_TRY_GOTO(rc, esdk_edk_list_get(edks, i, &edk));
        rc = ESDK_ERR_CANNOT_DECRYPT;
        if (!edk_is_ours(kr, &edk, &recipient, &sender)) {
            continue;
        }
        matched++;
        int one = unwrap_one(kr, &edk, recipient, sender, &ec, key_len, key);
        if (one == 0) {
            rc = esdk_dec_materials_set_data_key(m, key, key_len);
        } else if (one == ESDK_ERR_COMMITMENT_MISMATCH) {
            commit_failed++;
        } else if (one == ESDK_ERR_NO_MEMORY) {
            rc = one;
            goto cleanup;
        }
    }
    if (rc == ESDK_ERR_CANNOT_DECRYPT && commit_failed) {
        rc = esdk_fail(
            ESDK_ERR_COMMITMENT_MISMATCH,
            "raw ECDH keyring (%s, %s): %zu EDK(s) addressed to it, %zu with a commitment key "
            "that does not match (tampered); none could be unwrapped",
            schema_name(kr),
            esdk_ecdh_curve_label(kr->curve),
            matched,
            commit_failed);
    } else if (rc == ESDK_ERR_CANNOT_DECRYPT) {
        rc = esdk_fail(
            rc,
            "raw ECDH keyring (%s, %s): %zu EDK(s) addressed to it, none could be unwrapped",
            schema_name(kr),
            esdk_ecdh_curve_label(kr->curve),
            matched);
    }
cleanup:
    esdk_buf_release(&ec);
    esdk_wipe(key, sizeof key);
    return rc;
}

/* ---- construction ---- */

static void destroy(void *state)
{
    struct raw_ecdh *kr = state;
    esdk_sig_key_release(kr->own);
    esdk_sig_key_release(kr->recipient);
    esdk_secure_free(kr->static_z);
    esdk_mem_release(kr, sizeof *kr);
}

static const esdk_keyring_vtable raw_ecdh_vt = {
    .size = sizeof(esdk_keyring_vtable),
    .name = "raw-ecdh",
    .on_encrypt = on_encrypt,
    .on_decrypt = on_decrypt,
    .destroy = destroy,
};

static int curve_of(esdk_ecdh_curve c, esdk_curve *out)
{
    switch (c) {
        case ESDK_ECDH_CURVE_P256:
            *out = ESDK_CURVE_P256;
            return 0;
        case ESDK_ECDH_CURVE_P384:
            *out = ESDK_CURVE_P384;
            return 0;
        case ESDK_ECDH_CURVE_P521:
            *out = ESDK_CURVE_P521;
            return 0;
        default:
            return esdk_fail(ESDK_ERR_BAD_ARGUMENT, "unknown ECDH curve %d", (int)c);
    }
}

static int check_curve(const struct raw_ecdh *kr, const esdk_ec_key *k, const char *what)
{
    if (esdk_sig_key_curve(k) != kr->curve) {
        return esdk_fail(
            ESDK_ERR_BAD_KEY,
            "the %s is not on the keyring's curve (%s)",
            what,
            esdk_ecdh_curve_label(kr->curve));
    }
    return 0;
}

/* A public key given as a SEC1 point (02/03/04 first) or as PEM/DER SubjectPublicKeyInfo. */
static int read_public(struct raw_ecdh *kr, const uint8_t *data, size_t len, esdk_ec_key **out)
{
    ESDK_ENSURE(data != NULL && len > 0, ESDK_ERR_BAD_ARGUMENT);
    if (data[0] == 0x02 || data[0] == 0x03 || data[0] == 0x04) {
        return esdk_ec_key_from_point(kr->curve, data, len, out);
    }
    ESDK_TRY(esdk_ec_key_parse_public(data, len, out));
    return check_curve(kr, *out, "recipient public key");
}

static int read_private(struct raw_ecdh *kr, const uint8_t *data, size_t len, const char *what)
{
    ESDK_ENSURE(data != NULL && len > 0, ESDK_ERR_BAD_ARGUMENT);
    ESDK_TRY(esdk_ec_key_parse_private(data, len, &kr->own));
    ESDK_TRY(check_curve(kr, kr->own, what));
    size_t n;
    return esdk_sig_key_public_compressed(kr->own, kr->own_point, sizeof kr->own_point, &n);
}

static int start(esdk_ecdh_curve curve, schema s, struct raw_ecdh **out)
{
    esdk_curve c = ESDK_CURVE_P256;
    ESDK_TRY(curve_of(curve, &c));
    struct raw_ecdh *kr = esdk_mem_acquire(sizeof *kr);
    if (!kr) {
        return esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
    }
    kr->schema = s;
    kr->curve = c;
    kr->point_len = esdk_curve_point_len(c);
    *out = kr;
    return 0;
}

static int finish(struct raw_ecdh *kr, int rc, esdk_keyring **out)
{
    if (rc) {
        destroy(kr);
        return rc;
    }
    return esdk_keyring_new(&raw_ecdh_vt, kr, out);
}

static int set_recipient(struct raw_ecdh *kr, const uint8_t *pub, size_t pub_len)
{
    size_t n;
    ESDK_TRY(read_public(kr, pub, pub_len, &kr->recipient));
    return esdk_sig_key_public_compressed(
        kr->recipient, kr->recipient_point, sizeof kr->recipient_point, &n);
}

int esdk_keyring_raw_ecdh_static_new(
    esdk_ecdh_curve curve,
    const uint8_t *sender_private_key,
    size_t sender_private_key_len,
    const uint8_t *recipient_public_key,
    size_t recipient_public_key_len,
    esdk_keyring **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    struct raw_ecdh *kr = NULL;
    ESDK_TRY(start(curve, SCHEMA_STATIC, &kr));
    int rc = read_private(kr, sender_private_key, sender_private_key_len, "sender private key");
    rc = rc ? rc : set_recipient(kr, recipient_public_key, recipient_public_key_len);
    if (!rc) {
        /* the pair never changes: agree once, keep the secret in guarded memory */
        uint8_t z[ESDK_ECDH_SECRET_MAX_LEN];
        rc = esdk_ecdh_shared_secret(kr->own, kr->recipient, z, sizeof z, &kr->z_len);
        if (!rc && !(kr->static_z = esdk_secure_alloc(kr->z_len))) {
            rc = esdk_fail(ESDK_ERR_NO_MEMORY, "cannot allocate a keyring");
        }
        if (!rc) {
            memcpy(kr->static_z, z, kr->z_len);
        }
        esdk_wipe(z, sizeof z);
    }
    return finish(kr, rc, out);
}

int esdk_keyring_raw_ecdh_discovery_new(
    esdk_ecdh_curve curve,
    const uint8_t *recipient_private_key,
    size_t recipient_private_key_len,
    esdk_keyring **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    struct raw_ecdh *kr = NULL;
    ESDK_TRY(start(curve, SCHEMA_DISCOVERY, &kr));
    int rc =
        read_private(kr, recipient_private_key, recipient_private_key_len, "recipient private key");
    if (!rc) {
        memcpy(kr->recipient_point, kr->own_point, kr->point_len);
    }
    return finish(kr, rc, out);
}

int esdk_keyring_raw_ecdh_ephemeral_new(
    esdk_ecdh_curve curve,
    const uint8_t *recipient_public_key,
    size_t recipient_public_key_len,
    esdk_keyring **out)
{
    ESDK_ENSURE(out != NULL, ESDK_ERR_BAD_ARGUMENT);
    struct raw_ecdh *kr = NULL;
    ESDK_TRY(start(curve, SCHEMA_EPHEMERAL, &kr));
    return finish(kr, set_recipient(kr, recipient_public_key, recipient_public_key_len), out);
}
