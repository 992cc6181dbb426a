"""aws_esdk: the AWS Encryption SDK message format, over the C library libaws-esdk-c.

Pure Python (ctypes), no dependencies. Quick start::

    import os, aws_esdk
    keyring = aws_esdk.RawAESKeyring("my-app", "key-1", os.urandom(32))
    client = aws_esdk.EncryptionSDKClient()
    ciphertext, header = client.encrypt(source=b"secret", keyring=keyring, encryption_context={"purpose": "demo"})
    plaintext, _ = client.decrypt(source=ciphertext, keyring=keyring)

The API follows the official AWS Encryption SDK for Python (``EncryptionSDKClient``,
``encrypt``/``decrypt``/``stream``, ``CommitmentPolicy``, ``Algorithm``, the exception
names), with keyrings instead of master-key providers. Messages interoperate byte for
byte with the official SDKs and CLI.

The shared library is found next to the package, through the environment variable
``AWS_ESDK_LIBRARY``, or by the system loader (see :mod:`aws_esdk._ffi`).
"""

from ._ffi import LIBRARY_PATH, LIBRARY_VERSION
from ._version import __version__
from .caching import CachingCMM, CachingCryptoMaterialsManager, LocalCache, LocalCryptoMaterialsCache
from .client import EncryptionSDKClient
from .errors import (
    AWSEncryptionSDKClientError,
    AWSEncryptionSDKError,
    AccessDeniedError,
    ActionNotAllowedError,
    BackendUnavailableError,
    BadStateError,
    BufferTooSmallError,
    CannotDecryptError,
    CommitmentMismatchError,
    CryptoBackendError,
    CustomMaximumValueExceeded,
    DecryptKeyError,
    DecryptionError,
    EncryptionContextMismatchError,
    EnvironmentFailure,
    IOFailureError,
    InternalError,
    InvalidArgumentError,
    InvalidEncryptionContextError,
    InvalidKeyError,
    InvalidTagError,
    KeyringError,
    LimitExceededError,
    MaxEncryptedDataKeysExceeded,
    NoMemoryError,
    NotSupportedError,
    PolicyViolationError,
    RandomGeneratorError,
    SerializationError,
    SignatureMismatchError,
    SignedMessageNotAllowedError,
    TrailingDataError,
    TruncatedMessageError,
)
from .identifiers import Algorithm, AlgorithmSuite, CommitmentPolicy, ContentType, SerializationVersion
from .keyrings import (
    AwsCredentials,
    AwsKmsDiscoveryKeyring,
    AwsKmsKeyring,
    AwsKmsMrkDiscoveryKeyring,
    AwsKmsMrkDiscoveryMultiKeyring,
    AwsKmsMrkKeyring,
    AwsKmsMrkMultiKeyring,
    AwsKmsMultiKeyring,
    DiscoveryFilter,
    Keyring,
    MultiKeyring,
    NativeKeyring,
    PaddingScheme,
    PKCS11Keyring,
    Pkcs11Keyring,
    RawAESKeyring,
    RawRSAKeyring,
)
from .materials import DecryptionMaterials, EncryptionMaterials
from .materials_managers import CryptoMaterialsManager, DefaultCMM, DefaultCryptoMaterialsManager
from .required_context import RequiredEncryptionContextCMM
from .streaming import StreamDecryptor, StreamEncryptor
from .structures import EncryptedDataKey, MasterKeyInfo, MessageHeader

__all__ = [
    "__version__",
    "LIBRARY_PATH",
    "LIBRARY_VERSION",
    "EncryptionSDKClient",
    "Algorithm",
    "AlgorithmSuite",
    "CommitmentPolicy",
    "ContentType",
    "SerializationVersion",
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
    "EncryptionMaterials",
    "DecryptionMaterials",
    "CryptoMaterialsManager",
    "DefaultCryptoMaterialsManager",
    "DefaultCMM",
    "RequiredEncryptionContextCMM",
    "CachingCryptoMaterialsManager",
    "CachingCMM",
    "LocalCache",
    "LocalCryptoMaterialsCache",
    "StreamEncryptor",
    "StreamDecryptor",
    "EncryptedDataKey",
    "MasterKeyInfo",
    "MessageHeader",
    "AWSEncryptionSDKError",
    "AWSEncryptionSDKClientError",
    "InvalidArgumentError",
    "BadStateError",
    "NotSupportedError",
    "BufferTooSmallError",
    "DecryptionError",
    "SerializationError",
    "TruncatedMessageError",
    "TrailingDataError",
    "InvalidTagError",
    "SignatureMismatchError",
    "CommitmentMismatchError",
    "PolicyViolationError",
    "ActionNotAllowedError",
    "SignedMessageNotAllowedError",
    "LimitExceededError",
    "CustomMaximumValueExceeded",
    "MaxEncryptedDataKeysExceeded",
    "EncryptionContextMismatchError",
    "InvalidEncryptionContextError",
    "KeyringError",
    "CannotDecryptError",
    "DecryptKeyError",
    "InvalidKeyError",
    "BackendUnavailableError",
    "AccessDeniedError",
    "EnvironmentFailure",
    "NoMemoryError",
    "CryptoBackendError",
    "RandomGeneratorError",
    "IOFailureError",
    "InternalError",
]
