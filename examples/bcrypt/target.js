// bcrypt (node-addon-api, C++), through its public API: async hash() and
// compare() of Buffer passwords, run on the threadpool.
'use strict';
const path = require('node:path');

// A fixed salt of cost 4 (the minimum): deterministic and fast hashes.
const SALT = '$2b$04$abcdefghijklmnopqrstuu';
const pkg = (build) => path.join(__dirname, '..', '..', '.cache', 'examples', 'bcrypt', build);

module.exports = {
  name: 'bcrypt',
  setup: ({ build }) => ({ bcrypt: require(pkg(build)) }),
  entries: {
    hash: {
      input: (rng, size) => rng.bytes(size),
      oracle: (inputs, { bcrypt }) => inputs.map((pw) => bcrypt.hashSync(pw, SALT)),
      call: (inputs, { bcrypt }) => Promise.all(inputs.map((pw) => bcrypt.hash(pw, SALT))),
    },
    // Each input: a password and its hash (made synchronously here).
    compare: {
      input: (rng, size, { bcrypt }) => {
        const pw = rng.bytes(size);
        return { pw, hash: bcrypt.hashSync(pw, SALT) };
      },
      oracle: (inputs) => inputs.map(() => true),
      call: (inputs, { bcrypt }) => Promise.all(inputs.map((x) => bcrypt.compare(x.pw, x.hash))),
    },
  },
};
