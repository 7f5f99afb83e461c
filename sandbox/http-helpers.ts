import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': payload.length,
    'cache-control': 'no-store',
  });
  response.end(payload);
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=UTF-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
  });
  response.end(html);
}

/** 302 by default; 303 after a form that changed something, so a reload shows the result without re-posting it. */
export function redirect(response: ServerResponse, location: string, status: 302 | 303 = 302): void {
  response.writeHead(status, { location, 'content-length': 0, 'cache-control': 'no-store' });
  response.end();
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a form-encoded body, or a flat JSON object (the PIM's body listener accepts both). */
export async function readFields(request: IncomingMessage): Promise<Map<string, string>> {
  const body = await readBody(request);
  const fields = new Map<string, string>();
  if ((request.headers['content-type'] ?? '').includes('application/json')) {
    const parsed: unknown = safeJsonParse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [key, value] of Object.entries(parsed)) {
        if (typeof value === 'string') fields.set(key, value);
      }
    }
    return fields;
  }
  for (const [key, value] of new URLSearchParams(body)) fields.set(key, value);
  return fields;
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}
