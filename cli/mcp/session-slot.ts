import { RecordedSession, type SessionOptions } from '../../agent/session.ts';
import { ToolError } from '../../tools/tool.ts';

/**
 * The recorded session behind one MCP connection, opened when first needed: a client that only lists
 * tools or reads runs leaves no empty run behind, and the run can name the client (known only once it
 * has introduced itself). With no subject given to `aia mcp`, tools wait for `load_subject`.
 */
export class SessionSlot {
  private opening: Promise<RecordedSession> | undefined;

  constructor(
    private readonly options: Omit<SessionOptions, 'subject' | 'client'>,
    private readonly defaultSubject: string | undefined,
    private readonly clientName: () => string | undefined,
  ) {}

  /** The session, opened on the default subject if none is open yet. */
  get(): Promise<RecordedSession> {
    if (this.opening) return this.opening;
    if (this.defaultSubject === undefined)
      return Promise.reject(
        new ToolError(
          'no subject is loaded: call load_subject first, e.g. {"subject": "synthetic:maia/mono-dog"} ' +
            'or a zoo name such as "paddle-ocr-cls"',
        ),
      );
    return this.open(this.defaultSubject, {});
  }

  /** Load a subject: the first opens the session, a later one finishes the current run and opens the next. */
  async load(
    subject: string,
    about: { question?: string; unit?: string },
  ): Promise<{ session: RecordedSession; finished?: string }> {
    if (!this.opening) return { session: await this.open(subject, about) };
    const session = await this.opening;
    const { finished } = await session.switchSubject(subject, about);
    return { session, finished };
  }

  /** Finish the run, if one was opened. */
  async close(): Promise<void> {
    const opening = this.opening;
    if (!opening) return;
    await (await opening.catch(() => undefined))?.close();
  }

  private open(subject: string, about: { question?: string; unit?: string }): Promise<RecordedSession> {
    const client = this.clientName();
    const opening = RecordedSession.open({
      ...this.options,
      subject,
      ...(client !== undefined ? { client } : {}),
      ...(about.question !== undefined ? { question: about.question } : {}),
      ...(about.unit !== undefined ? { unit: about.unit } : {}),
    });
    this.opening = opening;
    // A subject that does not load leaves the slot empty, so the next load_subject can try again.
    opening.catch(() => {
      if (this.opening === opening) this.opening = undefined;
    });
    return opening;
  }
}
