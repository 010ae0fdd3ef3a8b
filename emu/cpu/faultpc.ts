// The pc to report for a memory fault.
//
// Unicorn 2.0.1 does not restore EIP before calling the invalid-memory
// hooks (fixed upstream in 2.1.4, commits 4a13bc7c/b999f507): EIP is the
// start of the last block entered through the dispatcher, which for chained
// blocks can be an earlier block. The registers, however, are exact (the
// state before the faulting instruction). See docs/unicorn.md.

export interface FaultInfo {
  access: 'read' | 'write' | 'fetch';
  addr: number;
}

/** Best pc for a fault given EIP as Unicorn left it. */
export function refineFaultPc(_cpu: unknown, f: FaultInfo, eip: number): number {
  if (f.access === 'fetch') {
    // A fetch fault stops with EIP at the instruction being fetched; if the
    // instruction straddles into the bad page, EIP is its start.
    return f.addr >= eip && f.addr - eip < 16 ? eip : f.addr;
  }
  return eip;
}
