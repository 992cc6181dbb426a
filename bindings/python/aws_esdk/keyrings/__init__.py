"""Keyrings: the :class:`Keyring` base class (also for keyrings written in Python) and
the built-in ones, one small module each.

Adding a binding for a new C keyring is one module here with one class: declare the
constructor's prototype with :func:`aws_esdk._ffi.declare_optional`, subclass
:class:`NativeKeyring`, call the constructor in ``__init__`` and pass the handle up;
then import it below and export it from ``aws_esdk/__init__.py``. A class whose C
functions are missing from the loaded library raises
:class:`~aws_esdk.errors.NotSupportedError` when instantiated.
"""

from .base import Keyring, NativeKeyring
from .kms import (
    AwsCredentials,
    AwsKmsDiscoveryKeyring,
    AwsKmsKeyring,
    AwsKmsMrkDiscoveryKeyring,
    AwsKmsMrkDiscoveryMultiKeyring,
    AwsKmsMrkKeyring,
    AwsKmsMrkMultiKeyring,
    AwsKmsMultiKeyring,
    DiscoveryFilter,
)
from .multi import MultiKeyring
from .pkcs11 import PKCS11Keyring, Pkcs11Keyring
from .raw_aes import RawAESKeyring
from .raw_rsa import PaddingScheme, RawRSAKeyring

__all__ = [
    "Keyring",
    "NativeKeyring",
    "RawAESKeyring",
    "RawRSAKeyring",
    "PaddingScheme",
    "MultiKeyring",
    "PKCS11Keyring",
    "Pkcs11Keyring",
    "AwsCredentials",
    "DiscoveryFilter",
    "AwsKmsKeyring",
    "AwsKmsDiscoveryKeyring",
    "AwsKmsMrkKeyring",
    "AwsKmsMrkDiscoveryKeyring",
    "AwsKmsMultiKeyring",
    "AwsKmsMrkMultiKeyring",
    "AwsKmsMrkDiscoveryMultiKeyring",
]
