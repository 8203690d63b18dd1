// Text from a package or a probe (stderr, error messages) made safe for a
// terminal, a log and a Markdown cell: control bytes shown escaped, lone
// surrogates replaced, length capped.
'use strict';

function cleanText(s, max = 4000) {
  let t = String(s).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  t = typeof t.toWellFormed === 'function' ? t.toWellFormed() : t;
  return t.length > max ? `${t.slice(0, max)}...` : t;
}

module.exports = { cleanText };
