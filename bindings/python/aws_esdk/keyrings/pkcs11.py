"""The PKCS#11 keyring (``keyrings/pkcs11.h``): data keys wrapped inside an HSM.

Keys never leave the token: AES keys wrap with CKM_AES_GCM (the EDK is byte for byte the
raw AES keyring's, so a :class:`~aws_esdk.RawAESKeyring` holding the same key material
reads what this keyring writes, and back); RSA keys with CKM_RSA_PKCS_OAEP (SHA-1 by
default, the only hash SoftHSM2 accepts; the EDK is the raw RSA keyring's).

The PIN comes from an environment variable (default ``ESDK_PKCS11_PIN``), a file, or
``pin=`` (copied into guarded memory by the library; the Python ``bytes``/``str`` you pass
cannot be wiped). It never appears in an error text.

Errors: :class:`~aws_esdk.errors.BackendUnavailableError` (module, token, device),
:class:`~aws_esdk.errors.AccessDeniedError` (PIN), :class:`~aws_esdk.errors.InvalidKeyError`
(no such key, several, wrong kind), :class:`~aws_esdk.errors.KeyringError` (anything else).
"""

from __future__ import annotations

import ctypes
from ctypes import POINTER, c_char_p, c_int, c_size_t, c_ulong, c_void_p
from typing import Mapping, Optional, Union

from .. import _ffi
from .._ffi import lib
from .._handle import Handle
from .base import NativeKeyring

__all__ = ["PKCS11Keyring", "Pkcs11Keyring"]

_P = POINTER(c_void_p)
AVAILABLE = _ffi.declare_optional(
    {
        "esdk_pkcs11_config_new": (c_int, [_P]),
        "esdk_pkcs11_config_new_default": (c_int, [_P]),
        "esdk_pkcs11_config_release": (None, [c_void_p]),
        "esdk_pkcs11_config_set_module": (c_int, [c_void_p, c_char_p]),
        "esdk_pkcs11_config_set_token_label": (c_int, [c_void_p, c_char_p]),
        "esdk_pkcs11_config_set_slot_id": (c_int, [c_void_p, c_ulong]),
        "esdk_pkcs11_config_set_key_label": (c_int, [c_void_p, c_char_p]),
        "esdk_pkcs11_config_set_key_id": (c_int, [c_void_p, c_char_p, c_size_t]),
        "esdk_pkcs11_config_set_key_type": (c_int, [c_void_p, c_int]),
        "esdk_pkcs11_config_set_pin_env": (c_int, [c_void_p, c_char_p]),
        "esdk_pkcs11_config_set_pin_file": (c_int, [c_void_p, c_char_p]),
        "esdk_pkcs11_config_set_pin": (c_int, [c_void_p, c_char_p, c_size_t]),
        "esdk_pkcs11_config_set_no_pin": (c_int, [c_void_p]),
        "esdk_pkcs11_config_set_key_namespace": (c_int, [c_void_p, c_char_p]),
        "esdk_pkcs11_config_set_key_name": (c_int, [c_void_p, c_char_p]),
        "esdk_pkcs11_config_set_iv_mode": (c_int, [c_void_p, c_int]),
        "esdk_pkcs11_config_set_oaep_hash": (c_int, [c_void_p, c_int]),
        "esdk_pkcs11_config_set_connect": (c_int, [c_void_p, c_int]),
        "esdk_pkcs11_config_set_max_sessions": (c_int, [c_void_p, c_size_t]),
        "esdk_pkcs11_config_set_option": (c_int, [c_void_p, c_char_p, c_char_p]),
        "esdk_keyring_pkcs11_new": (c_int, [c_void_p, _P]),
        "esdk_keyring_pkcs11_last_failure": (c_int, [c_void_p, c_char_p, c_size_t]),
    }
)

_KEY_TYPES = {"auto": 0, "aes": 1, "rsa": 2}
_IV_MODES = {"caller": 0, "module": 1}
_OAEP_HASHES = {"sha1": 0, "sha256": 1}
_CONNECT = {"eager": 0, "lazy": 1}


def _choice(value: str, table: Mapping[str, int], what: str) -> int:
    try:
        return table[value.lower()]
    except (KeyError, AttributeError):
        raise ValueError(f"{what} must be one of {', '.join(table)}; got {value!r}") from None


class PKCS11Keyring(NativeKeyring):
    """A keyring whose wrapping key lives in a PKCS#11 token (HSM, SoftHSM2, CloudHSM...).

    Every argument is optional and maps to one ``esdk_pkcs11_config_set_*`` call:

    :param module: path of the PKCS#11 module (default: ``$ESDK_PKCS11_MODULE``, else
        SoftHSM2's).
    :param token_label: select the token by label (or ``slot_id``).
    :param key_label: find the key by CKA_LABEL (and/or ``key_id``, bytes of CKA_ID).
    :param key_type: ``"auto"`` (an AES key if one matches, else RSA), ``"aes"``, ``"rsa"``.
    :param pin: the user PIN, or ``pin_env`` (variable name) / ``pin_file`` (path), or
        ``no_pin=True`` to never log in.
    :param key_namespace: the EDK provider id (default ``"aws-esdk-pkcs11"``).
    :param key_name: the key name in the EDK (default: the key label).
    :param iv_mode: ``"caller"`` (the keyring draws the AES-GCM IV: SoftHSM2, most modules)
        or ``"module"`` (the module makes it: AWS CloudHSM).
    :param oaep_hash: ``"sha1"`` (default) or ``"sha256"`` for RSA keys.
    :param connect: ``"eager"`` (connect and find the key now, so that mistakes fail at
        once) or ``"lazy"`` (at first use; retried after a failure).
    :param max_sessions: sessions the keyring opens at most (threads beyond it wait).
    :param options: more settings as ``{"name": "value"}`` text, as on a command line
        (see ``esdk_pkcs11_config_set_option``).
    :param use_defaults: start from the default token layout of ``scripts/hsm-init.sh``
        (token ``aws-esdk-default``, key ``aws-esdk-default-key``, PIN from its file).
    """

    def __init__(
        self,
        *,
        module: Optional[str] = None,
        token_label: Optional[str] = None,
        slot_id: Optional[int] = None,
        key_label: Optional[str] = None,
        key_id: Optional[bytes] = None,
        key_type: str = "auto",
        pin: Union[str, bytes, None] = None,
        pin_env: Optional[str] = None,
        pin_file: Optional[str] = None,
        no_pin: bool = False,
        key_namespace: Optional[str] = None,
        key_name: Optional[str] = None,
        iv_mode: str = "caller",
        oaep_hash: str = "sha1",
        connect: str = "eager",
        max_sessions: Optional[int] = None,
        options: Optional[Mapping[str, str]] = None,
        use_defaults: bool = False,
    ) -> None:
        _ffi.require("esdk_pkcs11_config_new", "esdk_keyring_pkcs11_new")
        ctor = lib.esdk_pkcs11_config_new_default if use_defaults else lib.esdk_pkcs11_config_new
        config = Handle(_ffi.new_handle(ctor), lib.esdk_pkcs11_config_release)
        with config:
            check = _ffi.check
            if module is not None:
                check(lib.esdk_pkcs11_config_set_module(config, _ffi.to_c_str(module, "module")))
            if token_label is not None:
                check(lib.esdk_pkcs11_config_set_token_label(config, _ffi.to_c_str(token_label, "token_label")))
            if slot_id is not None:
                check(lib.esdk_pkcs11_config_set_slot_id(config, slot_id))
            if key_label is not None:
                check(lib.esdk_pkcs11_config_set_key_label(config, _ffi.to_c_str(key_label, "key_label")))
            if key_id is not None:
                kid = _ffi.to_c_bytes(key_id, "key_id")
                check(lib.esdk_pkcs11_config_set_key_id(config, kid, len(kid)))
            check(lib.esdk_pkcs11_config_set_key_type(config, _choice(key_type, _KEY_TYPES, "key_type")))
            if sum(x is not None and x is not False for x in (pin, pin_env, pin_file, no_pin or None)) > 1:
                raise TypeError("give at most one of pin, pin_env, pin_file and no_pin")
            if pin is not None:
                secret = pin.encode("utf-8") if isinstance(pin, str) else _ffi.to_c_bytes(pin, "pin")
                check(lib.esdk_pkcs11_config_set_pin(config, secret, len(secret)))
            if pin_env is not None:
                check(lib.esdk_pkcs11_config_set_pin_env(config, _ffi.to_c_str(pin_env, "pin_env")))
            if pin_file is not None:
                check(lib.esdk_pkcs11_config_set_pin_file(config, _ffi.to_c_str(pin_file, "pin_file")))
            if no_pin:
                check(lib.esdk_pkcs11_config_set_no_pin(config))
            if key_namespace is not None:
                check(
                    lib.esdk_pkcs11_config_set_key_namespace(config, _ffi.to_c_str(key_namespace, "key_namespace"))
                )
            if key_name is not None:
                check(lib.esdk_pkcs11_config_set_key_name(config, _ffi.to_c_str(key_name, "key_name")))
            check(lib.esdk_pkcs11_config_set_iv_mode(config, _choice(iv_mode, _IV_MODES, "iv_mode")))
            check(lib.esdk_pkcs11_config_set_oaep_hash(config, _choice(oaep_hash, _OAEP_HASHES, "oaep_hash")))
            check(lib.esdk_pkcs11_config_set_connect(config, _choice(connect, _CONNECT, "connect")))
            if max_sessions is not None:
                check(lib.esdk_pkcs11_config_set_max_sessions(config, max_sessions))
            for name, value in (options or {}).items():
                check(
                    lib.esdk_pkcs11_config_set_option(
                        config, _ffi.to_c_str(name, "option name"), _ffi.to_c_str(str(value), "option value")
                    )
                )
            super().__init__(_ffi.new_handle(lib.esdk_keyring_pkcs11_new, config))

    @property
    def last_failure(self) -> Optional[str]:
        """The last connection or token failure (None if none since the last success)."""
        buf = ctypes.create_string_buffer(512)
        rc = lib.esdk_keyring_pkcs11_last_failure(self, buf, len(buf))
        if rc == 0:
            return None
        name = (lib.esdk_error_name(rc) or b"").decode("ascii", "replace")
        return f"{name}: {buf.value.decode('utf-8', 'replace')}"


#: Spelling that follows PEP 8 acronym rules.
Pkcs11Keyring = PKCS11Keyring
