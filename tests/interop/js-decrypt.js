#!/usr/bin/env node
'use strict'
// spec: interop-2 (C -> JavaScript: messages written here decrypt in the official JavaScript SDK)
// js-decrypt.js MANIFEST
//
// Decrypts every test of an awses-decrypt manifest (versions 1 to 4; the one
// `esdk-vectors encrypt` writes is version 2) with the AWS Encryption SDK for
// JavaScript, commitment policy REQUIRE_ENCRYPT_ALLOW_DECRYPT, and compares
// with the expected plaintext (or expects a failure where the test's result
// is an error). Raw AES keys use RawAesKeyringNode with utf8Sorting: true;
// raw RSA keys use RawRsaKeyringNode with the padding from the master key's
// padding-algorithm / padding-hash. A test with several master keys gets a
// multi-keyring (any one of them may decrypt).
//
// Prints one line per failure and ends with "N passed, N failed" (", N
// skipped" is added for tests of a kind not run here). Exit 1 on any failure.
//
// Node 20 refuses RSA PKCS#1 v1.5 private decryption unless started with
// --security-revert=CVE-2023-46809: when the manifest has such keys, this
// script starts itself again with that flag.

const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')
const {
  loadSdk, resolveUri, readJson, keyringForMasterKeys, needsPkcs1Revert
} = require('./common')

const REVERT_FLAG = '--security-revert=CVE-2023-46809'

function usage () {
  console.error('usage: js-decrypt.js MANIFEST')
  process.exit(2)
}

// Start again with REVERT_FLAG when PKCS#1 v1.5 keys are present (once; only
// if this node accepts the flag). Returns only when no restart happened.
function maybeRestartForPkcs1 (tests) {
  if (process.execArgv.includes(REVERT_FLAG) || process.env.ESDK_INTEROP_NO_REVERT) return
  const needed = Object.values(tests).some((t) =>
    Array.isArray(t['master-keys']) && t['master-keys'].some(needsPkcs1Revert))
  if (!needed) return
  const probe = spawnSync(process.execPath, [REVERT_FLAG, '-e', '0'], { stdio: 'ignore' })
  if (probe.status !== 0) return // older node: PKCS#1 v1.5 works without the flag
  const child = spawnSync(process.execPath, [...process.execArgv, REVERT_FLAG, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ESDK_INTEROP_NO_REVERT: '1' }
  })
  process.exit(child.status === null ? 1 : child.status)
}

async function collect (stream, input) {
  const chunks = []
  stream.on('data', (c) => chunks.push(c))
  const done = new Promise((resolve, reject) => {
    stream.on('end', resolve)
    stream.on('error', reject)
  })
  stream.end(input)
  await done
  return Buffer.concat(chunks)
}

// What one test expects: { plaintextFile } or { error: description }.
function expectation (baseDir, test) {
  if (test.result) {
    if (test.result.output && test.result.output.plaintext) {
      return { plaintextFile: resolveUri(baseDir, test.result.output.plaintext) }
    }
    if (test.result.error) {
      return { error: test.result.error['error-description'] || 'an error' }
    }
    throw Object.assign(new Error('result has neither output.plaintext nor error'), { unsupported: true })
  }
  if (test.plaintext) return { plaintextFile: resolveUri(baseDir, test.plaintext) } // version 1
  throw Object.assign(new Error('test has no expected result'), { unsupported: true })
}

async function runTest (sdk, client, baseDir, keys, test, version) {
  if (test['decryption-scenario'] || test.keyrings || (test.cmm && test.cmm !== 'Default')) {
    throw Object.assign(new Error('test shape not run here (scenario, keyring descriptions, required context CMM)'), { unsupported: true })
  }
  // From version 4 on, "encryption-context" is the context given to decrypt, which
  // the message's context must contain; before that it is only a note for humans.
  const reproduced = version >= 4 ? test['encryption-context'] : undefined
  const expected = expectation(baseDir, test)
  const keyring = keyringForMasterKeys(sdk, keys, test['master-keys'])
  const ciphertext = fs.readFileSync(resolveUri(baseDir, test.ciphertext))
  let plaintext
  try {
    if (test['decryption-method'] === 'streaming-unsigned-only') {
      plaintext = await collect(client.decryptUnsignedMessageStream(keyring), ciphertext)
    } else if (test['decryption-method'] && test['decryption-method'] !== 'one-shot' &&
               test['decryption-method'] !== 'streaming') {
      throw Object.assign(new Error(`decryption-method ${test['decryption-method']} not run here`), { unsupported: true })
    } else {
      const out = await client.decrypt(keyring, ciphertext)
      plaintext = out.plaintext
      for (const [k, v] of Object.entries(reproduced || {})) {
        if (out.messageHeader.encryptionContext[k] !== v) throw new Error(`encryption context lacks ${k}=${v}`)
      }
    }
  } catch (e) {
    if (e.unsupported) throw e
    if (expected.error) return null
    return `decrypt failed: ${e && e.message ? e.message : e}`
  }
  if (expected.error) return `decrypted, but the test expects an error (${expected.error})`
  const want = fs.readFileSync(expected.plaintextFile)
  if (!want.equals(plaintext)) {
    let at = 0
    while (at < want.length && at < plaintext.length && want[at] === plaintext[at]) at++
    return `plaintext differs: got ${plaintext.length} bytes, want ${want.length}, first difference at byte ${at}`
  }
  return null
}

async function main () {
  if (process.argv.length !== 3) usage()
  const manifestFile = path.resolve(process.argv[2])
  const baseDir = path.dirname(manifestFile)
  const manifest = readJson(manifestFile)
  const kind = manifest.manifest || {}
  if (kind.type !== 'awses-decrypt' || !(kind.version >= 1 && kind.version <= 5)) {
    console.error(`${manifestFile}: not an awses-decrypt manifest of version 1 to 5 (${JSON.stringify(kind)})`)
    process.exit(2)
  }
  const tests = manifest.tests || {}
  maybeRestartForPkcs1(tests)

  const sdk = loadSdk()
  const keysFile = readJson(resolveUri(baseDir, manifest.keys))
  const keys = keysFile.keys || {}
  const client = sdk.buildClient(sdk.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)

  let passed = 0
  let failed = 0
  let skipped = 0
  for (const [id, test] of Object.entries(tests)) {
    let problem
    try {
      problem = await runTest(sdk, client, baseDir, keys, test, kind.version)
    } catch (e) {
      if (e && e.unsupported) {
        skipped++
        if (process.env.ESDK_INTEROP_VERBOSE) console.log(`SKIP ${id}: ${e.message}`)
        continue
      }
      problem = `error: ${e && e.message ? e.message : e}`
    }
    if (problem) {
      failed++
      const desc = test.description ? ` (${test.description})` : ''
      console.log(`FAIL ${id}${desc}: ${problem}`)
    } else {
      passed++
    }
  }
  console.log(`js-decrypt: ${manifestFile} (${manifest.client ? JSON.stringify(manifest.client) : 'no client'}), ` +
    `@aws-crypto/client-node ${require('@aws-crypto/client-node/package.json').version}, node ${process.version}`)
  if (passed + failed === 0) console.log('js-decrypt: no test was run')
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  process.exit(failed > 0 || passed === 0 ? 1 : 0)
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e)
  process.exit(1)
})
