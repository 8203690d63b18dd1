// murmurhash-native (nan, C++): async hashing of Buffers on the threadpool,
// the hash written into a caller's output Buffer, and the incremental
// hasher's async update(), which reads and writes the hasher (`this`).
'use strict';
const path = require('node:path');

const dir = (build) => path.join(__dirname, '..', '..', '.cache', 'examples', 'murmurhash-native', build, 'build', 'Release');
// Node-style callback -> Promise, in a helper that sees no input.
const settle = (resolve, reject) => (err, v) => (err ? reject(err) : resolve(v));

module.exports = {
  name: 'murmurhash-native',
  setup: ({ build }) => ({
    mm: require(path.join(dir(build), 'murmurhash.node')),
    inc: require(path.join(dir(build), 'murmurhashincremental.node')),
  }),
  entries: {
    // murmurHash(buf, seed, cb): the input Buffer is read on the threadpool.
    hash32: {
      input: (rng, size) => rng.bytes(size),
      oracle: (inputs, { mm }) => inputs.map((b) => mm.murmurHash(b, 7)),
      call: (inputs, { mm }) => Promise.all(inputs.map((b) => new Promise((res, rej) => mm.murmurHash(b, 7, settle(res, rej))))),
    },
    // murmurHash128x64(buf, seed, 'buffer', cb): a 16-byte Buffer back.
    hash128: {
      input: (rng, size) => rng.bytes(size),
      oracle: (inputs, { mm }) => inputs.map((b) => mm.murmurHash128x64(b, 7, 'buffer')),
      call: (inputs, { mm }) => Promise.all(inputs.map((b) => new Promise((res, rej) => mm.murmurHash128x64(b, 7, 'buffer', settle(res, rej))))),
    },
    // murmurHash(buf, seed, output, cb): the output Buffer exists only in
    // the call; the result written into it comes back through the callback.
    hash_into: {
      input: (rng, size) => rng.bytes(size),
      oracle: (inputs, { mm }) => inputs.map((b) => mm.murmurHash(b, 7, Buffer.alloc(4))),
      call: (inputs, { mm }) => Promise.all(inputs.map((b) => new Promise((res, rej) => mm.murmurHash(b, 7, Buffer.alloc(4), settle(res, rej))))),
    },
    // hasher.update(data, cb): each input is a fresh hasher and its data;
    // dropped, both are unreachable while the update runs. One update at a
    // time per hasher is the API's contract ("Asynchronous update still in
    // progress" otherwise): no hasher twice in flight.
    incremental_update: {
      distinct: true,
      input: (rng, size, { inc }) => ({ hasher: new inc.MurmurHash128x64(rng.u32()), data: rng.bytes(size) }),
      call: (inputs) => Promise.all(inputs.map((x) => new Promise((res, rej) => x.hasher.update(x.data, settle(res, rej))))),
    },
  },
};
