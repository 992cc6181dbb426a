#!/usr/bin/env node
'use strict'
// spec: interop-2 (JavaScript -> C: messages written by the official JavaScript SDK decrypt here)
// js-encrypt.js OUTDIR
//
// Encrypts a matrix of messages with the AWS Encryption SDK for JavaScript
// (raw AES keyrings) and writes, in OUTDIR:
//   manifest.json   an awses-decrypt manifest, version 2
//   keys.json       a keys manifest, version 3 (the raw AES keys)
//   plaintexts/     one file per plaintext size
//   ciphertexts/    one file per message
// so that `esdk-vectors decrypt OUTDIR/manifest.json` checks that aws-esdk-c
// decrypts what the JavaScript SDK wrote.
//
// Matrix (deduplicated, a few hundred messages):
//   - every suite x every (frame length, plaintext size) pair, with the
//     context and the wrapping key rotating;
//   - every suite x every context x every wrapping key, with the
//     (frame length, plaintext size) pair rotating.

const fs = require('fs')
const path = require('path')
const { loadSdk, writeJson, deterministicBytes } = require('./common')

const PROVIDER_ID = 'aws-esdk-c-interop-js'

// All 11 suites; the committing ones (0x0478, 0x0578) need a committing policy.
const SUITES = [
  0x0014, 0x0046, 0x0078, 0x0114, 0x0146, 0x0178, 0x0214, 0x0346, 0x0378, 0x0478, 0x0578
]
const COMMITTING = new Set([0x0478, 0x0578])

const SIZES = [0, 1, 4096, 4097, 70000]
const FRAME_LENGTHS = [1, 4096, 65536]
// Frame length 1 only for small sizes (a 70000-byte message would be 70001 frames).
const FRAME_SIZE_PAIRS = []
for (const frame of FRAME_LENGTHS) {
  for (const size of SIZES) {
    if (frame === 1 && size > 1) continue
    FRAME_SIZE_PAIRS.push([frame, size])
  }
}

const CONTEXTS = {
  empty: {},
  ascii: {
    purpose: 'interop test',
    origin: 'aws-esdk-c',
    'key with spaces': 'value=1;2,3'
  },
  // "a" sorts before "B" by locale, after it by UTF-8 bytes. "🔑" (a surrogate
  // pair in UTF-16, F0.. in UTF-8) sorts before "ｶﾅ" (U+FF76) by UTF-16 code
  // units and after it by UTF-8 bytes.
  utf8: {
    a: 'lower-case a',
    B: 'upper-case B',
    café: 'crème brûlée, naïve, Ångström',
    漢字: '中文测试 日本語テスト 한국어',
    'emoji 🔐': '🎉🚀 party',
    '🔑': 'key emoji first',
    ｶﾅ: 'half-width katakana U+FF76',
    'Ωμέγα': 'Ελληνικά'
  }
}

const KEYS = [
  { name: 'aes-128', bits: 128 },
  { name: 'aes-192', bits: 192 },
  { name: 'aes-256', bits: 256 }
]

function hex4 (suite) { return suite.toString(16).padStart(4, '0') }

function buildMatrix () {
  const cases = new Map()
  const add = (suite, [frame, size], ctx, key) => {
    const id = `js-${hex4(suite)}-f${frame}-p${size}-${ctx}-${key.name}`
    if (!cases.has(id)) cases.set(id, { id, suite, frame, size, ctx, key })
  }
  const ctxNames = Object.keys(CONTEXTS)
  SUITES.forEach((suite, s) => {
    FRAME_SIZE_PAIRS.forEach((pair, i) => {
      add(suite, pair, ctxNames[(i + s) % ctxNames.length], KEYS[(Math.floor(i / ctxNames.length) + s) % KEYS.length])
    })
    let j = s
    for (const ctx of ctxNames) {
      for (const key of KEYS) {
        add(suite, FRAME_SIZE_PAIRS[j % FRAME_SIZE_PAIRS.length], ctx, key)
        j++
      }
    }
  })
  return [...cases.values()]
}

async function main () {
  const outDir = process.argv[2]
  if (!outDir || process.argv.length > 3) {
    console.error('usage: js-encrypt.js OUTDIR')
    process.exit(2)
  }
  const sdk = loadSdk()
  const { CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier } = sdk
  const clients = {
    forbid: sdk.buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT),
    require: sdk.buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
  }

  fs.mkdirSync(path.join(outDir, 'plaintexts'), { recursive: true })
  fs.mkdirSync(path.join(outDir, 'ciphertexts'), { recursive: true })

  const keysFile = { manifest: { type: 'keys', version: 3 }, keys: {} }
  const keyrings = {}
  for (const key of KEYS) {
    const material = deterministicBytes(`aws-esdk-c interop ${key.name}`, key.bits / 8)
    keysFile.keys[key.name] = {
      encrypt: true,
      decrypt: true,
      algorithm: 'aes',
      type: 'symmetric',
      bits: key.bits,
      encoding: 'base64',
      material: material.toString('base64'),
      'key-id': key.name
    }
    const wrappingSuite = {
      128: RawAesWrappingSuiteIdentifier.AES128_GCM_IV12_TAG16_NO_PADDING,
      192: RawAesWrappingSuiteIdentifier.AES192_GCM_IV12_TAG16_NO_PADDING,
      256: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING
    }[key.bits]
    // utf8Sorting: true: see common.js.
    keyrings[key.name] = new RawAesKeyringNode({
      keyNamespace: PROVIDER_ID,
      keyName: key.name,
      unencryptedMasterKey: new Uint8Array(material),
      wrappingSuite,
      utf8Sorting: true
    })
  }
  writeJson(path.join(outDir, 'keys.json'), keysFile)

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

  const cases = buildMatrix()
  let failed = 0
  for (const c of cases) {
    const client = COMMITTING.has(c.suite) ? clients.require : clients.forbid
    try {
      const { result } = await client.encrypt(keyrings[c.key.name], plaintexts[c.size], {
        suiteId: c.suite,
        encryptionContext: CONTEXTS[c.ctx],
        frameLength: c.frame
      })
      fs.writeFileSync(path.join(outDir, 'ciphertexts', `${c.id}.bin`), result)
    } catch (e) {
      failed++
      console.error(`FAIL encrypt ${c.id}: ${e && e.stack ? e.stack : e}`)
      continue
    }
    manifest.tests[c.id] = {
      description: `JavaScript SDK: suite 0x${hex4(c.suite)}, frame ${c.frame}, ${c.size}-byte plaintext, ${c.ctx} context, ${c.key.name} raw keyring`,
      ciphertext: `file://ciphertexts/${c.id}.bin`,
      'master-keys': [{
        type: 'raw',
        key: c.key.name,
        'provider-id': PROVIDER_ID,
        'encryption-algorithm': 'aes'
      }],
      result: { output: { plaintext: `file://plaintexts/${c.size}.bin` } },
      'algorithm-suite': hex4(c.suite),
      'frame-size': c.frame,
      'plaintext-size': c.size,
      'encryption-context': CONTEXTS[c.ctx]
    }
  }
  writeJson(path.join(outDir, 'manifest.json'), manifest)
  const written = Object.keys(manifest.tests).length
  console.log(`js-encrypt: wrote ${written} messages (${SUITES.length} suites, frame/size pairs ${FRAME_SIZE_PAIRS.length}, ` +
    `contexts ${Object.keys(CONTEXTS).length}, keys ${KEYS.length}) to ${path.join(outDir, 'manifest.json')}`)
  if (failed) {
    console.error(`js-encrypt: ${failed} encryptions failed`)
    process.exit(1)
  }
}

// The matrix pieces are shared with js-encrypt-rsa.js.
module.exports = { SUITES, COMMITTING, SIZES, FRAME_SIZE_PAIRS, CONTEXTS, hex4 }

if (require.main === module) {
  main().catch((e) => {
    console.error(e && e.stack ? e.stack : e)
    process.exit(1)
  })
}
