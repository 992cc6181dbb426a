#!/usr/bin/env node
// A small command line for kms-local's control endpoint (tests and examples only):
//   node kms-control.js create-key REGION [--multi-region]   prints the new key's ARN
//   node kms-control.js replicate-key ARN REGION               prints the replica's ARN
//   node kms-control.js stats                                  prints the request statistics
// The server is the one in KMS_LOCAL_ENDPOINT (set by run-with-server.sh).
'use strict'
const http = require('node:http')

function control (path, region, body) {
  const base = process.env.KMS_LOCAL_ENDPOINT
  if (!base) throw new Error('KMS_LOCAL_ENDPOINT is not set (run through run-with-server.sh)')
  const data = Buffer.from(JSON.stringify(body || {}))
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/__control/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': data.length, 'x-kms-local-region': region || 'us-east-1' }
    }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        if (res.statusCode !== 200) reject(new Error(`control ${path}: HTTP ${res.statusCode} ${text}`))
        else resolve(JSON.parse(text))
      })
    })
    req.on('error', reject)
    req.end(data)
  })
}

async function main (argv) {
  const [cmd, a, b] = argv
  if (cmd === 'create-key' && a) {
    const out = await control('op/CreateKey', a, { MultiRegion: argv.includes('--multi-region') })
    console.log(out.KeyMetadata.Arn)
  } else if (cmd === 'replicate-key' && a && b) {
    const [, , , region, , resource] = a.split(':')
    const out = await control('op/ReplicateKey', region, { KeyId: resource.split('/')[1], ReplicaRegion: b })
    console.log(out.ReplicaKeyMetadata.Arn)
  } else if (cmd === 'stats') {
    console.log(JSON.stringify(await control('stats'), null, 1))
  } else {
    console.error('usage: kms-control.js create-key REGION [--multi-region] | replicate-key ARN REGION | stats')
    process.exit(2)
  }
}

module.exports = { control }
if (require.main === module) main(process.argv.slice(2)).catch((e) => { console.error(e.message); process.exit(1) })
