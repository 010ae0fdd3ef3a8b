// A small 9P2000 file server for the kernel tests, written with the same
// marshalling the mount driver uses (emu/port/fcall.ts). It serves an
// in-memory tree over one end of a pipe, answering whatever requests are
// queued each time serve() runs. Reads of a file named `slow` are held
// until release() (for flush and concurrency tests); every request is
// logged.

import type { Chan } from '../../emu/port/dev.ts';
import type { Proc } from '../../emu/port/proc.ts';
import type { Qid } from '../../emu/port/dat.ts';
import { DMDIR, QTDIR } from '../../emu/port/dat.ts';
import * as F from '../../emu/port/fcall.ts';
import { Sleep } from '../../emu/port/rendez.ts';
import { convD2M, convM2D } from '../../emu/port/stat.ts';

export interface Node {
  name: string;
  qid: Qid;
  mode: number;
  data: Uint8Array;
  kids: Node[] | null;
  parent: Node | null;
}

const enc = new TextEncoder();

export class Srv9p {
  readonly log: F.Fcall[] = [];
  readonly root: Node;
  private readonly fids = new Map<number, { n: Node; open: boolean }>();
  /** The fids the client holds. */
  get nfid(): number {
    return this.fids.size;
  }
  /** Held Treads of `slow` files, by tag. */
  readonly held = new Map<number, F.Fcall>();
  private npath = 0;
  private buf = new Uint8Array(0);

  constructor(private readonly up: Proc, private readonly c: Chan) {
    this.root = this.node('/', null, DMDIR | 0o777);
  }

  node(name: string, parent: Node | null, mode = 0o666, data = ''): Node {
    const n: Node = {
      name, mode, parent, data: enc.encode(data), kids: mode & DMDIR ? [] : null,
      qid: { type: mode & DMDIR ? QTDIR : 0, vers: 0, path: this.npath++ },
    };
    parent?.kids!.push(n);
    return n;
  }

  /** A path of directories and a file, made from the root: mk('a/b/c', 'text'). */
  mk(path: string, data = ''): Node {
    const parts = path.split('/');
    let d = this.root;
    for (const p of parts.slice(0, -1)) d = d.kids!.find((k) => k.name === p) ?? this.node(p, d, DMDIR | 0o777);
    return this.node(parts[parts.length - 1]!, d, 0o666, data);
  }

  private send(f: F.Fcall): void {
    this.c.dev.write(this.up, this.c, F.convS2M(f), 0);
  }

  /** Answer a held read now. */
  release(tag: number, data = 'late'): void {
    this.held.delete(tag);
    this.send({ type: F.Rread, tag, data: enc.encode(data) });
  }

  /** Answer every request waiting in the pipe; how many were read. */
  serve(): number {
    let n = 0;
    for (;;) {
      let b: Uint8Array;
      try {
        b = this.c.dev.read(this.up, this.c, 1 << 16, 0);
      } catch (e) {
        if (e instanceof Sleep) return n;
        throw e;
      }
      if (b.length === 0) return n;
      const all = new Uint8Array(this.buf.length + b.length);
      all.set(this.buf);
      all.set(b, this.buf.length);
      let p = 0;
      while (F.msgsize(all.subarray(p)) >= 0 && all.length - p >= F.msgsize(all.subarray(p))) {
        const sz = F.msgsize(all.subarray(p));
        const f = F.convM2S(all.subarray(p, p + sz))!;
        p += sz;
        n++;
        this.log.push(f);
        const r = this.answer(f);
        if (r) this.send({ ...r, tag: f.tag });
      }
      this.buf = all.slice(p);
    }
  }

  private err(ename: string): Omit<F.Fcall, 'tag'> {
    return { type: F.Rerror, ename };
  }

  private answer(f: F.Fcall): Omit<F.Fcall, 'tag'> | null {
    const fid = this.fids.get(f.fid ?? -1);
    switch (f.type) {
      case F.Tversion: return { type: F.Rversion, msize: Math.min(f.msize!, 8192 + F.IOHDRSZ), version: '9P2000' };
      case F.Tauth: return this.err('authentication not required');
      case F.Tattach:
        this.fids.set(f.fid!, { n: this.root, open: false });
        return { type: F.Rattach, qid: this.root.qid };
      case F.Tflush: {
        this.held.delete(f.oldtag!);
        return { type: F.Rflush };
      }
      case F.Twalk: {
        if (!fid) return this.err('unknown fid');
        let n = fid.n;
        const wqid: Qid[] = [];
        for (const w of f.wname!) {
          const next = w === '..' ? n.parent ?? n : n.kids?.find((k) => k.name === w);
          if (!next) break;
          n = next;
          wqid.push(n.qid);
        }
        if (wqid.length === 0 && f.wname!.length > 0) return this.err('file does not exist');
        if (wqid.length === f.wname!.length) this.fids.set(f.newfid!, { n, open: false });
        return { type: F.Rwalk, wqid };
      }
      case F.Topen:
        if (!fid) return this.err('unknown fid');
        if (fid.n.name === 'secret') return this.err('permission denied');
        fid.open = true;
        if (f.mode! & 16) fid.n.data = new Uint8Array(0);
        return { type: F.Ropen, qid: fid.n.qid, iounit: 0 };
      case F.Tcreate: {
        if (!fid?.n.kids) return this.err('not a directory');
        if (fid.n.kids.some((k) => k.name === f.name)) return this.err('file already exists');
        const n = this.node(f.name!, fid.n, f.perm!);
        this.fids.set(f.fid!, { n, open: true });
        return { type: F.Rcreate, qid: n.qid, iounit: 0 };
      }
      case F.Tread: {
        if (!fid) return this.err('unknown fid');
        if (fid.n.name === 'slow') {
          this.held.set(f.tag, f);
          return null;
        }
        if (fid.n.kids) {
          const all = fid.n.kids.map((k) => convD2M(this.dir(k), 1 << 16));
          const out: number[] = [];
          let pos = 0;
          for (const d of all) {
            if (pos >= f.offset! && out.length + d.length <= f.count!) out.push(...d);
            pos += d.length;
          }
          return { type: F.Rread, data: Uint8Array.from(out) };
        }
        return { type: F.Rread, data: fid.n.data.slice(f.offset!, f.offset! + f.count!) };
      }
      case F.Twrite: {
        if (!fid) return this.err('unknown fid');
        const d = fid.n.data;
        const out = new Uint8Array(Math.max(d.length, f.offset! + f.count!));
        out.set(d);
        out.set(f.data!, f.offset!);
        fid.n.data = out;
        return { type: F.Rwrite, count: f.count! };
      }
      case F.Tclunk:
        this.fids.delete(f.fid!);
        return { type: F.Rclunk };
      case F.Tremove: {
        this.fids.delete(f.fid!);
        if (!fid) return this.err('unknown fid');
        const p = fid.n.parent;
        if (!p) return this.err('permission denied');
        p.kids!.splice(p.kids!.indexOf(fid.n), 1);
        return { type: F.Rremove };
      }
      case F.Tstat:
        if (!fid) return this.err('unknown fid');
        return { type: F.Rstat, stat: convD2M(this.dir(fid.n), 1 << 16) };
      case F.Twstat: {
        if (!fid) return this.err('unknown fid');
        const d = convM2D(f.stat!)!;
        if (d.name !== '') fid.n.name = d.name;
        if (d.mode !== 0xffffffff) fid.n.mode = d.mode;
        return { type: F.Rwstat };
      }
    }
    return this.err('bad request');
  }

  dir(n: Node) {
    return {
      type: 0, dev: 0, qid: n.qid, mode: n.mode, atime: 0, mtime: 0,
      length: n.kids ? 0 : n.data.length, name: n.name, uid: 'srv', gid: 'srv', muid: 'srv',
    };
  }
}
