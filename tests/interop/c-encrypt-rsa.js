#!/usr/bin/env node
'use strict'
// spec: interop-2 (C -> JavaScript: raw RSA and multi-keyring messages written here
// decrypt in the official JavaScript SDK)
// c-encrypt-rsa.js ESDK_VECTORS AWS_ESDK_CLI|- OUTDIR
//
// Has aws-esdk-c write raw RSA and multi-keyring messages, and writes the
// awses-decrypt manifest (version 4) with which js-decrypt.js checks them:
//
//   1. generates two RSA key pairs (2048 and 3072 bits, node:crypto) and takes two
//      raw AES keys; writes them to OUTDIR/input/keys.json (PEM: NAME-private,
//      PKCS#8, and NAME-public, SPKI, key-id NAME) and as files for the CLI
//      (OUTDIR/secrets/, mode 0600);
//   2. raw RSA, every padding (pkcs1, oaep-sha1/256/384/512): writes an awses-encrypt
//      manifest (OUTDIR/input/encrypt-manifest.json, every suite per padding) and runs
//      `ESDK_VECTORS encrypt` on it into OUTDIR (which writes OUTDIR/manifest.json,
//      keys.json, plaintexts/, ciphertexts/; it encrypts with the public key entry
//      of the listed private key);
//   3. multi-keyring: runs the CLI once per message with three -w (raw AES generator
//      aes-256, raw RSA child with the padding rotating, raw AES child aes-128), on
//      the plaintexts of step 2;
//   4. rewrites OUTDIR/manifest.json (version 4: "encryption-context" is then checked
//      against each message's header by js-decrypt.js) with, besides the RSA tests:
//      one must-fail test per padding (an RSA message, right key, next padding in the
//      list), and per multi-keyring message one test listing all three keys and one
//      per key alone, so that each key is shown to open the message by itself.
//
// With "-" for the CLI, step 3 is left out (and said so).

const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')
const {
  readJson, writeJson, deterministicBytes, RSA_PADDINGS, rsaKeyPair, aesKeyEntry,
  aesMasterKey, rsaMasterKey
} = require('./common')
const { SUITES, COMMITTING, SIZES, FRAME_SIZE_PAIRS, CONTEXTS, hex4 } = require('./js-encrypt')

const PROVIDER_ID = 'aws-esdk-c-interop-c-rsa'
const RSA_BITS = [2048, 3072]
const AES_KEYS = [{ name: 'aes-256', bits: 256 }, { name: 'aes-128', bits: 128 }]
const MULTI_PER_SUITE = 2

function usage () {
  console.error('usage: c-encrypt-rsa.js ESDK_VECTORS AWS_ESDK_CLI|- OUTDIR')
  process.exit(2)
}

function run (what, file, args) {
  const r = spawnSync(file, args, { stdio: ['ignore', 'inherit', 'inherit'] })
  if (r.error) throw new Error(`${what}: ${r.error.message}`)
  if (r.status !== 0) throw new Error(`${what}: exit ${r.status === null ? r.signal : r.status}`)
}

function writeSecret (file, content) {
  fs.writeFileSync(file, content, { mode: 0o600 })
}

function main () {
  if (process.argv.length !== 5) usage()
  const [vectors, cli, outArg] = process.argv.slice(2)
  const outDir = path.resolve(outArg)
  const inputDir = path.join(outDir, 'input')
  const secrets = path.join(outDir, 'secrets')
  fs.mkdirSync(inputDir, { recursive: true })
  fs.mkdirSync(secrets, { recursive: true, mode: 0o700 })
  const ctxNames = Object.keys(CONTEXTS)
  const pairs = FRAME_SIZE_PAIRS

  // 1. Keys.
  const keysFile = { manifest: { type: 'keys', version: 3 }, keys: {} }
  const rsaKeys = RSA_BITS.map((bits) => rsaKeyPair(`rsa-${bits}`, bits))
  const secretFile = {}
  for (const rsa of rsaKeys) {
    Object.assign(keysFile.keys, rsa.entries)
    secretFile[rsa.publicName] = path.join(secrets, `${rsa.publicName}.pem`)
    secretFile[rsa.privateName] = path.join(secrets, `${rsa.privateName}.pem`)
    writeSecret(secretFile[rsa.publicName], rsa.publicPem)
    writeSecret(secretFile[rsa.privateName], rsa.privatePem)
  }
  for (const key of AES_KEYS) {
    const material = deterministicBytes(`aws-esdk-c interop c-to-js rsa/multi ${key.name}`, key.bits / 8)
    keysFile.keys[key.name] = aesKeyEntry(key.name, material)
    secretFile[key.name] = path.join(secrets, `${key.name}.b64`) // the CLI reads base64 text
    writeSecret(secretFile[key.name], material.toString('base64') + '\n')
  }
  writeJson(path.join(inputDir, 'keys.json'), keysFile)

  // 2. Raw RSA through esdk-vectors encrypt.
  const plaintextName = (size) => `p${size}`
  const encryptManifest = {
    manifest: { type: 'awses-encrypt', version: 2 },
    keys: 'file://keys.json',
    plaintexts: Object.fromEntries(SIZES.map((size) => [plaintextName(size), size])),
    tests: {}
  }
  const single = []
  RSA_PADDINGS.forEach((padding, p) => {
    SUITES.forEach((suite, s) => {
      const [frame, size] = pairs[(s + 2 * p + 1) % pairs.length]
      const ctx = ctxNames[(s + p + 1) % ctxNames.length]
      const rsa = rsaKeys[(s + p + 1) % rsaKeys.length]
      const c = { id: `c-rsa-${padding.name}-${hex4(suite)}-f${frame}-p${size}-${ctx}-${rsa.name}`, suite, frame, size, ctx, rsa, padding }
      single.push(c)
      encryptManifest.tests[c.id] = {
        description: `aws-esdk-c (esdk-vectors encrypt): suite 0x${hex4(suite)}, frame ${frame}, ` +
          `${size}-byte plaintext, ${ctx} context, raw RSA ${rsa.name} ${padding.name}`,
        plaintext: plaintextName(size),
        algorithm: hex4(suite),
        'frame-size': frame,
        'encryption-context': CONTEXTS[ctx],
        'master-keys': [rsaMasterKey(PROVIDER_ID, rsa.privateName, padding)]
      }
    })
  })
  const encryptManifestFile = path.join(inputDir, 'encrypt-manifest.json')
  writeJson(encryptManifestFile, encryptManifest)
  console.log(`== aws-esdk-c encrypts (raw RSA): esdk-vectors encrypt ${encryptManifestFile} ${outDir}`)
  run('esdk-vectors encrypt', vectors, ['encrypt', encryptManifestFile, outDir])

  const manifestFile = path.join(outDir, 'manifest.json')
  const manifest = readJson(manifestFile)
  const missing = single.filter((c) => !manifest.tests[c.id])
  if (missing.length) throw new Error(`esdk-vectors encrypt did not write ${missing.map((c) => c.id).join(', ')}`)
  manifest.manifest.version = 4
  manifest.client = {
    name: `aws-esdk-c (esdk-vectors encrypt${cli === '-' ? '' : '; multi-keyring messages: aws-esdk CLI'})`
  }
  const counts = { rsa: {}, wrongPadding: 0, multiMessages: 0, multiTests: 0 }
  const firstOfPadding = new Map()
  for (const c of single) {
    manifest.tests[c.id]['encryption-context'] = CONTEXTS[c.ctx]
    counts.rsa[c.padding.name] = (counts.rsa[c.padding.name] || 0) + 1
    if (!firstOfPadding.has(c.padding.name)) firstOfPadding.set(c.padding.name, c)
  }
  const addTest = (id, c, description, masterKeys, error) => {
    manifest.tests[id] = {
      description,
      ciphertext: `file://ciphertexts/${c.id}`,
      'master-keys': masterKeys,
      result: error
        ? { error: { 'error-description': error } }
        : { output: { plaintext: `file://plaintexts/${plaintextName(c.size)}` } },
      'encryption-context': CONTEXTS[c.ctx]
    }
  }
  RSA_PADDINGS.forEach((padding, p) => {
    const c = firstOfPadding.get(padding.name)
    const wrong = RSA_PADDINGS[(p + 1) % RSA_PADDINGS.length]
    addTest(`${c.id}-wrong-padding-${wrong.name}`, c,
      `aws-esdk-c: RSA ${padding.name} message, decrypted with ${wrong.name}: must fail`,
      [rsaMasterKey(PROVIDER_ID, c.rsa.privateName, wrong)], `written with ${padding.name}, not ${wrong.name}`)
    counts.wrongPadding++
  })

  // 3. Multi-keyring through the CLI.
  if (cli === '-') {
    console.log('c-encrypt-rsa: no aws-esdk CLI given: the multi-keyring messages are left out')
  } else {
    console.log(`== aws-esdk-c encrypts (multi-keyring): ${cli} -e ... -w aes -w rsa -w aes, ` +
      `${SUITES.length * MULTI_PER_SUITE} messages`)
    SUITES.forEach((suite, s) => {
      for (let j = 0; j < MULTI_PER_SUITE; j++) {
        const k = s * MULTI_PER_SUITE + j
        const padding = RSA_PADDINGS[(k + 2) % RSA_PADDINGS.length]
        const rsa = rsaKeys[(s + j + 1) % rsaKeys.length]
        const [frame, size] = pairs[(3 * k + 2) % pairs.length]
        const ctx = ctxNames[k % ctxNames.length]
        const c = {
          id: `c-multi-${hex4(suite)}-f${frame}-p${size}-${ctx}-${AES_KEYS[0].name}+${rsa.name}-${padding.name}+${AES_KEYS[1].name}`,
          suite, frame, size, ctx, rsa, padding
        }
        const args = [
          '-e', '-q',
          '-i', path.join(outDir, 'plaintexts', plaintextName(size)),
          '-o', path.join(outDir, 'ciphertexts', c.id),
          '--algorithm', `0x${hex4(suite)}`,
          '--frame-length', String(frame),
          '--commitment-policy', COMMITTING.has(suite) ? 'require-encrypt-require-decrypt' : 'forbid-encrypt-allow-decrypt',
          '-w', 'provider=aes', `key=file://${secretFile[AES_KEYS[0].name]}`, `name=${AES_KEYS[0].name}`, `namespace=${PROVIDER_ID}`,
          '-w', 'provider=rsa', `key=file://${secretFile[rsa.publicName]}`, `padding=${padding.name}`, `name=${rsa.name}`, `namespace=${PROVIDER_ID}`,
          '-w', 'provider=aes', `key=file://${secretFile[AES_KEYS[1].name]}`, `name=${AES_KEYS[1].name}`, `namespace=${PROVIDER_ID}`
        ]
        const context = Object.entries(CONTEXTS[ctx])
        if (context.length) args.push('-c', ...context.map(([key, value]) => `${key}=${value}`))
        run(`aws-esdk -e ${c.id}`, cli, args)
        const members = [
          [AES_KEYS[0].name, aesMasterKey(PROVIDER_ID, AES_KEYS[0].name)],
          [`${rsa.name}-${padding.name}`, rsaMasterKey(PROVIDER_ID, rsa.privateName, padding)],
          [AES_KEYS[1].name, aesMasterKey(PROVIDER_ID, AES_KEYS[1].name)]
        ]
        const desc = `aws-esdk CLI: suite 0x${hex4(suite)}, frame ${frame}, ${size}-byte plaintext, ${ctx} context, ` +
          `multi-keyring (generator raw AES ${AES_KEYS[0].name}, children raw RSA ${rsa.name} ${padding.name} ` +
          `and raw AES ${AES_KEYS[1].name})`
        addTest(`${c.id}-any`, c, `${desc}, any of its keys`, members.map(([, mk]) => mk))
        for (const [label, mk] of members) addTest(`${c.id}-only-${label}`, c, `${desc}, ${label} alone`, [mk])
        counts.multiMessages++
        counts.multiTests += 1 + members.length
      }
    })
  }

  writeJson(manifestFile, manifest)
  const perPadding = RSA_PADDINGS.map((p) => `${p.name} ${counts.rsa[p.name] || 0}`).join(', ')
  console.log(`c-encrypt-rsa: raw RSA messages (${RSA_BITS.join('/')}-bit keys): ${perPadding}; ` +
    `${counts.wrongPadding} wrong-padding must-fail tests; ${counts.multiMessages} multi-keyring messages ` +
    `(${counts.multiTests} tests: all keys, then each key alone); ` +
    `${Object.keys(manifest.tests).length} tests in ${manifestFile}`)
}

try {
  main()
} catch (e) {
  console.error(`c-encrypt-rsa: ${e && e.message ? e.message : e}`)
  process.exit(1)
}
