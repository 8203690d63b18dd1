#!/usr/bin/env node
// The systemd unit for an install: dist/gcfuzz@.service.in on stdin with
// @BIN@ replaced by PREFIX/bin/gcfuzz quoted as systemd's command lines
// want it (double quotes; \, " and a literal % escaped), so any PREFIX works.
'use strict';
const prefix = process.argv[2];
if (!prefix || !prefix.startsWith('/')) {
  process.stderr.write('usage: gen-unit.js /absolute/prefix < unit.in > unit\n');
  process.exit(2);
}
const quoted = `"${`${prefix}/bin/gcfuzz`.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%')}"`;
const text = require('node:fs').readFileSync(0, 'utf8');
process.stdout.write(text.replace(/@BIN@/g, quoted));
