'use strict';
// The docs a newcomer navigates (README.md, doc/*.md, the man page) follow
// the runner: every subcommand, option and config key is in the man page,
// every subcommand's options in doc/commands.md, every relative link and
// #anchor resolves, and the README stays short.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, gcfuzz } = require('./helpers.js');

const read = (...p) => fs.readFileSync(path.join(ROOT, ...p), 'utf8');
const DOC = path.join(ROOT, 'doc');
const PAGES = ['README.md', ...fs.readdirSync(DOC).filter((f) => f.endsWith('.md')).map((f) => `doc/${f}`)];

// The subcommands `gcfuzz --help` lists, and the options each one's --help
// shows (long and short forms as written in its usage).
async function commands() {
  const top = (await gcfuzz(['--help'])).stdout;
  const names = top.slice(top.indexOf('commands:')).split('\n').slice(1)
    .map((l) => (l.match(/^ {2}([a-z]+) /) || [])[1]).filter(Boolean);
  assert.ok(names.length >= 10, `commands in --help: ${names}`);
  const out = [];
  for (const name of names) {
    const help = (await gcfuzz([name, '--help'])).stdout;
    // The usage lines: from "usage:" up to the first line that is not one.
    const usage = help.split('\n').filter((l, i, a) => /^(usage: | {7,})/.test(l) && a.slice(0, i + 1).every((x) => /^(usage: | {7,})/.test(x)));
    assert.ok(usage.length > 0, `${name}: no usage line`);
    const opts = [...new Set(usage.join(' ').match(/(?<![\w-])--?[A-Za-z][\w-]*/g) || [])];
    out.push({ name, opts });
  }
  return out;
}

// Every long option of the runner's parser with its short form, if it has
// one (runner/gf_cli.c: the long table and getopt's short string).
function cliOptions() {
  const src = read('runner', 'gf_cli.c');
  const shorts = src.match(/getopt_long\(argc, argv, "([^"]+)"/)[1].replace(/:/g, '');
  return [...src.matchAll(/\{"([a-z-]+)", (?:required|no)_argument, 0, '(.)'\}/g)]
    .map(([, long, ch]) => ({ long: `--${long}`, short: shorts.includes(ch) ? `-${ch}` : null }));
}

// The man page as text: font escapes dropped, \- a hyphen.
function manPage() {
  return read('doc', 'gcfuzz.1').replace(/\\f[BIRP]/g, '').replace(/\\-/g, '-').replace(/\\&/g, '');
}
const section = (man, name) => man.slice(man.indexOf(`\n.SH ${name}\n`), man.indexOf('\n.SH ', man.indexOf(`\n.SH ${name}\n`) + 4));
// The tag line of each .TP entry.
const tags = (text) => text.split('\n').filter((l, i, a) => i > 0 && a[i - 1] === '.TP');
// A table row's cells (a `\|` inside one is no border).
const cells = (row) => row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
const hasWord = (line, w) => new RegExp(`(^|[^\\w-])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(line);

function configKeys() {
  return read('doc', 'config.md').split('\n').map((l) => (l.match(/^\| `([a-z0-9_.]+)` \|/) || [])[1]).filter(Boolean);
}

test('the man page names every subcommand, every option of each one\'s --help (long and short) and every config key', async () => {
  const man = manPage();
  const cmdTags = tags(section(man, 'COMMANDS'));
  const optTags = tags(section(man, 'OPTIONS'));
  for (const { name, opts } of await commands()) {
    const entries = cmdTags.filter((t) => t.startsWith(`.B ${name} `) || t === `.B ${name}`);
    assert.ok(entries.length > 0, `no COMMANDS entry for ${name}`);
    for (const o of opts) {
      assert.ok(entries.some((e) => hasWord(e, o)), `${name}: ${o} not in its COMMANDS entry`);
      assert.ok(optTags.some((t) => hasWord(t, o)), `${o} (${name}) has no OPTIONS entry`);
    }
  }
  for (const { long, short } of cliOptions()) {
    const tag = optTags.find((t) => hasWord(t, long));
    assert.ok(tag, `${long} has no OPTIONS entry`);
    if (short) assert.ok(hasWord(tag, short), `${long}: its short form ${short} not in ${tag}`);
  }
  const cfgTags = tags(section(man, 'CONFIGURATION'));
  const scalar = JSON.parse((await gcfuzz(['__config-keys'])).stdout).map((k) => k.name);
  const all = [...new Set([...scalar, ...configKeys()])];
  assert.ok(all.includes('env') && all.includes('limits.gc_ops') && all.includes('control.entry') && all.includes('nodes'), 'the non-scalar keys');
  for (const k of all) assert.ok(cfgTags.includes(`.B ${k}`), `config key ${k} not in the man page`);
  const seeAlso = section(man, 'SEE ALSO');
  for (const page of PAGES.filter((p) => p !== 'README.md')) assert.ok(hasWord(seeAlso, path.basename(page)), `SEE ALSO does not name ${page}`);
});

test('doc/commands.md gives every subcommand its options, and every option its short form', async () => {
  const page = read('doc', 'commands.md');
  const rows = page.split('\n').filter((l) => l.startsWith('| '));
  for (const { name, opts } of await commands()) {
    const mine = rows.filter((r) => r.startsWith(`| \`gcfuzz ${name} `) || r.startsWith(`| \`gcfuzz ${name}\``));
    assert.ok(mine.length > 0, `no doc/commands.md row for ${name}`);
    for (const o of opts) assert.ok(mine.some((r) => hasWord(cells(r)[0], o)), `${name}: ${o} not in its doc/commands.md row`);
  }
  const options = rows.filter((r) => /^\| `--/.test(r));
  for (const { long, short } of cliOptions()) {
    const row = options.find((r) => hasWord(cells(r)[0], long));
    assert.ok(row, `no doc/commands.md Options row for ${long}`);
    assert.strictEqual(cells(row)[1], short ? `\`${short}\`` : '', `${long}: short form in ${row}`);
  }
});

// GitHub's anchors: the heading's text without its Markdown, lowercased,
// punctuation but '-' and '_' dropped, spaces to '-'; a repeat gets -1, -2.
function anchors(md) {
  const seen = new Map();
  const out = new Set();
  for (const line of md.replace(/^```[\s\S]*?^```/gm, '').split('\n')) {
    const m = line.match(/^#{1,6} +(.*?) *#* *$/);
    if (!m) continue;
    const text = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(slug) || 0;
    seen.set(slug, n + 1);
    out.add(n ? `${slug}-${n}` : slug);
  }
  return out;
}

function links(md) {
  const text = md.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((u) => !/^[a-z]+:/.test(u));
}

test('every relative link and #anchor of README.md and doc/*.md resolves', () => {
  let n = 0;
  for (const page of PAGES) {
    const md = read(page);
    for (const link of links(md)) {
      n++;
      const [file, anchor] = link.split('#');
      const target = file ? path.resolve(path.dirname(path.join(ROOT, page)), file) : path.join(ROOT, page);
      assert.ok(fs.existsSync(target), `${page}: ${link}: no file ${path.relative(ROOT, target)}`);
      if (anchor === undefined) continue;
      assert.ok(target.endsWith('.md'), `${page}: ${link}: an anchor into a file that is not Markdown`);
      const have = anchors(fs.readFileSync(target, 'utf8'));
      assert.ok(have.has(anchor), `${page}: ${link}: no heading #${anchor} in ${path.relative(ROOT, target)} (it has: ${[...have].join(', ')})`);
    }
  }
  assert.ok(n > 50, `${n} links checked`);
});

test('the anchor rule is GitHub\'s', () => {
  const a = anchors('# Commands: `build/gcfuzz`\n## report --issue\n## One bug, several buckets\n## Examples: real npm packages (`make examples`)\n## Fields\n## Fields\n');
  assert.deepStrictEqual([...a], ['commands-buildgcfuzz', 'report---issue', 'one-bug-several-buckets', 'examples-real-npm-packages-make-examples', 'fields', 'fields-1']);
});

test('README.md is at most 15 KB, and every doc page is linked from it', () => {
  const size = fs.statSync(path.join(ROOT, 'README.md')).size;
  assert.ok(size <= 15360, `README.md is ${size} bytes`);
  const readme = read('README.md');
  for (const page of PAGES.filter((p) => p !== 'README.md')) assert.ok(links(readme).some((l) => l.split('#')[0] === page), `README.md does not link ${page}`);
  assert.ok(readme.includes('make test') && /^make +#/m.test(readme), 'the README states make and make test');
});
