#!/usr/bin/env node
// The JavaScript side of the KMS interop test (run-interop.sh), against kms-local through
// the official AWS Encryption SDK for JavaScript (@aws-crypto/client-node 5, installed by
// `npm ci` in tests/interop: required by path, nothing is installed here) and its AWS SDK v3
// KMS client, pointed at KMS_LOCAL_ENDPOINT with the server's test credentials.
//
//   node js-kms-interop.js setup WORK     create the keys (signed by the AWS SDK) -> WORK/keys.json
//   node js-kms-interop.js encrypt WORK   JS KMS keyrings encrypt -> WORK/js/ + manifest.json
//   node js-kms-interop.js decrypt WORK   JS KMS keyrings decrypt WORK/c/manifest.json (ours)
//
// Manifest entries (both directions): {name, message, plaintext, context,
// keyring: {type: strict | mrk | discovery | mrk-discovery, key?, region?}}, where keyring
// says how the *other* side decrypts.
'use strict'
const fs = require('fs')
const path = require('path')

const modules = path.join(__dirname, '..', 'interop', 'node_modules')
function need (name) {
  try {
    return require(path.join(modules, name))
  } catch (e) {
    console.log(`skipped: ${name} is not installed: run npm ci in tests/interop (${e.code || e.message})`)
    process.exit(77)
  }
}
const sdk = need('@aws-crypto/client-node')
const kmsSdk = need('@aws-sdk/client-kms')

const endpoint = process.env.KMS_LOCAL_ENDPOINT
if (!endpoint) {
  console.log('skipped: KMS_LOCAL_ENDPOINT is not set (run through run-with-server.sh)')
  process.exit(77)
}
const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local/secret/key/for/tests' }
const clientConfig = { endpoint, credentials, maxAttempts: 1 }
// The SDK's regional client supplier, every region on the local endpoint.
const clientProvider = sdk.getClient(sdk.KMS, clientConfig)
const clientFor = (region) => new sdk.KMS({ ...clientConfig, region })

const { encrypt, decrypt } = sdk.buildClient(sdk.CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
const Suite = sdk.AlgorithmSuiteIdentifier

const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'))
const writeJson = (f, v) => fs.writeFileSync(f, JSON.stringify(v, null, 2) + '\n')
const bytes = (n, seed) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 17 + seed) & 0xff))
const regionOf = (arn) => arn.split(':')[3]

async function setup (work) {
  const e1 = clientFor('us-east-1')
  const eu = clientFor('eu-west-1')
  const create = async (client, input) => (await client.send(new kmsSdk.CreateKeyCommand(input))).KeyMetadata.Arn
  const srk = await create(e1, { Description: 'interop single-Region key' })
  const srkEu = await create(eu, { Description: 'interop single-Region key, eu-west-1' })
  const mrkE1 = await create(e1, { Description: 'interop multi-Region key', MultiRegion: true })
  const rep = await e1.send(new kmsSdk.ReplicateKeyCommand({ KeyId: mrkE1, ReplicaRegion: 'us-west-2' }))
  const keys = { srk, srk_eu: srkEu, mrk_e1: mrkE1, mrk_w2: rep.ReplicaKeyMetadata.Arn }
  writeJson(path.join(work, 'keys.json'), keys)
  console.log('keys made through @aws-sdk/client-kms:', JSON.stringify(keys))
}

// A JavaScript keyring for a manifest keyring spec (decrypt side).
function keyringFor (spec) {
  switch (spec.type) {
    case 'strict': return new sdk.KmsKeyringNode({ clientProvider, keyIds: [spec.key] })
    case 'discovery': return new sdk.KmsKeyringNode({ clientProvider, discovery: true })
    case 'mrk': return new sdk.AwsKmsMrkAwareSymmetricKeyringNode({ keyId: spec.key, client: clientFor(regionOf(spec.key)) })
    case 'mrk-discovery': return new sdk.AwsKmsMrkAwareSymmetricDiscoveryKeyringNode({ client: clientFor(spec.region) })
    default: throw new Error(`unknown keyring type ${spec.type}`)
  }
}

async function encryptAll (work) {
  const keys = readJson(path.join(work, 'keys.json'))
  const dir = path.join(work, 'js')
  fs.mkdirSync(dir, { recursive: true })
  const cases = [
    {
      name: 'js-kms-keyring-default-suite',
      keyring: new sdk.KmsKeyringNode({ clientProvider, generatorKeyId: keys.srk }),
      size: 1000,
      decryptWith: { type: 'strict', key: keys.srk }
    },
    {
      name: 'js-kms-keyring-two-regions-0478',
      keyring: new sdk.KmsKeyringNode({ clientProvider, generatorKeyId: keys.srk_eu, keyIds: [keys.mrk_e1], grantTokens: ['interop-grant'] }),
      suiteId: Suite.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
      size: 10000,
      decryptWith: { type: 'mrk', key: keys.mrk_w2 } // cross-region through the replica
    },
    {
      name: 'js-mrk-keyring-us-east-1',
      keyring: new sdk.AwsKmsMrkAwareSymmetricKeyringNode({ keyId: keys.mrk_e1, client: clientFor('us-east-1') }),
      size: 0,
      decryptWith: { type: 'mrk-discovery', region: 'us-west-2' }
    },
    {
      name: 'js-mrk-strict-multi-keyring',
      keyring: sdk.buildAwsKmsMrkAwareStrictMultiKeyringNode({ generatorKeyId: keys.mrk_e1, keyIds: [keys.srk], clientProvider }),
      suiteId: Suite.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
      size: 4097,
      decryptWith: { type: 'discovery' }
    }
  ]
  const manifest = []
  for (const [i, c] of cases.entries()) {
    const plaintext = bytes(c.size, i)
    const context = { case: c.name, origin: 'aws-encryption-sdk-javascript' }
    const { result } = await encrypt(c.keyring, plaintext, { encryptionContext: context, suiteId: c.suiteId })
    fs.writeFileSync(path.join(dir, `${c.name}.msg`), result)
    fs.writeFileSync(path.join(dir, `${c.name}.pt`), plaintext)
    manifest.push({ name: c.name, message: `${c.name}.msg`, plaintext: `${c.name}.pt`, context, keyring: c.decryptWith })
    console.log(`ok   js encrypts ${c.name} (${c.size} bytes)`)
  }
  writeJson(path.join(dir, 'manifest.json'), manifest)
}

async function decryptAll (work) {
  const dir = path.join(work, 'c')
  const manifest = readJson(path.join(dir, 'manifest.json'))
  let failures = 0
  for (const c of manifest) {
    try {
      const message = fs.readFileSync(path.join(dir, c.message))
      const expected = fs.readFileSync(path.join(dir, c.plaintext))
      const { plaintext, messageHeader } = await decrypt(keyringFor(c.keyring), message)
      if (!expected.equals(plaintext)) throw new Error('the plaintext differs')
      for (const [k, v] of Object.entries(c.context)) {
        if (messageHeader.encryptionContext[k] !== v) throw new Error(`context ${k} differs`)
      }
      const edks = messageHeader.encryptedDataKeys.map((e) => `${e.providerId}:${e.providerInfo}`).join(', ')
      console.log(`ok   c-to-js ${c.name} with ${c.keyring.type} (EDKs: ${edks})`)
    } catch (e) {
      failures++
      console.log(`FAIL c-to-js ${c.name} with ${c.keyring.type}: ${e.message}`)
    }
  }
  console.log(`c-to-js: ${manifest.length - failures} of ${manifest.length} messages decrypted`)
  if (failures || manifest.length === 0) process.exit(1)
}

const [mode, work] = process.argv.slice(2)
const run = { setup, encrypt: encryptAll, decrypt: decryptAll }[mode]
if (!run || !work) {
  console.error('usage: js-kms-interop.js setup|encrypt|decrypt WORK')
  process.exit(2)
}
run(work).catch((e) => { console.error(`js-kms-interop ${mode} failed:`, e); process.exit(1) })
