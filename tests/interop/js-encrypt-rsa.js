#!/usr/bin/env node
'use strict'
// spec: interop-2 (JavaScript -> C: raw RSA and multi-keyring messages written by the
// official JavaScript SDK decrypt here)
// js-encrypt-rsa.js OUTDIR
//
// Encrypts, with the AWS Encryption SDK for JavaScript, messages whose data key is
// wrapped by RawRsaKeyringNode (every padding: PKCS#1 v1.5 and OAEP with SHA-1,
// SHA-256, SHA-384, SHA-512, MGF1 with the same hash) and by MultiKeyringNode
// (raw AES generator + raw RSA child + a second raw AES child), and writes in OUTDIR
// the same layout as js-encrypt.js (manifest.json: awses-decrypt v2; keys.json: keys
// v3; plaintexts/; ciphertexts/) for `esdk-vectors decrypt --strict`.
//
// Two RSA key pairs (2048 and 3072 bits) are generated afresh on each run with
// node:crypto and written to keys.json as PEM: NAME-private (PKCS#8, type private)
// and NAME-public (SPKI, type public), key-id NAME.
//
// Manifest tests:
//   js-rsa-PAD-SUITE-...           one per RSA message (the private key, same padding);
//   ...-wrong-padding-PAD2         one per padding: an RSA message given the right key
//                                  with the next padding in the list must fail;
//   js-multi-...-any               one per multi-keyring message, all three keys listed;
//   js-multi-...-only-KEY          and one per key of the message, that key alone, so
//                                  that each key is shown to open the message by itself.

const fs = require('fs')
const path = require('path')
const {
  loadSdk, writeJson, deterministicBytes, RSA_PADDINGS, rsaKeyPair, aesKeyEntry,
  aesMasterKey, rsaMasterKey
} = require('./common')
const { SUITES, COMMITTING, SIZES, FRAME_SIZE_PAIRS, CONTEXTS, hex4 } = require('./js-encrypt')

const PROVIDER_ID = 'aws-esdk-c-interop-js-rsa'
const RSA_BITS = [2048, 3072]
const AES_KEYS = [{ name: 'aes-256', bits: 256 }, { name: 'aes-128', bits: 128 }]
// Multi-keyring messages per suite (the RSA child's padding rotates across them).
const MULTI_PER_SUITE = 2

function buildMatrix (rsaKeys) {
  const ctxNames = Object.keys(CONTEXTS)
  const pairs = FRAME_SIZE_PAIRS
  const single = []
  RSA_PADDINGS.forEach((padding, p) => {
    SUITES.forEach((suite, s) => {
      const [frame, size] = pairs[(s + 2 * p) % pairs.length]
      const ctx = ctxNames[(s + p) % ctxNames.length]
      const rsa = rsaKeys[(s + p) % rsaKeys.length]
      single.push({
        id: `js-rsa-${padding.name}-${hex4(suite)}-f${frame}-p${size}-${ctx}-${rsa.name}`,
        suite, frame, size, ctx, rsa, padding
      })
    })
  })
  const multi = []
  SUITES.forEach((suite, s) => {
    for (let j = 0; j < MULTI_PER_SUITE; j++) {
      const k = s * MULTI_PER_SUITE + j
      const padding = RSA_PADDINGS[k % RSA_PADDINGS.length]
      const rsa = rsaKeys[(s + j) % rsaKeys.length]
      const [frame, size] = pairs[(3 * k + 1) % pairs.length]
      const ctx = ctxNames[(k + 2) % ctxNames.length]
      multi.push({
        id: `js-multi-${hex4(suite)}-f${frame}-p${size}-${ctx}-${AES_KEYS[0].name}+${rsa.name}-${padding.name}+${AES_KEYS[1].name}`,
        suite, frame, size, ctx, rsa, padding
      })
    }
  })
  return { single, multi }
}

async function main () {
  const outDir = process.argv[2]
  if (!outDir || process.argv.length > 3) {
    console.error('usage: js-encrypt-rsa.js OUTDIR')
    process.exit(2)
  }
  const sdk = loadSdk()
  const { CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier, RawRsaKeyringNode, MultiKeyringNode } = sdk
  const clients = {
    forbid: sdk.buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT),
    require: sdk.buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
  }

  fs.mkdirSync(path.join(outDir, 'plaintexts'), { recursive: true })
  fs.mkdirSync(path.join(outDir, 'ciphertexts'), { recursive: true })

  const keysFile = { manifest: { type: 'keys', version: 3 }, keys: {} }
  const rsaKeys = RSA_BITS.map((bits) => rsaKeyPair(`rsa-${bits}`, bits))
  for (const rsa of rsaKeys) Object.assign(keysFile.keys, rsa.entries)
  const aesKeyrings = {}
  for (const key of AES_KEYS) {
    const material = deterministicBytes(`aws-esdk-c interop rsa/multi ${key.name}`, key.bits / 8)
    keysFile.keys[key.name] = aesKeyEntry(key.name, material)
    aesKeyrings[key.name] = new RawAesKeyringNode({
      keyNamespace: PROVIDER_ID,
      keyName: key.name,
      unencryptedMasterKey: new Uint8Array(material),
      wrappingSuite: key.bits === 256
        ? RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING
        : RawAesWrappingSuiteIdentifier.AES128_GCM_IV12_TAG16_NO_PADDING,
      utf8Sorting: true // see common.js
    })
  }
  writeJson(path.join(outDir, 'keys.json'), keysFile)

  // Encrypt needs the public key; the private one is given too (unused here).
  const rsaKeyring = (rsa, padding) => new RawRsaKeyringNode({
    keyNamespace: PROVIDER_ID,
    keyName: rsa.name,
    rsaKey: { publicKey: rsa.publicPem, privateKey: rsa.privatePem },
    padding: padding.padding,
    ...(padding.oaepHash ? { oaepHash: padding.oaepHash } : {})
  })

  const plaintexts = {}
  for (const size of SIZES) {
    plaintexts[size] = deterministicBytes(`aws-esdk-c interop plaintext ${size}`, size)
    fs.writeFileSync(path.join(outDir, 'plaintexts', `${size}.bin`), plaintexts[size])
  }

  const manifest = {
    manifest: { type: 'awses-decrypt', version: 2 },
    client: {
      name: 'aws-encryption-sdk-javascript (@aws-crypto/client-node)',
      version: require('@aws-crypto/client-node/package.json').version
    },
    keys: 'file://keys.json',
    tests: {}
  }
  const addTest = (id, c, description, masterKeys, error) => {
    manifest.tests[id] = {
      description,
      ciphertext: `file://ciphertexts/${c.id}.bin`,
      'master-keys': masterKeys,
      result: error
        ? { error: { 'error-description': error } }
        : { output: { plaintext: `file://plaintexts/${c.size}.bin` } },
      'algorithm-suite': hex4(c.suite),
      'frame-size': c.frame,
      'plaintext-size': c.size,
      'encryption-context': CONTEXTS[c.ctx]
    }
  }
  const what = (c) => `suite 0x${hex4(c.suite)}, frame ${c.frame}, ${c.size}-byte plaintext, ${c.ctx} context`

  let failed = 0
  const encrypt = async (c, keyring) => {
    const client = COMMITTING.has(c.suite) ? clients.require : clients.forbid
    try {
      const { result } = await client.encrypt(keyring, plaintexts[c.size], {
        suiteId: c.suite,
        encryptionContext: CONTEXTS[c.ctx],
        frameLength: c.frame
      })
      fs.writeFileSync(path.join(outDir, 'ciphertexts', `${c.id}.bin`), result)
      return true
    } catch (e) {
      failed++
      console.error(`FAIL encrypt ${c.id}: ${e && e.stack ? e.stack : e}`)
      return false
    }
  }

  const { single, multi } = buildMatrix(rsaKeys)
  const counts = { rsa: {}, wrongPadding: 0, multiMessages: 0, multiTests: 0 }
  const firstOfPadding = new Map()
  for (const c of single) {
    if (!await encrypt(c, rsaKeyring(c.rsa, c.padding))) continue
    addTest(c.id, c, `JavaScript SDK: ${what(c)}, raw RSA ${c.rsa.name} ${c.padding.name}`,
      [rsaMasterKey(PROVIDER_ID, c.rsa.privateName, c.padding)])
    counts.rsa[c.padding.name] = (counts.rsa[c.padding.name] || 0) + 1
    if (!firstOfPadding.has(c.padding.name)) firstOfPadding.set(c.padding.name, c)
  }
  // The padding is part of the key: the right key with another padding must not decrypt.
  RSA_PADDINGS.forEach((padding, p) => {
    const c = firstOfPadding.get(padding.name)
    if (!c) return
    const wrong = RSA_PADDINGS[(p + 1) % RSA_PADDINGS.length]
    addTest(`${c.id}-wrong-padding-${wrong.name}`, c,
      `JavaScript SDK: RSA ${padding.name} message, decrypted with ${wrong.name}: must fail`,
      [rsaMasterKey(PROVIDER_ID, c.rsa.privateName, wrong)], `written with ${padding.name}, not ${wrong.name}`)
    counts.wrongPadding++
  })

  for (const c of multi) {
    const keyring = new MultiKeyringNode({
      generator: aesKeyrings[AES_KEYS[0].name],
      children: [rsaKeyring(c.rsa, c.padding), aesKeyrings[AES_KEYS[1].name]]
    })
    if (!await encrypt(c, keyring)) continue
    const members = [
      [AES_KEYS[0].name, aesMasterKey(PROVIDER_ID, AES_KEYS[0].name)],
      [`${c.rsa.name}-${c.padding.name}`, rsaMasterKey(PROVIDER_ID, c.rsa.privateName, c.padding)],
      [AES_KEYS[1].name, aesMasterKey(PROVIDER_ID, AES_KEYS[1].name)]
    ]
    const desc = `JavaScript SDK: ${what(c)}, multi-keyring (generator raw AES ${AES_KEYS[0].name}, ` +
      `children raw RSA ${c.rsa.name} ${c.padding.name} and raw AES ${AES_KEYS[1].name})`
    addTest(`${c.id}-any`, c, `${desc}, any of its keys`, members.map(([, mk]) => mk))
    for (const [label, mk] of members) {
      addTest(`${c.id}-only-${label}`, c, `${desc}, ${label} alone`, [mk])
    }
    counts.multiMessages++
    counts.multiTests += 1 + members.length
  }

  writeJson(path.join(outDir, 'manifest.json'), manifest)
  const perPadding = RSA_PADDINGS.map((p) => `${p.name} ${counts.rsa[p.name] || 0}`).join(', ')
  console.log(`js-encrypt-rsa: raw RSA messages (${RSA_BITS.join('/')}-bit keys): ${perPadding}; ` +
    `${counts.wrongPadding} wrong-padding must-fail tests; ${counts.multiMessages} multi-keyring messages ` +
    `(${counts.multiTests} tests: all keys, then each key alone); ` +
    `${Object.keys(manifest.tests).length} tests in ${path.join(outDir, 'manifest.json')}`)
  if (failed) {
    console.error(`js-encrypt-rsa: ${failed} encryptions failed`)
    process.exit(1)
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e)
  process.exit(1)
})
