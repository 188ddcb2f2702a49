import type * as Pkcs11Types from "pkcs11js";

type Handle = Buffer;

/**
 * A few PKCS#11 sessions on one token, each lent to one operation at a time. PKCS#11 lets
 * several threads use a library at once (CKF_OS_LOCKING_OK) but never one session from two
 * threads, and the `*Async` calls run on libuv's thread pool: so each wrap or unwrap borrows a
 * session for its whole sequence of calls (create, wrap, destroy) and returns it after. The
 * size matches libuv's default pool of four threads; waiting callers are served in order.
 */
export class Pkcs11SessionPool {
  private readonly idle: Handle[] = [];
  private readonly waiting: ((session: Handle) => void)[] = [];
  private readonly all: Handle[] = [];

  constructor(
    private readonly pkcs11: Pkcs11Types.PKCS11,
    slot: Handle,
    flags: number,
    size = 4,
  ) {
    for (let i = 0; i < size; i++) {
      const session = pkcs11.C_OpenSession(slot, flags);
      this.all.push(session);
      this.idle.push(session);
    }
  }

  async use<T>(work: (session: Handle) => Promise<T>): Promise<T> {
    const session = this.idle.pop() ?? (await new Promise<Handle>((resolve) => this.waiting.push(resolve)));
    try {
      return await work(session);
    } finally {
      const next = this.waiting.shift();
      if (next) next(session);
      else this.idle.push(session);
    }
  }

  close(): void {
    for (const session of this.all) this.pkcs11.C_CloseSession(session);
    this.all.length = 0;
    this.idle.length = 0;
  }
}
