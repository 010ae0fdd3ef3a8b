// Draw a Chrome/Perfetto trace JSON (p9emu --trace-format perfetto) as a
// standalone SVG timeline: one row per process track, a time axis in ms,
// system calls as boxes, note handlers as bands behind them (at least a
// few pixels wide and labelled, however short), flows (notes, rfork) as
// arrows, exits as marks. It is our drawing of the same JSON that
// ui.perfetto.dev opens, not Perfetto's UI.
//   node scripts/timeline.mjs TRACE.json OUT.svg
import { readFileSync, writeFileSync } from 'node:fs';

const [, , input, output] = process.argv;
if (!input || !output) {
  process.stderr.write('usage: node scripts/timeline.mjs TRACE.json OUT.svg\n');
  process.exit(2);
}
const ev = JSON.parse(readFileSync(input, 'utf8')).traceEvents;
const names = new Map(ev.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => [e.pid, e.args.name]));
const pids = [...names.keys()].sort((a, b) => a - b);
const timed = ev.filter((e) => e.ts !== undefined);
const t0 = Math.min(...timed.map((e) => e.ts));
const t1 = Math.max(...timed.map((e) => e.ts + (e.dur ?? 0)));
// Room on the right for the last labels; LEFT for the track names.
const W = 1200, LEFT = 90, RIGHT = 150, ROW = 46, TOP = 58;
const H = TOP + pids.length * ROW + 34;
const x = (ts) => LEFT + ((ts - t0) / (t1 - t0 || 1)) * (W - LEFT - RIGHT);
const y = (pid) => TOP + pids.indexOf(pid) * ROW;
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
/** A label at px, anchored so that it stays inside the picture. */
const label = (px, py, text, attrs) => {
  const right = px > W - RIGHT + 40;
  return `<text x="${right ? px - 4 : px + 4}" y="${py}" text-anchor="${right ? 'end' : 'start'}" ${attrs}>${esc(text)}</text>`;
};
const out = [];
pids.forEach((pid, i) => {
  out.push(`<rect x="0" y="${y(pid) - 4}" width="${W}" height="${ROW}" fill="${i % 2 ? '#f4f4f4' : '#fff'}"/>`);
  out.push(`<text x="8" y="${y(pid) + 20}" font-size="13" font-weight="bold">${esc(names.get(pid))}</text>`);
});
// The time axis: ticks at a round step, in ms since boot.
const span = (t1 - t0) / 1000;
const step = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].find((s) => span / s <= 10) ?? 1000;
const axisY = TOP - 12;
out.push(`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${axisY}" y2="${axisY}" stroke="#444"/>`);
for (let ms = Math.ceil(t0 / 1000 / step) * step; ms <= t1 / 1000 + 1e-9; ms += step) {
  const px = x(ms * 1000);
  out.push(`<line x1="${px}" x2="${px}" y1="${axisY - 4}" y2="${H - 30}" stroke="#ddd"/>`);
  out.push(`<text x="${px}" y="${axisY - 7}" font-size="11" text-anchor="middle" fill="#444">${+ms.toFixed(3)} ms</text>`);
}
// Handlers first (behind), then system calls.
for (const e of ev.filter((e) => e.ph === 'X' && e.cat === 'note')) {
  const w = Math.max(6, x(e.ts + e.dur) - x(e.ts));
  out.push(`<rect x="${x(e.ts)}" y="${y(e.pid)}" width="${w}" height="36" fill="#f0b54a" fill-opacity="0.75" stroke="#c77d12"><title>${esc(e.name)}</title></rect>`);
  out.push(label(x(e.ts) + w, y(e.pid) + 12, e.name.replace(/^note handler: /, 'handler '), 'font-size="11" fill="#8a5300"'));
}
for (const e of ev.filter((e) => e.ph === 'X' && e.cat === 'sys')) {
  const w = Math.max(1.5, x(e.ts + e.dur) - x(e.ts));
  out.push(`<rect x="${x(e.ts)}" y="${y(e.pid) + 17}" width="${w}" height="14" fill="#4a7fb5"><title>${esc(e.args?.call ?? e.name)}</title></rect>`);
}
for (const e of ev.filter((e) => e.ph === 'i' && e.cat === 'proc' && e.name.startsWith('exits'))) {
  out.push(`<line x1="${x(e.ts)}" x2="${x(e.ts)}" y1="${y(e.pid)}" y2="${y(e.pid) + 38}" stroke="#c0392b" stroke-width="2"/>`);
  out.push(label(x(e.ts), y(e.pid) + 40, e.name, 'font-size="11" fill="#c0392b"'));
}
const starts = new Map(ev.filter((e) => e.ph === 's').map((e) => [`${e.cat}:${e.id}`, e]));
for (const f of ev.filter((e) => e.ph === 'f')) {
  const s = starts.get(`${f.cat}:${f.id}`);
  if (!s) continue;
  const color = f.cat === 'note' ? '#d35400' : '#27ae60';
  out.push(`<line x1="${x(s.ts)}" y1="${y(s.pid) + 24}" x2="${x(f.ts)}" y2="${y(f.pid) + 24}" stroke="${color}" stroke-width="2" marker-end="url(#a-${f.cat})"/>`);
}
const legend = `<text x="${LEFT}" y="18" font-size="13">system calls <tspan fill="#4a7fb5">■</tspan>   note handlers <tspan fill="#f0b54a">■</tspan>   notes <tspan fill="#d35400">→</tspan>   rfork <tspan fill="#27ae60">→</tspan>   exits <tspan fill="#c0392b">|</tspan></text>`;
const marker = (id, c) => `<marker id="a-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`;
writeFileSync(output, `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><rect width="${W}" height="${H}" fill="#fff"/><defs>${marker('note', '#d35400')}${marker('rfork', '#27ae60')}</defs>${out.join('')}${legend}</svg>\n`);
