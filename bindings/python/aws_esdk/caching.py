"""Data-key caching (``cache.h``): the local LRU cache and the caching CMM.

Caching trades security for speed: every message encrypted from one cache entry shares
a data key (each message still derives its own key from its message id). Bound the reuse
with a short ``max_age`` and the message and byte limits.

Bypass rules (the official SDKs'): encryption goes straight to the underlying CMM, and
stores nothing, when the plaintext length is not known in advance (a stream over a file
object without ``source_length``), when one message alone reaches the byte limit, or for
the three suites without key derivation (0x0014, 0x0046, 0x0078); decryption of those
suites is not cached either.
"""

from __future__ import annotations

from ctypes import POINTER, c_char_p, c_int, c_size_t, c_uint64, c_void_p
from typing import Optional, Union

from . import _ffi
from ._ffi import lib
from ._handle import Handle
from .keyrings.base import Keyring
from .materials_managers import CryptoMaterialsManager, require_cmm, require_keyring

__all__ = [
    "LocalCache",
    "LocalCryptoMaterialsCache",
    "CachingCryptoMaterialsManager",
    "CachingCMM",
    "MAX_MESSAGES_ENCRYPTED",
    "MAX_BYTES_ENCRYPTED",
]

AVAILABLE = _ffi.declare_optional(
    {
        "esdk_cache_retain": (c_void_p, [c_void_p]),
        "esdk_cache_release": (None, [c_void_p]),
        "esdk_cache_name": (c_char_p, [c_void_p]),
        "esdk_cache_local_new": (c_int, [c_size_t, POINTER(c_void_p)]),
        "esdk_cache_local_count": (c_size_t, [c_void_p]),
        "esdk_cmm_caching_new": (c_int, [c_void_p, c_void_p, c_void_p, c_uint64, POINTER(c_void_p)]),
        "esdk_cmm_caching_set_limit_messages": (c_int, [c_void_p, c_uint64]),
        "esdk_cmm_caching_set_limit_bytes": (c_int, [c_void_p, c_uint64]),
        "esdk_cmm_caching_set_partition_id": (c_int, [c_void_p, c_char_p, c_size_t]),
    }
)

#: Default and largest message limit per cached data key (2^32).
MAX_MESSAGES_ENCRYPTED = 2**32
#: Default and largest byte limit per cached data key (2^63 - 1).
MAX_BYTES_ENCRYPTED = 2**63 - 1


class LocalCache(Handle):
    """An in-memory LRU cache of materials, safe to share between threads and CMMs.

    :param capacity: the most entries held (at least 1); the least recently used goes
        first. Materials are wiped when their entry is evicted, removed or released.
    """

    def __init__(self, capacity: int) -> None:
        _ffi.require("esdk_cache_local_new")
        if not isinstance(capacity, int) or capacity < 1:
            raise ValueError("capacity must be a positive int")
        Handle.__init__(self, _ffi.new_handle(lib.esdk_cache_local_new, capacity), lib.esdk_cache_release)
        self.capacity: int = capacity

    def __len__(self) -> int:
        """Entries held now (expired ones included until pruned)."""
        return int(lib.esdk_cache_local_count(self))


#: The official SDK's name.
LocalCryptoMaterialsCache = LocalCache


def _positive(value: Optional[int], name: str, upper: int) -> Optional[int]:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= upper:
        raise ValueError(f"{name} must be an int from 1 to {upper}")
    return value


class CachingCryptoMaterialsManager(CryptoMaterialsManager):
    """A CMM that reuses materials from a cache before asking the one underneath.

    The parameters follow the official ``CachingCryptoMaterialsManager``:

    :param cache: a :class:`LocalCache` (retained).
    :param max_age: seconds an entry may be used (> 0; fractions allowed, resolution
        1 ms).
    :param keyring: build a default CMM over this keyring underneath, or
    :param backing_materials_manager: use this CMM underneath (give exactly one).
    :param max_messages_encrypted: messages per cached data key (1 to 2^32, default 2^32).
    :param max_bytes_encrypted: plaintext bytes per cached data key (default 2^63 - 1).
    :param partition_name: CMMs with the same partition over one cache share entries;
        by default a CMM shares with nobody (random partition). ``str`` (UTF-8) or bytes.
    """

    def __init__(
        self,
        cache: LocalCache,
        max_age: float,
        *,
        keyring: Optional[Keyring] = None,
        backing_materials_manager: Optional[CryptoMaterialsManager] = None,
        max_messages_encrypted: Optional[int] = None,
        max_bytes_encrypted: Optional[int] = None,
        partition_name: Union[str, bytes, None] = None,
    ) -> None:
        _ffi.require("esdk_cmm_caching_new")
        if not isinstance(cache, LocalCache):
            raise TypeError("cache must be an aws_esdk LocalCache")
        if (keyring is None) == (backing_materials_manager is None):
            raise TypeError("give exactly one of keyring= and backing_materials_manager=")
        if keyring is not None:
            require_keyring(keyring)
        else:
            require_cmm(backing_materials_manager, "backing_materials_manager")
        if isinstance(max_age, bool) or not isinstance(max_age, (int, float)) or not max_age > 0:
            raise ValueError("max_age must be a positive number of seconds")
        max_age_ms = max(1, int(round(max_age * 1000)))
        messages = _positive(max_messages_encrypted, "max_messages_encrypted", MAX_MESSAGES_ENCRYPTED)
        size = _positive(max_bytes_encrypted, "max_bytes_encrypted", MAX_BYTES_ENCRYPTED)
        partition: Optional[bytes] = None
        if partition_name is not None:
            partition = (
                partition_name.encode("utf-8")
                if isinstance(partition_name, str)
                else _ffi.to_c_bytes(partition_name, "partition_name")
            )
        ptr = _ffi.new_handle(lib.esdk_cmm_caching_new, backing_materials_manager, keyring, cache, max_age_ms)
        super().__init__(ptr, cache, keyring, backing_materials_manager)
        try:
            if messages is not None:
                _ffi.check(lib.esdk_cmm_caching_set_limit_messages(self, messages))
            if size is not None:
                _ffi.check(lib.esdk_cmm_caching_set_limit_bytes(self, size))
            if partition is not None:
                _ffi.check(lib.esdk_cmm_caching_set_partition_id(self, partition, len(partition)))
        except BaseException:
            self.close()
            raise
        self.cache = cache
        self.max_age: float = float(max_age)


#: Short name.
CachingCMM = CachingCryptoMaterialsManager
