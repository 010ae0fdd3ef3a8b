// Draw a Chrome/Perfetto trace JSON (p9emu --trace-format perfetto) as an
// SVG timeline in an HTML page: one row per process track, slices as
// boxes, flows (notes, rfork) as arrows, instants as ticks. Used to make
// docs/img/after-perfetto.png with headless chromium; it is our drawing of
// the same JSON, not Perfetto's UI.
//   node scripts/timeline.mjs TRACE.json OUT.html
import { readFileSync, writeFileSync } from 'node:fs';

const [, , input, output] = process.argv;
const ev = JSON.parse(readFileSync(input, 'utf8')).traceEvents;
const names = new Map(ev.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [e.pid, e.args.name]));
const pids = [...names.keys()].sort((a, b) => a - b);
const timed = ev.filter((e) => e.ts !== undefined);
const t0 = Math.min(...timed.map((e) => e.ts));
const t1 = Math.max(...timed.map((e) => e.ts + (e.dur ?? 0)));
const W = 1360, LEFT = 110, ROW = 44, TOP = 40;
const x = (ts) => LEFT + ((ts - t0) / (t1 - t0)) * (W - LEFT - 90);
const y = (pid) => TOP + pids.indexOf(pid) * ROW;
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const out = [];
pids.forEach((pid, i) => {
  out.push(`<rect x="0" y="${y(pid) - 4}" width="${W}" height="${ROW}" fill="${i % 2 ? '#f6f6f6' : '#fff'}"/>`);
  out.push(`<text x="8" y="${y(pid) + 20}" font-size="13" font-weight="bold">${esc(names.get(pid))}</text>`);
});
for (const e of ev.filter((e) => e.ph === 'X')) {
  const note = e.cat === 'note';
  const w = Math.max(2, x(e.ts + e.dur) - x(e.ts));
  out.push(`<rect x="${x(e.ts)}" y="${y(e.pid) + (note ? 20 : 2)}" width="${w}" height="${note ? 14 : 16}" fill="${note ? '#e8a33d' : '#4a7fb5'}"><title>${esc(e.name)} ${esc(e.args?.call ?? '')}</title></rect>`);
}
for (const e of ev.filter((e) => e.ph === 'i')) {
  out.push(`<line x1="${x(e.ts)}" x2="${x(e.ts)}" y1="${y(e.pid)}" y2="${y(e.pid) + 36}" stroke="${e.cat === 'proc' && e.name.startsWith('exits') ? '#c0392b' : '#888'}" stroke-width="1.5"/>`);
  if (e.name.startsWith('exits')) out.push(`<text x="${x(e.ts) + 3}" y="${y(e.pid) + 32}" font-size="11" fill="#c0392b">${esc(e.name.replace(/^exits /, 'exits '))}</text>`);
}
const starts = new Map(ev.filter((e) => e.ph === 's').map((e) => [`${e.cat}:${e.id}`, e]));
for (const f of ev.filter((e) => e.ph === 'f')) {
  const s = starts.get(`${f.cat}:${f.id}`);
  if (!s) continue;
  const color = f.cat === 'note' ? '#d35400' : '#27ae60';
  out.push(`<line x1="${x(s.ts)}" y1="${y(s.pid) + 18}" x2="${x(f.ts)}" y2="${y(f.pid) + 18}" stroke="${color}" stroke-width="2" marker-end="url(#a-${f.cat})"/>`);
}
const legend = `<text x="${LEFT}" y="22" font-size="13">system calls <tspan fill="#4a7fb5">■</tspan>   note handlers <tspan fill="#e8a33d">■</tspan>   notes <tspan fill="#d35400">→</tspan>   rfork <tspan fill="#27ae60">→</tspan>   exits <tspan fill="#c0392b">|</tspan>   (${((t1 - t0) / 1000).toFixed(0)} ms)</text>`;
const H = TOP + pids.length * ROW + 10;
const marker = (id, c) => `<marker id="a-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`;
writeFileSync(output, `<!doctype html><html><body style="margin:0;font-family:sans-serif"><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs>${marker('note', '#d35400')}${marker('rfork', '#27ae60')}</defs>${out.join('')}${legend}</svg></body></html>\n`);
