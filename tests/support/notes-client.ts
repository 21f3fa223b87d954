/** A tiny typed client for the notes API, so tests read as scenarios rather than fetch plumbing. */
export interface Note {
  id: string;
  title: string;
  content: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export class NotesClient {
  constructor(
    private readonly apiUrl: string,
    private readonly token?: string,
  ) {}

  async call<T = unknown>(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path.replace(/^\//, ''), this.apiUrl), {
      method,
      headers,
      ...(init.body !== undefined
        ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
        : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  create(note: Record<string, unknown>) {
    return this.call<Note>('POST', '/notes', { body: note });
  }
  get(id: string) {
    return this.call<Note>('GET', `/notes/${id}`);
  }
  list(query = '') {
    return this.call<{ items: Note[]; nextCursor: string | null }>('GET', `/notes${query}`);
  }
  update(id: string, changes: Record<string, unknown>, ifMatch: string) {
    return this.call<Note>('PATCH', `/notes/${id}`, { body: changes, headers: { 'if-match': ifMatch } });
  }
  remove(id: string) {
    return this.call('DELETE', `/notes/${id}`);
  }
}
