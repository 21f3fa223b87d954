/** A tiny typed client for the notes API, so tests read as scenarios rather than fetch plumbing. */
import { type Answer, type RequestOptions, send } from './http';

export interface Note {
  id: string;
  title: string;
  content: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export class NotesClient {
  constructor(
    private readonly apiUrl: string,
    private readonly token?: string,
  ) {}

  call<T = unknown>(method: string, path: string, init: RequestOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = this.token ? { authorization: `Bearer ${this.token}` } : {};
    return send<T>(this.apiUrl, method, path, headers, init);
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
