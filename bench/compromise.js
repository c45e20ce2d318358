// bench/compromise.js - the peer: compromise's quotations and people over
// JSON lines on stdin, one JSON line out per record. Run by bench/run with
// compromise installed in a temporary folder (NODE_PATH), never a
// dependency of quoth.
const nlp = require('compromise');
const rl = require('readline').createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
rl.on('line', (line) => {
  let rec;
  try { rec = JSON.parse(line); } catch (e) { out.push('{}'); return; }
  const doc = nlp(String(rec.text || ''));
  out.push(JSON.stringify({
    id: rec.id,
    quotes: doc.quotations().out('array'),
    people: doc.people().out('array'),
  }));
  if (out.length >= 100) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
});
rl.on('close', () => { if (out.length) process.stdout.write(out.join('\n') + '\n'); });
