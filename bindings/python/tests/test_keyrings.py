"""Built-in keyrings and CMMs beyond raw AES: raw RSA, multi, required context, PKCS#11, KMS.

Each part skips with a reason when its C functions are not in the library or when the
outside tool it needs (openssl, SoftHSM2 and pkcs11-tool, node) is missing.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import uuid
from typing import Dict, Optional

import support
from support import XorKeyring, aes_keyring

import aws_esdk
from aws_esdk import (
    AccessDeniedError,
    AWSEncryptionSDKError,
    BadStateError,
    CannotDecryptError,
    EncryptionContextMismatchError,
    EncryptionSDKClient,
    KeyringError,
    MultiKeyring,
    NotSupportedError,
    PaddingScheme,
    RawRSAKeyring,
    RequiredEncryptionContextCMM,
)
from aws_esdk.keyrings import kms, multi, pkcs11, raw_rsa
from aws_esdk import required_context

SHARED_DIR = os.environ.get("ESDK_SHARED_DIR", os.path.join(support.PACKAGE_ROOT, "..", "..", "..", "shared"))
KMS_LOCAL = os.path.join(SHARED_DIR, "tools", "kms-local", "kms-local.js")
SOFTHSM_MODULE = os.environ.get("ESDK_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")


def make_rsa_pair(directory: str, bits: int = 2048) -> Dict[str, bytes]:
    key = os.path.join(directory, f"rsa{bits}.pem")
    pub = os.path.join(directory, f"rsa{bits}.pub.pem")
    subprocess.run(["openssl", "genrsa", "-out", key, str(bits)], check=True, capture_output=True)
    subprocess.run(["openssl", "rsa", "-in", key, "-pubout", "-out", pub], check=True, capture_output=True)
    der = subprocess.run(["openssl", "rsa", "-in", key, "-outform", "DER"], check=True, capture_output=True).stdout
    with open(key, "rb") as f, open(pub, "rb") as g:
        return {"private": f.read(), "public": g.read(), "private_der": der}


@unittest.skipUnless(raw_rsa.AVAILABLE, "this build of libaws-esdk-c has no raw RSA keyring")
@unittest.skipUnless(shutil.which("openssl"), "openssl is needed to make RSA test keys")
class TestRawRSA(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory(prefix="aws-esdk-rsa-")
        cls.keys = make_rsa_pair(cls.tmp.name)
        cls.other = make_rsa_pair(cls.tmp.name, 3072)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()

    def test_every_padding_round_trip(self) -> None:
        client = EncryptionSDKClient()
        for padding in PaddingScheme:
            with self.subTest(padding=padding.name):
                keyring = RawRSAKeyring(
                    "rsa-ns", "rsa-key", padding_scheme=padding,
                    public_key=self.keys["public"], private_key=self.keys["private"],
                )
                ciphertext, header = client.encrypt(source=b"rsa", keyring=keyring)
                edk = header.encrypted_data_keys[0]
                self.assertEqual((edk.provider_id, edk.provider_info, len(edk.ciphertext)), ("rsa-ns", b"rsa-key", 256))
                self.assertEqual(client.decrypt(source=ciphertext, keyring=keyring)[0], b"rsa")

    def test_public_only_private_only_and_der(self) -> None:
        client = EncryptionSDKClient()
        padding = PaddingScheme.OAEP_SHA256_MGF1
        encryptor = RawRSAKeyring("ns", "k", padding_scheme=padding, public_key=self.keys["public"].decode())
        decryptor = RawRSAKeyring("ns", "k", padding_scheme=padding, private_key=self.keys["private_der"])
        ciphertext, _ = client.encrypt(source=b"split", keyring=encryptor)
        self.assertEqual(client.decrypt(source=ciphertext, keyring=decryptor)[0], b"split")
        with self.assertRaises(BadStateError):
            client.decrypt(source=ciphertext, keyring=encryptor)
        with self.assertRaises(BadStateError):
            client.encrypt(source=b"x", keyring=decryptor)
        wrong = RawRSAKeyring("ns", "k", padding_scheme=padding, private_key=self.other["private"])
        with self.assertRaises(CannotDecryptError):
            client.decrypt(source=ciphertext, keyring=wrong)

    def test_bad_arguments(self) -> None:
        with self.assertRaises(TypeError):
            RawRSAKeyring("ns", "k", padding_scheme=PaddingScheme.PKCS1)
        with self.assertRaises(AWSEncryptionSDKError):
            RawRSAKeyring("ns", "k", padding_scheme=PaddingScheme.PKCS1, public_key=b"not a key")
        with self.assertRaises(ValueError):
            RawRSAKeyring("ns", "k", padding_scheme=99, public_key=self.keys["public"])  # type: ignore[arg-type]


@unittest.skipUnless(multi.AVAILABLE, "this build of libaws-esdk-c has no multi-keyring")
class TestMultiKeyring(unittest.TestCase):
    def test_generator_and_children(self) -> None:
        client = EncryptionSDKClient()
        first, second, python_keyring = aes_keyring(), aes_keyring(os.urandom(32), "key-2"), XorKeyring(b"m")
        keyring = MultiKeyring(generator=first, child_keyrings=[second, python_keyring])
        ciphertext, header = client.encrypt(source=b"multi", keyring=keyring)
        self.assertEqual(len(header.encrypted_data_keys), 3)
        for one in (first, second, python_keyring, keyring):
            self.assertEqual(client.decrypt(source=ciphertext, keyring=one)[0], b"multi")
        # any one of them opens it, inside another multi-keyring too
        self.assertEqual(
            client.decrypt(source=ciphertext, keyring=MultiKeyring(child_keyrings=[aes_keyring(os.urandom(32)), second]))[0],
            b"multi",
        )

    def test_failures(self) -> None:
        client = EncryptionSDKClient()
        ciphertext, _ = client.encrypt(source=b"x", keyring=aes_keyring())
        nobody = MultiKeyring(child_keyrings=[aes_keyring(os.urandom(32)), XorKeyring(b"z")])
        with self.assertRaises(CannotDecryptError) as ctx:
            client.decrypt(source=ciphertext, keyring=nobody)
        self.assertIn("multi-keyring", ctx.exception.detail)

        class Broken(aws_esdk.Keyring):
            def on_encrypt(self, materials: aws_esdk.EncryptionMaterials) -> None:
                raise RuntimeError("child down")

            def on_decrypt(self, materials: aws_esdk.DecryptionMaterials, edks: list) -> None:
                raise RuntimeError("child down")

        with self.assertRaises(KeyringError) as ctx2:
            client.encrypt(source=b"x", keyring=MultiKeyring(generator=aes_keyring(), child_keyrings=[Broken()]))
        self.assertIn("child down", ctx2.exception.detail)
        # on decrypt a broken child does not stop a good one
        self.assertEqual(
            client.decrypt(source=ciphertext, keyring=MultiKeyring(child_keyrings=[Broken(), aes_keyring()]))[0], b"x"
        )
        with self.assertRaises(TypeError):
            MultiKeyring()
        with self.assertRaises(TypeError):
            MultiKeyring(child_keyrings=["not a keyring"])  # type: ignore[list-item]


@unittest.skipUnless(required_context.AVAILABLE, "this build of libaws-esdk-c has no required-context CMM")
class TestRequiredContextCMM(unittest.TestCase):
    def test_required_keys(self) -> None:
        client = EncryptionSDKClient()
        keyring = aes_keyring()
        for cmm in (
            RequiredEncryptionContextCMM(["tenant"], keyring=keyring),
            RequiredEncryptionContextCMM(["tenant"], underlying_cmm=aws_esdk.DefaultCMM(keyring)),
        ):
            with self.subTest(cmm=cmm):
                ciphertext, header = client.encrypt(
                    source=b"r", materials_manager=cmm, encryption_context={"tenant": "t1", "other": "o"}
                )
                self.assertNotIn("tenant", header.encryption_context)  # authenticated, not stored
                self.assertEqual(header.encryption_context["other"], "o")
                plaintext, _ = client.decrypt(source=ciphertext, materials_manager=cmm, encryption_context={"tenant": "t1"})
                self.assertEqual(plaintext, b"r")
                # the plain keyring needs the pair back too
                self.assertEqual(
                    client.decrypt(source=ciphertext, keyring=keyring, encryption_context={"tenant": "t1"})[0], b"r"
                )
                with self.assertRaises(EncryptionContextMismatchError):
                    client.decrypt(source=ciphertext, materials_manager=cmm)
                with self.assertRaises((CannotDecryptError, aws_esdk.InvalidTagError)):
                    client.decrypt(source=ciphertext, materials_manager=cmm, encryption_context={"tenant": "t2"})
                with self.assertRaises(EncryptionContextMismatchError):
                    client.encrypt(source=b"r", materials_manager=cmm, encryption_context={"other": "o"})

    def test_arguments(self) -> None:
        with self.assertRaises(TypeError):
            RequiredEncryptionContextCMM("tenant", keyring=aes_keyring())  # type: ignore[arg-type]
        with self.assertRaises(TypeError):
            RequiredEncryptionContextCMM(["a"])
        with self.assertRaises(AWSEncryptionSDKError):
            RequiredEncryptionContextCMM([], keyring=aes_keyring())
        with self.assertRaises(AWSEncryptionSDKError):
            RequiredEncryptionContextCMM(["aws-crypto-x"], keyring=aes_keyring())


@unittest.skipUnless(pkcs11.AVAILABLE, "this build of libaws-esdk-c has no PKCS#11 keyring")
@unittest.skipUnless(
    os.path.exists(SOFTHSM_MODULE) and shutil.which("softhsm2-util") and shutil.which("pkcs11-tool"),
    "SoftHSM2 (softhsm2-util, libsofthsm2.so) and pkcs11-tool (opensc) are needed",
)
class TestPKCS11(unittest.TestCase):
    PIN = "123456"
    KEY = bytes(range(100, 132))

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory(prefix="aws-esdk-p11-")
        d = cls.tmp.name
        os.makedirs(os.path.join(d, "tokens"))
        conf = os.path.join(d, "softhsm2.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write(f"directories.tokendir = {d}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n")
        cls.old_conf = os.environ.get("SOFTHSM2_CONF")
        os.environ["SOFTHSM2_CONF"] = conf  # read by SoftHSM2 when the module initializes
        run = lambda *a: subprocess.run(a, check=True, capture_output=True)  # noqa: E731
        run("softhsm2-util", "--init-token", "--free", "--label", "py-test", "--so-pin", "87654321", "--pin", cls.PIN)
        kek = os.path.join(d, "kek.bin")
        with open(kek, "wb") as f:
            f.write(cls.KEY)
        run(
            "pkcs11-tool", "--module", SOFTHSM_MODULE, "--token-label", "py-test", "--login", "--pin", cls.PIN,
            "--write-object", kek, "--type", "secrkey", "--key-type", "AES:32", "--label", "py-aes",
            "--id", "a1", "--usage-wrap", "--usage-decrypt", "--sensitive",
        )

    @classmethod
    def tearDownClass(cls) -> None:
        if cls.old_conf is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = cls.old_conf
        cls.tmp.cleanup()

    def keyring(self, **kwargs: object) -> aws_esdk.PKCS11Keyring:
        settings = dict(module=SOFTHSM_MODULE, token_label="py-test", key_label="py-aes", pin=self.PIN,
                        key_namespace="hsm-ns", key_name="hsm-key")
        settings.update(kwargs)
        return aws_esdk.PKCS11Keyring(**settings)  # type: ignore[arg-type]

    def test_round_trip_and_raw_aes_interop(self) -> None:
        client = EncryptionSDKClient()
        hsm = self.keyring()
        self.assertIsNone(hsm.last_failure)
        ciphertext, header = client.encrypt(source=b"hsm", keyring=hsm, encryption_context={"k": "v"})
        self.assertEqual(header.encrypted_data_keys[0].provider_id, "hsm-ns")
        self.assertEqual(client.decrypt(source=ciphertext, keyring=hsm)[0], b"hsm")
        software = aws_esdk.RawAESKeyring("hsm-ns", "hsm-key", self.KEY)
        self.assertEqual(client.decrypt(source=ciphertext, keyring=software)[0], b"hsm")
        ciphertext, _ = client.encrypt(source=b"soft", keyring=software)
        self.assertEqual(client.decrypt(source=ciphertext, keyring=hsm)[0], b"soft")

    def test_errors(self) -> None:
        with self.assertRaises(AWSEncryptionSDKError):
            self.keyring(key_label="no-such-key")
        with self.assertRaises(aws_esdk.BackendUnavailableError):
            self.keyring(token_label="no-such-token")
        with self.assertRaises(ValueError):
            self.keyring(key_type="dsa")
        lazy = self.keyring(token_label="no-such-token", connect="lazy")
        with self.assertRaises(aws_esdk.BackendUnavailableError):
            EncryptionSDKClient().encrypt(source=b"x", keyring=lazy)
        self.assertIn("ESDK_ERR_UNAVAILABLE", lazy.last_failure or "")


def _node_version() -> int:
    node = shutil.which("node")
    if not node:
        return 0
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=20).stdout
        return int(out.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return 0


@unittest.skipUnless(
    all(getattr(aws_esdk._ffi.lib, n, None) for n in ("esdk_kms_keyring_new", "esdk_kms_discovery_keyring_new")),
    "this build of libaws-esdk-c has no AWS KMS keyrings",
)
@unittest.skipUnless(os.path.exists(KMS_LOCAL), f"the local KMS server is not at {KMS_LOCAL} (set ESDK_SHARED_DIR)")
@unittest.skipUnless(_node_version() >= 18, "node 18 or newer is needed to run the local KMS server")
class TestKms(unittest.TestCase):
    REGION = "us-west-2"
    ACCOUNT = "111122223333"
    CREDS = ("AKIDLOCALTEST", "local/secret/key/for/tests")

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory(prefix="aws-esdk-kms-")
        d = cls.tmp.name
        cls.key_id = str(uuid.uuid4())
        state = {
            "keys": [
                {"keyId": cls.key_id, "region": cls.REGION, "account": cls.ACCOUNT,
                 "material": base64.b64encode(os.urandom(32)).decode(), "enabled": True, "multiRegion": False,
                 "primaryRegion": cls.REGION, "description": "aws_esdk tests", "created": time.time()},
            ],
            "aliases": [],
        }
        with open(os.path.join(d, "keys.json"), "w", encoding="utf-8") as f:
            json.dump(state, f)
        port_file = os.path.join(d, "port")
        cls.server = subprocess.Popen(
            ["node", KMS_LOCAL, "--port", "0", "--port-file", port_file, "--state", os.path.join(d, "keys.json")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        port: Optional[str] = None
        while time.monotonic() < deadline and not port:
            if os.path.exists(port_file):
                with open(port_file, encoding="utf-8") as f:
                    port = f.read().strip() or None
            time.sleep(0.05)
        if not port:
            cls.server.kill()
            raise unittest.SkipTest("the local KMS server did not start")
        cls.endpoint = f"http://127.0.0.1:{port}"
        cls.arn = f"arn:aws:kms:{cls.REGION}:{cls.ACCOUNT}:key/{cls.key_id}"

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.terminate()
        cls.server.wait(timeout=10)
        cls.tmp.cleanup()

    def settings(self, **extra: object) -> dict:
        s = dict(endpoint=self.endpoint, credentials=self.CREDS, max_attempts=1)
        s.update(extra)
        return s

    def test_kms_keyring_round_trip(self) -> None:
        client = EncryptionSDKClient()
        keyring = aws_esdk.AwsKmsKeyring(self.arn, **self.settings())
        ciphertext, header = client.encrypt(source=b"kms", keyring=keyring, encryption_context={"a": "b"})
        edk = header.encrypted_data_keys[0]
        self.assertEqual((edk.provider_id, edk.provider_info), ("aws-kms", self.arn.encode()))
        self.assertEqual(client.decrypt(source=ciphertext, keyring=keyring)[0], b"kms")
        discovery = aws_esdk.AwsKmsDiscoveryKeyring(
            **self.settings(discovery_filter=aws_esdk.DiscoveryFilter("aws", [self.ACCOUNT]))
        )
        self.assertEqual(client.decrypt(source=ciphertext, keyring=discovery)[0], b"kms")
        with self.assertRaises(NotSupportedError):
            client.encrypt(source=b"x", keyring=discovery)
        multi_kms = aws_esdk.AwsKmsMultiKeyring(generator=self.arn, **self.settings())
        self.assertEqual(client.decrypt(source=ciphertext, keyring=multi_kms)[0], b"kms")

    def test_credentials_provider_and_refusals(self) -> None:
        client = EncryptionSDKClient()
        calls = []

        def provider() -> aws_esdk.AwsCredentials:
            calls.append(1)
            return aws_esdk.AwsCredentials(*self.CREDS)

        keyring = aws_esdk.AwsKmsKeyring(self.arn, **self.settings(credentials=None, credentials_provider=provider))
        ciphertext, _ = client.encrypt(source=b"p", keyring=keyring)
        self.assertEqual(client.decrypt(source=ciphertext, keyring=keyring)[0], b"p")
        self.assertGreaterEqual(len(calls), 2)
        bad = aws_esdk.AwsKmsKeyring(self.arn, **self.settings(credentials=("AKIDLOCALTEST", "wrong secret")))
        with self.assertRaises(AccessDeniedError):
            client.encrypt(source=b"x", keyring=bad)

        def failing() -> aws_esdk.AwsCredentials:
            raise RuntimeError("vault sealed")

        broken = aws_esdk.AwsKmsKeyring(self.arn, **self.settings(credentials=None, credentials_provider=failing))
        with self.assertRaises(AccessDeniedError) as ctx:
            client.encrypt(source=b"x", keyring=broken)
        self.assertIsInstance(ctx.exception.__cause__, RuntimeError)

    def test_helpers_and_arguments(self) -> None:
        self.assertTrue(kms.kms_arn_is_valid(self.arn))
        self.assertFalse(kms.kms_arn_is_valid("not an arn"))
        with self.assertRaises(TypeError):
            aws_esdk.AwsKmsKeyring(self.arn, regoin="typo")


if __name__ == "__main__":
    unittest.main()
