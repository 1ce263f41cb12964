/**
 * @module Handler deadlines without a timer per call: calls with the same timeout expire in
 * the order they started, so each timeout value keeps its pending calls in a list (oldest
 * first) and one timer, armed for the oldest. A call that settles leaves the list at once;
 * the timer stays (unref'd while nothing is pending), since calls come and go many times a
 * second and re-creating it each time would cost what it saves.
 */

/** One pending call's deadline; `cancel()` when the call settled first. */
export class Deadline {
  prev: Deadline | undefined;
  next: Deadline | undefined;
  queued = true;

  constructor(
    private readonly queue: Queue,
    readonly at: number,
    readonly expire: () => void,
  ) {}

  cancel(): void {
    this.queue.remove(this);
  }
}

class Queue {
  private head: Deadline | undefined;
  private tail: Deadline | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  add(expire: () => void): Deadline {
    const entry = new Deadline(this, performance.now() + this.ms, expire);
    entry.prev = this.tail;
    if (this.tail === undefined) this.head = entry;
    else this.tail.next = entry;
    this.tail = entry;
    if (this.timer === undefined) this.arm(entry.at);
    else if (entry.prev === undefined) this.timer.ref();
    return entry;
  }

  remove(entry: Deadline): void {
    if (!entry.queued) return;
    entry.queued = false;
    if (entry.prev === undefined) this.head = entry.next;
    else entry.prev.next = entry.next;
    if (entry.next === undefined) this.tail = entry.prev;
    else entry.next.prev = entry.prev;
    entry.prev = entry.next = undefined;
    // The timer stays armed: firing early, it re-arms for the oldest call left (or stops).
    // With nothing pending it must not keep the process alive.
    if (this.head === undefined) this.timer?.unref();
  }

  private arm(at: number): void {
    this.timer = setTimeout(() => this.fire(), Math.max(1, Math.ceil(at - performance.now())));
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.head !== undefined && this.head.at <= now) {
      const entry = this.head;
      this.remove(entry);
      entry.expire();
    }
    if (this.head !== undefined && this.timer === undefined) this.arm(this.head.at);
  }
}

const queues = new Map<number, Queue>();

/** Calls `expire` once `ms` have passed, unless the returned deadline is cancelled first. */
export function addDeadline(ms: number, expire: () => void): Deadline {
  let queue = queues.get(ms);
  if (queue === undefined) {
    queue = new Queue(ms);
    queues.set(ms, queue);
  }
  return queue.add(expire);
}
