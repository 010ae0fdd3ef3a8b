// ndb(6) text as cs reads it (emu/ip/ndb.ts), and the database it reads:
// the same plan9/lib/ndb files go_plan9_386_exec binds at /lib/ndb.
import { describe, expect, it } from 'vitest';
import { ndbgetvalue, ndbparse, ndbsearch } from '../../emu/ip/ndb.ts';

describe('ndb', () => {
  it('parses entries, indented continuations, empty and quoted values, comments; drops database=', () => {
    const text = [
      '# comment',
      'database=',
      '\tfile=/lib/ndb/local',
      'ip=10.0.0.1 sys=a  # trailing comment',
      '\tdom=a.example',
      '',
      'tcp=rexec port=512 restricted=',
      'sys=b name="two words"',
    ].join('\n');
    expect(ndbparse(text)).toEqual([
      [['ip', '10.0.0.1'], ['sys', 'a'], ['dom', 'a.example']],
      [['tcp', 'rexec'], ['port', '512'], ['restricted', '']],
      [['sys', 'b'], ['name', 'two words']],
    ]);
  });

  it('answers from plan9/lib/ndb/local and common', () => {
    expect(ndbsearch('ip', '127.0.0.1')).toEqual([[['ip', '127.0.0.1'], ['sys', 'localhost'], ['dom', 'localhost']]]);
    expect(ndbgetvalue('tcp', 'cpu', 'port')?.val).toBe('17013');
    expect(ndbgetvalue('tcp', 'login', 'restricted')?.val).toBe('');
    expect(ndbgetvalue('udp', 'ntp', 'port')?.val).toBe('123');
    expect(ndbgetvalue('tcp', 'nonesuch', 'port')).toBeNull();
  });
});
