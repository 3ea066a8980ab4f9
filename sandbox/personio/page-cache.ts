/**
 * Whole response bodies of unfiltered list pages, keyed by offset/limit and dropped as soon
 * as the data changes. A full import asks for the same pages again and again (every run,
 * every retry), and a 100-employee page is ~300 KB that would otherwise be re-assembled.
 * Least recently used pages go first when the byte budget is exceeded; a budget smaller
 * than one pass over all pages makes a sequential walk miss every time (plain LRU).
 */
export class PageCache {
  private pages = new Map<string, Buffer>();
  private bytes = 0;
  private version = -1;

  constructor(private readonly maxBytes: number) {}

  get(version: number, key: string): Buffer | undefined {
    if (version !== this.version) return undefined;
    const page = this.pages.get(key);
    if (page) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.pages.delete(key);
      this.pages.set(key, page);
    }
    return page;
  }

  set(version: number, key: string, page: Buffer): void {
    if (version !== this.version) {
      this.pages.clear();
      this.bytes = 0;
      this.version = version;
    }
    if (page.length > this.maxBytes) return;
    this.pages.set(key, page);
    this.bytes += page.length;
    for (const [oldest, buffer] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.pages.delete(oldest);
      this.bytes -= buffer.length;
    }
  }
}
