import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignedOperation {
  method: 'GET' | 'PUT';
  /** `workspace/key`: the object the URL opens. */
  object: string;
  /** Unix seconds after which the URL is refused. */
  expires: number;
  /** Uploads only: the one Content-Type the PUT may carry. */
  contentType?: string;
}

/** HMAC-SHA256 signatures for the disk store's storage URLs. */
export class UrlSigner {
  constructor(private readonly secret: Buffer) {}

  sign(op: SignedOperation): string {
    const canonical = [op.method, op.object, String(op.expires), op.contentType ?? ''].join('\n');
    return createHmac('sha256', this.secret).update(canonical).digest('hex');
  }

  verify(op: SignedOperation, signature: string): boolean {
    const expected = Buffer.from(this.sign(op), 'hex');
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
