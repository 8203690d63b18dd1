// A harness whose first case allocates native memory without end (Buffers
// live outside the JS heap, so --max-old-space-size does not stop them).
// The runner must kill it at rss_limit_mb and record an `oom` bucket,
// before the host runs out of memory.
'use strict';
const readline = require('node:readline');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
out({ event: 'ready', node: process.version, build: 'hog' });
const kept = [];
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  out({ event: 'start', id: c.id });
  const grow = () => {
    kept.push(Buffer.alloc(16 << 20, 1)); // filled: the pages are resident
    setImmediate(grow);
  };
  grow();
});
