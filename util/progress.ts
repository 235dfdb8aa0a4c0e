/**
 * Progress for long work: a single updating line on stderr when it is a terminal, silent otherwise
 * (so piped output and CI logs stay clean).
 */
export class Progress {
  private readonly enabled: boolean;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(stream.isTTY) && process.env.AIA_NO_PROGRESS === undefined;
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  update(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (done < this.total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const pct = this.total > 0 ? Math.floor((100 * done) / this.total) : 100;
    this.stream.write(`\r${this.label}: ${done}/${this.total} (${pct}%)`);
  }

  done(): void {
    if (!this.enabled) return;
    this.update(this.total);
    this.stream.write('\n');
  }
}
