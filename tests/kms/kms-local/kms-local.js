#!/usr/bin/env node
// kms-local.js -- a small AWS-KMS-compatible test server for the KMS keyring's tests.
// Speaks the KMS JSON 1.1 protocol (POST /, X-Amz-Target: TrentService.<Op>) on loopback,
// verifies AWS Signature Version 4 on every request, and implements the symmetric
// subset an Encryption-SDK KMS keyring needs, including multi-Region keys.
//
// Region of a request = the region in the SigV4 credential scope (one server serves all regions).
// Uses only node:http, node:https, node:crypto, node:fs. If @smithy/signature-v4 can be
// required, every accepted signature is also re-computed by the AWS SDK's own signer
// (cross-check; the request is rejected if the two disagree).
//
// Usage: node kms-local.js [--port 0] [--host 127.0.0.1] [--state keys.json] [--log req.jsonl]
//        [--port-file FILE] [--tls-cert c.pem --tls-key k.pem] [--skew-seconds 300]
//
// aws-esdk-c additions (tests/kms): fault injection, request statistics and an unsigned
// control endpoint on the same port, for tests only:
//   GET  /__control/stats          {count, requests: [{op, region, status, error, keyId,
//                                   grantTokens, encryptionContext, fault}]} (signed requests)
//   POST /__control/reset          forget statistics and faults
//   POST /__control/faults         add a fault {kind, count = 1, op?, region?, keyId?,
//                                   delayMs?, value?}; kinds: throttle (400
//                                   ThrottlingException), throttle429, error500
//                                   (KMSInternalException), error503, slow (answer after
//                                   delayMs), keyid (answer KeyId = value), shortPlaintext
//   POST /__control/op/<Op>        run an operation unsigned (CreateKey, ReplicateKey,
//                                   DisableKey, CreateAlias, ...) in the region of the
//                                   x-kms-local-region header (default us-east-1)
// The environment variable KMS_LOCAL_FAULTS may hold a JSON list of faults to start with.
// Credentials accepted: from --creds FILE (JSON [{accessKeyId,secretAccessKey,sessionToken?,account?}])
// or the built-in test pair below.
'use strict';
const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const fs = require('node:fs');

// ---------- options ----------
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf('--' + name); return i >= 0 ? argv[i + 1] : def; };
const HOST = opt('host', '127.0.0.1');
const PORT = Number(opt('port', '0'));
const STATE_FILE = opt('state', null);
const LOG_FILE = opt('log', null);
const PORT_FILE = opt('port-file', null);
const SKEW = Number(opt('skew-seconds', '300')); // AWS reports 'Signature expired ... (now - 5 min.)'
const DEFAULT_ACCOUNT = opt('account', '111122223333');
const CREDS = opt('creds', null)
  ? JSON.parse(fs.readFileSync(opt('creds'), 'utf8'))
  : [
      { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local/secret/key/for/tests', account: DEFAULT_ACCOUNT },
      { accessKeyId: 'ASIALOCALTEMP', secretAccessKey: 'temp/secret', sessionToken: 'local-session-token', account: DEFAULT_ACCOUNT },
    ];
const credByAkid = new Map(CREDS.map((c) => [c.accessKeyId, c]));

let smithySigner = null; // optional cross-check (NODE_PATH may point at an npm install)
class NodeSha256 { // the Checksum shape @smithy/signature-v4 expects, on node:crypto
  constructor(secret) { this.h = secret ? crypto.createHmac('sha256', secret) : crypto.createHash('sha256'); }
  update(d) { this.h.update(typeof d === 'string' ? Buffer.from(d, 'utf8') : d); }
  async digest() { return new Uint8Array(this.h.digest()); }
}
try {
  const { SignatureV4 } = require('@smithy/signature-v4');
  let Sha256 = NodeSha256;
  try { ({ Sha256 } = require('@aws-crypto/sha256-js')); } catch (_) { /* node:crypto */ }
  smithySigner = { SignatureV4, Sha256 };
} catch (_) { /* cross-check disabled */ }

// ---------- fault injection and statistics (tests/kms) ----------
let faults = [];
let stats = [];
function addFault(f) {
  const kinds = ['throttle', 'throttle429', 'error500', 'error503', 'slow', 'keyid', 'shortPlaintext'];
  if (!f || !kinds.includes(f.kind)) throw new KmsError('ValidationException', `fault kind must be one of ${kinds.join(', ')}`);
  faults.push({ count: 1, delayMs: 0, ...f });
}
if (process.env.KMS_LOCAL_FAULTS) for (const f of JSON.parse(process.env.KMS_LOCAL_FAULTS)) addFault(f);
// The first fault that matches the request (and still has a count) is used up by it.
function takeFault(op, region, keyId) {
  const i = faults.findIndex((f) => f.count > 0 && (f.op == null || f.op === op) &&
    (f.region == null || f.region === region) && (f.keyId == null || f.keyId === keyId));
  if (i < 0) return null;
  const f = faults[i];
  if (--f.count === 0) faults.splice(i, 1);
  return f;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------- key store ----------
// keys: Map "<region>/<keyId>" -> {keyId, region, account, material(Buffer 32), enabled, multiRegion, primaryRegion, description, created}
const keys = new Map();
const aliases = new Map(); // "<region>/alias/name" -> keyId
function saveState() {
  if (!STATE_FILE) return;
  const out = { keys: [...keys.values()].map((k) => ({ ...k, material: k.material.toString('base64') })), aliases: [...aliases.entries()] };
  fs.writeFileSync(STATE_FILE + '.tmp', JSON.stringify(out, null, 1));
  fs.renameSync(STATE_FILE + '.tmp', STATE_FILE);
}
function loadState() {
  if (!STATE_FILE || !fs.existsSync(STATE_FILE)) return;
  const s = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  for (const k of s.keys || []) keys.set(k.region + '/' + k.keyId, { ...k, material: Buffer.from(k.material, 'base64') });
  for (const [a, id] of s.aliases || []) aliases.set(a, id);
}
const arnOf = (k) => `arn:aws:kms:${k.region}:${k.account}:key/${k.keyId}`;

class KmsError extends Error { constructor(type, message, status = 400) { super(message); this.type = type; this.status = status; } }

// Resolve any KMS identifier (key id, key ARN, alias name, alias ARN) within the request region.
function resolveKey(id, ctx) {
  if (typeof id !== 'string' || id.length < 1 || id.length > 2048) throw new KmsError('ValidationException', `1 validation error detected: Value at 'keyId' failed to satisfy constraint`);
  let region = ctx.region, resource = id;
  if (id.startsWith('arn:')) {
    const p = id.split(':');
    if (p.length < 6 || p[2] !== 'kms' || !p[3] || !p[4]) throw new KmsError('NotFoundException', `Invalid arn ${id}`);
    if (p[3] !== ctx.region) throw new KmsError('NotFoundException', `Invalid arn ${id}: region ${p[3]} is not the request region ${ctx.region}`);
    region = p[3]; resource = p.slice(5).join(':');
  }
  if (resource.startsWith('alias/')) {
    const kid = aliases.get(region + '/' + resource);
    if (!kid) throw new KmsError('NotFoundException', `Alias ${resource} is not found.`);
    resource = 'key/' + kid;
  }
  const kid = resource.startsWith('key/') ? resource.slice(4) : resource;
  const k = keys.get(region + '/' + kid);
  if (!k) throw new KmsError('NotFoundException', `Key '${region}/${kid}' does not exist`);
  return k;
}
function usable(k) {
  if (!k.enabled) throw new KmsError('DisabledException', `${arnOf(k)} is disabled.`);
  return k;
}

// ---------- ciphertext blob (opaque to clients; our own format) ----------
// 0x4c 0x4b ("LK") | 0x01 | u8 len | keyId utf8 | 12B IV | AES-256-GCM ciphertext | 16B tag
// AAD = "LK1" | keyId | canonical JSON of encryption context (keys sorted)
function ecAad(keyId, ec) {
  if (ec != null && (typeof ec !== 'object' || Array.isArray(ec))) throw new KmsError('ValidationException', 'EncryptionContext must be a map of strings');
  const sorted = Object.keys(ec || {}).sort().map((k) => {
    if (typeof ec[k] !== 'string') throw new KmsError('ValidationException', 'EncryptionContext values must be strings');
    return [k, ec[k]];
  });
  return Buffer.concat([Buffer.from('LK1'), Buffer.from(keyId), Buffer.from(JSON.stringify(sorted))]);
}
function seal(k, plaintext, ec) {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', k.material, iv);
  c.setAAD(ecAad(k.keyId, ec));
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  const id = Buffer.from(k.keyId);
  return Buffer.concat([Buffer.from([0x4c, 0x4b, 0x01, id.length]), id, iv, ct, c.getAuthTag()]);
}
function blobKeyId(blob) {
  if (blob.length < 4 + 1 + 12 + 16 || blob[0] !== 0x4c || blob[1] !== 0x4b || blob[2] !== 0x01) throw new KmsError('InvalidCiphertextException', '');
  const n = blob[3];
  if (blob.length < 4 + n + 12 + 16) throw new KmsError('InvalidCiphertextException', '');
  return blob.subarray(4, 4 + n).toString();
}
function open(k, blob, ec) {
  const n = blob[3];
  const iv = blob.subarray(4 + n, 16 + n), tag = blob.subarray(blob.length - 16), ct = blob.subarray(16 + n, blob.length - 16);
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', k.material, iv);
    d.setAAD(ecAad(k.keyId, ec)); d.setAuthTag(tag);
    return Buffer.concat([d.update(ct), d.final()]);
  } catch (e) {
    if (e instanceof KmsError) throw e;
    throw new KmsError('InvalidCiphertextException', '');
  }
}

// ---------- helpers ----------
const b64in = (v, field, max) => {
  if (typeof v !== 'string') throw new KmsError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) throw new KmsError('SerializationException', `Invalid base64 in ${field}`);
  const b = Buffer.from(v, 'base64');
  if (b.length < 1 || b.length > max) throw new KmsError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length between 1 and ${max}`);
  return b;
};
const checkGrantTokens = (g) => {
  if (g == null) return;
  if (!Array.isArray(g) || g.length > 10 || g.some((t) => typeof t !== 'string' || t.length < 1 || t.length > 8192)) throw new KmsError('ValidationException', 'GrantTokens must be a list of at most 10 strings');
};
const checkAlg = (a) => { if (a != null && a !== 'SYMMETRIC_DEFAULT') throw new KmsError('InvalidKeyUsageException', `Algorithm ${a} is not supported for symmetric keys`); };
function metadata(k) {
  const md = {
    AWSAccountId: k.account, KeyId: k.keyId, Arn: arnOf(k), CreationDate: k.created, Enabled: k.enabled,
    Description: k.description || '', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: k.enabled ? 'Enabled' : 'Disabled',
    Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: !!k.multiRegion,
  };
  if (k.multiRegion) {
    const all = [...keys.values()].filter((x) => x.keyId === k.keyId);
    const prim = all.find((x) => x.region === k.primaryRegion);
    md.MultiRegionConfiguration = {
      MultiRegionKeyType: k.region === k.primaryRegion ? 'PRIMARY' : 'REPLICA',
      PrimaryKey: { Arn: arnOf(prim), Region: prim.region },
      ReplicaKeys: all.filter((x) => x.region !== k.primaryRegion).map((x) => ({ Arn: arnOf(x), Region: x.region })),
    };
  }
  return md;
}
function newKey(ctx, { MultiRegion, Description, KeySpec, KeyUsage, CustomerMasterKeySpec }) {
  if ((KeySpec && KeySpec !== 'SYMMETRIC_DEFAULT') || (CustomerMasterKeySpec && CustomerMasterKeySpec !== 'SYMMETRIC_DEFAULT') || (KeyUsage && KeyUsage !== 'ENCRYPT_DECRYPT'))
    throw new KmsError('UnsupportedOperationException', 'kms-local supports only SYMMETRIC_DEFAULT ENCRYPT_DECRYPT keys');
  const keyId = MultiRegion ? 'mrk-' + crypto.randomBytes(16).toString('hex') : crypto.randomUUID();
  const k = { keyId, region: ctx.region, account: ctx.account, material: crypto.randomBytes(32), enabled: true,
    multiRegion: !!MultiRegion, primaryRegion: ctx.region, description: Description || '', created: Date.now() / 1000 };
  keys.set(k.region + '/' + keyId, k);
  return k;
}

// ---------- operations ----------
const ops = {
  CreateKey(b, ctx) { const k = newKey(ctx, b); saveState(); return { KeyMetadata: metadata(k) }; },
  DescribeKey(b, ctx) { checkGrantTokens(b.GrantTokens); return { KeyMetadata: metadata(resolveKey(b.KeyId, ctx)) }; },
  ListKeys(b, ctx) { return { Keys: [...keys.values()].filter((k) => k.region === ctx.region).map((k) => ({ KeyId: k.keyId, KeyArn: arnOf(k) })), Truncated: false }; },
  EnableKey(b, ctx) { resolveKey(b.KeyId, ctx).enabled = true; saveState(); return {}; },
  DisableKey(b, ctx) { resolveKey(b.KeyId, ctx).enabled = false; saveState(); return {}; },
  CreateAlias(b, ctx) {
    if (typeof b.AliasName !== 'string' || !b.AliasName.startsWith('alias/') || b.AliasName.startsWith('alias/aws/')) throw new KmsError('ValidationException', 'AliasName must start with alias/');
    if (aliases.has(ctx.region + '/' + b.AliasName)) throw new KmsError('AlreadyExistsException', `An alias with the name ${b.AliasName} already exists`);
    aliases.set(ctx.region + '/' + b.AliasName, resolveKey(b.TargetKeyId, ctx).keyId); saveState(); return {};
  },
  ReplicateKey(b, ctx) {
    const k = resolveKey(b.KeyId, ctx);
    if (!k.multiRegion || k.region !== k.primaryRegion) throw new KmsError('UnsupportedOperationException', `${arnOf(k)} is not a multi-Region primary key`);
    if (typeof b.ReplicaRegion !== 'string' || !/^([a-z]+-){2,3}\d+$/.test(b.ReplicaRegion)) throw new KmsError('ValidationException', 'ReplicaRegion is invalid');
    if (keys.has(b.ReplicaRegion + '/' + k.keyId)) throw new KmsError('AlreadyExistsException', `Replica of ${k.keyId} already exists in ${b.ReplicaRegion}`);
    const r = { ...k, region: b.ReplicaRegion, description: b.Description ?? k.description, created: Date.now() / 1000 };
    keys.set(r.region + '/' + r.keyId, r); saveState();
    return { ReplicaKeyMetadata: metadata(r), ReplicaPolicy: '{}', ReplicaTags: [] };
  },
  Encrypt(b, ctx) {
    checkGrantTokens(b.GrantTokens); checkAlg(b.EncryptionAlgorithm);
    const k = usable(resolveKey(b.KeyId, ctx));
    const pt = b64in(b.Plaintext, 'plaintext', 4096);
    return { CiphertextBlob: seal(k, pt, b.EncryptionContext).toString('base64'), KeyId: arnOf(k), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
  GenerateDataKey(b, ctx, withoutPlaintext = false) {
    checkGrantTokens(b.GrantTokens);
    const k = usable(resolveKey(b.KeyId, ctx));
    let n;
    if (b.NumberOfBytes != null && b.KeySpec != null) throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
    if (b.NumberOfBytes != null) {
      if (!Number.isInteger(b.NumberOfBytes) || b.NumberOfBytes < 1 || b.NumberOfBytes > 1024) throw new KmsError('ValidationException', `1 validation error detected: Value '${b.NumberOfBytes}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024`);
      n = b.NumberOfBytes;
    } else if (b.KeySpec === 'AES_256') n = 32; else if (b.KeySpec === 'AES_128') n = 16;
    else throw new KmsError('ValidationException', 'Please specify either number of bytes or key spec.');
    const pt = crypto.randomBytes(n);
    const out = { CiphertextBlob: seal(k, pt, b.EncryptionContext).toString('base64'), KeyId: arnOf(k) };
    if (!withoutPlaintext) out.Plaintext = pt.toString('base64');
    return out;
  },
  GenerateDataKeyWithoutPlaintext(b, ctx) { return ops.GenerateDataKey(b, ctx, true); },
  Decrypt(b, ctx) {
    checkGrantTokens(b.GrantTokens); checkAlg(b.EncryptionAlgorithm);
    const blob = b64in(b.CiphertextBlob, 'ciphertextBlob', 6144);
    const bid = blobKeyId(blob);
    const k = keys.get(ctx.region + '/' + bid);
    if (!k) throw new KmsError('InvalidCiphertextException', ''); // key of the blob does not exist in this region
    if (b.KeyId != null && resolveKey(b.KeyId, ctx) !== k) throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a KMS key that can perform this operation.');
    usable(k);
    return { KeyId: arnOf(k), Plaintext: open(k, blob, b.EncryptionContext).toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
  ReEncrypt(b, ctx) {
    checkGrantTokens(b.GrantTokens); checkAlg(b.SourceEncryptionAlgorithm); checkAlg(b.DestinationEncryptionAlgorithm);
    const src = ops.Decrypt({ CiphertextBlob: b.CiphertextBlob, KeyId: b.SourceKeyId, EncryptionContext: b.SourceEncryptionContext }, ctx);
    const dst = usable(resolveKey(b.DestinationKeyId, ctx));
    return { CiphertextBlob: seal(dst, Buffer.from(src.Plaintext, 'base64'), b.DestinationEncryptionContext).toString('base64'),
      SourceKeyId: src.KeyId, KeyId: arnOf(dst), SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
  },
};

// ---------- SigV4 verification (independent implementation) ----------
const sha256hex = (d) => crypto.createHash('sha256').update(d).digest('hex');
const hmac = (k, d) => crypto.createHmac('sha256', k).update(d).digest();
const AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9\-;]+),\s*Signature=([0-9a-f]{64})$/;
function canonicalHeaderValue(v) { return String(v).replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim(); }
async function verifySigV4(req, body) {
  const auth = req.headers['authorization'];
  if (!auth) throw new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m = AUTH_RE.exec(auth);
  if (!m) throw new KmsError('IncompleteSignatureException', `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters: ${auth.slice(0, 40)}...`);
  const [, akid, shortDate, region, service, signedHeadersStr, signature] = m;
  const cred = credByAkid.get(akid);
  if (!cred) throw new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (service !== 'kms') throw new KmsError('InvalidSignatureException', `Credential should be scoped to correct service: 'kms'.`);
  const signed = signedHeadersStr.split(';');
  const sortedOk = signed.every((h, i) => i === 0 || signed[i - 1] < h);
  if (!sortedOk) throw new KmsError('InvalidSignatureException', 'SignedHeaders must be sorted and unique');
  for (const need of ['host', 'x-amz-date']) if (!signed.includes(need)) throw new KmsError('InvalidSignatureException', `'${need}' must be a signed header`);
  const amzDate = req.headers['x-amz-date'];
  if (!/^\d{8}T\d{6}Z$/.test(amzDate || '')) throw new KmsError('IncompleteSignatureException', 'x-amz-date header missing or malformed');
  if (amzDate.slice(0, 8) !== shortDate) throw new KmsError('InvalidSignatureException', 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP');
  const t = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs(Date.now() - t) > SKEW * 1000) throw new KmsError('InvalidSignatureException', `Signature expired: ${amzDate} is outside the allowed clock skew of ${SKEW} s (kms-local)`);
  if (cred.sessionToken) {
    if (req.headers['x-amz-security-token'] !== cred.sessionToken) throw new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    if (!signed.includes('x-amz-security-token')) throw new KmsError('InvalidSignatureException', 'x-amz-security-token must be signed (kms-local policy)');
  } else if (req.headers['x-amz-security-token'] != null) throw new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const bodyHash = sha256hex(body);
  const declared = req.headers['x-amz-content-sha256'];
  if (declared != null && declared !== bodyHash) throw new KmsError('InvalidSignatureException', 'x-amz-content-sha256 does not match the body');
  const headerLines = signed.map((h) => {
    const v = req.headers[h];
    if (v == null) throw new KmsError('InvalidSignatureException', `Signed header ${h} is missing from the request`);
    return `${h}:${canonicalHeaderValue(v)}`;
  });
  const [path, query = ''] = req.url.split('?');
  if (path !== '/' || query !== '') throw new KmsError('InvalidSignatureException', 'kms-local expects POST / with no query string');
  const canonicalRequest = [req.method, '/', '', headerLines.join('\n') + '\n', signedHeadersStr, bodyHash].join('\n');
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  let k = hmac('AWS4' + cred.secretAccessKey, shortDate);
  k = hmac(k, region); k = hmac(k, service); k = hmac(k, 'aws4_request');
  const expected = hmac(k, stringToSign).toString('hex');
  if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature)))
    throw new KmsError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' + (process.env.KMS_LOCAL_DEBUG ? `\nCanonicalRequest:\n${canonicalRequest}\nStringToSign:\n${stringToSign}` : ''));
  // Cross-check with the AWS SDK's signer: re-sign the same signed headers at the same instant.
  let crossChecked = false;
  if (smithySigner) {
    const { SignatureV4, Sha256 } = smithySigner;
    const signer = new SignatureV4({ service, region, sha256: Sha256, applyChecksum: false,
      credentials: { accessKeyId: akid, secretAccessKey: cred.secretAccessKey, sessionToken: cred.sessionToken } });
    const headers = {}; for (const h of signed) headers[h] = String(req.headers[h]);
    const out = await signer.sign({ method: req.method, protocol: 'http:', hostname: 'x', path: '/', query: {}, headers, body: body.toString('utf8') },
      { signingDate: new Date(t), signableHeaders: new Set(signed) });
    const sdkSig = /Signature=([0-9a-f]{64})/.exec(out.headers.authorization)[1];
    if (sdkSig !== signature) throw new KmsError('InvalidSignatureException', 'kms-local: the AWS SDK signer disagrees with this signature (server verifier bug or unusual header set)');
    crossChecked = true;
  }
  return { akid, region, account: cred.account || DEFAULT_ACCOUNT, signedHeaders: signed, crossChecked };
}

// ---------- HTTP ----------
function send(res, status, obj, extra = {}) {
  const body = Buffer.from(JSON.stringify(obj));
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': body.length, 'x-amzn-RequestId': crypto.randomUUID(), ...extra });
  res.end(body);
}
function logLine(o) { if (LOG_FILE) fs.appendFileSync(LOG_FILE, JSON.stringify(o) + '\n'); }
async function handle(req, res) {
  const chunks = []; let size = 0;
  for await (const c of req) { size += c.length; if (size > 1 << 20) { send(res, 413, { __type: 'ValidationException', message: 'Request too large' }); return; } chunks.push(c); }
  const body = Buffer.concat(chunks);
  if (req.url.startsWith('/__control/')) return control(req, res, body);
  const entry = { t: new Date().toISOString(), target: req.headers['x-amz-target'], ua: req.headers['user-agent'] };
  const stat = { op: String(req.headers['x-amz-target'] || '').replace(/^TrentService\./, ''), region: null, status: 0 };
  stats.push(stat);
  try {
    if (req.method !== 'POST') throw new KmsError('UnknownOperationException', 'Only POST is supported', 404);
    const ctx = await verifySigV4(req, body);
    Object.assign(entry, { region: ctx.region, akid: ctx.akid, signedHeaders: ctx.signedHeaders, crossChecked: ctx.crossChecked });
    const ct = String(req.headers['content-type'] || '').split(';')[0].trim();
    if (ct !== 'application/x-amz-json-1.1') throw new KmsError('SerializationException', `Unsupported Content-Type ${ct}`);
    const target = req.headers['x-amz-target'] || '';
    const op = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : null;
    if (!op || !Object.prototype.hasOwnProperty.call(ops, op)) throw new KmsError('UnknownOperationException', '');
    let b;
    try { b = body.length ? JSON.parse(body.toString('utf8')) : {}; } catch (_) { throw new KmsError('SerializationException', 'Malformed JSON'); }
    if (b === null || typeof b !== 'object' || Array.isArray(b)) throw new KmsError('SerializationException', 'Body must be a JSON object');
    entry.request = { ...b, Plaintext: b.Plaintext != null ? '<redacted>' : undefined };
    Object.assign(stat, { region: ctx.region, keyId: b.KeyId, grantTokens: b.GrantTokens, encryptionContext: b.EncryptionContext });
    const fault = takeFault(op, ctx.region, b.KeyId);
    if (fault) {
      stat.fault = fault.kind;
      if (fault.kind === 'throttle') throw new KmsError('ThrottlingException', 'Rate exceeded (kms-local fault)', 400);
      if (fault.kind === 'throttle429') throw new KmsError('ThrottlingException', 'Rate exceeded (kms-local fault)', 429);
      if (fault.kind === 'error500') throw new KmsError('KMSInternalException', 'injected fault (kms-local)', 500);
      if (fault.kind === 'error503') throw new KmsError('ServiceUnavailableException', 'injected fault (kms-local)', 503);
      if (fault.kind === 'slow') await sleep(fault.delayMs);
    }
    const out = ops[op](b, ctx);
    if (fault && fault.kind === 'keyid') out.KeyId = fault.value;
    if (fault && fault.kind === 'shortPlaintext' && out.Plaintext) out.Plaintext = Buffer.from(out.Plaintext, 'base64').subarray(1).toString('base64');
    entry.status = 200; entry.responseKeyId = out.KeyId; stat.status = 200;
    if (!res.destroyed) send(res, 200, out);
  } catch (e) {
    if (!(e instanceof KmsError)) { console.error(e); e = new KmsError('KMSInternalException', String(e && e.message), 500); }
    entry.status = e.status; entry.error = e.type; entry.message = e.message;
    stat.status = e.status; stat.error = e.type;
    send(res, e.status, { __type: e.type, message: e.message }, { 'x-amzn-ErrorType': e.type });
  }
  logLine(entry);
}

// ---------- control endpoint (tests only: unsigned, loopback) ----------
function control(req, res, body) {
  try {
    const b = body.length ? JSON.parse(body.toString('utf8')) : {};
    const path = req.url.split('?')[0];
    if (path === '/__control/stats') return send(res, 200, { count: stats.length, requests: stats });
    if (path === '/__control/reset') { stats = []; faults = []; return send(res, 200, {}); }
    if (path === '/__control/faults') { for (const f of Array.isArray(b) ? b : [b]) addFault(f); return send(res, 200, { faults }); }
    const m = /^\/__control\/op\/(\w+)$/.exec(path);
    if (m && Object.prototype.hasOwnProperty.call(ops, m[1])) {
      const ctx = { region: String(req.headers['x-kms-local-region'] || 'us-east-1'), account: DEFAULT_ACCOUNT };
      return send(res, 200, ops[m[1]](b, ctx));
    }
    throw new KmsError('UnknownOperationException', `unknown control path ${path}`, 404);
  } catch (e) {
    if (!(e instanceof KmsError)) e = new KmsError('SerializationException', String(e && e.message), 400);
    send(res, e.status, { __type: e.type, message: e.message }, { 'x-amzn-ErrorType': e.type });
  }
}

loadState();
const tlsCert = opt('tls-cert', null), tlsKey = opt('tls-key', null);
const server = tlsCert
  ? https.createServer({ cert: fs.readFileSync(tlsCert), key: fs.readFileSync(tlsKey) }, (q, s) => { handle(q, s); })
  : http.createServer((q, s) => { handle(q, s); });
server.listen(PORT, HOST, () => {
  const p = server.address().port;
  if (PORT_FILE) fs.writeFileSync(PORT_FILE, String(p));
  console.log(`kms-local listening on ${tlsCert ? 'https' : 'http'}://${HOST}:${p} (sigv4 cross-check: ${smithySigner ? 'on' : 'off'})`);
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => server.close(() => process.exit(0)));
