// A GDB remote stub: `p9emu run --gdb [HOST:]PORT` over a live machine's
// Control, `p9emu core FILE --gdb [HOST:]PORT` over a core file. One gdb
// connection at a time; every live process is a thread (its pid is the
// thread id), memory and registers are the selected thread's. See
// docs/debug.md for the packets served and the note → signal mapping.

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Control, StopReason } from './control.ts';
import { PacketReader, frame, fromhex, strhex, tohex, unescape } from './rsp.ts';
import { GSIZE, Gchange, SLOTS, TARGET_XML, gpacket, slotBytes, slotChange } from './tdesc.ts';
import { monitor } from './monitor.ts';

/** gdb's own signal numbers (gdb/include/gdb/signals.def), not the host's. */
export const SIG = { HUP: 1, INT: 2, ILL: 4, TRAP: 5, FPE: 8, KILL: 9, SEGV: 11, ALRM: 14, TERM: 15, USR1: 30 } as const;

/** The signal gdb is told a note is. */
export function notesig(note: string): number {
  if (note === 'interrupt') return SIG.INT;
  if (note === 'hangup') return SIG.HUP;
  if (note === 'alarm') return SIG.ALRM;
  if (note === 'sys: killed' || note === 'kill') return SIG.KILL;
  if (note.startsWith('sys: trap: fault') || note.startsWith('sys: trap: stack') || note.startsWith('sys: trap: segment')) return SIG.SEGV;
  if (note.startsWith('sys: trap: divide') || note.startsWith('sys: fp:') || note.startsWith('sys: floating point')) return SIG.FPE;
  if (note.startsWith('sys: trap: invalid opcode') || note.startsWith('sys: trap: general protection')) return SIG.ILL;
  if (note.startsWith('sys: breakpoint') || note.startsWith('sys: trap: debug') || note.startsWith('sys: debug exception') || note.startsWith('sys: watchpoint')) return SIG.TRAP;
  return SIG.USR1;
}

const hex = (n: number) => (n >>> 0).toString(16);

/** What the stub debugs: a live machine (Control) or a dead process's core (coretarget.ts). */
export type Debuggee = Pick<Control,
  | 'stopped' | 'onStop' | 'interrupt' | 'cont' | 'step' | 'detach' | 'kill'
  | 'procs' | 'proc' | 'corpse' | 'regs' | 'setRegs' | 'read' | 'write'
  | 'addBreakpoint' | 'removeBreakpoint' | 'findWatchpoint' | 'addWatchpoint' | 'removeWatchpoint'>;

export interface GdbStubOptions {
  host?: string;
  port: number;
  /** Told to the user when gdb may connect. */
  onlisten?: (addr: AddressInfo) => void;
}

export class GdbStub {
  private sock: Socket | null = null;
  private noack = false;
  /** The thread g/G/m/M act on (Hg), and the one c/s act on (Hc); 0 = any. */
  private gthread = 0;
  private cthread = 0;
  /** A stop reply is owed (after c, s, vCont). */
  private waiting = false;
  private readonly hwbps = new Set<number>();
  private readonly swbps = new Set<number>();
  private threadList: number[] = [];
  private server: Server | null = null;
  private done = false;

  private control: Debuggee | null = null;
  private closedNow: () => void = () => {};
  /** Settles when the stub has closed (gdb detached, killed or saw the end). */
  readonly closed = new Promise<void>((resolve) => (this.closedNow = resolve));

  /** The machine to serve (a stub may listen before the kernel boots). */
  serve(c: Debuggee): void {
    this.control = c;
    c.onStop((r) => this.stopped(r));
  }

  private get c(): Debuggee {
    if (!this.control) throw new Error('no machine yet');
    return this.control;
  }

  /** Listen; resolves once listening. The machine stays stopped until gdb continues it. */
  listen(o: GdbStubOptions): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const srv = (this.server = createServer((s) => this.accept(s)));
      srv.once('error', reject);
      srv.listen(o.port, o.host ?? '127.0.0.1', () => {
        const a = srv.address() as AddressInfo;
        o.onlisten?.(a);
        resolve(a);
      });
    });
  }

  close(): void {
    this.done = true;
    this.sock?.end();
    this.server?.close();
    this.server = null;
    this.closedNow();
  }

  private accept(s: Socket): void {
    if (this.sock) {
      s.end();
      return;
    }
    this.sock = s;
    this.noack = false;
    s.setNoDelay(true);
    const rd = new PacketReader();
    s.on('data', (b) => {
      for (const m of rd.push(b)) {
        if (m.kind === 'interrupt') this.c.interrupt();
        else if (m.kind === 'packet') {
          if (!this.noack) s.write(m.ok ? '+' : '-');
          if (m.ok) this.handle(m.data);
        }
      }
    });
    s.on('close', () => {
      this.sock = null;
      // gdb went away without detaching: let the program run on.
      if (!this.done) this.control?.detach();
      this.close();
    });
    s.on('error', () => {});
  }

  private send(data: string): void {
    this.sock?.write(frame(data));
  }

  private stopped(r: StopReason): void {
    if (r.pid) this.gthread = r.pid;
    if (!this.waiting) return;
    this.waiting = false;
    this.send(this.stopReply(r));
    if (r.kind === 'exited') this.close();
  }

  private stopReply(r: StopReason): string {
    const th = `thread:${hex(r.pid)};`;
    switch (r.kind) {
      case 'exited': {
        const code = /^[1-9][0-9]{0,2}$/.test(r.exitstr) && Number(r.exitstr) <= 255 ? Number(r.exitstr) : r.exitstr === '' ? 0 : -1;
        return code >= 0 ? `W${code.toString(16).padStart(2, '0')}` : `X${notesig(r.exitstr.replace(/ pc=0x[0-9a-f]+$/, '')).toString(16).padStart(2, '0')}`;
      }
      case 'note': return `T${notesig(r.note).toString(16).padStart(2, '0')}${th}`;
      case 'interrupt': return `T02${th}`;
      case 'breakpoint': return `T05${this.swbps.has(r.addr) || !this.hwbps.has(r.addr) ? 'swbreak' : 'hwbreak'}:;${th}`;
      case 'watchpoint': {
        const kw = r.wp.kind === 'write' ? 'watch' : r.wp.kind === 'read' ? 'rwatch' : 'awatch';
        return `T05${kw}:${hex(r.addr)};${th}`;
      }
      default: return `T05${th}`;
    }
  }

  /** The thread an operation names: the selected one if live, else the one stopped on. */
  private tid(sel: number): number {
    const live = this.c.procs().filter((p) => p.state !== 'Broken').map((p) => p.pid);
    if (sel > 0 && live.includes(sel)) return sel;
    const at = this.c.stopped?.pid ?? 0;
    return live.includes(at) || this.c.corpse(at) ? at : live[0] ?? at;
  }

  private handle(p: string): void {
    try {
      const r = this.reply(p);
      if (r !== null) this.send(r);
    } catch (e) {
      this.send(`E${(e as Error).message.startsWith('bad address') ? '14' : '01'}`);
    }
  }

  /** The answer to one packet; null when the answer is a later stop reply. */
  private reply(p: string): string | null {
    const c = this.c;
    switch (p[0]) {
      case '?':
        return c.stopped ? this.stopReply(c.stopped) : 'S00';
      case 'g':
        return tohex(gpacket(c.regs(this.tid(this.gthread))));
      case 'G': {
        const pid = this.tid(this.gthread);
        const b = fromhex(p.slice(1));
        if (b.length < GSIZE) return 'E01';
        c.setRegs(pid, Gchange(b, c.regs(pid)));
        return 'OK';
      }
      case 'p': {
        const n = parseInt(p.slice(1), 16);
        if (!(n < SLOTS.length)) return 'E01';
        return tohex(slotBytes(c.regs(this.tid(this.gthread)), n));
      }
      case 'P': {
        const [n, v] = p.slice(1).split('=');
        const i = parseInt(n!, 16);
        if (!(i < SLOTS.length)) return 'E01';
        const pid = this.tid(this.gthread);
        c.setRegs(pid, slotChange(i, fromhex(v!), c.regs(pid)));
        return 'OK';
      }
      case 'm': {
        const [a, l] = p.slice(1).split(',').map((x) => parseInt(x, 16));
        return tohex(c.read(this.tid(this.gthread), a!, Math.min(l!, 0x8000)));
      }
      case 'M': {
        const [head, data] = p.slice(1).split(':');
        const [a] = head!.split(',').map((x) => parseInt(x, 16));
        c.write(this.tid(this.gthread), a!, fromhex(data!));
        return 'OK';
      }
      case 'X': {
        const colon = p.indexOf(':');
        const [a, l] = p.slice(1, colon).split(',').map((x) => parseInt(x, 16));
        if (l === 0) return 'OK';
        c.write(this.tid(this.gthread), a!, unescape(p.slice(colon + 1)));
        return 'OK';
      }
      case 'Z':
      case 'z':
        return this.point(p[0] === 'Z', p.slice(1));
      case 'H': {
        const t = p.slice(2) === '-1' ? 0 : parseInt(p.slice(2), 16);
        if (p[1] === 'g') this.gthread = t;
        else this.cthread = t;
        return 'OK';
      }
      case 'T':
        return c.procs().some((x) => x.pid === parseInt(p.slice(1), 16) && x.state !== 'Broken') ? 'OK' : 'E01';
      case 'c':
      case 'C':
        return this.go(null, p[0] === 'C' && parseInt(p.slice(1), 16) !== 0);
      case 's':
      case 'S':
        return this.go(this.tid(this.cthread), p[0] === 'S' && parseInt(p.slice(1), 16) !== 0);
      case 'k':
        this.kill();
        return null;
      case 'D':
        this.done = true;
        setImmediate(() => {
          c.detach();
          this.close();
        });
        return 'OK';
      case 'q':
        return this.query(p);
      case 'Q':
        if (p === 'QStartNoAckMode') {
          this.send('OK');
          this.noack = true;
          return null;
        }
        return '';
      case 'v':
        return this.vpacket(p);
      default:
        return '';
    }
  }

  /** Continue (tid null) or step one thread; `deliver`: a note stop's note goes out. */
  private go(step: number | null, deliver: boolean): string | null {
    if (!this.c.stopped || this.c.stopped.kind === 'exited') return this.c.stopped ? this.stopReply(this.c.stopped) : 'E01';
    this.waiting = true;
    if (step !== null) this.c.step(step, { deliver });
    else this.c.cont({ deliver });
    return null;
  }

  private kill(): void {
    this.done = true;
    this.c.kill();
    this.c.detach();
    this.send('X09');
    this.close();
  }

  private point(set: boolean, args: string): string {
    const [type, a, kind] = args.split(',');
    const addr = parseInt(a!, 16);
    const len = parseInt(kind!, 16);
    const c = this.c;
    switch (type) {
      case '0':
      case '1': {
        const mine = type === '0' ? this.swbps : this.hwbps;
        if (set) {
          if (mine.has(addr)) return 'OK';
          mine.add(addr);
          c.addBreakpoint(addr);
        } else if (mine.delete(addr)) c.removeBreakpoint(addr);
        return 'OK';
      }
      case '2':
      case '3':
      case '4': {
        const wk = type === '2' ? 'write' : type === '3' ? 'read' : 'access';
        const w = c.findWatchpoint(addr, len, wk);
        if (set && !w) c.addWatchpoint(addr, len, wk);
        if (!set && w) c.removeWatchpoint(w);
        return 'OK';
      }
    }
    return '';
  }

  private query(p: string): string {
    const c = this.c;
    if (p.startsWith('qSupported')) {
      return 'PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+';
    }
    if (p.startsWith('qXfer:features:read:')) {
      const [annex, range] = p.slice('qXfer:features:read:'.length).split(':');
      if (annex !== 'target.xml') return 'E00';
      const [off, len] = range!.split(',').map((x) => parseInt(x, 16));
      const part = TARGET_XML.slice(off!, off! + len!);
      return (off! + len! >= TARGET_XML.length ? 'l' : 'm') + part;
    }
    if (p === 'qfThreadInfo') {
      this.threadList = c.procs().filter((x) => x.state !== 'Broken').map((x) => x.pid);
      const first = this.threadList.splice(0, 64);
      return first.length ? `m${first.map(hex).join(',')}` : 'l';
    }
    if (p === 'qsThreadInfo') {
      const next = this.threadList.splice(0, 64);
      return next.length ? `m${next.map(hex).join(',')}` : 'l';
    }
    if (p === 'qC') return `QC${hex(this.tid(this.gthread))}`;
    if (p === 'qAttached') return '1';
    if (p === 'qOffsets') return 'Text=0;Data=0;Bss=0';
    if (p === 'qSymbol::') return 'OK';
    if (p.startsWith('qThreadExtraInfo,')) {
      const pid = parseInt(p.slice('qThreadExtraInfo,'.length), 16);
      const info = c.procs().find((x) => x.pid === pid);
      return strhex(info ? `pid ${pid} ${info.text} ${info.state}` : `pid ${pid}`);
    }
    if (p.startsWith('qRcmd,')) {
      const cmd = Buffer.from(p.slice(6), 'hex').toString('utf8');
      const out = monitor(c, this.tid(this.gthread), cmd);
      for (let i = 0; i < out.length; i += 512) this.send('O' + strhex(out.slice(i, i + 512)));
      return 'OK';
    }
    return '';
  }

  private vpacket(p: string): string | null {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) {
      const acts = p.slice(6).split(';').map((a) => {
        const [act, th] = a.split(':');
        return { act: act!, tid: th === undefined || th === '-1' ? 0 : parseInt(th, 16) };
      });
      const deliver = acts.some((a) => (a.act[0] === 'C' || a.act[0] === 'S') && parseInt(a.act.slice(1), 16) !== 0);
      const st = acts.find((a) => a.act[0] === 's' || a.act[0] === 'S');
      if (st) return this.go(this.tid(st.tid), deliver);
      return this.go(null, deliver);
    }
    if (p.startsWith('vKill')) {
      this.kill();
      return null;
    }
    if (p === 'vMustReplyEmpty') return '';
    return '';
  }
}
