'use strict'
// Shared helpers for the interop scripts: manifest and keys-file reading, and
// building AWS Encryption SDK for JavaScript keyrings from manifest master keys.
// Plain CommonJS; the only dependency is @aws-crypto/client-node (see package.json).

const fs = require('fs')
const path = require('path')
const crypto = require('crypto')

function loadSdk () {
  try {
    return require('@aws-crypto/client-node')
  } catch (e) {
    console.error('skipped: @aws-crypto/client-node is not installed: run npm ci in tests/interop')
    process.exit(77)
  }
}

// "file://x/y" relative to the folder of the manifest that names it.
function resolveUri (baseDir, uri) {
  if (typeof uri !== 'string' || !uri.startsWith('file://')) {
    throw new Error(`unsupported URI ${JSON.stringify(uri)} (only file:// is read)`)
  }
  return path.resolve(baseDir, uri.slice('file://'.length))
}

function readJson (file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'))
}

function writeJson (file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n')
}

// Deterministic pseudo-random bytes (SHA-256 in counter mode over a label),
// so that a failing case can be reproduced byte for byte.
function deterministicBytes (label, length) {
  const out = Buffer.alloc(length)
  let offset = 0
  for (let counter = 0; offset < length; counter++) {
    const block = crypto.createHash('sha256').update(`${label}/${counter}`).digest()
    offset += block.copy(out, offset)
  }
  return out
}

function decodeMaterial (keyName, key) {
  switch (key.encoding) {
    case 'base64': return Buffer.from(key.material, 'base64')
    case 'hex': return Buffer.from(key.material, 'hex')
    case 'pem': return key.material
    default: throw new Error(`key ${keyName}: unsupported encoding ${key.encoding}`)
  }
}

// The key name written on the wire for a keys.json entry.
function wireKeyName (keyName, key) {
  return key['key-id'] !== undefined ? key['key-id'] : keyName
}

const RSA_PADDING = {
  pkcs1: { padding: crypto.constants.RSA_PKCS1_PADDING },
  'oaep-mgf1': { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING }
}

// Does this master key need node's --security-revert=CVE-2023-46809 to decrypt?
function needsPkcs1Revert (masterKey) {
  return masterKey.type === 'raw' && masterKey['encryption-algorithm'] === 'rsa' &&
    masterKey['padding-algorithm'] === 'pkcs1'
}

// A keyring for one manifest master key ({type: raw, key, provider-id,
// encryption-algorithm: aes|rsa, padding-algorithm, padding-hash}).
// Throws NotSupported-style errors (err.unsupported = true) for kinds we do not run.
function keyringForMasterKey (sdk, keys, masterKey) {
  const unsupported = (why) => { const e = new Error(why); e.unsupported = true; return e }
  if (masterKey.type !== 'raw') throw unsupported(`master key type ${masterKey.type} is not run here`)
  const keyName = masterKey.key
  const key = keys[keyName]
  if (!key) throw new Error(`master key names ${keyName}, which is not in the keys file`)
  const keyNamespace = masterKey['provider-id']
  const name = wireKeyName(keyName, key)
  const alg = masterKey['encryption-algorithm']
  if (alg === 'aes') {
    const material = decodeMaterial(keyName, key)
    const wrappingSuite = {
      16: sdk.RawAesWrappingSuiteIdentifier.AES128_GCM_IV12_TAG16_NO_PADDING,
      24: sdk.RawAesWrappingSuiteIdentifier.AES192_GCM_IV12_TAG16_NO_PADDING,
      32: sdk.RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING
    }[material.length]
    if (!wrappingSuite) throw new Error(`key ${keyName}: ${material.length}-byte AES key`)
    // utf8Sorting: true, or the keyring sorts the context for its wrapping AAD by
    // locale order, and a context such as {a, B} then unwraps nowhere else.
    return new sdk.RawAesKeyringNode({
      keyNamespace, keyName: name, unencryptedMasterKey: new Uint8Array(material), wrappingSuite, utf8Sorting: true
    })
  }
  if (alg === 'rsa') {
    const padding = RSA_PADDING[masterKey['padding-algorithm']]
    if (!padding) throw unsupported(`RSA padding ${masterKey['padding-algorithm']} is not run here`)
    const pem = decodeMaterial(keyName, key)
    const rsaKey = key.type === 'private' ? { privateKey: pem } : { publicKey: pem }
    const input = { keyNamespace, keyName: name, rsaKey, padding: padding.padding }
    if (masterKey['padding-algorithm'] === 'oaep-mgf1') input.oaepHash = masterKey['padding-hash'] || 'sha1'
    return new sdk.RawRsaKeyringNode(input)
  }
  throw unsupported(`encryption algorithm ${alg} is not run here`)
}

// The five raw RSA paddings, as the JavaScript SDK selects them (RawRsaKeyringNode's
// padding + oaepHash; node's OAEP uses the OAEP hash for MGF1 too, as the spec asks),
// as a manifest master key spells them, and as the CLI spells them (-w padding=).
const RSA_PADDINGS = [
  { name: 'pkcs1', padding: crypto.constants.RSA_PKCS1_PADDING, manifest: { 'padding-algorithm': 'pkcs1' } },
  ...['sha1', 'sha256', 'sha384', 'sha512'].map((hash) => ({
    name: `oaep-${hash}`,
    padding: crypto.constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: hash,
    manifest: { 'padding-algorithm': 'oaep-mgf1', 'padding-hash': hash }
  }))
]

// A fresh RSA key pair (PKCS#8 private and SPKI public PEM) and its two keys.json
// entries (version 3 style, as the official vectors write them): NAME-private and
// NAME-public, both with key-id NAME (the name written in the EDKs).
function rsaKeyPair (name, bits) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
  })
  const entry = (type, material, encrypt, decrypt) => ({
    encrypt, decrypt, algorithm: 'rsa', type, bits, encoding: 'pem', material, 'key-id': name
  })
  return {
    name,
    bits,
    publicPem: publicKey,
    privatePem: privateKey,
    privateName: `${name}-private`,
    publicName: `${name}-public`,
    entries: {
      [`${name}-private`]: entry('private', privateKey, true, true),
      [`${name}-public`]: entry('public', publicKey, true, false)
    }
  }
}

// A keys.json entry for a raw AES key.
function aesKeyEntry (name, material) {
  return {
    encrypt: true,
    decrypt: true,
    algorithm: 'aes',
    type: 'symmetric',
    bits: material.length * 8,
    encoding: 'base64',
    material: material.toString('base64'),
    'key-id': name
  }
}

// Manifest master keys.
function aesMasterKey (providerId, keyName) {
  return { type: 'raw', key: keyName, 'provider-id': providerId, 'encryption-algorithm': 'aes' }
}
function rsaMasterKey (providerId, keyName, padding) {
  return { type: 'raw', key: keyName, 'provider-id': providerId, 'encryption-algorithm': 'rsa', ...padding.manifest }
}

function keyringForMasterKeys (sdk, keys, masterKeys) {
  if (!Array.isArray(masterKeys) || masterKeys.length === 0) {
    const e = new Error('test has no master-keys'); e.unsupported = true; throw e
  }
  const keyrings = masterKeys.map((mk) => keyringForMasterKey(sdk, keys, mk))
  if (keyrings.length === 1) return keyrings[0]
  // Any one listed master key can decrypt.
  return new sdk.MultiKeyringNode({ children: keyrings })
}

module.exports = {
  loadSdk,
  resolveUri,
  readJson,
  writeJson,
  deterministicBytes,
  decodeMaterial,
  wireKeyName,
  needsPkcs1Revert,
  RSA_PADDINGS,
  rsaKeyPair,
  aesKeyEntry,
  aesMasterKey,
  rsaMasterKey,
  keyringForMasterKey,
  keyringForMasterKeys
}
