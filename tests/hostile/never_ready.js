// A harness that starts, reads its stdin and never says it is ready. Every
// worker is killed at the timeout before its ready line; after a few in a
// row the run stops as fatal (exit 2) instead of spinning on restarts.
'use strict';
process.stdin.resume();
setInterval(() => {}, 1000);
