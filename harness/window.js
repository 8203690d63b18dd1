// The window probe: what happened in the race window of one case, reported
// in the result line as `window` (counters named in case-schema.json) for
// the runner's search feedback. Generic for any target: it watches the
// calls' settlement and the GCs (perf_hooks), never what an input is.
//
// It must not change what it observes. Watching the inputs' collection
// (a FinalizationRegistry: `collected`, `collected_in_flight`) does on
// Node 20: objects registered in one survive gc({type:'major'}), and the
// demo's borrowed bug went from 5/5 to 0/5 runs with it. So that part is
// off unless asked for (harness --probe-collection), and then the counters
// are only for studying a target, not for fuzzing it.
'use strict';
const { PerformanceObserver, constants, performance } = require('node:perf_hooks');
const { SCHEMA } = require('./case.js');

const GC_KINDS = [
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'gc_major'],
  [constants.NODE_PERFORMANCE_GC_MINOR, 'gc_minor'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'gc_incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'gc_weakcb'],
];

const now = () => performance.now();

class WindowProbe {
  constructor({ collection = false } = {}) {
    this.caseNo = 0;
    // Held values are plain tokens: a registry entry never keeps an input.
    this.registry = collection ? new FinalizationRegistry((token) => this.collected(token)) : null;
    // GC entries arrive through the callback or, not yet delivered, from
    // takeRecords() at the end: both count.
    this.gcs = new PerformanceObserver((list) => this.countGcs(list.getEntries()));
    this.gcs.observe({ entryTypes: ['gc'] });
  }

  // staggered: the calls start in turns of their own, in call order.
  begin(calls, staggered = false) {
    this.caseNo++;
    this.pending = new Array(calls).fill(true);
    this.staggered = staggered;
    this.sharing = false;
    // performance.now() of the first GC of each kind of partial window
    this.since = { partial_gc_window_ms: null, shared_partial_gc_window_ms: null, late_partial_gc_window_ms: null };
    this.lastSettle = null;
    this.counts = null;
    this.gcs.takeRecords(); // GCs before the window are not its own
    this.counts = Object.fromEntries(SCHEMA.window.map((w) => [w.name, 0]));
  }

  // The calls got common inputs (`shared`), whatever they are.
  share() {
    this.sharing = true;
  }

  // Input `obj` of call k (the first call that got it).
  watch(obj, k) {
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return;
    if (this.registry) this.registry.register(obj, { caseNo: this.caseNo, k });
    this.counts.inputs++;
  }

  collected(token) {
    // A previous case's input, late, or this case's after its end: not counted.
    if (token.caseNo !== this.caseNo || !this.counts) return;
    this.counts.collected++;
    if (this.pending[token.k]) this.counts.collected_in_flight++;
  }

  settled(k) {
    this.pending[k] = false;
    this.lastSettle = now();
  }

  settledCount() {
    return this.pending.filter((p) => !p).length;
  }

  beforeGc() {
    const settled = this.settledCount();
    this.counts.inflight_at_gc += this.pending.length - settled;
    this.counts.settled_before_gc += settled;
    // Once one call has settled, its cleanup has run: what it let go of is
    // free to be collected while the others still read.
    const pending = this.pending.length - settled;
    if (settled === 0 || pending === 0) return;
    // Staggered, the calls after the first settled one started later.
    const first = this.pending.indexOf(false);
    const late = this.staggered ? this.pending.filter((p, k) => p && k > first).length : 0;
    const t = now();
    this.counts.inflight_at_partial_gc += pending;
    this.since.partial_gc_window_ms ??= t;
    if (this.sharing) {
      this.counts.shared_inflight_at_partial_gc += pending;
      this.since.shared_partial_gc_window_ms ??= t;
    }
    if (late) {
      this.counts.late_inflight_at_partial_gc += late;
      this.since.late_partial_gc_window_ms ??= t;
    }
  }

  // The exposure windows, once every call settled: how long the calls still
  // pending at the first partial GC went on (the search prefers wide ones).
  windows() {
    for (const [name, t] of Object.entries(this.since))
      if (t !== null && this.lastSettle > t) this.counts[name] = Math.round(this.lastSettle - t);
  }

  countGcs(entries) {
    if (!this.counts) return;
    for (const e of entries) {
      const kind = GC_KINDS.find(([bit]) => e.detail && e.detail.kind === bit);
      if (kind) this.counts[kind[1]]++;
    }
  }

  // After the calls settled (and one more turn, for the GC entries).
  end() {
    this.countGcs(this.gcs.takeRecords());
    this.windows();
    const counts = this.counts;
    this.counts = null;
    return counts;
  }
}

module.exports = { WindowProbe };
