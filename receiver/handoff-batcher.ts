/**
 * Gathers the webhooks that arrive while a hand-off to Temporal is under way into the next
 * one, so a burst of deliveries (a reorganisation raises one per person, all at once) costs a
 * few signals instead of one signal-with-start each. One signal of one workflow updates one
 * history: a thousand of them at once queue up in Temporal, take longer than Personio's 3 s,
 * get a 503 and come back minutes later by Personio's retries (measured in bench/webhook-latency.ts).
 *
 * A lone webhook is sent at once (no added latency for a single hire). Each caller's promise
 * settles with the signal that carried its change, so a 202 still means "Temporal has it".
 */
import type { PersonChange } from '../workflows/changes-api.js';

/** Most changes one signal carries (the workflow accepts up to MAX_CHANGES_PER_SIGNAL). */
export const MAX_BATCH = 500;

interface Waiting {
  change: PersonChange;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class HandoffBatcher {
  private waiting: Waiting[] = [];
  private sending = false;
  /** Signals sent and changes they carried, for /metrics. */
  readonly stats = { signals: 0, changes: 0 };

  constructor(
    private readonly send: (changes: PersonChange[]) => Promise<void>,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  add(change: PersonChange): Promise<void> {
    const settled = new Promise<void>((resolve, reject) => this.waiting.push({ change, resolve, reject }));
    if (!this.sending) void this.flush();
    return settled;
  }

  private async flush(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        await this.send(batch.map((w) => w.change));
        this.stats.signals++;
        this.stats.changes += batch.length;
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.sending = false;
  }
}
