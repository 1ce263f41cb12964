/**
 * @module One Redis client's state, as `/metrics` shows it: up once it answered, down after a
 * command or the connection failed, and every failure counted (the logs say an outage once).
 */
export interface StoreHealth {
  up: boolean;
  errors: number;
}

export function storeHealth(): StoreHealth {
  // Down until it first answers: a Redis unreachable at start shows as 0 at once.
  return { up: false, errors: 0 };
}

export function healthFailed(health: StoreHealth | undefined): void {
  if (health === undefined) return;
  health.up = false;
  health.errors++;
}

export function healthOk(health: StoreHealth | undefined): void {
  if (health !== undefined) health.up = true;
}
