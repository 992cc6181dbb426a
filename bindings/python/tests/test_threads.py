"""Several threads encrypting and decrypting at once with shared keyrings and clients."""

from __future__ import annotations

import os
import threading
import unittest
from concurrent.futures import ThreadPoolExecutor
from typing import List

import support
from support import XorKeyring, aes_keyring

from aws_esdk import CannotDecryptError, DefaultCMM, EncryptionSDKClient, InvalidTagError, TruncatedMessageError

THREADS = 8
ROUNDS = 40


class TestThreads(unittest.TestCase):
    def test_shared_keyrings_clients_and_cmms(self) -> None:
        client = EncryptionSDKClient()
        aes = aes_keyring()
        python_keyring = XorKeyring(b"threads")
        cmm = DefaultCMM(aes)
        barrier = threading.Barrier(THREADS)

        def worker(index: int) -> int:
            barrier.wait()
            done = 0
            for i in range(ROUNDS):
                data = os.urandom(100 + 997 * ((index + i) % 7))
                context = {"thread": str(index), "round": str(i)}
                keyring = (aes, python_keyring)[i % 2]
                suite = support.ALL_SUITES[(index + i) % len(support.ALL_SUITES)]
                local = support.client_for(suite)
                ciphertext, header = local.encrypt(
                    source=data, keyring=keyring, encryption_context=context, algorithm=suite
                )
                self.assertEqual(header.encryption_context["thread"], str(index))
                plaintext, _ = local.decrypt(source=ciphertext, keyring=keyring, encryption_context=context)
                self.assertEqual(plaintext, data)
                # a stream and a CMM too, now and then
                if i % 5 == 0:
                    with client.stream(mode="e", source=data, materials_manager=cmm) as enc:
                        streamed = enc.read()
                    with client.stream(mode="d", source=streamed, keyring=aes) as dec:
                        self.assertEqual(dec.read(), data)
                done += 1
            return done

        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(worker, range(THREADS)))
        self.assertEqual(results, [ROUNDS] * THREADS)
        self.assertEqual(python_keyring.encrypt_calls, THREADS * ROUNDS // 2)

    def test_errors_and_details_stay_on_their_thread(self) -> None:
        client = EncryptionSDKClient()
        keyring = aes_keyring()
        message, _ = client.encrypt(source=os.urandom(20000), keyring=keyring, algorithm=support.UNSIGNED_COMMITTING)
        tampered = bytearray(message)
        tampered[-50] ^= 1
        wrong = aes_keyring(os.urandom(32))
        cases = [
            (bytes(tampered), keyring, InvalidTagError),
            (message, wrong, CannotDecryptError),
            (message[:-7], keyring, TruncatedMessageError),
        ]
        failures: List[str] = []

        def worker(index: int) -> None:
            for i in range(60):
                source, kr, expected = cases[(index + i) % len(cases)]
                try:
                    client.decrypt(source=source, keyring=kr)
                    failures.append("no error")
                except expected as exc:
                    again = client.decrypt(source=message, keyring=keyring)[0]  # a success in between
                    if not again or not exc.detail or exc.code != expected.default_code:
                        failures.append(f"{expected.__name__}: {exc.code} {exc.detail!r}")
                except Exception as exc:  # pylint: disable=broad-except
                    failures.append(f"expected {expected.__name__}, got {exc!r}")

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])


if __name__ == "__main__":
    unittest.main()
