/**
 * One function's invocation queue, in shared memory: the host appends invocations, and each idle worker
 * of the function takes the oldest one itself.
 *
 * Why not a `postMessage` per invocation to a chosen worker: on a 2-core machine the cost of a warm
 * invocation was dominated by waking threads, not by work. A message wakes its worker (and often preempts
 * the host, which holds the port's lock while it signals) once per invocation. Here a worker that finishes
 * takes the next queued invocation without sleeping, the host wakes sleeping workers at most once per
 * event-loop turn (whatever it queued in that turn), and the order stays FIFO across workers — one
 * invocation at a time per worker, none bound to a worker before it starts.
 *
 * Layout (all `Int32Array`s over `SharedArrayBuffer`s, indexes below):
 * - `control`: `TAIL` (next position to append; only the host writes it), `HEAD` (next to take; workers
 *   advance it with compare-and-swap), `SLEEPERS` (workers waiting for work, so the host notifies only then);
 * - per slot (`position & SLOT_MASK`): state (`FREE` → `QUEUED` → `TAKEN` / `CANCELLED` → `FREE`) and the
 *   payload's byte length (`LARGE`: the payload travelled as its own `SharedArrayBuffer`, see below); a slot
 *   is free again as soon as its worker has read the payload, so slots are held only while queued;
 * - per worker (an index the host assigns): state (`IDLE` / `BUSY` / `RETIRED`, so the host can retire an
 *   idle worker without racing a take), the position it runs and when it started (ms after `epochMs`) —
 *   what the host reads to enforce timeouts and to tell which invocation a crashed worker was running —
 *   and whether the running handler has yielded to the event loop (it awaits I/O or a timer), which is how
 *   the host tells a waiting worker from a computing one when it decides to start another.
 *
 * Payloads are JSON (Lambda's Invoke API takes JSON too): up to SLOT_BYTES in the slot, larger ones in a
 * `SharedArrayBuffer` of their own, posted to every worker of the queue before the invocation is queued
 * (and given to workers started later in their `workerData`).
 */

export const SLOT_COUNT = 64; // a power of two: positions map to slots with a mask, also past 2³¹
const SLOT_MASK = SLOT_COUNT - 1;
/** Payload bytes kept in the slot itself; an API Gateway event without a large body needs ~1–2 KB. */
export const SLOT_BYTES = 32 * 1024;

const TAIL = 0;
const HEAD = 1;
const SLEEPERS = 2;

const FREE = 0;
const QUEUED = 1;
const TAKEN = 2;
const CANCELLED = 3;

const IDLE = 0;
const BUSY = 1;
const RETIRED = 2;

/**
 * How long an idle worker blocks (`Atomics.wait`) before it waits asynchronously. Waking a blocked thread
 * costs the host a futex wake; waking an async waiter, a task posted to the worker's event loop — profiled
 * at ≈ 8 µs against ≈ 15 µs of the host's time per wake. Short, so while idle a handler's leftover timers
 * and sockets are late by at most this much.
 */
const BLOCK_MS = 1;

/** Slot length meaning "the payload is a `SharedArrayBuffer` of its own". */
const LARGE = -1;

/** What a worker needs to take from a queue (passed in `workerData`; shared memory crosses by reference). */
export interface QueueMemory {
  readonly control: SharedArrayBuffer;
  readonly slotState: SharedArrayBuffer;
  readonly slotLength: SharedArrayBuffer;
  readonly slotData: SharedArrayBuffer;
  readonly workerState: SharedArrayBuffer;
  readonly workerPosition: SharedArrayBuffer;
  readonly workerStartMs: SharedArrayBuffer;
  /** 1 while the worker's running handler has yielded to the event loop (set by the worker, see `awaiting`). */
  readonly workerAwaiting: SharedArrayBuffer;
  /** `Date.now()` when the queue was made; worker start times are relative to it (they fit an Int32). */
  readonly epochMs: number;
}

/** Host → worker: a payload too large for a slot. */
export interface LargePayloadMessage {
  readonly type: 'payload';
  readonly position: number;
  readonly buffer: SharedArrayBuffer;
}

/** `Atomics.waitAsync` (Node ≥ 16; not in this TypeScript lib). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `a` comes before `b` in queue positions, which wrap around at 2³². */
const before = (a: number, b: number): boolean => ((a - b) | 0) < 0;

class QueueView {
  readonly memory: QueueMemory;
  protected readonly control: Int32Array;
  protected readonly slotState: Int32Array;
  protected readonly slotLength: Int32Array;
  protected readonly slotData: Uint8Array;
  protected readonly workerState: Int32Array;
  protected readonly workerPosition: Int32Array;
  protected readonly workerStartMs: Int32Array;
  protected readonly workerAwaiting: Int32Array;

  constructor(memory: QueueMemory) {
    this.memory = memory;
    this.control = new Int32Array(memory.control);
    this.slotState = new Int32Array(memory.slotState);
    this.slotLength = new Int32Array(memory.slotLength);
    this.slotData = new Uint8Array(memory.slotData);
    this.workerState = new Int32Array(memory.workerState);
    this.workerPosition = new Int32Array(memory.workerPosition);
    this.workerStartMs = new Int32Array(memory.workerStartMs);
    this.workerAwaiting = new Int32Array(memory.workerAwaiting);
  }
}

/** The host's side: append, cancel, wake, and read what each worker runs. */
export class InvocationQueue extends QueueView {
  /** Payloads too large for a slot that are still queued, by position (handed to workers started later). */
  readonly largePayloads = new Map<number, SharedArrayBuffer>();
  #wakeScheduled = false;

  /**
   * `workers`: the most workers that take from it. `firstPosition`: where positions start — a reload's new
   * queue continues the old one's, so a position names one invocation across both.
   */
  constructor(workers: number, firstPosition = 0) {
    const int32s = (n: number) => new SharedArrayBuffer(4 * n);
    super({
      control: int32s(4),
      slotState: int32s(SLOT_COUNT),
      slotLength: int32s(SLOT_COUNT),
      slotData: new SharedArrayBuffer(SLOT_COUNT * SLOT_BYTES),
      workerState: int32s(workers),
      workerPosition: int32s(workers),
      workerStartMs: int32s(workers),
      workerAwaiting: int32s(workers),
      epochMs: Date.now(),
    });
    this.control[TAIL] = firstPosition;
    this.control[HEAD] = firstPosition;
  }

  /** The position the next append gets. */
  get tail(): number {
    return Atomics.load(this.control, TAIL);
  }

  /** Invocations appended and not yet taken (or cancelled). */
  get length(): number {
    return (Atomics.load(this.control, TAIL) - Atomics.load(this.control, HEAD)) | 0;
  }

  /** Whether the next slot is free to append to (else the caller keeps the payload back and retries). */
  get hasRoom(): boolean {
    return Atomics.load(this.slotState, Atomics.load(this.control, TAIL) & SLOT_MASK) === FREE;
  }

  /**
   * Appends a payload (check `hasRoom` first) and returns its position. A payload larger than a slot goes
   * through `share` (to every worker of this queue) before it is queued; one the caller has encoded already
   * (bytes: larger than a slot, see the pool's size check) goes that way directly. Sleeping workers are woken
   * once, after the current event-loop turn, for everything queued in it.
   */
  append(payload: string | Uint8Array, share: (message: LargePayloadMessage) => void): number {
    const position = Atomics.load(this.control, TAIL);
    const slot = position & SLOT_MASK;
    const offset = slot * SLOT_BYTES;
    // encodeInto writes at most SLOT_BYTES; a payload that does not fit is detected by what it read.
    const encoded =
      typeof payload === 'string'
        ? encoder.encodeInto(payload, this.slotData.subarray(offset, offset + SLOT_BYTES))
        : undefined;
    if (encoded !== undefined && encoded.read === payload.length) {
      this.slotLength[slot] = encoded.written;
    } else {
      const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
      const buffer = new SharedArrayBuffer(bytes.length);
      new Uint8Array(buffer).set(bytes);
      this.largePayloads.set(position, buffer);
      share({ type: 'payload', position, buffer });
      this.slotLength[slot] = LARGE;
    }
    Atomics.store(this.slotState, slot, QUEUED);
    Atomics.store(this.control, TAIL, (position + 1) | 0);
    this.wakeLater();
    return position;
  }

  /**
   * Wakes a sleeping worker after the current event-loop turn, if anything is queued. Also after a worker
   * is retired or dies: it may have taken the last wake without taking work.
   */
  wakeLater(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    setImmediate(this.#wake);
  }

  /** Takes a queued invocation back before any worker took it; false when one already did. */
  cancel(position: number): boolean {
    const slot = position & SLOT_MASK;
    // Only a slot still holding this position can be cancelled: positions before HEAD were taken.
    if (!before(position, Atomics.load(this.control, TAIL))) return false;
    const cancelled = Atomics.compareExchange(this.slotState, slot, QUEUED, CANCELLED) === QUEUED;
    if (cancelled) this.largePayloads.delete(position);
    return cancelled;
  }

  /** Positions still queued, oldest first. */
  *queued(): Generator<number> {
    const tail = Atomics.load(this.control, TAIL);
    for (let p = Atomics.load(this.control, HEAD); p !== tail; p = (p + 1) | 0) {
      if (Atomics.load(this.slotState, p & SLOT_MASK) === QUEUED) yield p;
    }
  }

  /** Marks the position taken (forgets its large payload: the worker has it). */
  taken(position: number): void {
    this.largePayloads.delete(position);
  }

  /**
   * The position worker `index` took last and when it started it (`Date.now()` scale); undefined before its
   * first. Whether that invocation still runs is the host's to tell (it has not seen its result yet): a
   * worker marks itself idle right after posting a result, before the host reads it.
   */
  lastTaken(index: number): { position: number; startedAt: number } | undefined {
    const started = Atomics.load(this.workerStartMs, index);
    if (started < 0) return undefined;
    return { position: Atomics.load(this.workerPosition, index), startedAt: this.memory.epochMs + started };
  }

  /**
   * Whether worker `index`'s running handler has yielded to its event loop — it awaits I/O or a timer, so
   * another worker would not take CPU from it. Meaningless while the worker is idle.
   */
  awaiting(index: number): boolean {
    return Atomics.load(this.workerAwaiting, index) === 1;
  }

  /** Stops an idle worker from taking anything more; false when it is busy (retire it after its invocation). */
  retire(index: number): boolean {
    const state = Atomics.compareExchange(this.workerState, index, IDLE, RETIRED);
    return state === IDLE || state === RETIRED;
  }

  /** Resets a worker index for a new worker. */
  resetWorker(index: number): void {
    Atomics.store(this.workerStartMs, index, -1);
    Atomics.store(this.workerAwaiting, index, 0);
    Atomics.store(this.workerState, index, IDLE);
  }

  readonly #wake = (): void => {
    this.#wakeScheduled = false;
    const sleepers = Atomics.load(this.control, SLEEPERS);
    // One worker; it wakes another if invocations still wait once its handler yields (worker.ts, serve).
    // Waking one per queued invocation cost more wakes than the work they found on a trivial handler.
    if (sleepers > 0 && this.length > 0) Atomics.notify(this.control, TAIL, 1);
  };
}

export interface TakenInvocation {
  readonly position: number;
  /** The payload's JSON text. */
  readonly payload: string;
}

/** A worker's side: take the oldest invocation, or wait for one. */
export class QueueConsumer extends QueueView {
  readonly #index: number;
  readonly #largePayloads = new Map<number, SharedArrayBuffer>();
  /** Reads pending host → worker messages synchronously (a large payload may still be on its way). */
  readonly #drain: () => void;

  constructor(
    memory: QueueMemory,
    index: number,
    drain: () => void,
    large: Iterable<[number, SharedArrayBuffer]>,
  ) {
    super(memory);
    this.#index = index;
    this.#drain = drain;
    for (const [position, buffer] of large) this.#largePayloads.set(position, buffer);
  }

  /** The host retired this worker: it takes nothing more. */
  get retired(): boolean {
    return Atomics.load(this.workerState, this.#index) === RETIRED;
  }

  addLargePayload(message: LargePayloadMessage): void {
    this.#largePayloads.set(message.position, message.buffer);
  }

  /** The oldest queued invocation, now marked as run by this worker; undefined when there is none. */
  take(): TakenInvocation | undefined {
    const { control, slotState, workerState } = this;
    const index = this.#index;
    if (Atomics.compareExchange(workerState, index, IDLE, BUSY) !== IDLE) return undefined; // retired
    for (;;) {
      const head = Atomics.load(control, HEAD);
      if (head === Atomics.load(control, TAIL)) {
        Atomics.store(workerState, index, IDLE);
        return undefined;
      }
      if (Atomics.compareExchange(control, HEAD, head, (head + 1) | 0) !== head) continue;
      // Published before the slot is claimed: from here a crash or timeout is attributed to this position.
      Atomics.store(this.workerPosition, index, head);
      Atomics.store(this.workerStartMs, index, Date.now() - this.memory.epochMs);
      const slot = head & SLOT_MASK;
      if (Atomics.compareExchange(slotState, slot, QUEUED, TAKEN) !== QUEUED) {
        Atomics.store(slotState, slot, FREE); // cancelled by the host (its caller stopped waiting)
        this.#largePayloads.delete(head);
        continue;
      }
      const payload = this.#read(head, slot);
      Atomics.store(slotState, slot, FREE);
      return { position: head, payload };
    }
  }

  /** Wakes one sleeping worker if invocations still wait. */
  wakeAnother(): void {
    const { control } = this;
    if (Atomics.load(control, TAIL) !== Atomics.load(control, HEAD) && Atomics.load(control, SLEEPERS) > 0) {
      Atomics.notify(control, TAIL, 1);
    }
  }

  /** The running handler has yielded to the event loop (true), or the invocation is over (false). */
  set awaiting(yielded: boolean) {
    Atomics.store(this.workerAwaiting, this.#index, yielded ? 1 : 0);
  }

  /** The invocation is over (its result is posted): the host may now retire this worker. */
  finish(): void {
    Atomics.compareExchange(this.workerState, this.#index, BUSY, IDLE);
  }

  /**
   * Resolves once there may be something to take; undefined when there already is. Blocks for at most
   * BLOCK_MS, then waits asynchronously (`Atomics.waitAsync`): an idle worker keeps running its event loop —
   * timers and sockets a handler left behind — as the local runtime always did.
   */
  wait(): Promise<unknown> | undefined {
    const { control } = this;
    const tail = Atomics.load(control, TAIL);
    Atomics.add(control, SLEEPERS, 1);
    // Re-checked after announcing the sleep: the host appends, then reads SLEEPERS before notifying.
    if (Atomics.load(control, HEAD) !== tail) {
      Atomics.sub(control, SLEEPERS, 1);
      return undefined;
    }
    if (Atomics.wait(control, TAIL, tail, BLOCK_MS) !== 'timed-out') {
      Atomics.sub(control, SLEEPERS, 1);
      return undefined;
    }
    const waited = waitAsync(control, TAIL, tail);
    if (!waited.async) {
      Atomics.sub(control, SLEEPERS, 1);
      return undefined;
    }
    return waited.value.then(() => Atomics.sub(control, SLEEPERS, 1));
  }

  #read(position: number, slot: number): string {
    const length = this.slotLength[slot] as number;
    if (length !== LARGE) {
      const offset = slot * SLOT_BYTES;
      return decoder.decode(this.slotData.subarray(offset, offset + length));
    }
    let buffer = this.#largePayloads.get(position);
    if (buffer === undefined) {
      this.#drain();
      buffer = this.#largePayloads.get(position);
    }
    // Others' large payloads up to this position were taken by other workers or cancelled.
    for (const key of this.#largePayloads.keys()) {
      if (!before(position, key)) this.#largePayloads.delete(key);
    }
    if (buffer === undefined) throw new Error(`the payload of queued invocation ${position} never arrived`);
    return decoder.decode(new Uint8Array(buffer));
  }
}
