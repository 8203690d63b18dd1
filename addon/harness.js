#!/usr/bin/env node
// The previous version's harness path, kept so that configs naming
// "harness": "addon/harness.js" (and no target) keep working: it is the
// harness library on the demo target, nothing else.
//   node --expose-gc addon/harness.js [--build B] [--once]
'use strict';
const path = require('node:path');
const { runMain } = require('../harness/run.js');

const args = process.argv.slice(2);
runMain(args.includes('--target') ? args : ['--target', path.join(__dirname, 'target.js'), ...args]);
