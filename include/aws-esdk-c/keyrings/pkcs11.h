/**
 * @file keyrings/pkcs11.h
 * The PKCS#11 keyring: data keys are wrapped and unwrapped inside a hardware security module
 * (or SoftHSM2) reached through any PKCS#11 module loaded with dlopen.
 *
 * - AES keys (CKK_AES): CKM_AES_GCM with a 12-byte IV, a 128-bit tag and the serialized
 *   encryption context as AAD. The EDK is byte for byte the raw AES keyring's (provider id =
 *   key namespace; provider info = key name | u32 128 | u32 12 | IV; ciphertext = wrapped
 *   key | tag), so a raw AES keyring holding the same key material reads what this keyring
 *   writes, and the other way round.
 * - RSA keys (CKK_RSA): CKM_RSA_PKCS_OAEP (SHA-1 with MGF1-SHA1 by default: SoftHSM2 accepts
 *   nothing else; SHA-256 as an option). Encrypt uses the token's public key object, decrypt
 *   the private key, both found by the same label or id. The EDK is the raw RSA keyring's
 *   (provider id = namespace, provider info = key name, ciphertext = RSA ciphertext).
 *
 * Configure with an esdk_pkcs11_config (setters below, or esdk_pkcs11_config_set_option for
 * "name=value" text from a command line), then make a keyring from it; the keyring copies the
 * configuration. The PIN comes from an environment variable (default ESDK_PKCS11_PIN), a file
 * or the caller; it is read when the keyring logs in, wiped right after, and never appears in
 * an error text.
 *
 * Connection: by default (ESDK_PKCS11_CONNECT_EAGER) construction loads the module, finds
 * the token, logs in and finds the key, so that a wrong setting fails at once with a specific
 * error. ESDK_PKCS11_CONNECT_LAZY defers all of that to the first wrap or unwrap, so that a
 * keyring for an unreachable region can sit in a multi-keyring and fail (and be skipped) only
 * when it is used; a failed connection is tried again on the next use.
 *
 * A module is initialized once per process (C_Initialize with CKF_OS_LOCKING_OK), shared by
 * every keyring that names the same path, and finalized when the last of them is released.
 * Each keyring keeps a small pool of sessions, so one keyring may be used by several threads
 * at once; it logs in again after CKR_USER_NOT_LOGGED_IN and opens new sessions after
 * CKR_SESSION_HANDLE_INVALID, CKR_SESSION_CLOSED, CKR_DEVICE_REMOVED or CKR_TOKEN_NOT_PRESENT.
 *
 * Note: PKCS#11 login state belongs to the process, per token. When another keyring (or other
 * code) in the process is already logged in to the token, C_Login answers
 * CKR_USER_ALREADY_LOGGED_IN whatever the PIN, and this keyring cannot tell a wrong PIN.
 *
 * Errors (with esdk_last_error_detail naming the module, token or key, and the CKR_* name):
 * - ESDK_ERR_UNAVAILABLE: the module cannot be loaded or initialized, no such token, the
 *   device went away;
 * - ESDK_ERR_ACCESS_DENIED: no PIN, or the token refused it (CKR_PIN_INCORRECT, ...). After
 *   a refused PIN the keyring does not log in again with that same PIN (a token locks after a
 *   few wrong tries);
 * - ESDK_ERR_BAD_KEY: no such key, several keys match, or the key cannot do what is asked;
 * - ESDK_ERR_KEYRING: any other failure of the module.
 *
 * A configuration is a plain settings object: not thread-safe while it changes. A keyring is
 * immutable and may be used from several threads at once. examples/hsm_softhsm.c uses the
 * default SoftHSM2 token.
 */
#ifndef ESDK_KEYRINGS_PKCS11_H
#define ESDK_KEYRINGS_PKCS11_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aws-esdk-c/export.h>
#include <aws-esdk-c/keyring.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The environment variable a new configuration reads the PIN from. */
#define ESDK_PKCS11_PIN_ENV_DEFAULT "ESDK_PKCS11_PIN"
/** Overrides the default module path (esdk_pkcs11_default_paths) when set. */
#define ESDK_PKCS11_MODULE_ENV "ESDK_PKCS11_MODULE"
/** The key namespace (EDK provider id) a new configuration uses. */
#define ESDK_PKCS11_NAMESPACE_DEFAULT "aws-esdk-pkcs11"
/** The label of the token that scripts/hsm-init.sh creates. */
#define ESDK_PKCS11_DEFAULT_TOKEN_LABEL "aws-esdk-default"
/** The label of the AES-256 key that scripts/hsm-init.sh creates in that token. */
#define ESDK_PKCS11_DEFAULT_KEY_LABEL "aws-esdk-default-key"
/** The largest PIN accepted, in bytes. */
#define ESDK_PKCS11_PIN_MAX 256
/** The largest path in esdk_pkcs11_defaults, NUL included. */
#define ESDK_PKCS11_PATH_MAX 4096

/** Which kind of key the keyring uses. AUTO: an AES secret key if one matches, else RSA. */
typedef enum esdk_pkcs11_key_type {
    ESDK_PKCS11_KEY_AUTO = 0, /**< an AES secret key if one matches, else an RSA key pair */
    ESDK_PKCS11_KEY_AES = 1,  /**< an AES secret key (CKK_AES), AES-GCM wrapping */
    ESDK_PKCS11_KEY_RSA = 2,  /**< an RSA key pair (CKK_RSA), RSA-OAEP wrapping */
} esdk_pkcs11_key_type;

/** Where the AES-GCM IV comes from. */
typedef enum esdk_pkcs11_iv_mode {
    /** The keyring draws a random IV and passes it in (SoftHSM2; most modules). */
    ESDK_PKCS11_IV_CALLER = 0,
    /**
     * The module generates the IV and writes it back into CK_GCM_PARAMS.pIv (AWS CloudHSM).
     * Wrapping fails with ESDK_ERR_KEYRING if the module leaves the IV buffer zeroed.
     */
    ESDK_PKCS11_IV_MODULE = 1,
} esdk_pkcs11_iv_mode;

/** The OAEP hash for RSA keys (MGF1 uses the same hash; the label is empty). */
typedef enum esdk_pkcs11_oaep_hash {
    ESDK_PKCS11_OAEP_SHA1 = 0,   /**< the default; the only one SoftHSM2 2.6 accepts */
    ESDK_PKCS11_OAEP_SHA256 = 1, /**< SHA-256 with MGF1-SHA256 (modules that support it) */
} esdk_pkcs11_oaep_hash;

/** When the keyring connects to the token. */
typedef enum esdk_pkcs11_connect {
    ESDK_PKCS11_CONNECT_EAGER = 0, /**< at construction (the default) */
    ESDK_PKCS11_CONNECT_LAZY = 1,  /**< at first use, and again after a failure */
} esdk_pkcs11_connect;

/**
 * A module's C_GetFunctionList, for a module the application links or loads itself
 * (esdk_pkcs11_config_set_module_entry). function_list receives a CK_FUNCTION_LIST_PTR.
 * @param function_list where the module stores its CK_FUNCTION_LIST_PTR
 * @return a CK_RV (0 = CKR_OK)
 */
typedef unsigned long (*esdk_pkcs11_get_function_list_fn)(void **function_list);

/** The settings of a PKCS#11 keyring (opaque; may hold a PIN, wiped on release). */
typedef struct esdk_pkcs11_config esdk_pkcs11_config;

/**
 * A new configuration: the default module (esdk_pkcs11_default_paths), no token, no key,
 * the PIN from $ESDK_PKCS11_PIN, namespace ESDK_PKCS11_NAMESPACE_DEFAULT, key type AUTO,
 * caller IV, OAEP-SHA1, eager connection, at most 8 sessions.
 * @param[out] out the configuration; caller releases with esdk_pkcs11_config_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_pkcs11_config_new(esdk_pkcs11_config **out);
/**
 * Release a configuration (wipes a PIN given with esdk_pkcs11_config_set_pin).
 * @param cfg the configuration (NULL is ignored)
 */
ESDK_API void esdk_pkcs11_config_release(esdk_pkcs11_config *cfg);

/**
 * The module's file path (replaces a module entry).
 * @param cfg the configuration (borrowed)
 * @param path the path of the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so (copied)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a bad value
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_pkcs11_config_set_module(esdk_pkcs11_config *cfg, const char *path);
/**
 * Use a module through its C_GetFunctionList instead of a path (replaces the path).
 * @param cfg the configuration (borrowed)
 * @param fn the module's C_GetFunctionList
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or an unknown value
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_module_entry(esdk_pkcs11_config *cfg, esdk_pkcs11_get_function_list_fn fn);
/**
 * Select the token by label (at most 32 bytes; replaces a slot id).
 * @param cfg the configuration (borrowed)
 * @param label the token label (copied)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a bad value
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_token_label(esdk_pkcs11_config *cfg, const char *label);
/**
 * Select the token by slot id (replaces a label). Slot ids may change; labels do not.
 * @param cfg the configuration (borrowed)
 * @param slot the PKCS#11 slot id
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT cfg is NULL
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_slot_id(esdk_pkcs11_config *cfg, unsigned long slot);
/**
 * Find the key by CKA_LABEL (with a CKA_ID too if one is set).
 * @param cfg the configuration (borrowed)
 * @param label the key label (copied)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a bad value
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_key_label(esdk_pkcs11_config *cfg, const char *label);
/**
 * Find the key by CKA_ID (1 to 255 bytes; with the label too if one is set).
 * @param cfg the configuration (borrowed)
 * @param id the CKA_ID bytes (copied)
 * @param id_len 1 to 255
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a bad value
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_key_id(esdk_pkcs11_config *cfg, const uint8_t *id, size_t id_len);
/**
 * The kind of key to use (default ESDK_PKCS11_KEY_AUTO).
 * @param cfg the configuration (borrowed)
 * @param type the key type
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or an unknown value
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_key_type(esdk_pkcs11_config *cfg, esdk_pkcs11_key_type type);

/**
 * Read the PIN from this environment variable at login (replaces any other PIN source).
 * @param cfg the configuration (borrowed)
 * @param var the variable's name (copied)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a bad value
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_pkcs11_config_set_pin_env(esdk_pkcs11_config *cfg, const char *var);
/**
 * Read the PIN from this file at login (trailing newline and spaces removed; replaces any
 * other PIN source). The PIN read is wiped right after the login.
 * @param cfg the configuration (borrowed)
 * @param path the file's path (copied)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a bad value
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_pin_file(esdk_pkcs11_config *cfg, const char *path);
/**
 * Use this PIN (copied into guarded memory; the caller may wipe its copy; replaces any other
 * PIN source). Wiped when the configuration or the keyring is released.
 * @param cfg the configuration (borrowed)
 * @param pin the PIN bytes (copied)
 * @param pin_len at most ESDK_PKCS11_PIN_MAX
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a bad value
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_pin(esdk_pkcs11_config *cfg, const uint8_t *pin, size_t pin_len);
/**
 * Never log in (tokens without CKF_LOGIN_REQUIRED, or already logged in by the application).
 * @param cfg the configuration (borrowed)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT cfg is NULL
 */
ESDK_API ESDK_MUST_USE int esdk_pkcs11_config_set_no_pin(esdk_pkcs11_config *cfg);

/**
 * The key namespace, written as the EDK provider id (UTF-8; "aws-kms..." is refused).
 * @param cfg the configuration (borrowed)
 * @param key_namespace the namespace (copied)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a bad value
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_key_namespace(esdk_pkcs11_config *cfg, const char *key_namespace);
/**
 * The key name in the EDK provider info (UTF-8). Default: the key label, else the hex CKA_ID.
 * @param cfg the configuration (borrowed)
 * @param name the key name (copied)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or a bad value
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_key_name(esdk_pkcs11_config *cfg, const char *name);
/**
 * Where the AES-GCM IV comes from (default ESDK_PKCS11_IV_CALLER).
 * @param cfg the configuration (borrowed)
 * @param mode the IV mode
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or an unknown value
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_iv_mode(esdk_pkcs11_config *cfg, esdk_pkcs11_iv_mode mode);
/**
 * The OAEP hash for RSA keys (default ESDK_PKCS11_OAEP_SHA1).
 * @param cfg the configuration (borrowed)
 * @param hash the hash
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or an unknown value
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_oaep_hash(esdk_pkcs11_config *cfg, esdk_pkcs11_oaep_hash hash);
/**
 * When the keyring connects to the token (default ESDK_PKCS11_CONNECT_EAGER).
 * @param cfg the configuration (borrowed)
 * @param mode the connection mode
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments or an unknown value
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_connect(esdk_pkcs11_config *cfg, esdk_pkcs11_connect mode);
/**
 * The most sessions the keyring opens at once (1 to 1024; threads beyond it wait).
 * @param cfg the configuration (borrowed)
 * @param n 1 to 1024 (default 8)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT cfg is NULL or n out of range
 */
ESDK_API ESDK_MUST_USE int esdk_pkcs11_config_set_max_sessions(esdk_pkcs11_config *cfg, size_t n);

/**
 * Set one option from text, for command lines: module, token, slot, key (label), key-id
 * (hex), key-type (auto|aes|rsa), pin-env, pin-file, no-pin (any value), namespace, name
 * (key name), iv (caller|module), oaep (sha1|sha256), connect (eager|lazy), sessions.
 * The PIN itself cannot be set this way (it would sit in a command line).
 * @param cfg the configuration (borrowed)
 * @param name the option's name (borrowed)
 * @param value its value as text (copied where kept)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT unknown option or bad value (the detail says which)
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_pkcs11_config_set_option(esdk_pkcs11_config *cfg, const char *name, const char *value);

/**
 * A PKCS#11 keyring (copies cfg; cfg may be released at once). With eager connection (the
 * default) the module is loaded, the token found, the user logged in and the key found now.
 * @param cfg the configuration (copied)
 * @param[out] out the keyring; caller releases with esdk_keyring_release() (the last keyring
 *        of a module finalizes it)
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT NULL arguments, no module or no key configured
 * @retval ESDK_ERR_UNAVAILABLE the module cannot be loaded, no such token
 * @retval ESDK_ERR_ACCESS_DENIED no PIN, or a refused PIN
 * @retval ESDK_ERR_BAD_KEY no such key, several keys match, or a key of the wrong kind
 * @retval ESDK_ERR_KEYRING any other failure of the module
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int
esdk_keyring_pkcs11_new(const esdk_pkcs11_config *cfg, esdk_keyring **out);

/**
 * The last connection or token failure this keyring met (0 if none since its last success),
 * with its sentence copied into detail (may be NULL; truncated to detail_cap). Useful after a
 * multi-keyring fell through to another region. ESDK_ERR_BAD_ARGUMENT if keyring is not a
 * PKCS#11 keyring. Thread-safe.
 * @param keyring a PKCS#11 keyring (borrowed)
 * @param detail a buffer for the failure's sentence (NUL-terminated), or NULL
 * @param detail_cap bytes available at detail
 * @return 0 when no failure is recorded, the failure's ESDK_ERR_* code otherwise, or
 *         ESDK_ERR_BAD_ARGUMENT for a keyring that is not a PKCS#11 keyring
 */
ESDK_API int
esdk_keyring_pkcs11_last_failure(const esdk_keyring *keyring, char *detail, size_t detail_cap);

/** The layout that scripts/hsm-init.sh creates (see esdk_pkcs11_default_paths). */
typedef struct esdk_pkcs11_defaults {
    /** $ESDK_PKCS11_MODULE, else the first SoftHSM2 module found, else the Debian path. */
    char module_path[ESDK_PKCS11_PATH_MAX];
    /** ${XDG_DATA_HOME:-$HOME/.local/share}/aws-esdk/softhsm */
    char store_dir[ESDK_PKCS11_PATH_MAX];
    /** store_dir/softhsm2.conf */
    char softhsm_conf[ESDK_PKCS11_PATH_MAX];
    /** store_dir/pin.txt (mode 0600) */
    char pin_file[ESDK_PKCS11_PATH_MAX];
    /** ESDK_PKCS11_DEFAULT_TOKEN_LABEL */
    char token_label[33];
    /** ESDK_PKCS11_DEFAULT_KEY_LABEL */
    char key_label[64];
} esdk_pkcs11_defaults;

/**
 * Fill out with the default layout. No side effects.
 * @param[out] out the paths and labels
 * @retval 0 success
 * @retval ESDK_ERR_BAD_ARGUMENT out is NULL
 * @retval ESDK_ERR_BAD_STATE neither XDG_DATA_HOME nor HOME is set
 */
ESDK_API ESDK_MUST_USE int esdk_pkcs11_default_paths(esdk_pkcs11_defaults *out);

/**
 * A configuration for the default token of scripts/hsm-init.sh: default module, token
 * "aws-esdk-default", AES key "aws-esdk-default-key", PIN from the default pin file. Sets
 * SOFTHSM2_CONF to the default conf if it is not set (setenv: call before other threads
 * start). Further setters may change anything.
 * @param[out] out the configuration; caller releases with esdk_pkcs11_config_release()
 * @retval 0 success
 * @retval ESDK_ERR_BAD_STATE neither XDG_DATA_HOME nor HOME is set
 * @retval ESDK_ERR_NO_MEMORY allocation failed
 */
ESDK_API ESDK_MUST_USE int esdk_pkcs11_config_new_default(esdk_pkcs11_config **out);

#ifdef __cplusplus
}
#endif
#endif
