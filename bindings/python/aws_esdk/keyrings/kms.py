"""AWS KMS keyrings (``keyrings/kms.h``): data keys generated and wrapped by AWS KMS, or
any server speaking its JSON protocol (such as a local test server).

EDKs use the official layout (provider id ``"aws-kms"``, provider info = the key ARN), so
messages interoperate with the official SDKs. Requests are signed with SigV4 in C; no
boto3 is needed. Credentials: ``credentials=``, a ``credentials_provider`` callable, the
environment (``AWS_ACCESS_KEY_ID``...), then the shared files for ``profile`` /
``AWS_PROFILE``. Endpoint: ``endpoint=``, ``AWS_ENDPOINT_URL_KMS``, ``AWS_ENDPOINT_URL``,
else the key's regional endpoint.

Every class takes the same keyword settings (:data:`KMS_SETTINGS`):
``region``, ``endpoint``, ``profile``, ``credentials`` (an :class:`AwsCredentials` or a
``(access_key_id, secret_access_key[, session_token])`` tuple), ``credentials_provider``
(a callable returning either, called before every KMS call, possibly from several
threads), ``grant_tokens``, ``connect_timeout`` / ``total_timeout`` (seconds),
``max_attempts`` / ``base_delay`` / ``max_delay`` (retries; seconds) and, for the
discovery keyrings, ``discovery_filter``.
"""

from __future__ import annotations

import itertools
import weakref
from ctypes import CFUNCTYPE, POINTER, c_bool, c_char_p, c_int, c_size_t, c_uint32, c_void_p
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Optional, Sequence, Tuple, Union

from .. import _ffi, errors
from .._ffi import lib
from .._handle import Handle
from .base import NativeKeyring

__all__ = [
    "AwsCredentials",
    "DiscoveryFilter",
    "AwsKmsKeyring",
    "AwsKmsDiscoveryKeyring",
    "AwsKmsMrkKeyring",
    "AwsKmsMrkDiscoveryKeyring",
    "AwsKmsMultiKeyring",
    "AwsKmsMrkMultiKeyring",
    "AwsKmsMrkDiscoveryMultiKeyring",
    "kms_arn_is_valid",
    "kms_is_mrk",
    "KMS_SETTINGS",
]

_P = POINTER(c_void_p)
_STRS = POINTER(c_char_p)
#: int (*esdk_kms_credentials_fn)(void *ctx, esdk_kms_credentials *creds)
CREDENTIALS_FN = CFUNCTYPE(c_int, c_void_p, c_void_p)

_ffi.declare_optional(
    {
        "esdk_kms_options_new": (c_int, [_P]),
        "esdk_kms_options_release": (None, [c_void_p]),
        "esdk_kms_options_set_region": (c_int, [c_void_p, c_char_p]),
        "esdk_kms_options_set_endpoint": (c_int, [c_void_p, c_char_p]),
        "esdk_kms_options_set_profile": (c_int, [c_void_p, c_char_p]),
        "esdk_kms_options_set_credentials": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p]),
        "esdk_kms_options_set_credentials_provider": (c_int, [c_void_p, CREDENTIALS_FN, c_void_p]),
        "esdk_kms_options_set_timeouts": (c_int, [c_void_p, c_uint32, c_uint32]),
        "esdk_kms_options_set_retries": (c_int, [c_void_p, c_uint32, c_uint32, c_uint32]),
        "esdk_kms_options_add_grant_token": (c_int, [c_void_p, c_char_p]),
        "esdk_kms_options_set_discovery_filter": (c_int, [c_void_p, c_char_p, _STRS, c_size_t]),
        "esdk_kms_credentials_set": (c_int, [c_void_p, c_char_p, c_char_p, c_char_p]),
        "esdk_kms_keyring_new": (c_int, [c_char_p, c_void_p, _P]),
        "esdk_kms_discovery_keyring_new": (c_int, [c_void_p, _P]),
        "esdk_kms_mrk_keyring_new": (c_int, [c_char_p, c_void_p, _P]),
        "esdk_kms_mrk_discovery_keyring_new": (c_int, [c_char_p, c_void_p, _P]),
        "esdk_kms_multi_keyring_new": (c_int, [c_char_p, _STRS, c_size_t, c_void_p, _P]),
        "esdk_kms_mrk_multi_keyring_new": (c_int, [c_char_p, _STRS, c_size_t, c_void_p, _P]),
        "esdk_kms_mrk_discovery_multi_keyring_new": (c_int, [_STRS, c_size_t, c_void_p, _P]),
        "esdk_kms_arn_is_valid": (c_bool, [c_char_p]),
        "esdk_kms_is_mrk": (c_bool, [c_char_p]),
    }
)

#: The keyword settings every KMS keyring class accepts.
KMS_SETTINGS = (
    "region",
    "endpoint",
    "profile",
    "credentials",
    "credentials_provider",
    "grant_tokens",
    "connect_timeout",
    "total_timeout",
    "max_attempts",
    "base_delay",
    "max_delay",
    "discovery_filter",
)


@dataclass(frozen=True)
class AwsCredentials:
    """AWS credentials (copied into guarded memory by the library when used)."""

    access_key_id: str
    secret_access_key: str
    session_token: Optional[str] = None

    def __repr__(self) -> str:  # never print the secret
        return f"AwsCredentials(access_key_id={self.access_key_id!r}, secret_access_key=..., session_token=...)"


@dataclass(frozen=True)
class DiscoveryFilter:
    """Discovery keyrings use only keys of this partition owned by one of these accounts."""

    partition: str
    account_ids: Tuple[str, ...]

    def __init__(self, partition: str, account_ids: Iterable[str]) -> None:
        object.__setattr__(self, "partition", partition)
        object.__setattr__(self, "account_ids", tuple(account_ids))


CredentialsLike = Union[AwsCredentials, Tuple[str, str], Tuple[str, str, Optional[str]]]


def _as_credentials(value: Any) -> AwsCredentials:
    if isinstance(value, AwsCredentials):
        return value
    if isinstance(value, tuple) and len(value) in (2, 3):
        return AwsCredentials(*value)
    raise TypeError("credentials must be AwsCredentials or (access_key_id, secret_access_key[, session_token])")


def _opt_str(value: Optional[str], what: str) -> Optional[bytes]:
    return None if value is None else _ffi.to_c_str(value, what)


# ---- the credentials provider callback ----------------------------------------------------

# ctx id -> provider (no lock: single dict operations are atomic under the GIL)
_providers: Dict[int, Callable[[], CredentialsLike]] = {}
_provider_ids = itertools.count(1)


@CREDENTIALS_FN
def _c_credentials(ctx: Optional[int], creds: Optional[int]) -> int:
    try:
        provider = _providers.get(ctx or 0)
        if provider is None:
            raise errors.AccessDeniedError("the Python credentials provider is gone", code=-34)
        value = _as_credentials(provider())
        token = _opt_str(value.session_token, "session_token")
        _ffi.check(
            lib.esdk_kms_credentials_set(
                creds,
                _ffi.to_c_str(value.access_key_id, "access_key_id"),
                _ffi.to_c_str(value.secret_access_key, "secret_access_key"),
                token,
            )
        )
        return 0
    except BaseException as exc:  # nothing may propagate into C
        return _ffi.callback_failure(exc, errors.AccessDeniedError.default_code, "credentials_provider")


def _register_provider(owner: object, provider: Callable[[], CredentialsLike]) -> int:
    if not callable(provider):
        raise TypeError("credentials_provider must be callable")
    ctx = next(_provider_ids)
    _providers[ctx] = provider
    # the provider goes with the Python keyring object (keep it alive while in use)
    weakref.finalize(owner, _providers.pop, ctx, None)
    return ctx


# ---- options ---------------------------------------------------------------------------------


def _seconds_to_ms(value: Optional[float], what: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"{what} must be a positive number of seconds")
    return max(1, int(round(value * 1000)))


def _make_options(owner: object, settings: Dict[str, Any]) -> Handle:
    unknown = set(settings) - set(KMS_SETTINGS)
    if unknown:
        raise TypeError(f"unknown KMS keyring settings: {', '.join(sorted(unknown))}")
    _ffi.require("esdk_kms_options_new")
    opts = Handle(_ffi.new_handle(lib.esdk_kms_options_new), lib.esdk_kms_options_release)
    try:
        check = _ffi.check
        if settings.get("region") is not None:
            check(lib.esdk_kms_options_set_region(opts, _ffi.to_c_str(settings["region"], "region")))
        if settings.get("endpoint") is not None:
            check(lib.esdk_kms_options_set_endpoint(opts, _ffi.to_c_str(settings["endpoint"], "endpoint")))
        if settings.get("profile") is not None:
            check(lib.esdk_kms_options_set_profile(opts, _ffi.to_c_str(settings["profile"], "profile")))
        if settings.get("credentials") is not None:
            c = _as_credentials(settings["credentials"])
            check(
                lib.esdk_kms_options_set_credentials(
                    opts,
                    _ffi.to_c_str(c.access_key_id, "access_key_id"),
                    _ffi.to_c_str(c.secret_access_key, "secret_access_key"),
                    _opt_str(c.session_token, "session_token"),
                )
            )
        if settings.get("credentials_provider") is not None:
            ctx = _register_provider(owner, settings["credentials_provider"])
            check(lib.esdk_kms_options_set_credentials_provider(opts, _c_credentials, ctx))
        for token in settings.get("grant_tokens") or ():
            check(lib.esdk_kms_options_add_grant_token(opts, _ffi.to_c_str(token, "grant token")))
        connect = _seconds_to_ms(settings.get("connect_timeout"), "connect_timeout")
        total = _seconds_to_ms(settings.get("total_timeout"), "total_timeout")
        if connect or total:
            check(lib.esdk_kms_options_set_timeouts(opts, connect, total))
        if settings.get("max_attempts") is not None:
            check(
                lib.esdk_kms_options_set_retries(
                    opts,
                    settings["max_attempts"],
                    _seconds_to_ms(settings.get("base_delay") or 0.05, "base_delay"),
                    _seconds_to_ms(settings.get("max_delay") or 2.0, "max_delay"),
                )
            )
        flt = settings.get("discovery_filter")
        if flt is not None:
            if not isinstance(flt, DiscoveryFilter):
                raise TypeError("discovery_filter must be a DiscoveryFilter")
            accounts = [_ffi.to_c_str(a, "account id") for a in flt.account_ids]
            array = (c_char_p * max(len(accounts), 1))(*accounts)
            check(
                lib.esdk_kms_options_set_discovery_filter(
                    opts, _ffi.to_c_str(flt.partition, "partition"), array, len(accounts)
                )
            )
    except BaseException:
        opts.close()
        raise
    return opts


def _strings(values: Sequence[str], what: str) -> Tuple[Any, int]:
    encoded = [_ffi.to_c_str(v, what) for v in values]
    return (c_char_p * max(len(encoded), 1))(*encoded), len(encoded)


class _KmsKeyring(NativeKeyring):
    """Common constructor: build the options, call one C constructor, keep the settings."""

    _ctor_name = ""

    def _build(self, args: Tuple[Any, ...], settings: Dict[str, Any]) -> None:
        _ffi.require(self._ctor_name)
        with _make_options(self, settings) as opts:
            super().__init__(_ffi.new_handle(getattr(lib, self._ctor_name), *args, opts))
        self.settings: Dict[str, Any] = {k: v for k, v in settings.items() if k != "credentials"}


class AwsKmsKeyring(_KmsKeyring):
    """The AWS KMS keyring for one key (key ARN, alias ARN, ``alias/NAME`` or key id; the
    last two need ``region=``). Decrypts only EDKs whose ARN equals ``key_id`` exactly."""

    _ctor_name = "esdk_kms_keyring_new"

    def __init__(self, key_id: str, **settings: Any) -> None:
        self._build((_ffi.to_c_str(key_id, "key_id"),), settings)
        self.key_id: str = key_id


class AwsKmsMrkKeyring(_KmsKeyring):
    """Like :class:`AwsKmsKeyring`, and on decrypt an EDK of a replica of the same
    multi-Region key in another region matches too (KMS is called in key_id's region)."""

    _ctor_name = "esdk_kms_mrk_keyring_new"

    def __init__(self, key_id: str, **settings: Any) -> None:
        self._build((_ffi.to_c_str(key_id, "key_id"),), settings)
        self.key_id = key_id


class AwsKmsDiscoveryKeyring(_KmsKeyring):
    """Decrypts any aws-kms EDK (in its key's region) that passes ``discovery_filter``.
    Cannot encrypt (:class:`~aws_esdk.errors.NotSupportedError`)."""

    _ctor_name = "esdk_kms_discovery_keyring_new"

    def __init__(self, **settings: Any) -> None:
        self._build((), settings)


class AwsKmsMrkDiscoveryKeyring(_KmsKeyring):
    """Discovery bound to ``region``: multi-Region-key EDKs are decrypted with the replica
    there; single-Region keys of other regions are skipped. Cannot encrypt."""

    _ctor_name = "esdk_kms_mrk_discovery_keyring_new"

    def __init__(self, region: str, **settings: Any) -> None:
        self._build((_ffi.to_c_str(region, "region"),), settings)
        self.region = region


class AwsKmsMultiKeyring(_KmsKeyring):
    """KMS keyrings in one: ``generator`` makes the data key, every key in ``key_ids``
    wraps it too (each in its own region); on decrypt each is tried in turn."""

    _ctor_name = "esdk_kms_multi_keyring_new"

    def __init__(self, generator: Optional[str] = None, key_ids: Sequence[str] = (), **settings: Any) -> None:
        array, count = _strings(list(key_ids), "key id")
        self._build((_opt_str(generator, "generator"), array if count else None, count), settings)
        self.generator = generator
        self.key_ids = tuple(key_ids)


class AwsKmsMrkMultiKeyring(_KmsKeyring):
    """:class:`AwsKmsMultiKeyring` of multi-Region-key-aware keyrings (two identifiers of
    the same multi-Region key are refused)."""

    _ctor_name = "esdk_kms_mrk_multi_keyring_new"

    def __init__(self, generator: Optional[str] = None, key_ids: Sequence[str] = (), **settings: Any) -> None:
        array, count = _strings(list(key_ids), "key id")
        self._build((_opt_str(generator, "generator"), array if count else None, count), settings)
        self.generator = generator
        self.key_ids = tuple(key_ids)


class AwsKmsMrkDiscoveryMultiKeyring(_KmsKeyring):
    """One multi-Region-key-aware discovery keyring per region (at least one)."""

    _ctor_name = "esdk_kms_mrk_discovery_multi_keyring_new"

    def __init__(self, regions: Sequence[str], **settings: Any) -> None:
        if isinstance(regions, str):
            raise TypeError("regions must be a list of str")
        array, count = _strings(list(regions), "region")
        self._build((array, count), settings)
        self.regions = tuple(regions)


def kms_arn_is_valid(arn: str) -> bool:
    """True if arn is a valid AWS KMS key or alias ARN."""
    _ffi.require("esdk_kms_arn_is_valid")
    return bool(lib.esdk_kms_arn_is_valid(_ffi.to_c_str(arn, "arn")))


def kms_is_mrk(key_id: str) -> bool:
    """True if key_id names a multi-Region key (``mrk-...``)."""
    _ffi.require("esdk_kms_is_mrk")
    return bool(lib.esdk_kms_is_mrk(_ffi.to_c_str(key_id, "key_id")))
